//! Whiteboard late joiner: one editor applies many ops over one WebSocket (mostly
//! freehand strokes, some moves, reorders and deletes), then new connections open the
//! board. Measures the time from sending `open` to receiving `opened`, and the time to
//! rebuild the board from it with tandem-board, with snapshots at the default interval
//! and with compaction effectively off.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use tandem_board::BoardState;
use tandem_protocol::boards::{
    Board, BoardNotice, BoardOp, BoardRequest, BoardSnapshot, CreateBoardRequest, Element,
    ElementId, ElementKind, ElementPatch, PageId, Point, SequencedOp,
};
use tandem_protocol::chat::{Channel, ChannelKind, CreateChannelRequest};
use tandem_protocol::ws::{ClientFrame, ServerFrame};
use uuid::Uuid;

use crate::client::{Socket, User};
use crate::server::ServerProcess;
use crate::stats::{ms, summarize};

#[derive(clap::Args)]
pub struct Args {
    /// Ops applied before the late joiners arrive.
    #[arg(long, default_value_t = 10_000)]
    ops: usize,
    /// Late joins timed per setting (the median is reported).
    #[arg(long, default_value_t = 5)]
    joins: usize,
    /// Ops in flight while applying.
    #[arg(long, default_value_t = 64)]
    window: usize,
    /// The server's default snapshot interval.
    #[arg(long, default_value_t = 500)]
    snapshot_every: u64,
    /// An interval so large that no snapshot is ever written.
    #[arg(long, default_value_t = 1_000_000)]
    compaction_off: u64,
}

pub async fn run(bin: &Path, args: Args) -> anyhow::Result<()> {
    println!(
        "board benchmark: {} ops on one board, then a late joiner (median of {} joins)",
        args.ops, args.joins
    );
    for every in [args.snapshot_every, args.compaction_off] {
        measure(bin, &args, every).await?;
    }
    Ok(())
}

async fn measure(bin: &Path, args: &Args, every: u64) -> anyhow::Result<()> {
    let setting = format!("--board-snapshot-every {every}");
    let server =
        ServerProcess::start_with(bin, &["--board-snapshot-every", &every.to_string()]).await?;
    let http = reqwest::Client::new();
    let admin = User::sign_up(&http, &server.base, "Board Admin").await?;
    let channel: Channel = admin
        .post(
            "/api/channels",
            &CreateChannelRequest {
                name: "boards".into(),
                kind: ChannelKind::Public,
                topic: String::new(),
                member_ids: vec![],
            },
        )
        .await?;
    let board: Board = admin
        .post(
            &format!("/api/channels/{}/boards", channel.id),
            &CreateBoardRequest {
                title: "Benchmark".into(),
            },
        )
        .await?;

    let mut editor = admin.connect().await?;
    let (opened, _) = open(&mut editor, &board).await?;
    let mut seen = opened.1;
    let page = BoardState::replay(opened.0.as_ref(), &seen)
        .pages()
        .first()
        .map(|p| p.id)
        .context("a new board has a page")?;
    let applying = Instant::now();
    seen.extend(apply_all(&mut editor, &board, page, args.ops, args.window).await?);
    let apply_secs = applying.elapsed().as_secs_f64();
    let expected = BoardState::replay(None, &seen).snapshot();
    // Let the background compactor catch up with the last ops, as it would between
    // someone drawing and someone else joining.
    tokio::time::sleep(Duration::from_secs(1)).await;

    let (mut open_times, mut rebuild_times) = (Vec::new(), Vec::new());
    let mut shape = String::new();
    for _ in 0..args.joins {
        let mut late = admin.connect().await?;
        let ((snapshot, ops), elapsed) = open(&mut late, &board).await?;
        open_times.push(elapsed);
        let start = Instant::now();
        let rebuilt = BoardState::replay(snapshot.as_ref(), &ops);
        rebuild_times.push(start.elapsed());
        if rebuilt.snapshot() != expected {
            bail!("a late joiner rebuilt a different board ({setting})");
        }
        shape = match &snapshot {
            Some(s) => format!("snapshot at rev {} + {} ops", s.rev, ops.len()),
            None => format!("no snapshot, {} ops", ops.len()),
        };
    }

    println!(
        "  {setting}: applied {} ops in {:.1} s ({:.0} ops/s, window {}); joiner gets {shape}",
        args.ops,
        apply_secs,
        args.ops as f64 / apply_secs,
        args.window
    );
    if let Some(s) = summarize(&mut open_times) {
        println!(
            "  {setting}: late joiner open → opened: median {}  max {}  over {} joins",
            ms(s.p50),
            ms(s.max),
            s.count
        );
    }
    if let Some(s) = summarize(&mut rebuild_times) {
        println!(
            "  {setting}: late joiner rebuild (BoardState::replay): median {}  max {}  \
             over {} joins",
            ms(s.p50),
            ms(s.max),
            s.count
        );
    }
    Ok(())
}

type Opened = (Option<BoardSnapshot>, Vec<SequencedOp>);

/// Sends `open` and waits for `opened`: what came, and how long it took.
async fn open(socket: &mut Socket, board: &Board) -> anyhow::Result<(Opened, Duration)> {
    let start = Instant::now();
    socket
        .send(&ClientFrame::Board(BoardRequest::Open {
            board_id: board.id,
            since: None,
            link_token: None,
        }))
        .await?;
    loop {
        match socket.next().await? {
            ServerFrame::Board(BoardNotice::Opened { snapshot, ops, .. }) => {
                return Ok(((snapshot, ops), start.elapsed()));
            }
            ServerFrame::Board(BoardNotice::Refused { message, .. }) => {
                bail!("open refused: {message}")
            }
            _ => {}
        }
    }
}

/// Applies `count` ops with up to `window` in flight and returns them as applied.
async fn apply_all(
    socket: &mut Socket,
    board: &Board,
    page: PageId,
    count: usize,
    window: usize,
) -> anyhow::Result<Vec<SequencedOp>> {
    let mut script = Script::new(page);
    let mut applied = Vec::with_capacity(count);
    let mut sent = 0;
    while applied.len() < count {
        while sent < count && sent - applied.len() < window.max(1) {
            let op = script.next(sent);
            socket
                .send(&ClientFrame::Board(BoardRequest::Apply {
                    board_id: board.id,
                    op_id: Uuid::new_v4(),
                    op,
                }))
                .await?;
            sent += 1;
        }
        match socket.next().await? {
            ServerFrame::Board(BoardNotice::Applied { op, .. }) => applied.push(op),
            ServerFrame::Board(BoardNotice::Refused { message, .. }) => {
                bail!("op refused: {message}")
            }
            _ => {}
        }
    }
    Ok(applied)
}

/// Mostly strokes of 20 points; every tenth op moves, reorders or deletes an earlier
/// stroke (only strokes added well before, so every op is valid when it arrives).
struct Script {
    page: PageId,
    strokes: Vec<ElementId>,
}

impl Script {
    fn new(page: PageId) -> Self {
        Script {
            page,
            strokes: Vec::new(),
        }
    }

    fn next(&mut self, i: usize) -> BoardOp {
        // Ops in flight may not be applied yet: touch only strokes older than the window.
        let settled = self.strokes.len().saturating_sub(256);
        let target = (settled > 0).then(|| self.strokes[(i * 7919) % settled]);
        match (i % 20, target) {
            (5 | 15, Some(id)) => BoardOp::UpdateElement {
                id,
                version: 0,
                patch: ElementPatch {
                    x: Some((i % 1000) as f64),
                    y: Some((i % 700) as f64),
                    ..Default::default()
                },
            },
            (10, Some(id)) => BoardOp::ReorderElement {
                id,
                version: 0,
                z: i as f64 + 0.5,
            },
            (19, Some(id)) => BoardOp::DeleteElement { id, version: 0 },
            _ => {
                let element = stroke(self.page, i);
                self.strokes.push(element.id);
                BoardOp::AddElement { element }
            }
        }
    }
}

fn stroke(page: PageId, i: usize) -> Element {
    let (x0, y0) = ((i % 97) as f64 * 13.0, (i % 89) as f64 * 11.0);
    let points: Vec<Point> = (0..20)
        .map(|k| {
            let t = k as f64 / 19.0;
            Point {
                x: t * 120.0,
                y: (t * 6.0 + i as f64).sin() * 30.0 + 30.0,
            }
        })
        .collect();
    Element {
        id: Uuid::new_v4(),
        page_id: page,
        kind: ElementKind::Stroke,
        x: x0,
        y: y0,
        width: 120.0,
        height: 60.0,
        points,
        text: String::new(),
        stroke: "#1e1e1e".into(),
        fill: String::new(),
        stroke_width: 2.0,
        z: i as f64,
    }
}

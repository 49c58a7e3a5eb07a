//! Group commit. Every connection's commands go through one queue; the task draining
//! it runs whatever has gathered (up to `--max-command-group`, 64 by default) in one
//! transaction under the log writer, each command inside its own savepoint. So under
//! load one commit (and one publication) carries many commands, while a lone command
//! still runs at once: the task never waits to fill a batch.
//!
//! Each command keeps its own outcome: a refused one is rolled back to its savepoint
//! (its events forgotten) and answered with its error while the others go on; the
//! acks go out only after the commit, and after the events (`LogWriter::commit`
//! publishes first). Idempotency holds inside a batch too: the command log is read
//! in the same transaction, so a retry behind its original is answered with the same
//! event. If the commit itself fails, every command of the batch is answered with an
//! error, since none of them happened.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use tandem_protocol::ws::Command;
use tandem_protocol::{Seq, UserId};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::{apply, Ctx};
use crate::db::{self, commands as command_log};
use crate::error::{AppError, AppResult};
use crate::meetings::GuestScope;
use crate::state::{AppState, WeakState};

/// Commands waiting; each connection has at most one in flight, so this is roomy.
const QUEUE: usize = 4096;

/// What a command produced: its event's id and seq.
pub type Done = (Uuid, Seq);

struct Job {
    user_id: UserId,
    guest: Option<GuestScope>,
    command_id: Uuid,
    command: Command,
    reply: oneshot::Sender<AppResult<Done>>,
}

/// The queue into the group-commit task (started with the first command).
#[derive(Default)]
pub struct CommandQueue {
    sender: OnceLock<mpsc::Sender<Job>>,
    /// Commands queued and transactions run so far (for tests and diagnostics).
    queued: AtomicU64,
    batches: AtomicU64,
}

impl CommandQueue {
    /// How many commands were queued for a group commit.
    pub fn queued(&self) -> u64 {
        self.queued.load(Ordering::Relaxed)
    }

    /// How many group commits ran.
    pub fn batches(&self) -> u64 {
        self.batches.load(Ordering::Relaxed)
    }
}

fn stopped() -> AppError {
    AppError::Internal(anyhow::anyhow!("the command task stopped"))
}

/// Runs the command in the next group commit and returns what it produced.
pub(super) async fn submit(
    state: &AppState,
    user_id: UserId,
    guest: Option<&GuestScope>,
    command_id: Uuid,
    command: Command,
) -> AppResult<Done> {
    let sender = state.commands.sender.get_or_init(|| {
        let (sender, queue) = mpsc::channel(QUEUE);
        let most = state.config.max_command_group.max(1) as usize;
        tokio::spawn(run(state.downgrade(), queue, most));
        sender
    });
    let (reply, answer) = oneshot::channel();
    let job = Job {
        user_id,
        guest: guest.cloned(),
        command_id,
        command,
        reply,
    };
    sender.send(job).await.map_err(|_| stopped())?;
    state.commands.queued.fetch_add(1, Ordering::Relaxed);
    answer.await.map_err(|_| stopped())?
}

/// Until the server is gone (its queue's sender goes with its state).
async fn run(state: WeakState, mut queue: mpsc::Receiver<Job>, most: usize) {
    while let Some(first) = queue.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < most {
            match queue.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let Some(state) = state.upgrade() else { return };
        run_batch(&state, jobs).await;
    }
}

async fn run_batch(state: &AppState, jobs: Vec<Job>) {
    state.commands.batches.fetch_add(1, Ordering::Relaxed);
    let mut writer = state.log.writer().await;
    let mut tx = match writer.begin().await {
        Ok(tx) => tx,
        Err(err) => return fail_all(jobs.into_iter().map(|j| j.reply), &err),
    };
    let mut answered = Vec::with_capacity(jobs.len());
    let mut jobs = jobs.into_iter();
    while let Some(job) = jobs.next() {
        let Job {
            user_id,
            guest,
            command_id,
            command,
            reply,
        } = job;
        let mut ctx = Ctx {
            state,
            user_id,
            command_id,
            guest: guest.as_ref(),
            writer: &mut writer,
            tx: &mut tx,
        };
        match run_one(&mut ctx, command).await {
            Ok(outcome) => answered.push((reply, outcome)),
            // The transaction itself failed: nothing of the batch happens.
            Err(err) => {
                let replies = answered.into_iter().map(|(r, _)| r);
                let rest = jobs.map(|j| j.reply);
                return fail_all(replies.chain([reply]).chain(rest), &err);
            }
        }
    }
    if let Err(err) = writer.commit(tx).await {
        return fail_all(answered.into_iter().map(|(r, _)| r), &err);
    }
    for (reply, outcome) in answered {
        let _ = reply.send(outcome);
    }
}

/// One command inside its savepoint. The outer error is the transaction's (the batch
/// is lost); the inner one is the command's own refusal.
async fn run_one(ctx: &mut Ctx<'_, '_>, command: Command) -> Result<AppResult<Done>, sqlx::Error> {
    // A retry under the lock: of one committed before, or earlier in this batch.
    if let Some(done) = command_log::find(&mut *ctx.tx, ctx.user_id, ctx.command_id).await? {
        return Ok(Ok(done));
    }
    db::savepoint(ctx.tx).await?;
    let mark = ctx.writer.mark();
    match apply_and_log(ctx, command).await {
        Ok(done) => {
            db::release_savepoint(ctx.tx).await?;
            Ok(Ok(done))
        }
        Err(err) => {
            db::rollback_to_savepoint(ctx.tx).await?;
            ctx.writer.roll_back_to(mark);
            Ok(Err(err))
        }
    }
}

async fn apply_and_log(ctx: &mut Ctx<'_, '_>, command: Command) -> AppResult<Done> {
    let envelope = apply(ctx, command).await?;
    command_log::insert(
        &mut *ctx.tx,
        ctx.user_id,
        ctx.command_id,
        envelope.id,
        envelope.seq,
    )
    .await?;
    Ok((envelope.id, envelope.seq))
}

fn fail_all(replies: impl Iterator<Item = oneshot::Sender<AppResult<Done>>>, err: &sqlx::Error) {
    tracing::error!(error = %err, "a group of commands could not be committed");
    for reply in replies {
        let failed = anyhow::anyhow!("the commands' transaction failed: {err}");
        let _ = reply.send(Err(AppError::Internal(failed)));
    }
}

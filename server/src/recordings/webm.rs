//! Finalising a MediaRecorder WebM so players can seek in it.
//!
//! MediaRecorder streams: the Segment and every Cluster have "unknown" sizes, Info has
//! no Duration and there are no Cues, so a player can neither show the length nor
//! jump. `finalise` rewrites the file: the Segment gets its size, Info a Duration,
//! each Cluster its size, and a Cues element lists where playback can start, with a
//! SeekHead at the front pointing at Info, Tracks and Cues. Block data is copied
//! untouched. A cut-off tail (an incomplete recording's last chunk) is dropped at the
//! last complete element.
//!
//! A cue must point at a keyframe: a player jumps to the cue's block and decodes from
//! there, and a non-key frame cannot be decoded alone (issue 11: MediaRecorder starts
//! clusters at audio and timing boundaries, so most clusters do not begin with one).
//! So there is one cue per keyframe of the video track, at the keyframe's own time,
//! with its Cluster's position and its position inside that Cluster. Without video,
//! the first block of each Cluster (every audio frame is a key frame).
//!
//! Streaming: a first pass reads element headers and the first bytes of each block
//! through a small buffer, remembering each Cluster as ranges of the input; a second
//! pass copies those ranges to the output. Memory is bounded buffers plus one small
//! entry per Cluster and per cue (at most `MAX_ENTRIES`); only Info and Tracks are
//! read whole (at most `MAX_HEAD_ELEMENT` each). Every parsed size and timestamp goes
//! through checked arithmetic: malformed input is an error, never a wrapped value.

mod inspect;
mod source;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::io::{self, Read, Seek, Write};
use std::ops::Range;

use super::ebml::{self, Header};
pub use inspect::{inspect, sample, sample_with, BlockAt, Inspection, Sample};
use source::Source;

pub const EBML: u32 = 0x1A45_DFA3;
pub const SEGMENT: u32 = 0x1853_8067;
pub const SEEK_HEAD: u32 = 0x114D_9B74;
pub const SEEK: u32 = 0x4DBB;
pub const SEEK_ID: u32 = 0x53AB;
pub const SEEK_POSITION: u32 = 0x53AC;
pub const INFO: u32 = 0x1549_A966;
pub const TIMESTAMP_SCALE: u32 = 0x2AD7B1;
pub const DURATION: u32 = 0x4489;
pub const TRACKS: u32 = 0x1654_AE6B;
pub const TRACK_ENTRY: u32 = 0xAE;
pub const TRACK_NUMBER: u32 = 0xD7;
pub const TRACK_TYPE: u32 = 0x83;
pub const DEFAULT_DURATION: u32 = 0x23E383;
pub const CLUSTER: u32 = 0x1F43_B675;
pub const TIMESTAMP: u32 = 0xE7;
pub const SIMPLE_BLOCK: u32 = 0xA3;
pub const BLOCK_GROUP: u32 = 0xA0;
pub const BLOCK: u32 = 0xA1;
pub const BLOCK_DURATION: u32 = 0x9B;
pub const REFERENCE_BLOCK: u32 = 0xFB;
pub const CUES: u32 = 0x1C53_BB6B;
pub const CUE_POINT: u32 = 0xBB;
pub const CUE_TIME: u32 = 0xB3;
pub const CUE_TRACK_POSITIONS: u32 = 0xB7;
pub const CUE_TRACK: u32 = 0xF7;
pub const CUE_CLUSTER_POSITION: u32 = 0xF1;
pub const CUE_RELATIVE_POSITION: u32 = 0xF0;
pub const VOID: u32 = 0xEC;
pub const CRC32: u32 = 0xBF;
const TAGS: u32 = 0x1254_C367;
const CHAPTERS: u32 = 0x1043_A770;
const ATTACHMENTS: u32 = 0x1941_A469;
const VIDEO: u64 = 1;
const DEFAULT_SCALE: u64 = 1_000_000;
/// SimpleBlock flag: the frame decodes on its own.
const KEYFRAME: u8 = 0x80;

/// Info and Tracks are a few hundred bytes in a real recording.
const MAX_HEAD_ELEMENT: u64 = 1 << 20;
/// Clusters, kept ranges and cues remembered between the passes (an hour of
/// MediaRecorder output needs a few thousand).
const MAX_ENTRIES: usize = 1 << 19;

/// Level-1 ids: meeting one ends an unknown-size Cluster.
fn is_top_level(id: u32) -> bool {
    matches!(
        id,
        SEEK_HEAD | INFO | TRACKS | CLUSTER | CUES | TAGS | CHAPTERS | ATTACHMENTS | EBML | SEGMENT
    )
}

/// Why a file cannot be finalised as WebM; found before anything is written.
#[derive(Debug, Clone, Copy, thiserror::Error, PartialEq, Eq)]
pub enum WebmError {
    #[error("not a WebM file (no EBML header)")]
    NoHeader,
    #[error("no Segment after the EBML header")]
    NoSegment,
    #[error("malformed WebM: {0}")]
    Malformed(&'static str),
    #[error("WebM structure too large: {0}")]
    TooLarge(&'static str),
}

/// Why finalising stopped. A `Webm` error is found before anything is written.
#[derive(Debug, thiserror::Error)]
pub enum FinaliseError {
    #[error(transparent)]
    Webm(#[from] WebmError),
    /// Reading the input or writing the output failed.
    #[error("could not read or write the recording: {0}")]
    Write(#[from] io::Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finalised {
    pub size_bytes: u64,
    pub duration_ms: u64,
}

/// Rewrites `input` (its first `limit` bytes at most) as described in the module doc,
/// into `out`.
pub fn finalise<R: Read + Seek>(
    input: R,
    limit: u64,
    out: &mut impl Write,
) -> Result<Finalised, FinaliseError> {
    Ok(plan(input, limit)?.write(out)?)
}

/// The first pass: everything `finalise` needs to know before writing.
pub fn plan<R: Read + Seek>(input: R, limit: u64) -> Result<Plan<R>, FinaliseError> {
    Scanner::run(Source::new(input, limit)?, false)
}

/// The file as finalised before issue 11 (a cue per Cluster start, keyframe or not,
/// without a relative position): only to make old files for the repair tests.
#[doc(hidden)]
pub fn finalise_like_before_keyframe_cues(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let source = Source::new(io::Cursor::new(input), u64::MAX).expect("in memory");
    let plan = Scanner::run(source, true).expect("a valid sample");
    plan.write(&mut out).expect("in memory");
    out
}

struct Cue {
    time: u64,
    track: u64,
    /// The block's position in its Cluster's data (none in old files).
    relative: Option<u64>,
}

#[derive(Default)]
struct Cluster {
    timestamp: u64,
    /// The children kept (all but Void and CRC-32), as ranges of the input; adjacent
    /// ones are merged.
    parts: Vec<Range<u64>>,
    /// Their total length: the Cluster's size.
    len: u64,
    cues: Vec<Cue>,
}

impl Cluster {
    /// Keeps `range`; true if it took a new entry.
    fn keep(&mut self, range: Range<u64>) -> bool {
        self.len += range.end - range.start;
        match self.parts.last_mut() {
            Some(last) if last.end == range.start => {
                last.end = range.end;
                false
            }
            _ => {
                self.parts.push(range);
                true
            }
        }
    }

    fn header(&self) -> Vec<u8> {
        let mut header = Vec::new();
        ebml::write_id(&mut header, CLUSTER);
        ebml::write_size(&mut header, self.len);
        header
    }
}

/// Which blocks get a cue.
#[derive(Clone, Copy)]
enum CuePolicy {
    /// Every keyframe of this (video) track.
    Keyframes(u64),
    /// The first keyframe of each Cluster on this track (any, if Tracks is missing).
    PerCluster(Option<u64>),
    /// Every Cluster start on this track (the old behaviour, for repair tests).
    Legacy(u64),
}

/// A block's header: the first bytes of a SimpleBlock or of a BlockGroup's Block.
#[derive(Clone, Copy)]
struct BlockHead {
    track: u64,
    relative_time: i16,
    keyframe: bool,
    duration: Option<u64>,
}

#[derive(Default)]
struct TrackTimes {
    last: Option<u64>,
    gap: Option<u64>,
}

#[derive(Clone, Copy)]
struct LastBlock {
    time: u64,
    track: u64,
    duration: Option<u64>,
}

/// What the first pass found; `write` is the second pass.
pub struct Plan<R> {
    source: Source<R>,
    header_end: u64,
    /// The new Info element (with Duration).
    info: Vec<u8>,
    /// The whole Tracks element, as found.
    tracks: Option<Vec<u8>>,
    /// Other level-1 elements kept (Tags, Chapters...), as ranges of the input.
    others: Vec<Range<u64>>,
    clusters: Vec<Cluster>,
    duration_ms: u64,
}

struct Scanner<R> {
    src: Source<R>,
    policy: CuePolicy,
    legacy: bool,
    entries: usize,
    last_cue: Option<u64>,
    defaults: Vec<(u64, u64)>,
    times: HashMap<u64, TrackTimes>,
    last_block: Option<LastBlock>,
}

impl<R: Read + Seek> Scanner<R> {
    fn run(src: Source<R>, legacy: bool) -> Result<Plan<R>, FinaliseError> {
        let mut s = Scanner {
            src,
            policy: if legacy {
                CuePolicy::Legacy(1)
            } else {
                CuePolicy::PerCluster(None)
            },
            legacy,
            entries: 0,
            last_cue: None,
            defaults: Vec::new(),
            times: HashMap::new(),
            last_block: None,
        };
        let header = s.src.header(0)?.ok_or(WebmError::NoHeader)?;
        let header_end = match (header.id, header.size) {
            (EBML, Some(size)) => (header.len as u64)
                .checked_add(size)
                .filter(|end| *end <= s.src.end)
                .ok_or(WebmError::NoHeader)?,
            _ => return Err(WebmError::NoHeader.into()),
        };
        let segment = s.src.header(header_end)?.ok_or(WebmError::NoSegment)?;
        if segment.id != SEGMENT {
            return Err(WebmError::NoSegment.into());
        }
        let start = header_end + segment.len as u64;
        let end = segment
            .size
            .and_then(|size| start.checked_add(size))
            .map_or(s.src.end, |end| end.min(s.src.end));

        let mut scale = DEFAULT_SCALE;
        let mut info_children: Vec<u8> = Vec::new();
        let mut tracks = None;
        let mut others = Vec::new();
        let mut clusters = Vec::new();
        let mut pos = start;
        while pos < end {
            let Some(h) = s.src.header(pos)? else { break };
            if h.id == CLUSTER {
                let (cluster, next, cut) = s.cluster(pos, h, end)?;
                if cluster.len > 0 {
                    clusters.push(cluster);
                    s.count(1)?;
                }
                pos = next;
                if cut {
                    break;
                }
                continue;
            }
            let Some(size) = h.size else { break };
            let body = pos + h.len as u64;
            let Some(element_end) = body.checked_add(size).filter(|e| *e <= end) else {
                break;
            };
            match h.id {
                INFO => {
                    let data = s.whole(body, size, "Info is larger than 1 MiB")?;
                    for (id, value) in ebml::children(&data) {
                        if id == TIMESTAMP_SCALE {
                            scale = uint(value)?.max(1);
                        }
                        if !matches!(id, DURATION | VOID | CRC32) {
                            info_children.extend(ebml::element(id, value));
                        }
                    }
                }
                TRACKS => {
                    let data = s.whole(pos, element_end - pos, "Tracks is larger than 1 MiB")?;
                    s.tracks(data.get(h.len..).unwrap_or_default());
                    tracks = Some(data);
                }
                SEEK_HEAD | CUES | VOID => {}
                _ => {
                    others.push(pos..element_end);
                    s.count(1)?;
                }
            }
            pos = element_end;
        }

        let ticks = match s.last_block {
            Some(last) => {
                let frame = last
                    .duration
                    .or_else(|| {
                        s.defaults
                            .iter()
                            .find(|(n, _)| *n == last.track)
                            .map(|(_, ns)| ns / scale)
                    })
                    .or_else(|| s.times.get(&last.track).and_then(|t| t.gap))
                    .unwrap_or(0);
                last.time
                    .checked_add(frame)
                    .ok_or(WebmError::Malformed("the duration overflows"))?
            }
            None => 0,
        };
        let duration_ms = u64::try_from(u128::from(ticks) * u128::from(scale) / 1_000_000)
            .map_err(|_| WebmError::Malformed("the duration overflows"))?;
        info_children.extend(ebml::float_element(DURATION, ticks as f64));
        Ok(Plan {
            source: s.src,
            header_end,
            info: ebml::element(INFO, &info_children),
            tracks,
            others,
            clusters,
            duration_ms,
        })
    }

    fn count(&mut self, n: usize) -> Result<(), WebmError> {
        self.entries += n;
        if self.entries > MAX_ENTRIES {
            return Err(WebmError::TooLarge("too many clusters or cues"));
        }
        Ok(())
    }

    /// A small element's data, read whole.
    fn whole(
        &mut self,
        at: u64,
        size: u64,
        too_large: &'static str,
    ) -> Result<Vec<u8>, FinaliseError> {
        if size > MAX_HEAD_ELEMENT {
            return Err(WebmError::TooLarge(too_large).into());
        }
        Ok(self.src.bytes(at, size)?)
    }

    fn read_uint(&mut self, at: u64, size: u64) -> Result<u64, FinaliseError> {
        if size > 8 {
            return Err(WebmError::Malformed("an integer longer than 8 bytes").into());
        }
        Ok(ebml::read_uint(&self.src.bytes(at, size)?))
    }

    /// Which track cues point at, and each track's DefaultDuration.
    fn tracks(&mut self, data: &[u8]) {
        let mut first = None;
        let mut video = None;
        self.defaults.clear();
        for (id, entry) in ebml::children(data) {
            if id != TRACK_ENTRY {
                continue;
            }
            let kids = ebml::children(entry);
            let get = |want: u32| {
                kids.iter()
                    .find(|(id, v)| *id == want && v.len() <= 8)
                    .map(|(_, d)| ebml::read_uint(d))
            };
            let Some(number) = get(TRACK_NUMBER) else {
                continue;
            };
            first.get_or_insert(number);
            if get(TRACK_TYPE) == Some(VIDEO) {
                video.get_or_insert(number);
            }
            if let Some(ns) = get(DEFAULT_DURATION) {
                self.defaults.push((number, ns));
            }
        }
        self.policy = match (self.legacy, video) {
            (true, _) => CuePolicy::Legacy(video.or(first).unwrap_or(1)),
            (false, Some(video)) => CuePolicy::Keyframes(video),
            (false, None) => CuePolicy::PerCluster(first),
        };
    }

    /// Reads the Cluster at `pos`: its children up to its end (known size) or up to the
    /// next level-1 element (unknown size). Returns the cluster, where reading goes on,
    /// and whether the input was cut off inside it.
    fn cluster(
        &mut self,
        pos: u64,
        h: Header,
        end: u64,
    ) -> Result<(Cluster, u64, bool), FinaliseError> {
        let data_start = pos + h.len as u64;
        let (limit, known) = match h.size.and_then(|size| data_start.checked_add(size)) {
            Some(cluster_end) if cluster_end <= end => (cluster_end, true),
            _ => (end, false),
        };
        let mut cluster = Cluster::default();
        let mut at = data_start;
        let mut cut = false;
        while at < limit {
            let Some(child) = self.src.header(at)? else {
                cut = true;
                break;
            };
            if !known && is_top_level(child.id) {
                break;
            }
            let Some(size) = child.size else {
                cut = true;
                break;
            };
            let body = at + child.len as u64;
            let Some(child_end) = body.checked_add(size).filter(|e| *e <= limit) else {
                cut = true;
                break;
            };
            let relative = cluster.len;
            match child.id {
                TIMESTAMP => {
                    cluster.timestamp = self.read_uint(body, size)?;
                    if let CuePolicy::Legacy(track) = self.policy {
                        cluster.cues.push(Cue {
                            time: cluster.timestamp,
                            track,
                            relative: None,
                        });
                        self.count(1)?;
                    }
                }
                SIMPLE_BLOCK => {
                    if let Some(block) = self.block_head(body, size)? {
                        self.block(&mut cluster, block, relative)?;
                    }
                }
                BLOCK_GROUP => {
                    if let Some(block) = self.block_group(body, child_end)? {
                        self.block(&mut cluster, block, relative)?;
                    }
                }
                _ => {}
            }
            if !matches!(child.id, VOID | CRC32) && cluster.keep(at..child_end) {
                self.count(1)?;
            }
            at = child_end;
        }
        Ok((cluster, at, cut))
    }

    /// Track number, relative time and flags at the start of a block's data; `None`
    /// if they are not all there.
    fn block_head(&mut self, at: u64, size: u64) -> io::Result<Option<BlockHead>> {
        // Track number (up to 8 bytes), 2 bytes of time, 1 of flags.
        let bytes = self.src.bytes(at, size.min(11))?;
        let Some((Some(track), len)) = ebml::read_size(&bytes, 0) else {
            return Ok(None);
        };
        let Some(&[hi, lo, flags]) = bytes.get(len..len + 3) else {
            return Ok(None);
        };
        Ok(Some(BlockHead {
            track,
            relative_time: i16::from_be_bytes([hi, lo]),
            keyframe: flags & KEYFRAME != 0,
            duration: None,
        }))
    }

    /// The Block of a BlockGroup: a key frame unless it references another one.
    fn block_group(&mut self, body: u64, end: u64) -> Result<Option<BlockHead>, FinaliseError> {
        let mut block = None;
        let mut duration = None;
        let mut references = false;
        let mut at = body;
        while at < end {
            let Some(h) = self.src.header(at)? else { break };
            let Some(size) = h.size else { break };
            let data = at + h.len as u64;
            let Some(child_end) = data.checked_add(size).filter(|e| *e <= end) else {
                break;
            };
            match h.id {
                BLOCK if block.is_none() => block = self.block_head(data, size)?,
                BLOCK_DURATION => duration = Some(self.read_uint(data, size)?),
                REFERENCE_BLOCK => references = true,
                _ => {}
            }
            at = child_end;
        }
        Ok(block.map(|b| BlockHead {
            keyframe: !references,
            duration,
            ..b
        }))
    }

    /// Notes a block's time (for the duration) and whether it gets a cue.
    fn block(
        &mut self,
        cluster: &mut Cluster,
        block: BlockHead,
        relative: u64,
    ) -> Result<(), WebmError> {
        let offset = u64::from(block.relative_time.unsigned_abs());
        let time = if block.relative_time >= 0 {
            cluster
                .timestamp
                .checked_add(offset)
                .ok_or(WebmError::Malformed("a block's timestamp overflows"))?
        } else {
            // Before the Segment's start: played at 0.
            cluster.timestamp.saturating_sub(offset)
        };
        let t = self.times.entry(block.track).or_default();
        if let Some(last) = t.last.filter(|l| time > *l) {
            t.gap = Some(time - last);
        }
        t.last = Some(time);
        if self.last_block.is_none_or(|l| time >= l.time) {
            self.last_block = Some(LastBlock {
                time,
                track: block.track,
                duration: block.duration,
            });
        }
        let wanted = block.keyframe
            && match self.policy {
                CuePolicy::Keyframes(track) => block.track == track,
                CuePolicy::PerCluster(track) => {
                    cluster.cues.is_empty() && track.is_none_or(|t| t == block.track)
                }
                CuePolicy::Legacy(_) => false,
            };
        // Cue times must increase; a keyframe out of order is simply not cued.
        if wanted && self.last_cue.is_none_or(|last| time > last) {
            self.last_cue = Some(time);
            cluster.cues.push(Cue {
                time,
                track: block.track,
                relative: Some(relative),
            });
            self.count(1)?;
        }
        Ok(())
    }
}

/// An unsigned integer element's value, refusing more than 8 bytes.
fn uint(data: &[u8]) -> Result<u64, WebmError> {
    if data.len() > 8 {
        return Err(WebmError::Malformed("an integer longer than 8 bytes"));
    }
    Ok(ebml::read_uint(data))
}

impl<R: Read + Seek> Plan<R> {
    pub fn duration_ms(&self) -> u64 {
        self.duration_ms
    }

    /// The second pass: writes the finalised file.
    pub fn write(mut self, out: &mut impl Write) -> io::Result<Finalised> {
        // Layout: SeekHead, Info, Tracks, the rest, Clusters, Cues. Positions are
        // relative to the Segment's data; the SeekHead's size does not depend on them.
        let has_cues = self.clusters.iter().any(|c| !c.cues.is_empty());
        let seek_targets: Vec<u32> = [
            Some(INFO),
            self.tracks.as_ref().map(|_| TRACKS),
            has_cues.then_some(CUES),
        ]
        .into_iter()
        .flatten()
        .collect();
        let seek_head_len =
            seek_head(&seek_targets.iter().map(|id| (*id, 0)).collect::<Vec<_>>()).len();
        let info_at = seek_head_len as u64;
        let tracks_at = info_at + self.info.len() as u64;
        let mut at = tracks_at + self.tracks.as_ref().map_or(0, |t| t.len() as u64);
        at += self.others.iter().map(|o| o.end - o.start).sum::<u64>();
        let mut cue_points = Vec::new();
        for cluster in &self.clusters {
            for cue in &cluster.cues {
                let mut positions = ebml::uint_element(CUE_TRACK, cue.track);
                positions.extend(ebml::uint_element(CUE_CLUSTER_POSITION, at));
                if let Some(relative) = cue.relative {
                    positions.extend(ebml::uint_element(CUE_RELATIVE_POSITION, relative));
                }
                let mut point = ebml::uint_element(CUE_TIME, cue.time);
                point.extend(ebml::element(CUE_TRACK_POSITIONS, &positions));
                cue_points.extend(ebml::element(CUE_POINT, &point));
            }
            at += cluster.header().len() as u64 + cluster.len;
        }
        let cues_at = at;
        let cues = if has_cues {
            ebml::element(CUES, &cue_points)
        } else {
            Vec::new()
        };
        let seek: Vec<(u32, u64)> = seek_targets
            .iter()
            .map(|id| {
                let at = match *id {
                    INFO => info_at,
                    TRACKS => tracks_at,
                    _ => cues_at,
                };
                (*id, at)
            })
            .collect();
        let seek_head = seek_head(&seek);
        debug_assert_eq!(seek_head.len(), seek_head_len);
        let body_len = cues_at + cues.len() as u64;

        let mut segment = Vec::new();
        ebml::write_id(&mut segment, SEGMENT);
        ebml::write_size(&mut segment, body_len);
        self.source.copy(0..self.header_end, out)?;
        out.write_all(&segment)?;
        out.write_all(&seek_head)?;
        out.write_all(&self.info)?;
        if let Some(tracks) = &self.tracks {
            out.write_all(tracks)?;
        }
        for other in &self.others {
            self.source.copy(other.clone(), out)?;
        }
        for cluster in &self.clusters {
            out.write_all(&cluster.header())?;
            for part in &cluster.parts {
                self.source.copy(part.clone(), out)?;
            }
        }
        out.write_all(&cues)?;
        out.flush()?;
        Ok(Finalised {
            size_bytes: self.header_end + segment.len() as u64 + body_len,
            duration_ms: self.duration_ms,
        })
    }
}

fn seek_head(entries: &[(u32, u64)]) -> Vec<u8> {
    let mut seeks = Vec::new();
    for (id, at) in entries {
        let mut id_bytes = Vec::new();
        ebml::write_id(&mut id_bytes, *id);
        let mut seek = ebml::element(SEEK_ID, &id_bytes);
        seek.extend(ebml::uint8_element(SEEK_POSITION, *at));
        seeks.extend(ebml::element(SEEK, &seek));
    }
    ebml::element(SEEK_HEAD, &seeks)
}

/// Whether a finalised file needs rewriting by today's `finalise`: it is not finalised
/// (an unknown size), has Clusters but no Cues, or has a cue without a relative
/// position (the cue-per-Cluster files written before issue 11). Reads headers and the
/// Cues only.
pub fn needs_refinalising<R: Read + Seek>(input: R) -> Result<bool, FinaliseError> {
    let mut src = Source::new(input, u64::MAX)?;
    let header = src.header(0)?.ok_or(WebmError::NoHeader)?;
    let header_end = match (header.id, header.size) {
        (EBML, Some(size)) => (header.len as u64)
            .checked_add(size)
            .ok_or(WebmError::NoHeader)?,
        _ => return Err(WebmError::NoHeader.into()),
    };
    let segment = src.header(header_end)?.ok_or(WebmError::NoSegment)?;
    if segment.id != SEGMENT {
        return Err(WebmError::NoSegment.into());
    }
    let Some(size) = segment.size else {
        return Ok(true);
    };
    let start = header_end + segment.len as u64;
    let end = start.checked_add(size).ok_or(WebmError::NoSegment)?;
    let mut clusters = false;
    let mut pos = start;
    while pos < end {
        let Some(h) = src.header(pos)? else {
            return Ok(true);
        };
        let Some(size) = h.size else {
            return Ok(true);
        };
        let body = pos + h.len as u64;
        let Some(element_end) = body.checked_add(size) else {
            return Ok(true);
        };
        match h.id {
            CLUSTER => clusters = true,
            CUES => {
                if size > 64 * MAX_HEAD_ELEMENT {
                    return Err(WebmError::TooLarge("Cues is larger than 64 MiB").into());
                }
                let cues = src.bytes(body, size)?;
                let all_relative = ebml::children(&cues).iter().all(|(_, point)| {
                    ebml::children(point)
                        .iter()
                        .filter(|(id, _)| *id == CUE_TRACK_POSITIONS)
                        .all(|(_, positions)| {
                            ebml::children(positions)
                                .iter()
                                .any(|(id, _)| *id == CUE_RELATIVE_POSITION)
                        })
                });
                return Ok(!all_relative);
            }
            _ => {}
        }
        pos = element_end;
    }
    Ok(clusters)
}

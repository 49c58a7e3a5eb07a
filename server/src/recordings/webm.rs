//! Finalising a MediaRecorder WebM so players can seek in it.
//!
//! MediaRecorder streams: the Segment and every Cluster have "unknown" sizes, Info has
//! no Duration and there are no Cues, so a player can neither show the length nor
//! jump. `finalise` rewrites the file: the Segment gets its size, Info a Duration,
//! each Cluster its size, and a Cues element lists every Cluster (time and position)
//! with a SeekHead at the front pointing at Info, Tracks and Cues. Block data is copied
//! untouched. A cut-off tail (an incomplete recording's last chunk) is dropped at the
//! last complete element.
//!
//! The output is written as it is produced: clusters are remembered as ranges of the
//! input, never copied, so finalising an hour-long recording needs no memory beyond
//! the input itself and one small entry per block.

use std::io::{self, Write};
use std::ops::Range;

use super::ebml::{self, Header};

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
pub const CUES: u32 = 0x1C53_BB6B;
pub const CUE_POINT: u32 = 0xBB;
pub const CUE_TIME: u32 = 0xB3;
pub const CUE_TRACK_POSITIONS: u32 = 0xB7;
pub const CUE_TRACK: u32 = 0xF7;
pub const CUE_CLUSTER_POSITION: u32 = 0xF1;
pub const VOID: u32 = 0xEC;
pub const CRC32: u32 = 0xBF;
const TAGS: u32 = 0x1254_C367;
const CHAPTERS: u32 = 0x1043_A770;
const ATTACHMENTS: u32 = 0x1941_A469;
const VIDEO: u64 = 1;
const DEFAULT_SCALE: u64 = 1_000_000;

/// Level-1 ids: meeting one ends an unknown-size Cluster.
fn is_top_level(id: u32) -> bool {
    matches!(
        id,
        SEEK_HEAD | INFO | TRACKS | CLUSTER | CUES | TAGS | CHAPTERS | ATTACHMENTS | EBML | SEGMENT
    )
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WebmError {
    #[error("not a WebM file (no EBML header)")]
    NoHeader,
    #[error("no Segment after the EBML header")]
    NoSegment,
}

/// Why finalising stopped. A `Webm` error is found before anything is written.
#[derive(Debug, thiserror::Error)]
pub enum FinaliseError {
    #[error(transparent)]
    Webm(#[from] WebmError),
    #[error("could not write the finalised file: {0}")]
    Write(#[from] io::Error),
}

pub struct Finalised {
    pub size_bytes: u64,
    pub duration_ms: u64,
}

struct Cluster {
    timestamp: u64,
    /// The children kept (all but Void and CRC-32), as ranges of the input.
    parts: Vec<Range<usize>>,
    /// Their total length: the Cluster's size.
    len: usize,
}

impl Cluster {
    fn header(&self) -> Vec<u8> {
        let mut header = Vec::new();
        ebml::write_id(&mut header, CLUSTER);
        ebml::write_size(&mut header, self.len as u64);
        header
    }
}

#[derive(Default)]
struct TrackTimes {
    last: Option<u64>,
    gap: Option<u64>,
}

/// Rewrites the file as described in the module doc, into `out`.
pub fn finalise(input: &[u8], out: &mut impl Write) -> Result<Finalised, FinaliseError> {
    let header = ebml::read_header(input, 0).ok_or(WebmError::NoHeader)?;
    let header_end = match (header.id, header.size) {
        (EBML, Some(size)) => header.len + size as usize,
        _ => return Err(WebmError::NoHeader.into()),
    };
    if header_end > input.len() {
        return Err(WebmError::NoHeader.into());
    }
    let segment = ebml::read_header(input, header_end).ok_or(WebmError::NoSegment)?;
    if segment.id != SEGMENT {
        return Err(WebmError::NoSegment.into());
    }
    let start = header_end + segment.len;
    let end = segment
        .size
        .map_or(input.len(), |s| (start + s as usize).min(input.len()));

    let mut scale = DEFAULT_SCALE;
    let mut info_children: Vec<u8> = Vec::new();
    let mut tracks: Option<&[u8]> = None;
    let mut others: Vec<&[u8]> = Vec::new();
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut times: std::collections::HashMap<u64, TrackTimes> = Default::default();
    let mut last_block: Option<(u64, u64, Option<u64>)> = None; // (time, track, duration)

    let mut pos = start;
    while pos < end {
        let Some(h) = ebml::read_header(input, pos) else {
            break;
        };
        if h.id == CLUSTER {
            let (cluster, next, cut) = read_cluster(input, pos, h, end);
            for (track, time, duration) in blocks(input, &cluster) {
                let t = times.entry(track).or_default();
                if let Some(last) = t.last.filter(|l| time > *l) {
                    t.gap = Some(time - last);
                }
                t.last = Some(time);
                if last_block.is_none_or(|(l, _, _)| time >= l) {
                    last_block = Some((time, track, duration));
                }
            }
            clusters.push(cluster);
            pos = next;
            if cut {
                break;
            }
            continue;
        }
        let Some(size) = h.size else { break };
        let element_end = pos + h.len + size as usize;
        if element_end > end {
            break;
        }
        let data = &input[pos + h.len..element_end];
        match h.id {
            INFO => {
                for (id, value) in ebml::children(data) {
                    if id == TIMESTAMP_SCALE {
                        scale = ebml::read_uint(value).max(1);
                    }
                    if !matches!(id, DURATION | VOID | CRC32) {
                        info_children.extend(ebml::element(id, value));
                    }
                }
            }
            TRACKS => tracks = Some(&input[pos..element_end]),
            SEEK_HEAD | CUES | VOID => {}
            _ => others.push(&input[pos..element_end]),
        }
        pos = element_end;
    }

    let (video_track, default_durations) = tracks.map(track_info).unwrap_or((1, Vec::new()));
    let ticks = match last_block {
        Some((time, track, duration)) => {
            let frame = duration
                .or_else(|| {
                    default_durations
                        .iter()
                        .find(|(n, _)| *n == track)
                        .map(|(_, ns)| ns / scale)
                })
                .or_else(|| times.get(&track).and_then(|t| t.gap))
                .unwrap_or(0);
            time + frame
        }
        None => 0,
    };
    let duration_ms = (u128::from(ticks) * u128::from(scale) / 1_000_000) as u64;
    info_children.extend(ebml::float_element(DURATION, ticks as f64));
    let info = ebml::element(INFO, &info_children);

    // Layout: SeekHead, Info, Tracks, the rest, Clusters, Cues. Positions are relative
    // to the Segment's data; the SeekHead's size does not depend on them.
    let seek_targets: Vec<u32> = [Some(INFO), tracks.map(|_| TRACKS), Some(CUES)]
        .into_iter()
        .flatten()
        .collect();
    let seek_head_len =
        seek_head(&seek_targets.iter().map(|id| (*id, 0)).collect::<Vec<_>>()).len();
    let info_at = seek_head_len as u64;
    let tracks_at = info_at + info.len() as u64;
    let mut at = tracks_at + tracks.map_or(0, |t| t.len() as u64);
    at += others.iter().map(|o| o.len() as u64).sum::<u64>();
    let mut cue_points = Vec::new();
    for cluster in &clusters {
        let mut positions = ebml::uint_element(CUE_TRACK, video_track);
        positions.extend(ebml::uint_element(CUE_CLUSTER_POSITION, at));
        let mut point = ebml::uint_element(CUE_TIME, cluster.timestamp);
        point.extend(ebml::element(CUE_TRACK_POSITIONS, &positions));
        cue_points.extend(ebml::element(CUE_POINT, &point));
        at += (cluster.header().len() + cluster.len) as u64;
    }
    let cues_at = at;
    let cues = ebml::element(CUES, &cue_points);
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
    out.write_all(&input[..header_end])?;
    out.write_all(&segment)?;
    out.write_all(&seek_head)?;
    out.write_all(&info)?;
    if let Some(tracks) = tracks {
        out.write_all(tracks)?;
    }
    for other in others {
        out.write_all(other)?;
    }
    for cluster in &clusters {
        out.write_all(&cluster.header())?;
        for part in &cluster.parts {
            out.write_all(&input[part.clone()])?;
        }
    }
    out.write_all(&cues)?;
    out.flush()?;
    Ok(Finalised {
        size_bytes: (header_end + segment.len()) as u64 + body_len,
        duration_ms,
    })
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

/// Reads the Cluster at `pos`: its children up to its end (known size) or up to the
/// next level-1 element (unknown size). Returns the cluster, where reading goes on,
/// and whether the input was cut off inside it.
fn read_cluster(input: &[u8], pos: usize, h: Header, end: usize) -> (Cluster, usize, bool) {
    let data_start = pos + h.len;
    let (limit, known) = match h.size {
        Some(size) if data_start + size as usize <= end => (data_start + size as usize, true),
        _ => (end, false),
    };
    let mut cluster = Cluster {
        timestamp: 0,
        parts: Vec::new(),
        len: 0,
    };
    let mut at = data_start;
    let mut cut = false;
    while at < limit {
        let Some(child) = ebml::read_header(input, at) else {
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
        let child_end = at + child.len + size as usize;
        if child_end > limit {
            cut = true;
            break;
        }
        let data = &input[at + child.len..child_end];
        match child.id {
            TIMESTAMP => cluster.timestamp = ebml::read_uint(data),
            VOID | CRC32 => {}
            _ => {}
        }
        if !matches!(child.id, VOID | CRC32) {
            cluster.parts.push(at..child_end);
            cluster.len += child_end - at;
        }
        at = child_end;
    }
    (cluster, at, cut)
}

/// (track, absolute time, block duration) of every block in the cluster.
fn blocks(input: &[u8], cluster: &Cluster) -> Vec<(u64, u64, Option<u64>)> {
    let mut out = Vec::new();
    let children = cluster
        .parts
        .iter()
        .flat_map(|part| ebml::children(&input[part.clone()]));
    for (id, data) in children {
        let (block, duration) = match id {
            SIMPLE_BLOCK => (Some(data), None),
            BLOCK_GROUP => {
                let kids = ebml::children(data);
                let block = kids.iter().find(|(id, _)| *id == BLOCK).map(|(_, d)| *d);
                let duration = kids
                    .iter()
                    .find(|(id, _)| *id == BLOCK_DURATION)
                    .map(|(_, d)| ebml::read_uint(d));
                (block, duration)
            }
            _ => (None, None),
        };
        let Some(block) = block else { continue };
        let Some((Some(track), len)) = ebml::read_size(block, 0) else {
            continue;
        };
        let Some(rel) = block.get(len..len + 2) else {
            continue;
        };
        let rel = i64::from(i16::from_be_bytes([rel[0], rel[1]]));
        let time = (cluster.timestamp as i64 + rel).max(0) as u64;
        out.push((track, time, duration));
    }
    out
}

/// The track cues point at (the first video track, else the first track) and each
/// track's DefaultDuration in nanoseconds.
fn track_info(tracks: &[u8]) -> (u64, Vec<(u64, u64)>) {
    let Some(h) = ebml::read_header(tracks, 0) else {
        return (1, Vec::new());
    };
    let mut first = None;
    let mut video = None;
    let mut defaults = Vec::new();
    for (id, entry) in ebml::children(&tracks[h.len..]) {
        if id != TRACK_ENTRY {
            continue;
        }
        let kids = ebml::children(entry);
        let get = |want: u32| {
            kids.iter()
                .find(|(id, _)| *id == want)
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
            defaults.push((number, ns));
        }
    }
    (video.or(first).unwrap_or(1), defaults)
}

/// What a finalised file says about itself (for tests and checks).
#[derive(Debug, Default)]
pub struct Inspection {
    pub segment_size_known: bool,
    pub timestamp_scale: u64,
    pub duration: Option<f64>,
    /// (position relative to the Segment data, Cluster timestamp)
    pub clusters: Vec<(u64, u64)>,
    /// (CueTime, CueTrack, CueClusterPosition)
    pub cues: Vec<(u64, u64, u64)>,
    /// (SeekID, SeekPosition)
    pub seeks: Vec<(u32, u64)>,
    /// The Segment's data, for checking what positions point at.
    pub segment_data: Vec<u8>,
}

/// Parses a finalised file (known sizes throughout).
pub fn inspect(input: &[u8]) -> Result<Inspection, WebmError> {
    let header = ebml::read_header(input, 0).ok_or(WebmError::NoHeader)?;
    if header.id != EBML {
        return Err(WebmError::NoHeader);
    }
    let header_end = header.len + header.size.ok_or(WebmError::NoHeader)? as usize;
    let segment = ebml::read_header(input, header_end).ok_or(WebmError::NoSegment)?;
    if segment.id != SEGMENT {
        return Err(WebmError::NoSegment);
    }
    let start = header_end + segment.len;
    let data = &input[start..];
    let mut out = Inspection {
        segment_size_known: segment.size == Some(data.len() as u64),
        timestamp_scale: DEFAULT_SCALE,
        segment_data: data.to_vec(),
        ..Default::default()
    };
    let mut pos = 0usize;
    for (id, body) in ebml::children(data) {
        let element_len = ebml::read_header(data, pos).map_or(0, |h| h.len) + body.len();
        match id {
            INFO => {
                for (id, v) in ebml::children(body) {
                    match id {
                        TIMESTAMP_SCALE => out.timestamp_scale = ebml::read_uint(v),
                        DURATION => out.duration = Some(ebml::read_float(v)),
                        _ => {}
                    }
                }
            }
            CLUSTER => {
                let ts = ebml::children(body)
                    .into_iter()
                    .find(|(id, _)| *id == TIMESTAMP)
                    .map_or(0, |(_, v)| ebml::read_uint(v));
                out.clusters.push((pos as u64, ts));
            }
            CUES => {
                for (_, point) in ebml::children(body) {
                    let kids = ebml::children(point);
                    let time = kids
                        .iter()
                        .find(|(id, _)| *id == CUE_TIME)
                        .map(|(_, v)| ebml::read_uint(v));
                    let positions = kids
                        .iter()
                        .find(|(id, _)| *id == CUE_TRACK_POSITIONS)
                        .map(|(_, v)| ebml::children(v));
                    if let (Some(time), Some(positions)) = (time, positions) {
                        let get = |want| {
                            positions
                                .iter()
                                .find(|(id, _)| *id == want)
                                .map_or(0, |(_, v)| ebml::read_uint(v))
                        };
                        out.cues
                            .push((time, get(CUE_TRACK), get(CUE_CLUSTER_POSITION)));
                    }
                }
            }
            SEEK_HEAD => {
                for (_, seek) in ebml::children(body) {
                    let kids = ebml::children(seek);
                    let id = kids
                        .iter()
                        .find(|(id, _)| *id == SEEK_ID)
                        .map(|(_, v)| ebml::read_uint(v) as u32);
                    let at = kids
                        .iter()
                        .find(|(id, _)| *id == SEEK_POSITION)
                        .map(|(_, v)| ebml::read_uint(v));
                    if let (Some(id), Some(at)) = (id, at) {
                        out.seeks.push((id, at));
                    }
                }
            }
            _ => {}
        }
        pos += element_len;
    }
    Ok(out)
}

impl Inspection {
    /// The element id found at `position` in the Segment's data.
    pub fn id_at(&self, position: u64) -> Option<u32> {
        ebml::read_id(&self.segment_data, position as usize).map(|(id, _)| id)
    }
}

/// A MediaRecorder-like stream for tests: EBML header, unknown-size Segment, Info
/// without Duration (1 ms ticks), an audio track (1) and a video track (2), and
/// `clusters` unknown-size Clusters each holding `blocks` video SimpleBlocks
/// `block_ms` apart (plus one audio block at its start). The last video block ends
/// at `clusters * blocks * block_ms`.
#[doc(hidden)]
pub fn sample(clusters: usize, blocks: usize, block_ms: u64) -> Vec<u8> {
    let mut out = ebml::element(EBML, &{
        let mut h = ebml::uint_element(0x4286, 1);
        h.extend(ebml::element(0x4282, b"webm"));
        h
    });
    ebml::write_id(&mut out, SEGMENT);
    out.extend([0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
    let mut info = ebml::uint_element(TIMESTAMP_SCALE, 1_000_000);
    info.extend(ebml::element(0x4D80, b"Chrome"));
    out.extend(ebml::element(INFO, &info));
    let track = |number: u64, kind: u64| {
        let mut t = ebml::uint_element(TRACK_NUMBER, number);
        t.extend(ebml::uint_element(TRACK_TYPE, kind));
        ebml::element(TRACK_ENTRY, &t)
    };
    let mut tracks = track(1, 2);
    tracks.extend(track(2, VIDEO));
    out.extend(ebml::element(TRACKS, &tracks));
    let block = |track: u8, rel: i16, fill: u8| {
        let mut b = vec![0x80 | track];
        b.extend(rel.to_be_bytes());
        b.push(0x80);
        b.extend(std::iter::repeat_n(fill, 40));
        ebml::element(SIMPLE_BLOCK, &b)
    };
    for c in 0..clusters {
        ebml::write_id(&mut out, CLUSTER);
        out.extend([0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        let ts = c as u64 * blocks as u64 * block_ms;
        out.extend(ebml::uint_element(TIMESTAMP, ts));
        out.extend(block(1, 0, 0xAA));
        for b in 0..blocks {
            out.extend(block(2, (b as u64 * block_ms) as i16, c as u8));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Done {
        bytes: Vec<u8>,
        duration_ms: u64,
    }

    fn finalised(input: &[u8]) -> Result<Done, WebmError> {
        let mut bytes = Vec::new();
        match finalise(input, &mut bytes) {
            Ok(done) => {
                assert_eq!(done.size_bytes, bytes.len() as u64);
                Ok(Done {
                    bytes,
                    duration_ms: done.duration_ms,
                })
            }
            Err(FinaliseError::Webm(e)) => Err(e),
            Err(FinaliseError::Write(e)) => panic!("writing to memory failed: {e}"),
        }
    }

    #[test]
    fn finalised_file_has_duration_cues_and_seek_head() {
        let raw = sample(4, 10, 33);
        let done = finalised(&raw).unwrap();
        assert_eq!(done.duration_ms, 4 * 10 * 33);
        let file = inspect(&done.bytes).unwrap();
        assert!(file.segment_size_known);
        assert_eq!(file.timestamp_scale, 1_000_000);
        assert_eq!(file.duration, Some(1320.0));
        assert_eq!(file.clusters.len(), 4);
        assert_eq!(file.cues.len(), 4);
        for ((at, ts), (time, track, position)) in file.clusters.iter().zip(&file.cues) {
            assert_eq!(time, ts);
            assert_eq!(position, at);
            assert_eq!(*track, 2, "cues point at the video track");
            assert_eq!(file.id_at(*position), Some(CLUSTER));
        }
        assert_eq!(file.clusters[1].1, 330);
        for (id, at) in &file.seeks {
            assert_eq!(file.id_at(*at), Some(*id));
        }
        let ids: Vec<u32> = file.seeks.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, [INFO, TRACKS, CUES]);
        // Finalising again changes nothing (the file is already complete).
        let again = finalised(&done.bytes).unwrap();
        assert_eq!(again.bytes, done.bytes);
    }

    #[test]
    fn a_cut_off_tail_is_dropped_at_the_last_complete_element() {
        let raw = sample(3, 5, 20);
        let cut = &raw[..raw.len() - 10];
        let done = finalised(cut).unwrap();
        let file = inspect(&done.bytes).unwrap();
        assert_eq!(file.clusters.len(), 3);
        // The last (cut) video block is gone: the one before it ends the recording.
        assert_eq!(done.duration_ms, 3 * 5 * 20 - 20);
        assert_eq!(file.cues.len(), 3);
    }

    #[test]
    fn not_webm_is_refused() {
        assert_eq!(finalised(b"hello").err(), Some(WebmError::NoHeader));
        assert_eq!(finalised(&[]).err(), Some(WebmError::NoHeader));
    }
}

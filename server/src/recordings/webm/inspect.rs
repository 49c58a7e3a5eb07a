//! Reading a finalised file back (tests and checks), and MediaRecorder-like samples
//! to finalise. In memory: these are for small files.

use super::*;

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
    /// Each cue's CueRelativePosition (same order as `cues`).
    pub cue_relative: Vec<Option<u64>>,
    /// (SeekID, SeekPosition)
    pub seeks: Vec<(u32, u64)>,
    /// The Segment's data, for checking what positions point at.
    pub segment_data: Vec<u8>,
}

/// A SimpleBlock or BlockGroup found in a finalised file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockAt {
    pub track: u64,
    /// Absolute, in timestamp ticks.
    pub time: u64,
    pub keyframe: bool,
}

/// Parses a finalised file (known sizes throughout).
pub fn inspect(input: &[u8]) -> Result<Inspection, WebmError> {
    let header = ebml::read_header(input, 0).ok_or(WebmError::NoHeader)?;
    if header.id != EBML {
        return Err(WebmError::NoHeader);
    }
    let header_end = header
        .size
        .and_then(|s| usize::try_from(s).ok())
        .and_then(|s| s.checked_add(header.len))
        .ok_or(WebmError::NoHeader)?;
    let segment = ebml::read_header(input, header_end).ok_or(WebmError::NoSegment)?;
    if segment.id != SEGMENT {
        return Err(WebmError::NoSegment);
    }
    let start = header_end + segment.len;
    let data = input.get(start..).ok_or(WebmError::NoSegment)?;
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
            CLUSTER => out.clusters.push((pos as u64, cluster_timestamp(body))),
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
                                .map(|(_, v)| ebml::read_uint(v))
                        };
                        out.cues.push((
                            time,
                            get(CUE_TRACK).unwrap_or(0),
                            get(CUE_CLUSTER_POSITION).unwrap_or(0),
                        ));
                        out.cue_relative.push(get(CUE_RELATIVE_POSITION));
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

fn cluster_timestamp(body: &[u8]) -> u64 {
    ebml::children(body)
        .into_iter()
        .find(|(id, _)| *id == TIMESTAMP)
        .map_or(0, |(_, v)| ebml::read_uint(v))
}

/// The block in a SimpleBlock or BlockGroup element's data.
fn block(id: u32, data: &[u8], cluster_time: u64) -> Option<BlockAt> {
    let (block, keyframe) = match id {
        SIMPLE_BLOCK => (data, None),
        BLOCK_GROUP => {
            let kids = ebml::children(data);
            let block = kids.iter().find(|(id, _)| *id == BLOCK)?.1;
            (
                block,
                Some(!kids.iter().any(|(id, _)| *id == REFERENCE_BLOCK)),
            )
        }
        _ => return None,
    };
    let (Some(track), len) = ebml::read_size(block, 0)? else {
        return None;
    };
    let &[hi, lo, flags] = block.get(len..len + 3)? else {
        return None;
    };
    let rel = i64::from(i16::from_be_bytes([hi, lo]));
    Some(BlockAt {
        track,
        time: i64::try_from(cluster_time).ok()?.checked_add(rel)?.max(0) as u64,
        keyframe: keyframe.unwrap_or(flags & KEYFRAME != 0),
    })
}

impl Inspection {
    /// The element id found at `position` in the Segment's data.
    pub fn id_at(&self, position: u64) -> Option<u32> {
        ebml::read_id(&self.segment_data, position as usize).map(|(id, _)| id)
    }

    /// The block `relative` bytes into the data of the Cluster at `cluster`.
    pub fn block_at(&self, cluster: u64, relative: u64) -> Option<BlockAt> {
        let data = &self.segment_data;
        let h = ebml::read_header(data, usize::try_from(cluster).ok()?)?;
        if h.id != CLUSTER {
            return None;
        }
        let body_start = cluster as usize + h.len;
        let body = data.get(body_start..body_start.checked_add(h.size? as usize)?)?;
        let at = usize::try_from(relative).ok()?;
        let child = ebml::read_header(body, at)?;
        let start = at + child.len;
        let child_data = body.get(start..start.checked_add(child.size? as usize)?)?;
        block(child.id, child_data, cluster_timestamp(body))
    }

    /// Every block of every Cluster, in file order.
    pub fn blocks(&self) -> Vec<BlockAt> {
        let mut out = Vec::new();
        for (id, body) in ebml::children(&self.segment_data) {
            if id != CLUSTER {
                continue;
            }
            let time = cluster_timestamp(body);
            out.extend(
                ebml::children(body)
                    .into_iter()
                    .filter_map(|(id, data)| block(id, data, time)),
            );
        }
        out
    }
}

/// What `sample_with` makes.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub clusters: usize,
    /// Video blocks per Cluster (audio blocks without video).
    pub blocks: usize,
    pub block_ms: u64,
    /// Every n-th video block of the file (counting from 0) is a keyframe.
    pub key_every: usize,
    /// Video frames in BlockGroups (a ReferenceBlock on non-key frames) instead of
    /// SimpleBlocks.
    pub block_groups: bool,
    /// Without video: one audio track only.
    pub video: bool,
}

/// A MediaRecorder-like stream for tests: EBML header, unknown-size Segment, Info
/// without Duration (1 ms ticks), an audio track (1) and a video track (2), and
/// `clusters` unknown-size Clusters each holding `blocks` video SimpleBlocks
/// `block_ms` apart, all keyframes (plus one audio block at its start). The last video
/// block ends at `clusters * blocks * block_ms`.
#[doc(hidden)]
pub fn sample(clusters: usize, blocks: usize, block_ms: u64) -> Vec<u8> {
    sample_with(Sample {
        clusters,
        blocks,
        block_ms,
        key_every: 1,
        block_groups: false,
        video: true,
    })
}

/// Like `sample`, with keyframes only every `key_every` video blocks (so Clusters may
/// start without one, as MediaRecorder's do), BlockGroups, or audio only.
#[doc(hidden)]
pub fn sample_with(spec: Sample) -> Vec<u8> {
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
    if spec.video {
        tracks.extend(track(2, VIDEO));
    }
    out.extend(ebml::element(TRACKS, &tracks));
    let frame = |track: u8, rel: i16, flags: u8, fill: u8| {
        let mut b = vec![0x80 | track];
        b.extend(rel.to_be_bytes());
        b.push(flags);
        b.extend(std::iter::repeat_n(fill, 40));
        b
    };
    let mut index = 0usize;
    for c in 0..spec.clusters {
        ebml::write_id(&mut out, CLUSTER);
        out.extend([0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        let ts = c as u64 * spec.blocks as u64 * spec.block_ms;
        out.extend(ebml::uint_element(TIMESTAMP, ts));
        if spec.video {
            out.extend(ebml::element(SIMPLE_BLOCK, &frame(1, 0, KEYFRAME, 0xAA)));
        }
        for b in 0..spec.blocks {
            let rel = (b as u64 * spec.block_ms) as i16;
            let track = if spec.video { 2 } else { 1 };
            let key = index.is_multiple_of(spec.key_every.max(1));
            index += 1;
            if spec.block_groups {
                let mut group = ebml::element(BLOCK, &frame(track, rel, 0, c as u8));
                if !key {
                    let back = -(spec.block_ms as i64);
                    group.extend(ebml::element(REFERENCE_BLOCK, &back.to_be_bytes()));
                }
                out.extend(ebml::element(BLOCK_GROUP, &group));
            } else {
                let flags = if key { KEYFRAME } else { 0 };
                out.extend(ebml::element(
                    SIMPLE_BLOCK,
                    &frame(track, rel, flags, c as u8),
                ));
            }
        }
    }
    out
}

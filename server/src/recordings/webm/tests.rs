use std::io::Cursor;

use super::*;

struct Done {
    bytes: Vec<u8>,
    duration_ms: u64,
}

fn finalised(input: &[u8]) -> Result<Done, WebmError> {
    let mut bytes = Vec::new();
    match finalise(Cursor::new(input), u64::MAX, &mut bytes) {
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

/// The block a player decodes first after jumping to the cue: the one at its relative
/// position, or (without one) the cue track's first block at or after the cue time in
/// its Cluster.
fn first_decoded(file: &Inspection, cue: usize) -> Option<BlockAt> {
    let (time, track, cluster) = file.cues[cue];
    if let Some(relative) = file.cue_relative[cue] {
        return file.block_at(cluster, relative);
    }
    let (_, start) = *file.clusters.iter().find(|(at, _)| *at == cluster)?;
    file.blocks()
        .into_iter()
        .find(|b| b.track == track && b.time >= time.max(start))
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
    // Every video frame is a keyframe here: one cue each.
    assert_eq!(file.cues.len(), 40);
    for (i, (time, track, position)) in file.cues.iter().enumerate() {
        assert_eq!(*track, 2, "cues point at the video track");
        assert_eq!(file.id_at(*position), Some(CLUSTER));
        let block = first_decoded(&file, i).unwrap();
        assert_eq!((block.track, block.time, block.keyframe), (2, *time, true));
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

/// Issue 11: MediaRecorder's clusters mostly start between keyframes; a cue there makes
/// the player decode a frame whose references it never read.
#[test]
fn every_cue_points_at_a_keyframe_when_clusters_start_without_one() {
    for block_groups in [false, true] {
        let raw = sample_with(Sample {
            clusters: 6,
            blocks: 10,
            block_ms: 33,
            key_every: 7,
            block_groups,
            video: true,
        });
        let done = finalised(&raw).unwrap();
        assert_eq!(done.duration_ms, 6 * 10 * 33);
        let file = inspect(&done.bytes).unwrap();
        let keyframes: Vec<u64> = file
            .blocks()
            .into_iter()
            .filter(|b| b.track == 2 && b.keyframe)
            .map(|b| b.time)
            .collect();
        // 60 frames, a keyframe every 7th: 9, of which only the first starts a cluster.
        assert_eq!(keyframes.len(), 9);
        assert_eq!(file.cues.len(), keyframes.len(), "{block_groups}");
        for (i, (time, track, cluster)) in file.cues.iter().enumerate() {
            assert_eq!(*track, 2);
            assert_eq!(file.id_at(*cluster), Some(CLUSTER));
            let block = first_decoded(&file, i).expect("the cue leads to a block");
            assert!(
                block.keyframe,
                "cue {i} at {time} ms leads to a non-key frame"
            );
            assert_eq!((block.track, block.time), (2, *time));
        }
        let cue_times: Vec<u64> = file.cues.iter().map(|c| c.0).collect();
        assert_eq!(cue_times, keyframes);
    }
}

#[test]
fn audio_only_recordings_get_a_cue_per_cluster() {
    let raw = sample_with(Sample {
        clusters: 3,
        blocks: 5,
        block_ms: 20,
        key_every: 1,
        block_groups: false,
        video: false,
    });
    let done = finalised(&raw).unwrap();
    assert_eq!(done.duration_ms, 3 * 5 * 20);
    let file = inspect(&done.bytes).unwrap();
    assert_eq!(file.cues.len(), 3);
    for (i, ((time, track, position), (at, start))) in
        file.cues.iter().zip(&file.clusters).enumerate()
    {
        assert_eq!((*track, position, time), (1, at, start));
        // After the 3-byte Timestamp.
        assert_eq!(file.cue_relative[i], Some(3));
        assert!(first_decoded(&file, i).unwrap().keyframe);
    }
}

#[test]
fn old_files_are_recognised_and_refinalised() {
    let raw = sample_with(Sample {
        clusters: 4,
        blocks: 10,
        block_ms: 33,
        key_every: 7,
        block_groups: false,
        video: true,
    });
    let old = finalise_like_before_keyframe_cues(&raw);
    let file = inspect(&old).unwrap();
    assert_eq!(file.cues.len(), 4, "one cue per cluster, as before");
    assert!(!first_decoded(&file, 1).unwrap().keyframe);
    assert!(needs_refinalising(Cursor::new(&old)).unwrap());
    let new = finalised(&old).unwrap();
    assert_eq!(new.bytes, finalised(&raw).unwrap().bytes);
    assert!(!needs_refinalising(Cursor::new(&new.bytes)).unwrap());
    // Not finalised at all.
    assert!(needs_refinalising(Cursor::new(&raw)).unwrap());
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
    assert_eq!(file.cues.len(), 14);
}

#[test]
fn the_limit_is_honoured() {
    let raw = sample(3, 5, 20);
    let mut bytes = Vec::new();
    let limit = raw.len() as u64 - 10;
    let done = finalise(Cursor::new(&raw), limit, &mut bytes).unwrap();
    assert_eq!(bytes, finalised(&raw[..limit as usize]).unwrap().bytes);
    assert_eq!(done.duration_ms, 3 * 5 * 20 - 20);
}

#[test]
fn not_webm_is_refused() {
    assert_eq!(finalised(b"hello").err(), Some(WebmError::NoHeader));
    assert_eq!(finalised(&[]).err(), Some(WebmError::NoHeader));
}

/// Issue 10: a timestamp near the top of the range used to wrap into a nonsense
/// duration; now it is refused.
#[test]
fn overflowing_timestamps_are_an_error() {
    let raw = sample(1, 3, 10);
    // The Cluster's Timestamp (1 byte, 0) becomes 8 bytes of 0xFF.
    let at = raw
        .windows(2)
        .position(|w| w == [0xE7, 0x81])
        .expect("the Timestamp");
    let mut bad = raw[..at].to_vec();
    bad.extend([0xE7, 0x88]);
    bad.extend([0xFF; 8]);
    bad.extend(&raw[at + 3..]);
    assert_eq!(
        finalised(&bad).err(),
        Some(WebmError::Malformed("a block's timestamp overflows"))
    );
}

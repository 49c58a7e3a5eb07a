//! Issue 10's guard: random and mutated bytes through the finaliser never panic, take
//! bounded time, and give either an error or a file whose Segment size, SeekHead and
//! Cues are right (every cue on a keyframe).

use std::io::Cursor;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::Index;

use super::*;

/// Random inputs; mutated inputs get as many again.
const CASES: u32 = 2_000;
/// Generous for a debug build on a busy machine; a real case takes microseconds.
const BOUND: Duration = Duration::from_secs(2);

fn seeds() -> Vec<Vec<u8>> {
    let spec = Sample {
        clusters: 3,
        blocks: 4,
        block_ms: 20,
        key_every: 3,
        block_groups: false,
        video: true,
    };
    let raw = sample_with(spec);
    let mut done = Vec::new();
    finalise(Cursor::new(&raw), u64::MAX, &mut done).unwrap();
    vec![
        raw,
        done,
        sample_with(Sample {
            block_groups: true,
            ..spec
        }),
        sample_with(Sample {
            video: false,
            ..spec
        }),
    ]
}

fn check(input: &[u8]) {
    let started = Instant::now();
    let mut out = Vec::new();
    let result = finalise(Cursor::new(input), u64::MAX, &mut out);
    assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
    let done = match result {
        Ok(done) => done,
        Err(FinaliseError::Webm(_)) => return,
        Err(FinaliseError::Write(err)) => panic!("in-memory I/O failed: {err}"),
    };
    assert_eq!(done.size_bytes, out.len() as u64);
    let file = inspect(&out).expect("the output is WebM");
    assert!(file.segment_size_known);
    for (id, at) in &file.seeks {
        assert_eq!(file.id_at(*at), Some(*id));
    }
    for (i, (_, track, cluster)) in file.cues.iter().enumerate() {
        let relative = file.cue_relative[i].expect("a relative position");
        let block = file.block_at(*cluster, relative).expect("a block");
        assert!(block.keyframe);
        assert_eq!(block.track, *track);
    }
}

/// Flips, sets, inserts and removes bytes, then maybe cuts the tail.
fn mutate(mut bytes: Vec<u8>, edits: &[(Index, u8, u8)], cut: Option<Index>) -> Vec<u8> {
    for (at, value, kind) in edits {
        if bytes.is_empty() {
            break;
        }
        let i = at.index(bytes.len());
        match kind % 4 {
            0 => bytes[i] ^= 1 << (value % 8),
            1 => bytes[i] = *value,
            2 => bytes.insert(i, *value),
            _ => {
                bytes.remove(i);
            }
        }
    }
    if let Some(cut) = cut {
        let len = cut.index(bytes.len() + 1);
        bytes.truncate(len);
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        check(&bytes);
        // The same after a valid header and Segment start, to get past the first check.
        let raw = &seeds()[0];
        let header = ebml::read_header(raw, 0).unwrap();
        // The EBML header and the Segment's 12-byte header.
        let mut prefixed = raw[..header.len + header.size.unwrap() as usize + 12].to_vec();
        prefixed.extend(&bytes);
        check(&prefixed);
    }

    #[test]
    fn mutated_webm_never_panics(
        seed in 0..4usize,
        edits in prop::collection::vec((any::<Index>(), any::<u8>(), any::<u8>()), 1..8),
        cut in prop::option::of(any::<Index>()),
    ) {
        check(&mutate(seeds()[seed].clone(), &edits, cut));
    }
}

//! Stats maths: `getStats()` records in (already parsed into [`StatRecord`]s by the
//! glue), per-peer [`PeerStats`] and a [`Quality`] verdict out. Pure.

use super::types::Quality;

/// The fields we use from one `RTCStats` entry.
#[derive(Debug, Clone, PartialEq)]
pub enum StatRecord {
    InboundRtp {
        kind: MediaKind,
        bytes_received: u64,
        packets_received: u64,
        /// Cumulative; may go negative with duplicates, hence signed.
        packets_lost: i64,
        frames_decoded: Option<u64>,
        jitter_s: Option<f64>,
    },
    OutboundRtp {
        kind: MediaKind,
        bytes_sent: u64,
    },
    CandidatePair {
        id: String,
        nominated: bool,
        succeeded: bool,
        current_rtt_s: Option<f64>,
    },
    Transport {
        selected_pair_id: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Audio,
    Video,
}

/// Cumulative counters of one `getStats()` call, summed over streams.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Snapshot {
    pub timestamp_ms: f64,
    pub bytes_received: u64,
    pub bytes_sent: u64,
    pub packets_received: u64,
    pub packets_lost: i64,
    pub frames_decoded: u64,
    pub rtt_ms: Option<f64>,
    pub jitter_ms: Option<f64>,
}

impl Snapshot {
    pub fn from_records(timestamp_ms: f64, records: &[StatRecord]) -> Snapshot {
        let mut s = Snapshot {
            timestamp_ms,
            ..Snapshot::default()
        };
        let selected = records.iter().find_map(|r| match r {
            StatRecord::Transport {
                selected_pair_id: Some(id),
            } => Some(id.as_str()),
            _ => None,
        });
        let mut rtt_selected = None;
        let mut rtt_nominated = None;
        for r in records {
            match r {
                StatRecord::InboundRtp {
                    kind,
                    bytes_received,
                    packets_received,
                    packets_lost,
                    frames_decoded,
                    jitter_s,
                } => {
                    s.bytes_received += bytes_received;
                    s.packets_received += packets_received;
                    s.packets_lost += packets_lost;
                    if *kind == MediaKind::Video {
                        s.frames_decoded += frames_decoded.unwrap_or(0);
                    }
                    if let Some(j) = jitter_s {
                        let j = j * 1000.0;
                        s.jitter_ms = Some(s.jitter_ms.map_or(j, |m: f64| m.max(j)));
                    }
                }
                StatRecord::OutboundRtp { bytes_sent, .. } => s.bytes_sent += bytes_sent,
                StatRecord::CandidatePair {
                    id,
                    nominated,
                    succeeded,
                    current_rtt_s,
                } => {
                    if Some(id.as_str()) == selected {
                        rtt_selected = *current_rtt_s;
                    } else if *nominated && *succeeded && rtt_nominated.is_none() {
                        rtt_nominated = *current_rtt_s;
                    }
                }
                StatRecord::Transport { .. } => {}
            }
        }
        s.rtt_ms = rtt_selected.or(rtt_nominated).map(|r| r * 1000.0);
        s
    }
}

/// What the UI (and the end-to-end tests) read for one peer.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PeerStats {
    pub inbound_kbps: f64,
    pub outbound_kbps: f64,
    /// Packet loss over the last interval, 0–100.
    pub packet_loss_pct: f64,
    pub rtt_ms: Option<f64>,
    pub jitter_ms: Option<f64>,
    /// Cumulative video frames decoded from this peer.
    pub frames_decoded: u64,
    pub quality: Option<Quality>,
}

/// Quality thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub fair_loss_pct: f64,
    pub poor_loss_pct: f64,
    pub fair_rtt_ms: f64,
    pub poor_rtt_ms: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            fair_loss_pct: 2.0,
            poor_loss_pct: 8.0,
            fair_rtt_ms: 250.0,
            poor_rtt_ms: 500.0,
        }
    }
}

pub fn classify(loss_pct: f64, rtt_ms: Option<f64>, t: &Thresholds) -> Quality {
    let rtt = rtt_ms.unwrap_or(0.0);
    if loss_pct >= t.poor_loss_pct || rtt >= t.poor_rtt_ms {
        Quality::Poor
    } else if loss_pct >= t.fair_loss_pct || rtt >= t.fair_rtt_ms {
        Quality::Fair
    } else {
        Quality::Good
    }
}

/// Keeps the previous snapshot for deltas. A verdict only changes after two
/// consecutive intervals agree, so one bad sample does not flap the indicator.
#[derive(Debug, Default)]
pub struct StatsTracker {
    prev: Option<Snapshot>,
    latest: PeerStats,
    candidate: Option<Quality>,
    thresholds: Thresholds,
}

impl StatsTracker {
    pub fn new(thresholds: Thresholds) -> Self {
        StatsTracker {
            thresholds,
            ..StatsTracker::default()
        }
    }

    pub fn latest(&self) -> PeerStats {
        self.latest
    }

    /// Feed one snapshot; returns `Some(q)` when the quality verdict changed.
    pub fn update(&mut self, s: Snapshot) -> Option<Quality> {
        let Some(prev) = self.prev.replace(s) else {
            self.latest.frames_decoded = s.frames_decoded;
            self.latest.rtt_ms = s.rtt_ms;
            self.latest.jitter_ms = s.jitter_ms;
            return None;
        };
        let dt_s = (s.timestamp_ms - prev.timestamp_ms) / 1000.0;
        if dt_s <= 0.0 {
            return None;
        }
        // Counters restart when streams are replaced (ICE restart, new SSRC): clamp.
        let delta = |now: u64, before: u64| now.saturating_sub(before) as f64;
        let recv = delta(s.packets_received, prev.packets_received);
        let lost = (s.packets_lost - prev.packets_lost).max(0) as f64;
        let loss_pct = if recv + lost > 0.0 {
            lost * 100.0 / (recv + lost)
        } else {
            0.0
        };
        self.latest = PeerStats {
            inbound_kbps: delta(s.bytes_received, prev.bytes_received) * 8.0 / 1000.0 / dt_s,
            outbound_kbps: delta(s.bytes_sent, prev.bytes_sent) * 8.0 / 1000.0 / dt_s,
            packet_loss_pct: loss_pct,
            rtt_ms: s.rtt_ms,
            jitter_ms: s.jitter_ms,
            frames_decoded: s.frames_decoded,
            quality: self.latest.quality,
        };
        let q = classify(loss_pct, s.rtt_ms, &self.thresholds);
        let current = self.latest.quality;
        if current.is_none() || (Some(q) != current && self.candidate == Some(q)) {
            self.latest.quality = Some(q);
            self.candidate = None;
            return (current != Some(q)).then_some(q);
        }
        self.candidate = (Some(q) != current).then_some(q);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(
        t: f64,
        recv_bytes: u64,
        sent: u64,
        pkts: u64,
        lost: i64,
        rtt: Option<f64>,
    ) -> Snapshot {
        Snapshot {
            timestamp_ms: t,
            bytes_received: recv_bytes,
            bytes_sent: sent,
            packets_received: pkts,
            packets_lost: lost,
            frames_decoded: 0,
            rtt_ms: rtt,
            jitter_ms: None,
        }
    }

    #[test]
    fn aggregates_records() {
        let recs = vec![
            StatRecord::InboundRtp {
                kind: MediaKind::Video,
                bytes_received: 1000,
                packets_received: 10,
                packets_lost: 1,
                frames_decoded: Some(42),
                jitter_s: Some(0.01),
            },
            StatRecord::InboundRtp {
                kind: MediaKind::Audio,
                bytes_received: 500,
                packets_received: 5,
                packets_lost: 0,
                frames_decoded: None,
                jitter_s: Some(0.02),
            },
            StatRecord::OutboundRtp {
                kind: MediaKind::Video,
                bytes_sent: 700,
            },
            StatRecord::CandidatePair {
                id: "other".into(),
                nominated: true,
                succeeded: true,
                current_rtt_s: Some(0.9),
            },
            StatRecord::CandidatePair {
                id: "sel".into(),
                nominated: true,
                succeeded: true,
                current_rtt_s: Some(0.05),
            },
            StatRecord::Transport {
                selected_pair_id: Some("sel".into()),
            },
        ];
        let s = Snapshot::from_records(10.0, &recs);
        assert_eq!(s.bytes_received, 1500);
        assert_eq!(s.bytes_sent, 700);
        assert_eq!(s.packets_received, 15);
        assert_eq!(s.packets_lost, 1);
        assert_eq!(s.frames_decoded, 42);
        assert!((s.rtt_ms.unwrap() - 50.0).abs() < 1e-9);
        assert!((s.jitter_ms.unwrap() - 20.0).abs() < 1e-9);
    }

    #[test]
    fn rtt_falls_back_to_nominated_pair() {
        let recs = vec![StatRecord::CandidatePair {
            id: "p".into(),
            nominated: true,
            succeeded: true,
            current_rtt_s: Some(0.1),
        }];
        assert!((Snapshot::from_records(0.0, &recs).rtt_ms.unwrap() - 100.0).abs() < 1e-9);
    }

    #[test]
    fn bitrate_and_loss() {
        let mut t = StatsTracker::default();
        assert_eq!(t.update(snap(0.0, 0, 0, 0, 0, Some(20.0))), None);
        // 2 s: 250 kB in = 1000 kbps, 125 kB out = 500 kbps, 95 received + 5 lost = 5 %.
        let q = t.update(snap(2000.0, 250_000, 125_000, 95, 5, Some(20.0)));
        let st = t.latest();
        assert!((st.inbound_kbps - 1000.0).abs() < 1e-9);
        assert!((st.outbound_kbps - 500.0).abs() < 1e-9);
        assert!((st.packet_loss_pct - 5.0).abs() < 1e-9);
        assert_eq!(q, Some(Quality::Fair), "first verdict is immediate");
    }

    #[test]
    fn classification_thresholds() {
        let t = Thresholds::default();
        assert_eq!(classify(0.5, Some(80.0), &t), Quality::Good);
        assert_eq!(classify(3.0, Some(80.0), &t), Quality::Fair);
        assert_eq!(classify(0.0, Some(300.0), &t), Quality::Fair);
        assert_eq!(classify(10.0, None, &t), Quality::Poor);
        assert_eq!(classify(0.0, Some(600.0), &t), Quality::Poor);
    }

    #[test]
    fn verdict_needs_two_agreeing_intervals() {
        let mut t = StatsTracker::default();
        t.update(snap(0.0, 0, 0, 0, 0, Some(10.0)));
        assert_eq!(
            t.update(snap(2000.0, 0, 0, 100, 0, Some(10.0))),
            Some(Quality::Good)
        );
        // One poor interval: no change yet.
        assert_eq!(t.update(snap(4000.0, 0, 0, 180, 20, Some(10.0))), None);
        assert_eq!(t.latest().quality, Some(Quality::Good));
        // Second poor interval: change.
        assert_eq!(
            t.update(snap(6000.0, 0, 0, 260, 40, Some(10.0))),
            Some(Quality::Poor)
        );
        // A single good interval does not flip back.
        assert_eq!(t.update(snap(8000.0, 0, 0, 360, 40, Some(10.0))), None);
    }

    #[test]
    fn counter_reset_is_clamped() {
        let mut t = StatsTracker::default();
        t.update(snap(0.0, 10_000, 10_000, 100, 5, None));
        t.update(snap(2000.0, 100, 100, 1, 0, None));
        let st = t.latest();
        assert_eq!(st.inbound_kbps, 0.0);
        assert_eq!(st.packet_loss_pct, 0.0);
    }

    #[test]
    fn frames_decoded_is_exposed_from_first_sample() {
        let mut t = StatsTracker::default();
        let mut s = snap(0.0, 0, 0, 0, 0, None);
        s.frames_decoded = 7;
        t.update(s);
        assert_eq!(t.latest().frames_decoded, 7);
    }
}

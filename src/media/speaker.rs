//! Active-speaker detection: audio levels in, speaker changes out. Pure.
//!
//! Each source's RMS level is smoothed (fast attack, slow release). The loudest
//! source above `speaking_threshold` (smoothed, and raw in this sample) becomes a
//! challenger; it takes over only after
//! staying loudest — by `switch_margin` over the current speaker — for
//! `switch_after_ms`, and never sooner than `min_hold_ms` after the last switch. The
//! active speaker is sticky: silence alone does not clear it (UIs keep showing the
//! last speaker), only removal of the source does.

use std::collections::HashMap;

use super::types::SpeakerId;

/// Root mean square of time-domain samples in [-1, 1].
pub fn rms(samples: &[f32]) -> f32 {
    if samples.is_empty() {
        return 0.0;
    }
    let sum: f64 = samples.iter().map(|s| (*s as f64) * (*s as f64)).sum();
    (sum / samples.len() as f64).sqrt() as f32
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpeakerConfig {
    pub speaking_threshold: f32,
    /// Smoothing weight of a new sample when the level rises (0–1).
    pub attack: f32,
    /// Smoothing weight of a new sample when the level falls (0–1).
    pub release: f32,
    pub switch_margin: f32,
    pub switch_after_ms: f64,
    pub min_hold_ms: f64,
}

impl Default for SpeakerConfig {
    fn default() -> Self {
        SpeakerConfig {
            speaking_threshold: 0.02,
            attack: 0.6,
            release: 0.15,
            switch_margin: 1.5,
            switch_after_ms: 300.0,
            min_hold_ms: 1_000.0,
        }
    }
}

#[derive(Debug, Default)]
pub struct SpeakerDetector {
    config: SpeakerConfig,
    levels: HashMap<SpeakerId, f32>,
    active: Option<SpeakerId>,
    switched_at_ms: f64,
    challenger: Option<(SpeakerId, f64)>,
}

impl SpeakerDetector {
    pub fn new(config: SpeakerConfig) -> Self {
        SpeakerDetector {
            config,
            ..SpeakerDetector::default()
        }
    }

    pub fn active(&self) -> Option<&SpeakerId> {
        self.active.as_ref()
    }

    pub fn level(&self, id: &SpeakerId) -> f32 {
        self.levels.get(id).copied().unwrap_or(0.0)
    }

    /// Feed the latest raw RMS of every source; returns `Some(new)` when the active
    /// speaker changed.
    pub fn update(
        &mut self,
        now_ms: f64,
        samples: &[(SpeakerId, f32)],
    ) -> Option<Option<SpeakerId>> {
        let c = self.config;
        for (id, raw) in samples {
            let s = self.levels.entry(id.clone()).or_insert(0.0);
            let w = if *raw > *s { c.attack } else { c.release };
            *s += w * (raw - *s);
        }
        // Only sources speaking right now (raw level) may take over: a decaying
        // smoothed tail alone must not.
        let speaking_now = |id: &SpeakerId| {
            samples
                .iter()
                .any(|(s, raw)| s == id && *raw >= c.speaking_threshold)
        };
        let loudest = self
            .levels
            .iter()
            .filter(|(id, l)| **l >= c.speaking_threshold && speaking_now(id))
            .max_by(|a, b| a.1.partial_cmp(b.1).unwrap_or(std::cmp::Ordering::Equal))
            .map(|(id, l)| (id.clone(), *l));
        let Some((cand, level)) = loudest else {
            self.challenger = None;
            return None;
        };
        let Some(active) = self.active.clone() else {
            return self.switch_to(now_ms, cand);
        };
        if cand == active {
            self.challenger = None;
            return None;
        }
        let active_level = self.level(&active);
        if level < active_level * c.switch_margin && active_level >= c.speaking_threshold {
            self.challenger = None;
            return None;
        }
        let since = match &self.challenger {
            Some((id, since)) if *id == cand => *since,
            _ => {
                self.challenger = Some((cand.clone(), now_ms));
                now_ms
            }
        };
        if now_ms - since >= c.switch_after_ms && now_ms - self.switched_at_ms >= c.min_hold_ms {
            return self.switch_to(now_ms, cand);
        }
        None
    }

    fn switch_to(&mut self, now_ms: f64, id: SpeakerId) -> Option<Option<SpeakerId>> {
        self.active = Some(id.clone());
        self.switched_at_ms = now_ms;
        self.challenger = None;
        Some(Some(id))
    }

    /// A source went away; returns `Some(None)` if it was the active speaker.
    pub fn remove(&mut self, id: &SpeakerId) -> Option<Option<SpeakerId>> {
        self.levels.remove(id);
        if self.challenger.as_ref().is_some_and(|(c, _)| c == id) {
            self.challenger = None;
        }
        if self.active.as_ref() == Some(id) {
            self.active = None;
            return Some(None);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(id: &str) -> SpeakerId {
        SpeakerId::Remote(id.into())
    }

    #[test]
    fn rms_of_known_signals() {
        assert_eq!(rms(&[]), 0.0);
        assert!((rms(&[0.5, -0.5, 0.5, -0.5]) - 0.5).abs() < 1e-6);
        assert_eq!(rms(&[0.0; 8]), 0.0);
    }

    #[test]
    fn silence_selects_nobody() {
        let mut d = SpeakerDetector::default();
        for t in 0..20 {
            assert_eq!(
                d.update(
                    t as f64 * 100.0,
                    &[(r("a"), 0.001), (SpeakerId::Local, 0.0)]
                ),
                None
            );
        }
        assert_eq!(d.active(), None);
    }

    #[test]
    fn first_speaker_wins_immediately_and_sticks_through_silence() {
        let mut d = SpeakerDetector::default();
        assert_eq!(
            d.update(0.0, &[(r("a"), 0.2), (r("b"), 0.0)]),
            Some(Some(r("a")))
        );
        for t in 1..30 {
            assert_eq!(
                d.update(t as f64 * 100.0, &[(r("a"), 0.0), (r("b"), 0.0)]),
                None
            );
        }
        assert_eq!(d.active(), Some(&r("a")));
    }

    #[test]
    fn brief_interjection_does_not_switch() {
        let mut d = SpeakerDetector::default();
        d.update(0.0, &[(r("a"), 0.2)]);
        // b coughs for 200 ms while a keeps talking quietly, after the hold time.
        let mut changes = Vec::new();
        for t in (2000..=2200).step_by(100) {
            changes.extend(d.update(t as f64, &[(r("a"), 0.05), (r("b"), 0.5)]));
        }
        for t in (2300..3000).step_by(100) {
            changes.extend(d.update(t as f64, &[(r("a"), 0.2), (r("b"), 0.0)]));
        }
        assert!(changes.is_empty(), "{changes:?}");
        assert_eq!(d.active(), Some(&r("a")));
    }

    #[test]
    fn sustained_louder_speaker_takes_over() {
        let mut d = SpeakerDetector::default();
        d.update(0.0, &[(r("a"), 0.2)]);
        let mut switched_at = None;
        for t in (1500..4000).step_by(100) {
            if let Some(Some(id)) = d.update(t as f64, &[(r("a"), 0.0), (r("b"), 0.3)]) {
                assert_eq!(id, r("b"));
                switched_at.get_or_insert(t);
            }
        }
        let t = switched_at.expect("b should become active");
        assert!(t >= 1800, "switched too early at {t}");
    }

    #[test]
    fn hold_time_prevents_rapid_switching() {
        let mut d = SpeakerDetector::default();
        d.update(0.0, &[(r("a"), 0.3)]);
        // b is much louder straight away, but a only just became active.
        let mut first_switch = None;
        for t in (100..2000).step_by(100) {
            if d.update(t as f64, &[(r("a"), 0.0), (r("b"), 0.5)])
                .is_some()
            {
                first_switch.get_or_insert(t);
            }
        }
        assert!(first_switch.unwrap() >= 1000);
    }

    #[test]
    fn removing_active_clears_it() {
        let mut d = SpeakerDetector::default();
        d.update(0.0, &[(r("a"), 0.3)]);
        assert_eq!(d.remove(&r("b")), None);
        assert_eq!(d.remove(&r("a")), Some(None));
        assert_eq!(d.active(), None);
    }
}

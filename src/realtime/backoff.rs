//! Reconnect delays: exponential backoff with full jitter.
//!
//! Full jitter (a uniform pick in `[floor, cap]`) spreads a crowd of tabs that lost the
//! server at the same moment, so they do not all come back in the same millisecond.
//! The schedule has three phases: a prompt first retry (most drops are blips), then
//! doubling, then a plateau at the ceiling for as long as the server stays away.

/// First retry ceiling.
pub const BASE_MS: u64 = 500;
/// Ceiling of the plateau phase.
pub const MAX_MS: u64 = 30_000;
/// Never retry sooner than this, so a flapping server cannot cause a tight loop.
pub const FLOOR_MS: u64 = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    attempt: u32,
    base_ms: u64,
    max_ms: u64,
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new(BASE_MS, MAX_MS)
    }
}

impl Backoff {
    pub fn new(base_ms: u64, max_ms: u64) -> Self {
        Self {
            attempt: 0,
            base_ms,
            max_ms: max_ms.max(base_ms),
        }
    }

    /// How many delays were handed out since the last reset.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The ceiling for the next delay: `base * 2^attempt`, capped.
    pub fn ceiling_ms(&self) -> u64 {
        let factor = 1u64.checked_shl(self.attempt.min(32)).unwrap_or(u64::MAX);
        self.base_ms.saturating_mul(factor).min(self.max_ms)
    }

    /// The next delay. `random` is a uniform sample in `[0, 1)`; it is passed in so the
    /// schedule is deterministic under test.
    pub fn next_delay_ms(&mut self, random: f64) -> u64 {
        let ceiling = self.ceiling_ms();
        self.attempt = self.attempt.saturating_add(1);
        let random = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let picked = (ceiling as f64 * random) as u64;
        picked.clamp(FLOOR_MS.min(ceiling), ceiling)
    }

    /// Called once the server said hello: the connection is healthy again.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_doubles_then_plateaus() {
        let mut b = Backoff::default();
        let ceilings: Vec<u64> = (0..10)
            .map(|_| {
                let c = b.ceiling_ms();
                b.next_delay_ms(0.5);
                c
            })
            .collect();
        assert_eq!(&ceilings[..7], &[500, 1000, 2000, 4000, 8000, 16000, 30000]);
        assert!(ceilings[7..].iter().all(|&c| c == MAX_MS));
    }

    #[test]
    fn delays_stay_within_floor_and_ceiling() {
        let mut b = Backoff::default();
        for i in 0..50 {
            let ceiling = b.ceiling_ms();
            let d = b.next_delay_ms((i as f64 * 0.37) % 1.0);
            assert!(
                d >= FLOOR_MS && d <= ceiling,
                "{d} not in [{FLOOR_MS}, {ceiling}]"
            );
        }
        assert_eq!(b.next_delay_ms(0.999_999), MAX_MS - 1);
        assert_eq!(b.next_delay_ms(0.0), FLOOR_MS);
        assert!(b.next_delay_ms(f64::NAN) <= MAX_MS);
    }

    #[test]
    fn reset_starts_over() {
        let mut b = Backoff::default();
        for _ in 0..5 {
            b.next_delay_ms(0.9);
        }
        assert_eq!(b.attempt(), 5);
        b.reset();
        assert_eq!(b.attempt(), 0);
        assert_eq!(b.ceiling_ms(), BASE_MS);
    }

    #[test]
    fn huge_attempt_counts_do_not_overflow() {
        let mut b = Backoff {
            attempt: u32::MAX - 1,
            ..Backoff::default()
        };
        assert_eq!(b.ceiling_ms(), MAX_MS);
        b.next_delay_ms(1.0);
        b.next_delay_ms(1.0);
        assert_eq!(b.attempt(), u32::MAX);
    }
}

//! Phased backoff for ICE restarts: the first restart is immediate, later ones wait
//! longer, and after `max_attempts` we give up. Pure.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    /// Delay before attempt `n` (1-based) is `phases[n - 1]`; attempts past the end
    /// reuse the last phase.
    phases: Vec<u32>,
    max_attempts: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        // 0 s, 2 s, 5 s, 10 s, then every 20 s; give up after 6 restarts (~1 min).
        Backoff::new(vec![0, 2_000, 5_000, 10_000, 20_000], 6)
    }
}

impl Backoff {
    pub fn new(phases: Vec<u32>, max_attempts: u32) -> Self {
        assert!(!phases.is_empty(), "backoff needs at least one phase");
        Backoff {
            phases,
            max_attempts,
        }
    }

    /// Delay before restart `attempt` (1-based), or `None` when we should give up.
    pub fn delay_ms(&self, attempt: u32) -> Option<u32> {
        if attempt == 0 || attempt > self.max_attempts {
            return None;
        }
        let i = (attempt as usize - 1).min(self.phases.len() - 1);
        Some(self.phases[i])
    }

    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_then_cap_then_give_up() {
        let b = Backoff::default();
        assert_eq!(b.delay_ms(1), Some(0));
        assert_eq!(b.delay_ms(2), Some(2_000));
        assert_eq!(b.delay_ms(5), Some(20_000));
        assert_eq!(b.delay_ms(6), Some(20_000));
        assert_eq!(b.delay_ms(7), None);
        assert_eq!(b.delay_ms(0), None);
    }
}

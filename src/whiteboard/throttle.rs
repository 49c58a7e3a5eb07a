//! Rate limiting for cursor updates: at most one send per interval, and the latest
//! value always goes out eventually (the caller sends it when the wait is over).

#[derive(Debug, Clone)]
pub struct Throttle {
    interval_ms: f64,
    last_sent: Option<f64>,
    /// A send is scheduled for later.
    waiting: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    SendNow,
    /// Schedule a send after this many ms (then call [`Throttle::sent`]).
    SendIn(f64),
    /// A send is already scheduled; just keep the newest value for it.
    AlreadyScheduled,
}

impl Throttle {
    pub fn new(max_per_second: f64) -> Self {
        Throttle {
            interval_ms: 1000.0 / max_per_second.max(0.001),
            last_sent: None,
            waiting: false,
        }
    }

    pub fn offer(&mut self, now_ms: f64) -> Decision {
        if self.waiting {
            return Decision::AlreadyScheduled;
        }
        match self.last_sent {
            Some(last) if now_ms - last < self.interval_ms => {
                self.waiting = true;
                Decision::SendIn(self.interval_ms - (now_ms - last))
            }
            _ => {
                self.last_sent = Some(now_ms);
                Decision::SendNow
            }
        }
    }

    /// The scheduled send happened.
    pub fn sent(&mut self, now_ms: f64) {
        self.waiting = false;
        self.last_sent = Some(now_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_twenty_a_second_with_a_trailing_send() {
        let mut t = Throttle::new(20.0);
        assert_eq!(t.offer(0.0), Decision::SendNow);
        assert_eq!(t.offer(10.0), Decision::SendIn(40.0));
        assert_eq!(t.offer(20.0), Decision::AlreadyScheduled);
        t.sent(50.0);
        assert_eq!(t.offer(60.0), Decision::SendIn(40.0));
        t.sent(100.0);
        assert_eq!(t.offer(200.0), Decision::SendNow);

        // Simulate a pointer moving every 5 ms for a second: ≤ 20 sends.
        let mut t = Throttle::new(20.0);
        let mut sends = 0;
        let mut due: Option<f64> = None;
        for step in 0..200 {
            let now = step as f64 * 5.0;
            if due.is_some_and(|d| d <= now) {
                t.sent(now);
                sends += 1;
                due = None;
            }
            match t.offer(now) {
                Decision::SendNow => sends += 1,
                Decision::SendIn(ms) => due = Some(now + ms),
                Decision::AlreadyScheduled => {}
            }
        }
        assert!((19..=21).contains(&sends), "{sends}");
    }
}

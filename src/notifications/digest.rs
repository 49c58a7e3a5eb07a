//! Focus time holds notifications: while I am in focus, non-critical messages are
//! counted instead of shown, and leaving focus releases one digest
//! ("While you were in focus: N messages"). Pure, so it is tested natively.

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FocusDigest {
    in_focus: bool,
    held: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Notify as usual.
    Now,
    /// Counted for the digest.
    Held,
}

impl FocusDigest {
    /// A message that would notify. Critical breaks through focus.
    pub fn offer(&mut self, critical: bool) -> Delivery {
        if self.in_focus && !critical {
            self.held += 1;
            Delivery::Held
        } else {
            Delivery::Now
        }
    }

    /// My focus state as last known. Leaving focus with messages held returns how
    /// many, once; entering (or staying) returns nothing.
    pub fn set_in_focus(&mut self, in_focus: bool) -> Option<u32> {
        let was = std::mem::replace(&mut self.in_focus, in_focus);
        if was && !in_focus {
            let held = std::mem::take(&mut self.held);
            (held > 0).then_some(held)
        } else {
            if in_focus && !was {
                self.held = 0;
            }
            None
        }
    }
}

/// "While you were in focus: 1 message" / "…: 3 messages".
pub fn digest_text(count: u32) -> String {
    let noun = if count == 1 { "message" } else { "messages" };
    format!("While you were in focus: {count} {noun}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_digest_holds_then_releases_once() {
        let mut d = FocusDigest::default();
        assert_eq!(d.offer(false), Delivery::Now, "not in focus");
        assert_eq!(d.set_in_focus(true), None);
        assert_eq!(d.offer(false), Delivery::Held);
        assert_eq!(d.offer(false), Delivery::Held);
        assert_eq!(
            d.set_in_focus(true),
            None,
            "still in focus: nothing released"
        );
        assert_eq!(d.set_in_focus(false), Some(2));
        assert_eq!(d.set_in_focus(false), None, "released only once");
        assert_eq!(d.offer(false), Delivery::Now);
    }

    #[test]
    fn focus_digest_lets_critical_through_and_skips_empty_digests() {
        let mut d = FocusDigest::default();
        d.set_in_focus(true);
        assert_eq!(d.offer(true), Delivery::Now);
        assert_eq!(d.set_in_focus(false), None, "nothing was held");
    }

    #[test]
    fn focus_digest_starts_each_block_from_zero() {
        let mut d = FocusDigest::default();
        d.set_in_focus(true);
        d.offer(false);
        assert_eq!(d.set_in_focus(false), Some(1));
        d.set_in_focus(true);
        d.offer(false);
        assert_eq!(d.set_in_focus(false), Some(1));
        assert_eq!(digest_text(1), "While you were in focus: 1 message");
        assert_eq!(digest_text(4), "While you were in focus: 4 messages");
    }
}

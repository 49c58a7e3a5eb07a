//! The player's keyboard shortcuts, as a pure key → action table.

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shortcut {
    TogglePlay,
    /// Seconds, negative to go back.
    SeekBy(f64),
    Faster,
    Slower,
}

/// `key` is `KeyboardEvent.key`, so `>` and `<` already include Shift.
pub fn shortcut_for(key: &str) -> Option<Shortcut> {
    Some(match key {
        " " | "k" | "K" => Shortcut::TogglePlay,
        "ArrowLeft" => Shortcut::SeekBy(-5.0),
        "ArrowRight" => Shortcut::SeekBy(5.0),
        "j" | "J" => Shortcut::SeekBy(-10.0),
        "l" | "L" => Shortcut::SeekBy(10.0),
        ">" => Shortcut::Faster,
        "<" => Shortcut::Slower,
        _ => return None,
    })
}

/// Shown under the player.
pub const HELP: &str = "Keyboard: Space or K play/pause · ← → 5 s · J L 10 s · < > speed";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_actions() {
        assert_eq!(shortcut_for(" "), Some(Shortcut::TogglePlay));
        assert_eq!(shortcut_for("K"), Some(Shortcut::TogglePlay));
        assert_eq!(shortcut_for("ArrowLeft"), Some(Shortcut::SeekBy(-5.0)));
        assert_eq!(shortcut_for("l"), Some(Shortcut::SeekBy(10.0)));
        assert_eq!(shortcut_for(">"), Some(Shortcut::Faster));
        assert_eq!(shortcut_for("<"), Some(Shortcut::Slower));
        assert_eq!(shortcut_for("x"), None);
    }
}

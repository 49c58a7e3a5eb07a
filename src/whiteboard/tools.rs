//! The drawing tools and their keyboard shortcuts.

use tandem_protocol::boards::ElementKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Tool {
    #[default]
    Select,
    Hand,
    Pen,
    Line,
    Arrow,
    Rectangle,
    Ellipse,
    Text,
    Sticky,
}

impl Tool {
    pub const ALL: [Tool; 9] = [
        Tool::Select,
        Tool::Hand,
        Tool::Pen,
        Tool::Line,
        Tool::Arrow,
        Tool::Rectangle,
        Tool::Ellipse,
        Tool::Text,
        Tool::Sticky,
    ];

    /// The button's accessible name.
    pub fn label(self) -> &'static str {
        match self {
            Tool::Select => "Select",
            Tool::Hand => "Hand",
            Tool::Pen => "Pen",
            Tool::Line => "Line",
            Tool::Arrow => "Arrow",
            Tool::Rectangle => "Rectangle",
            Tool::Ellipse => "Ellipse",
            Tool::Text => "Text",
            Tool::Sticky => "Sticky note",
        }
    }

    pub fn shortcut(self) -> char {
        match self {
            Tool::Select => 'V',
            Tool::Hand => 'H',
            Tool::Pen => 'P',
            Tool::Line => 'L',
            Tool::Arrow => 'A',
            Tool::Rectangle => 'R',
            Tool::Ellipse => 'O',
            Tool::Text => 'T',
            Tool::Sticky => 'S',
        }
    }

    /// The tool a key selects (`KeyboardEvent.key`, either case).
    pub fn from_key(key: &str) -> Option<Tool> {
        let mut chars = key.chars();
        let c = chars.next()?.to_ascii_uppercase();
        if chars.next().is_some() {
            return None;
        }
        Tool::ALL.into_iter().find(|t| t.shortcut() == c)
    }

    /// Whether the tool changes the board (not offered to viewers).
    pub fn edits(self) -> bool {
        !matches!(self, Tool::Select | Tool::Hand)
    }

    /// What the tool draws.
    pub fn kind(self) -> Option<ElementKind> {
        match self {
            Tool::Select | Tool::Hand => None,
            Tool::Pen => Some(ElementKind::Stroke),
            Tool::Line => Some(ElementKind::Line),
            Tool::Arrow => Some(ElementKind::Arrow),
            Tool::Rectangle => Some(ElementKind::Rectangle),
            Tool::Ellipse => Some(ElementKind::Ellipse),
            Tool::Text => Some(ElementKind::Text),
            Tool::Sticky => Some(ElementKind::Sticky),
        }
    }

    /// The CSS cursor over the surface.
    pub fn cursor(self) -> &'static str {
        match self {
            Tool::Select => "default",
            Tool::Hand => "grab",
            Tool::Text => "text",
            _ => "crosshair",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_v_h_p_l_a_r_o_t_s_and_unique() {
        let keys: String = Tool::ALL.iter().map(|t| t.shortcut()).collect();
        assert_eq!(keys, "VHPLAROTS");
        for tool in Tool::ALL {
            assert_eq!(Tool::from_key(&tool.shortcut().to_string()), Some(tool));
            assert_eq!(
                Tool::from_key(&tool.shortcut().to_ascii_lowercase().to_string()),
                Some(tool)
            );
        }
        assert_eq!(Tool::from_key("x"), None);
        assert_eq!(Tool::from_key("Shift"), None);
        assert_eq!(Tool::from_key(""), None);
    }

    #[test]
    fn only_select_and_hand_leave_the_board_alone() {
        let viewer: Vec<Tool> = Tool::ALL.into_iter().filter(|t| !t.edits()).collect();
        assert_eq!(viewer, vec![Tool::Select, Tool::Hand]);
        assert_eq!(Tool::Sticky.label(), "Sticky note");
    }
}

//! A page as a standalone SVG image (export and download).
//!
//! Everything that comes from users — text, colours, the page name — is XML-escaped,
//! in attributes and in text alike, so a board cannot smuggle markup into the file.
//! Text wraps like on the canvas (`text::element_lines`, one `<tspan>` per line),
//! measured with `text::estimate_width`: the file cannot know the viewer's font.

use std::fmt::Write;

use tandem_protocol::boards::{Element, ElementKind, PageId, Point};

use crate::geometry::{absolute_points, content_bounds, element_arrow_head, shape_rect};
use crate::state::BoardState;
use crate::style::{baseline, BACKGROUND, FONT_FAMILY, FONT_SIZE, STICKY_FILL, TEXT_PADDING};
use crate::text::{element_lines, estimate_width};

/// Space around the drawing, in board units.
pub const MARGIN: f64 = 16.0;
/// Width and height of the image of an empty page.
const EMPTY_SIZE: f64 = 64.0;

/// Escapes the five XML special characters (for text and attribute values), and
/// replaces characters XML 1.0 does not allow at all, escaped or not (control
/// characters, U+FFFE, U+FFFF), with U+FFFD, so any text gives a well-formed file.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            _ => out.push(c),
        }
    }
    out
}

/// A coordinate, to the hundredth of a unit, without trailing zeros.
fn num(v: f64) -> String {
    let rounded = if v.is_finite() {
        (v * 100.0).round() / 100.0
    } else {
        0.0
    };
    // `+ 0.0` turns -0 into 0.
    format!("{}", rounded + 0.0)
}

fn path_data(points: impl IntoIterator<Item = Point>) -> String {
    let mut d = String::new();
    for (i, p) in points.into_iter().enumerate() {
        let _ = write!(
            d,
            "{}{} {}",
            if i == 0 { "M" } else { " L" },
            num(p.x),
            num(p.y)
        );
    }
    d
}

fn fill_of(e: &Element) -> String {
    if e.fill.is_empty() {
        "none".into()
    } else {
        escape_xml(&e.fill)
    }
}

fn pen(e: &Element) -> String {
    format!(
        r#"stroke="{}" stroke-width="{}" stroke-linecap="round" stroke-linejoin="round""#,
        escape_xml(&e.stroke),
        num(e.stroke_width)
    )
}

/// One `<text>` with a `<tspan>` per wrapped line (those that fit in the box, as on
/// the canvas), starting inside the box's top-left corner.
fn text_block(out: &mut String, e: &Element, x: f64, y: f64) {
    let lines = element_lines(e, estimate_width);
    if lines.is_empty() {
        return;
    }
    let _ = write!(
        out,
        r#"<text font-family="{}" font-size="{}" fill="{}" xml:space="preserve">"#,
        escape_xml(FONT_FAMILY),
        num(FONT_SIZE),
        escape_xml(&e.stroke)
    );
    for (i, line) in lines.iter().enumerate() {
        let _ = write!(
            out,
            r#"<tspan x="{}" y="{}">{}</tspan>"#,
            num(x + TEXT_PADDING),
            num(y + baseline(i)),
            escape_xml(line)
        );
    }
    out.push_str("</text>");
}

fn element_svg(out: &mut String, e: &Element) {
    let r = shape_rect(e);
    match e.kind {
        ElementKind::Stroke => {
            if !e.points.is_empty() {
                let _ = write!(
                    out,
                    r#"<path d="{}" fill="none" {}/>"#,
                    path_data(absolute_points(e)),
                    pen(e)
                );
            }
        }
        ElementKind::Line | ElementKind::Arrow => {
            let points: Vec<Point> = absolute_points(e).collect();
            if let (Some(a), Some(b)) = (points.first(), points.last()) {
                let _ = write!(
                    out,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}" {}/>"#,
                    num(a.x),
                    num(a.y),
                    num(b.x),
                    num(b.y),
                    pen(e)
                );
            }
            if let Some(head) = element_arrow_head(e) {
                let _ = write!(
                    out,
                    r#"<path d="{}" fill="none" {}/>"#,
                    path_data(head),
                    pen(e)
                );
            }
        }
        ElementKind::Rectangle => {
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}" {}/>"#,
                num(r.min_x),
                num(r.min_y),
                num(r.width()),
                num(r.height()),
                fill_of(e),
                pen(e)
            );
        }
        ElementKind::Ellipse => {
            let c = r.center();
            let _ = write!(
                out,
                r#"<ellipse cx="{}" cy="{}" rx="{}" ry="{}" fill="{}" {}/>"#,
                num(c.x),
                num(c.y),
                num(r.width() / 2.0),
                num(r.height() / 2.0),
                fill_of(e),
                pen(e)
            );
        }
        ElementKind::Text => text_block(out, e, r.min_x, r.min_y),
        ElementKind::Sticky => {
            let fill = if e.fill.is_empty() {
                STICKY_FILL.to_string()
            } else {
                escape_xml(&e.fill)
            };
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="{}"/>"#,
                num(r.min_x),
                num(r.min_y),
                num(r.width()),
                num(r.height()),
                fill
            );
            text_block(out, e, r.min_x, r.min_y);
        }
    }
}

/// The page's visible elements, bottom to top, as a standalone SVG document: the view
/// box is the content bounds plus a margin, on a white background. An empty (or
/// unknown) page gives a small blank image.
pub fn page_svg(state: &BoardState, page: PageId) -> String {
    let (x, y, w, h) = match content_bounds(state, page) {
        Some(b) => {
            let b = b.inflate(MARGIN);
            (b.min_x, b.min_y, b.width(), b.height())
        }
        None => (0.0, 0.0, EMPTY_SIZE, EMPTY_SIZE),
    };
    let mut out = String::new();
    let _ = write!(
        out,
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" "#,
            r#"width="{w}" height="{h}" viewBox="{x} {y} {w} {h}">"#
        ),
        w = num(w),
        h = num(h),
        x = num(x),
        y = num(y)
    );
    if let Some(p) = state.page(page) {
        let _ = write!(out, "<title>{}</title>", escape_xml(&p.name));
    }
    let _ = write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{BACKGROUND}"/>"#,
        num(x),
        num(y),
        num(w),
        num(h)
    );
    for e in state.elements_on(page) {
        element_svg(&mut out, e);
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::boards::{BoardOp, Page, SequencedOp};
    use tandem_protocol::test_support::{element, PAGE};
    use uuid::Uuid;

    fn board(elements: Vec<Element>) -> BoardState {
        let mut state = BoardState::new();
        let mut ops = vec![BoardOp::AddPage {
            page: Page {
                id: PAGE,
                name: "Plan <A&B>".into(),
                order: 1.0,
            },
        }];
        ops.extend(
            elements
                .into_iter()
                .map(|element| BoardOp::AddElement { element }),
        );
        for (i, op) in ops.into_iter().enumerate() {
            let rev = i as i64 + 1;
            state.apply(&SequencedOp {
                rev,
                at: rev,
                op_id: Uuid::from_u128(rev as u128),
                author: None,
                op,
            });
        }
        state
    }

    /// Every element here has the box (10, 20) 100 × 50.
    fn boxed(n: u128, kind: ElementKind) -> Element {
        element(n, kind, 10.0, 20.0, 100.0, 50.0)
    }

    #[test]
    fn draws_every_kind_bottom_to_top() {
        let p = |x, y| Point { x, y };
        let state = board(vec![
            boxed(1, ElementKind::Stroke).with_points(vec![
                p(0.0, 0.0),
                p(5.5, 5.25),
                p(10.0, 0.0),
            ]),
            boxed(2, ElementKind::Line).with_points(vec![p(0.0, 0.0), p(50.0, 0.0)]),
            boxed(3, ElementKind::Arrow).with_points(vec![p(0.0, 0.0), p(0.0, 50.0)]),
            boxed(4, ElementKind::Rectangle),
            boxed(5, ElementKind::Ellipse),
            boxed(6, ElementKind::Text).with_text("first\nsecond"),
            boxed(7, ElementKind::Sticky).with_text("note"),
        ]);
        let svg = page_svg(&state, PAGE);
        assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg""#));
        assert!(svg.ends_with("</svg>"));
        // Content spans x 2..111 (the arrow head reaches x 3, plus half the pen) and
        // y 19..71, plus the margin.
        assert!(svg.contains(r#"viewBox="-14 3 141 84""#), "{svg}");
        assert!(svg.contains(r##"fill="#ffffff""##));
        assert!(
            svg.contains(r#"<path d="M10 20 L15.5 25.25 L20 20" fill="none""#),
            "{svg}"
        );
        assert!(svg.contains(r#"stroke-linecap="round" stroke-linejoin="round""#));
        assert!(svg.contains(r#"<line x1="10" y1="20" x2="60" y2="20""#));
        assert_eq!(
            svg.matches("<path").count(),
            2,
            "the stroke and one arrow head"
        );
        assert!(svg.contains(r#"<rect x="10" y="20" width="100" height="50" fill="none""#));
        assert!(svg.contains(r#"<ellipse cx="60" cy="45" rx="50" ry="25""#));
        assert!(
            svg.contains(
                r#"<tspan x="18" y="44">first</tspan><tspan x="18" y="64">second</tspan>"#
            ),
            "{svg}"
        );
        assert!(svg.contains(&format!(r#"fill="{STICKY_FILL}"/><text"#)));
        let order: Vec<usize> = [
            "<path",
            "<line",
            "<rect x=\"10\"",
            "<ellipse",
            "first",
            "note",
        ]
        .iter()
        .map(|needle| svg.find(needle).unwrap())
        .collect();
        assert!(
            order.windows(2).all(|w| w[0] < w[1]),
            "bottom to top: {order:?}"
        );
        assert!(svg.contains("<title>Plan &lt;A&amp;B&gt;</title>"));
    }

    #[test]
    fn user_text_is_escaped() {
        let mut text = boxed(1, ElementKind::Text)
            .with_text("<script>alert(\"x\")</script> & 'more'\u{0}\u{8}");
        text.width = 1000.0;
        let svg = page_svg(&board(vec![text]), PAGE);
        assert!(!svg.contains("<script"));
        assert!(svg.contains(
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; \
             &amp; &apos;more&apos;\u{FFFD}\u{FFFD}<"
        ));
        // Characters XML forbids even escaped never reach the file.
        assert!(!svg.chars().any(|c| c.is_control()));
        // Attribute values too: a colour cannot break out of its quotes.
        let mut hostile = boxed(2, ElementKind::Rectangle);
        hostile.stroke = "\"/><script>x</script>".into();
        let svg = page_svg(&board(vec![hostile]), PAGE);
        assert!(!svg.contains("<script") && svg.contains(r#"stroke="&quot;/&gt;&lt;script&gt;"#));
    }

    #[test]
    fn long_text_wraps_to_its_box_like_the_canvas() {
        let mut note = boxed(1, ElementKind::Sticky)
            .with_text("Bring the <quarterly> numbers & the new hiring plan to Monday's review");
        note.width = 200.0;
        note.height = 200.0;
        let svg = page_svg(&board(vec![note.clone()]), PAGE);
        let lines = crate::text::element_lines(&note, estimate_width);
        assert!(lines.len() >= 3, "{lines:?}");
        assert_eq!(svg.matches("<tspan").count(), lines.len(), "{svg}");
        // One line under the other, each starting inside the padding, text escaped.
        for (i, line) in lines.iter().enumerate() {
            let tspan = format!(
                r#"<tspan x="{}" y="{}">{}</tspan>"#,
                num(10.0 + TEXT_PADDING),
                num(20.0 + baseline(i)),
                escape_xml(line)
            );
            assert!(svg.contains(&tspan), "{tspan} in {svg}");
        }
        assert!(svg.contains("&lt;quarterly&gt;") && svg.contains("&amp;"));
        assert!(!svg.contains("<quarterly>"));
        // Text that does not fit in the box is left out, as on screen.
        note.height = 50.0;
        let short = page_svg(&board(vec![note]), PAGE);
        assert_eq!(short.matches("<tspan").count(), 2);
    }

    #[test]
    fn an_empty_page_is_a_small_blank_image() {
        let svg = page_svg(&board(vec![]), PAGE);
        assert!(svg.contains(r#"viewBox="0 0 64 64""#), "{svg}");
        assert!(!svg.contains("<path") && !svg.contains("<text"));
        let unknown = page_svg(&BoardState::new(), Uuid::from_u128(9));
        assert!(unknown.starts_with("<svg") && unknown.ends_with("</svg>"));
    }
}

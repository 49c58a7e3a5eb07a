//! Fuzzing the message renderer (issue #10, "Guards"): whatever a message body holds,
//! parsing must not panic, the tree stays proportionate to the input, every link is
//! `http`, `https` or `mailto`, and mentions are only the names given.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use super::mentions::MentionNames;
use super::tree::{parse, Inline, Node};

const CASES: u32 = 3_000;

/// Pieces that steer pulldown-cmark into links, autolinks, images, entities, HTML,
/// code, lists and quotes, plus link targets that try to smuggle a scheme past the
/// check (entities, percent escapes, blanks, case).
fn body() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "[a-zA-Z0-9 ]{1,6}",
        3 => prop::sample::select(vec![
            "[", "]", "(", ")", "](", "<", ">", "![", "*", "**", "_", "~~", "`", "```\n",
            "\n", "\n\n", "> ", "- ", "1. ", "    ", "\t", "\\", "&", "#", ";", "\"", "'",
            "@", "@Ana", "@Ana Lima", "@here", "@channel", "\u{0}", "\u{200b}", "é", "İ",
            "[x]: ", "| a |", "$", "^",
        ])
        .prop_map(String::from),
        2 => prop::sample::select(vec![
            "http://", "https://", "HTTPS://", "mailto:", "javascript:", "JaVaScRiPt:",
            "java\tscript:", " javascript:", "vbscript:", "data:text/html,", "file:///",
            "&#x6A;avascript:", "&#106;avascript:", "javascript&colon;", "%6Aavascript:",
            "\u{0}javascript:", "//evil.example", "/relative", "<javascript:alert(1)>",
            "<https://x.example>", "<mailto:a@b.co>", "<script>", "<img src=x onerror=y>",
        ])
        .prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
    ];
    prop_oneof![
        5 => prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat()),
        1 => any::<String>(),
    ]
}

fn names() -> MentionNames {
    MentionNames {
        people: vec![("Ana Lima".into(), true), ("\u{212A}elvin".into(), false)],
        channel: true,
    }
}

#[derive(Default)]
struct Stats {
    nodes: usize,
    depth: usize,
    text_bytes: usize,
    hrefs: Vec<String>,
    mentions: Vec<String>,
}

fn walk(nodes: &[Node], depth: usize, stats: &mut Stats) {
    stats.depth = stats.depth.max(depth);
    for node in nodes {
        stats.nodes += 1;
        match node {
            Node::Text(t) | Node::Code(t) | Node::CodeBlock(t) => stats.text_bytes += t.len(),
            Node::Mention { text, .. } => {
                stats.text_bytes += text.len();
                stats.mentions.push(text.clone());
            }
            Node::Inline(inline, children) => {
                if let Inline::Link { href } = inline {
                    stats.hrefs.push(href.clone());
                }
                walk(children, depth + 1, stats);
            }
            Node::Block(_, children) => walk(children, depth + 1, stats),
            Node::LineBreak | Node::Rule => {}
        }
    }
}

/// What the browser would make of the href: the scheme after it strips what URL
/// parsing strips (leading/trailing C0 and space, tabs and newlines anywhere).
fn browser_scheme(href: &str) -> Option<String> {
    let cleaned: String = href
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    Some(scheme.to_ascii_lowercase())
}

#[test]
fn any_message_body_renders_to_a_bounded_tree_with_only_safe_links() {
    let names = names();
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&body(), |input| {
        let nodes = parse(&input, &names);
        let mut stats = Stats::default();
        walk(&nodes, 0, &mut stats);

        // Proportionate: no construct multiplies the input (tabs expand to at most
        // four spaces; a task marker or line break adds a few bytes).
        let n = input.len();
        prop_assert!(
            stats.text_bytes <= 4 * n + 8,
            "{} bytes from {n}",
            stats.text_bytes
        );
        prop_assert!(stats.nodes <= 2 * n + 2, "{} nodes from {n}", stats.nodes);
        prop_assert!(stats.depth <= n + 2, "depth {} from {n}", stats.depth);

        for href in &stats.hrefs {
            let scheme = browser_scheme(href);
            prop_assert!(
                matches!(scheme.as_deref(), Some("http" | "https" | "mailto")),
                "unsafe href {href:?} from {input:?}"
            );
            prop_assert!(!href.chars().any(|c| c.is_control() || c.is_whitespace()));
        }
        for mention in &stats.mentions {
            let lower = mention.to_lowercase();
            let known = [
                "@ana lima",
                "@\u{212A}elvin",
                "@here",
                "@channel",
                "@everyone",
            ]
            .iter()
            .any(|name| name.to_lowercase() == lower);
            prop_assert!(known, "mention {mention:?} from {input:?}");
        }
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}

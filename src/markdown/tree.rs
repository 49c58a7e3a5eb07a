//! pulldown-cmark events folded into a small tree that can only express safe output:
//! there is no node for raw HTML (it becomes [`Node::Text`]) and links carry an href
//! only after [`safe_href`] accepted it (bare addresses in text: [`split_urls`]).

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd, TextMergeStream};

use super::autolink::{split_urls, Piece};
use super::links::safe_href;
use super::mentions::{MentionNames, Run};

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph,
    /// Headings render as a bold paragraph: a chat message has no document outline.
    Heading,
    Quote,
    List {
        start: Option<u64>,
    },
    Item,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Strong,
    Emphasis,
    Strike,
    /// Only ever built with a vetted href.
    Link {
        href: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Text(String),
    Mention { text: String, me: bool },
    Code(String),
    CodeBlock(String),
    Block(Block, Vec<Node>),
    Inline(Inline, Vec<Node>),
    LineBreak,
    Rule,
}

/// Parses a message body. `names` says which `@mentions` to highlight.
pub fn parse(body: &str, names: &MentionNames) -> Vec<Node> {
    let options = Options::ENABLE_STRIKETHROUGH;
    // A stack of open containers; the root collects top-level nodes.
    let mut stack: Vec<(Frame, Vec<Node>)> = vec![(Frame::Root, Vec::new())];
    let mut in_link = 0usize;

    // Merged, so an address the parser reported in several text events is seen whole.
    for event in TextMergeStream::new(Parser::new_ext(body, options)) {
        match event {
            Event::Start(tag) => {
                let frame = match tag {
                    Tag::Paragraph => Frame::Block(Block::Paragraph),
                    Tag::Heading { .. } => Frame::Block(Block::Heading),
                    Tag::BlockQuote(_) => Frame::Block(Block::Quote),
                    Tag::List(start) => Frame::Block(Block::List { start }),
                    Tag::Item => Frame::Block(Block::Item),
                    Tag::CodeBlock(kind) => {
                        let _ = matches!(kind, CodeBlockKind::Fenced(_));
                        Frame::CodeBlock
                    }
                    Tag::Emphasis => Frame::Inline(Inline::Emphasis),
                    Tag::Strong => Frame::Inline(Inline::Strong),
                    Tag::Strikethrough => Frame::Inline(Inline::Strike),
                    Tag::Link { dest_url, .. } => {
                        in_link += 1;
                        match safe_href(&dest_url) {
                            Some(href) => Frame::Inline(Inline::Link { href }),
                            // Unsafe target: keep the link text, drop the link.
                            None => Frame::Transparent,
                        }
                    }
                    Tag::Image { dest_url, .. } => {
                        // No remote images (tracking pixels): show the alt text, linked
                        // when the target is safe.
                        in_link += 1;
                        match safe_href(&dest_url) {
                            Some(href) => Frame::Inline(Inline::Link { href }),
                            None => Frame::Transparent,
                        }
                    }
                    // HTML blocks: their content arrives as `Html` events → text.
                    _ => Frame::Transparent,
                };
                stack.push((frame, Vec::new()));
            }
            Event::End(end) => {
                if matches!(end, TagEnd::Link | TagEnd::Image) {
                    in_link = in_link.saturating_sub(1);
                }
                if stack.len() <= 1 {
                    continue; // unbalanced (cannot happen with pulldown-cmark)
                }
                let (frame, children) = stack.pop().unwrap_or((Frame::Root, Vec::new()));
                let parent = &mut stack.last_mut().expect("root").1;
                match frame {
                    Frame::Block(b) => parent.push(Node::Block(b, children)),
                    Frame::Inline(i) => parent.push(Node::Inline(i, children)),
                    Frame::CodeBlock => {
                        let text = children
                            .into_iter()
                            .map(|n| match n {
                                Node::Text(t) => t,
                                _ => String::new(),
                            })
                            .collect::<String>();
                        parent.push(Node::CodeBlock(text.trim_end_matches('\n').to_string()));
                    }
                    Frame::Transparent | Frame::Root => {
                        for child in children {
                            match child {
                                Node::Text(t) => push_text(parent, &t),
                                other => parent.push(other),
                            }
                        }
                    }
                }
            }
            Event::Text(text) => {
                let top = stack.last_mut().expect("root");
                if matches!(top.0, Frame::CodeBlock) || in_link > 0 {
                    push_text(&mut top.1, &text);
                } else {
                    for piece in split_urls(&text) {
                        match piece {
                            Piece::Url(url) => top.1.push(Node::Inline(
                                Inline::Link {
                                    href: url.to_string(),
                                },
                                vec![Node::Text(url.to_string())],
                            )),
                            Piece::Text(t) => push_runs(&mut top.1, names, t),
                        }
                    }
                }
            }
            Event::Code(code) => stack
                .last_mut()
                .expect("root")
                .1
                .push(Node::Code(code.to_string())),
            // Raw HTML is shown exactly as typed.
            Event::Html(html) | Event::InlineHtml(html) => {
                push_text(&mut stack.last_mut().expect("root").1, &html)
            }
            Event::SoftBreak => push_text(&mut stack.last_mut().expect("root").1, "\n"),
            Event::HardBreak => stack.last_mut().expect("root").1.push(Node::LineBreak),
            Event::Rule => stack.last_mut().expect("root").1.push(Node::Rule),
            Event::TaskListMarker(done) => push_text(
                &mut stack.last_mut().expect("root").1,
                if done { "[x] " } else { "[ ] " },
            ),
            Event::InlineMath(t) | Event::DisplayMath(t) | Event::FootnoteReference(t) => {
                push_text(&mut stack.last_mut().expect("root").1, &t)
            }
        }
    }
    // Close anything left open (defensive).
    while stack.len() > 1 {
        let (_, children) = stack.pop().unwrap_or((Frame::Root, Vec::new()));
        stack.last_mut().expect("root").1.extend(children);
    }
    stack.pop().map(|(_, nodes)| nodes).unwrap_or_default()
}

enum Frame {
    Root,
    Block(Block),
    Inline(Inline),
    CodeBlock,
    /// A container we do not render (unsafe link, HTML block): children pass through.
    Transparent,
}

/// Plain text with its `@mentions` picked out.
fn push_runs(nodes: &mut Vec<Node>, names: &MentionNames, text: &str) {
    for run in names.split(text) {
        match run {
            Run::Text(t) => push_text(nodes, &t),
            Run::Mention { text, me } => nodes.push(Node::Mention { text, me }),
        }
    }
}

fn push_text(nodes: &mut Vec<Node>, text: &str) {
    if let Some(Node::Text(last)) = nodes.last_mut() {
        last.push_str(text);
    } else {
        nodes.push(Node::Text(text.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(body: &str) -> Vec<Node> {
        parse(body, &MentionNames::default())
    }

    fn text(s: &str) -> Node {
        Node::Text(s.into())
    }

    /// Every href anywhere in the tree.
    fn hrefs(nodes: &[Node]) -> Vec<String> {
        let mut out = vec![];
        for n in nodes {
            match n {
                Node::Inline(Inline::Link { href }, children) => {
                    out.push(href.clone());
                    out.extend(hrefs(children));
                }
                Node::Inline(_, children) | Node::Block(_, children) => out.extend(hrefs(children)),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn script_tags_come_out_as_text() {
        let nodes = p("<script>alert(1)</script>");
        assert_eq!(nodes, vec![text("<script>alert(1)</script>")]);
        let inline = p("hi <script>alert(1)</script> there");
        assert_eq!(
            inline,
            vec![Node::Block(
                Block::Paragraph,
                vec![text("hi <script>alert(1)</script> there")]
            )]
        );
    }

    #[test]
    fn img_onerror_is_inert_text() {
        let nodes = p("look <img src=x onerror=alert(1)>");
        assert_eq!(
            nodes,
            vec![Node::Block(
                Block::Paragraph,
                vec![text("look <img src=x onerror=alert(1)>")]
            )]
        );
        let block = p("<img src=x onerror=alert(1)>\n");
        assert_eq!(block, vec![text("<img src=x onerror=alert(1)>\n")]);
    }

    #[test]
    fn javascript_links_lose_their_href() {
        let nodes = p("[click](javascript:alert(1)) and <javascript:alert(2)>");
        assert!(hrefs(&nodes).is_empty(), "{nodes:?}");
        assert_eq!(
            nodes,
            vec![Node::Block(
                Block::Paragraph,
                vec![text("click and javascript:alert(2)")]
            )]
        );
        let image = p("![x](javascript:alert(1))");
        assert!(hrefs(&image).is_empty());
    }

    #[test]
    fn safe_links_and_formatting() {
        let nodes = p("**b** _i_ ~~s~~ `c` [site](https://example.com) <mailto:a@b.co>");
        assert_eq!(hrefs(&nodes), vec!["https://example.com", "mailto:a@b.co"]);
        let Node::Block(Block::Paragraph, inl) = &nodes[0] else {
            panic!()
        };
        assert_eq!(inl[0], Node::Inline(Inline::Strong, vec![text("b")]));
        assert_eq!(inl[2], Node::Inline(Inline::Emphasis, vec![text("i")]));
        assert_eq!(inl[4], Node::Inline(Inline::Strike, vec![text("s")]));
        assert_eq!(inl[6], Node::Code("c".into()));
    }

    #[test]
    fn blocks_lists_quotes_and_code() {
        let nodes = p("> quoted\n\n- one\n- two\n\n```\nlet x = \"<b>\";\n```");
        assert!(matches!(nodes[0], Node::Block(Block::Quote, _)));
        assert!(
            matches!(&nodes[1], Node::Block(Block::List { start: None }, items) if items.len() == 2)
        );
        assert_eq!(nodes[2], Node::CodeBlock("let x = \"<b>\";".into()));
    }

    #[test]
    fn bare_web_addresses_become_links_outside_code_and_links() {
        let nodes = p(
            "see https://example.com/a_b_c?x=1&y=2. `https://code.example` and \
                       [text](https://named.example) <https://auto.example>",
        );
        assert_eq!(
            hrefs(&nodes),
            vec![
                "https://example.com/a_b_c?x=1&y=2",
                "https://named.example",
                "https://auto.example"
            ]
        );
        let Node::Block(Block::Paragraph, inl) = &nodes[0] else {
            panic!()
        };
        assert_eq!(inl[0], text("see "));
        assert_eq!(
            inl[1],
            Node::Inline(
                Inline::Link {
                    href: "https://example.com/a_b_c?x=1&y=2".into()
                },
                vec![text("https://example.com/a_b_c?x=1&y=2")]
            )
        );
        assert_eq!(inl[2], text(". "));
        assert_eq!(inl[3], Node::Code("https://code.example".into()));
        // Not in a code block, nor for other schemes.
        let block = p("```\nhttps://block.example\n```\n\njavascript://x.example/%0a");
        assert!(hrefs(&block).is_empty(), "{block:?}");
    }

    #[test]
    fn a_mention_beside_an_address_is_still_a_mention() {
        let names = MentionNames {
            people: vec![("Ana".into(), false)],
            channel: false,
        };
        let nodes = parse("@Ana https://example.com/@Ana", &names);
        let Node::Block(_, inl) = &nodes[0] else {
            panic!()
        };
        assert_eq!(
            inl[0],
            Node::Mention {
                text: "@Ana".into(),
                me: false
            }
        );
        assert_eq!(hrefs(&nodes), vec!["https://example.com/@Ana"]);
        assert_eq!(inl.len(), 3, "{inl:?}");
    }

    #[test]
    fn mentions_are_found_outside_code_only() {
        let names = MentionNames {
            people: vec![("Ana".into(), true)],
            channel: false,
        };
        let nodes = parse("hi @Ana `@Ana`", &names);
        let Node::Block(_, inl) = &nodes[0] else {
            panic!()
        };
        assert_eq!(
            inl[1],
            Node::Mention {
                text: "@Ana".into(),
                me: true
            }
        );
        assert_eq!(inl[3], Node::Code("@Ana".into()));
    }
}

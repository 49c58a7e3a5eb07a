//! Renders the safe tree as Leptos views: text is always a text node, never markup.

use leptos::prelude::*;

use super::mentions::MentionNames;
use super::tree::{parse, Block, Inline, Node};

/// A message body. Re-parses only when the component is re-created (the message list
/// keys rows by id and revision).
#[component]
pub fn Markdown(body: String, names: MentionNames) -> impl IntoView {
    let nodes = parse(&body, &names);
    view! { <div class="md">{render_all(nodes)}</div> }
}

fn render_all(nodes: Vec<Node>) -> Vec<AnyView> {
    nodes.into_iter().map(render).collect()
}

fn render(node: Node) -> AnyView {
    match node {
        Node::Text(t) => t.into_any(),
        Node::Mention { text, me } => view! {
            <span class="mention" class:mention-me=me>{text}</span>
        }
        .into_any(),
        Node::Code(c) => view! { <code>{c}</code> }.into_any(),
        Node::CodeBlock(c) => view! { <pre><code>{c}</code></pre> }.into_any(),
        Node::LineBreak => view! { <br /> }.into_any(),
        Node::Rule => view! { <hr /> }.into_any(),
        Node::Block(block, children) => {
            let children = render_all(children);
            match block {
                Block::Paragraph => view! { <p>{children}</p> }.into_any(),
                Block::Heading => view! { <p class="md-heading">{children}</p> }.into_any(),
                Block::Quote => view! { <blockquote>{children}</blockquote> }.into_any(),
                Block::List { start: Some(start) } => {
                    view! { <ol start=start.to_string()>{children}</ol> }.into_any()
                }
                Block::List { start: None } => view! { <ul>{children}</ul> }.into_any(),
                Block::Item => view! { <li>{children}</li> }.into_any(),
            }
        }
        Node::Inline(inline, children) => {
            let children = render_all(children);
            match inline {
                Inline::Strong => view! { <strong>{children}</strong> }.into_any(),
                Inline::Emphasis => view! { <em>{children}</em> }.into_any(),
                Inline::Strike => view! { <del>{children}</del> }.into_any(),
                Inline::Link { href } => view! {
                    <a href=href target="_blank" rel="noopener noreferrer">{children}</a>
                }
                .into_any(),
            }
        }
    }
}

//! A reply as blocks, written out as plain text or as simple HTML.

use ftdesk_render::escape_html;

/// One block of the email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Para(String),
    Items(Vec<Item>),
}

/// A list item: a first line, indented detail lines, and items under it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    pub lead: String,
    pub details: Vec<String>,
    pub children: Vec<Item>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    blocks: Vec<Block>,
}

const DETAIL_INDENT: &str = "   ";

impl Document {
    pub fn push(&mut self, block: Block) {
        let empty = match &block {
            Block::Heading(s) | Block::Para(s) => s.trim().is_empty(),
            Block::Items(items) => items.is_empty(),
        };
        if !empty {
            self.blocks.push(block);
        }
    }

    pub fn extend(&mut self, blocks: impl IntoIterator<Item = Block>) {
        for block in blocks {
            self.push(block);
        }
    }

    /// Plain text: blocks separated by blank lines, details indented.
    pub fn to_text(&self) -> String {
        let mut parts = Vec::new();
        for block in &self.blocks {
            parts.push(match block {
                Block::Heading(s) | Block::Para(s) => s.clone(),
                Block::Items(items) => items_text(items),
            });
        }
        let mut text = parts.join("\n\n");
        text.push('\n');
        text
    }

    /// A small HTML document with the same content.
    pub fn to_html(&self) -> String {
        let mut html = String::from(
            "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"></head>\n<body>\n",
        );
        for block in &self.blocks {
            match block {
                Block::Heading(s) => html.push_str(&format!("<h3>{}</h3>\n", escape_html(s))),
                Block::Para(s) => html.push_str(&format!(
                    "<p>{}</p>\n",
                    escape_html(s).replace('\n', "<br>\n")
                )),
                Block::Items(items) => html.push_str(&items_html(items)),
            }
        }
        html.push_str("</body>\n</html>\n");
        html
    }
}

fn items_text(items: &[Item]) -> String {
    let mut lines = Vec::new();
    push_items_text(items, "", &mut lines);
    lines.join("\n")
}

fn push_items_text(items: &[Item], indent: &str, lines: &mut Vec<String>) {
    let inner = format!("{indent}{DETAIL_INDENT}");
    for item in items {
        let bullet = if item
            .lead
            .starts_with(|c: char| c.is_ascii_digit() || c == '-')
        {
            ""
        } else {
            "- "
        };
        lines.push(format!("{indent}{bullet}{}", item.lead));
        for detail in &item.details {
            lines.push(format!("{inner}{detail}"));
        }
        push_items_text(&item.children, &inner, lines);
    }
}

fn items_html(items: &[Item]) -> String {
    let mut html = String::from("<ul>\n");
    for item in items {
        let lead = item.lead.trim_start_matches("- ");
        html.push_str(&format!("<li>{}", escape_html(lead)));
        for detail in &item.details {
            html.push_str(&format!("<br>\n{}", detail_html(detail)));
        }
        if !item.children.is_empty() {
            html.push('\n');
            html.push_str(&items_html(&item.children));
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ul>\n");
    html
}

/// Commands in `<code>` so they copy cleanly.
fn detail_html(detail: &str) -> String {
    match detail.split_once(": aws ") {
        Some((label, command)) => {
            format!(
                "{}: <code>aws {}</code>",
                escape_html(label),
                escape_html(command)
            )
        }
        None => escape_html(detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_html() {
        let mut doc = Document::default();
        doc.push(Block::Para("Hello <Jane>,".into()));
        doc.push(Block::Para("  ".into()));
        doc.push(Block::Heading("Steps".into()));
        doc.push(Block::Items(vec![Item {
            lead: "- nat".into(),
            details: vec!["AWS CLI: aws ec2 delete-nat-gateway".into()],
            children: vec![Item {
                lead: "$1.00: hours".into(),
                details: vec!["10 hours".into()],
                children: Vec::new(),
            }],
        }]));
        assert_eq!(
            doc.to_text(),
            "Hello <Jane>,\n\nSteps\n\n- nat\n   AWS CLI: aws ec2 delete-nat-gateway\n   - $1.00: hours\n      10 hours\n"
        );
        let html = doc.to_html();
        assert!(html.contains("<p>Hello &lt;Jane&gt;,</p>"));
        assert!(html.contains("<code>aws ec2 delete-nat-gateway</code>"));
        assert!(html.contains("<ul>\n<li>$1.00: hours<br>\n10 hours</li>\n</ul>\n</li>"));
    }
}

//! The JSON bodies of the webhook styles.
//!
//! Slack incoming webhooks take `text` (the notification and fallback) and
//! `blocks` (Block Kit). Teams incoming webhooks (Workflows, and the older
//! connectors) take a `message` whose `attachments` hold an Adaptive Card.

use ftdesk_guard::Alert;
use serde_json::{json, Value};

/// Slack allows at most 150 characters in a header block.
const SLACK_HEADER_MAX: usize = 150;

/// `{ "alert": {...}, "text": "..." }`: the whole alert for a program.
pub fn generic(alert: &Alert) -> Value {
    json!({ "alert": alert, "text": alert.text() })
}

pub fn slack(alert: &Alert) -> Value {
    let mut facts = vec![escape_mrkdwn(&alert.amount)];
    facts.extend(alert.by_when.as_deref().map(escape_mrkdwn));
    let action: Vec<String> = alert
        .action
        .iter()
        .map(|line| match line.split_once(": ") {
            Some((label, command)) if is_command(command) => {
                format!("{}: `{}`", escape_mrkdwn(label), escape_mrkdwn(command))
            }
            _ => escape_mrkdwn(line),
        })
        .collect();
    let mut blocks = vec![
        json!({ "type": "header", "text": { "type": "plain_text", "text": header(&alert.title), "emoji": false } }),
        json!({ "type": "section", "text": { "type": "mrkdwn", "text": facts.join("\n") } }),
    ];
    if !action.is_empty() {
        blocks.push(
            json!({ "type": "section", "text": { "type": "mrkdwn", "text": action.join("\n") } }),
        );
    }
    blocks.push(json!({
        "type": "context",
        "elements": [ { "type": "mrkdwn", "text": format!("ftdesk guard · {} · {}", alert.kind.as_str(), alert.id) } ]
    }));
    json!({ "text": alert.text(), "blocks": blocks })
}

pub fn teams(alert: &Alert) -> Value {
    let mut body = vec![
        json!({ "type": "TextBlock", "text": alert.title, "weight": "Bolder", "size": "Medium", "wrap": true }),
        json!({ "type": "TextBlock", "text": alert.amount, "wrap": true }),
    ];
    body.extend(
        alert.by_when.iter().map(
            |when| json!({ "type": "TextBlock", "text": when, "wrap": true, "isSubtle": true }),
        ),
    );
    body.extend(alert.action.iter().map(
        |line| json!({ "type": "TextBlock", "text": line, "wrap": true, "fontType": "Monospace" }),
    ));
    body.push(json!({
        "type": "TextBlock",
        "text": format!("ftdesk guard · {} · {}", alert.kind.as_str(), alert.id),
        "wrap": true, "isSubtle": true, "size": "Small"
    }));
    json!({
        "type": "message",
        "attachments": [ {
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "msteams": { "width": "Full" },
                "body": body
            }
        } ]
    })
}

/// A CLI line's command (`aws ...`), shown as code.
fn is_command(text: &str) -> bool {
    text.starts_with("aws ")
}

/// Slack's mrkdwn treats `&`, `<` and `>` as markup.
fn escape_mrkdwn(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn header(title: &str) -> String {
    if title.chars().count() <= SLACK_HEADER_MAX {
        return title.to_owned();
    }
    let mut cut: String = title.chars().take(SLACK_HEADER_MAX - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use ftdesk_guard::{alert_id, AlertKind};

    fn alert() -> Alert {
        Alert {
            id: alert_id("111", "2026-11", AlertKind::NeverFree, "nat-1", "any"),
            kind: AlertKind::NeverFree,
            account: "111".into(),
            month: "2026-11".into(),
            subject: "nat-1".into(),
            threshold: "any".into(),
            lang: "en".into(),
            title: "x".repeat(200),
            amount: "$1.00 for A&B <now>".into(),
            by_when: None,
            action: vec![
                "Console: VPC console > NAT gateways".into(),
                "CLI: aws ec2 delete-nat-gateway --nat-gateway-id nat-1".into(),
            ],
        }
    }

    #[test]
    fn slack_headers_are_cut_and_mrkdwn_is_escaped() {
        let body = slack(&alert());
        let header = body["blocks"][0]["text"]["text"].as_str().unwrap();
        assert_eq!(header.chars().count(), SLACK_HEADER_MAX);
        assert_eq!(
            body["blocks"][1]["text"]["text"],
            "$1.00 for A&amp;B &lt;now&gt;"
        );
        let action = body["blocks"][2]["text"]["text"].as_str().unwrap();
        assert!(
            action.contains("Console: VPC console &gt; NAT gateways"),
            "{action}"
        );
        assert!(
            action.contains("CLI: `aws ec2 delete-nat-gateway"),
            "{action}"
        );
    }

    #[test]
    fn a_teams_card_has_one_block_per_line() {
        let body = teams(&alert());
        let card = &body["attachments"][0]["content"];
        // title, amount, two action lines, the footer
        assert_eq!(card["body"].as_array().unwrap().len(), 5);
    }
}

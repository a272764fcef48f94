//! `ftdesk guard` as a service: the loop stops cleanly on SIGTERM; and the
//! Slack and Teams webhook bodies as a real HTTP receiver gets them.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::guard::{guard_once, ids, setup, webhook, Receiver, SECRET};

#[test]
fn sigterm_finishes_the_send_under_way_exits_0_and_loses_nothing() {
    let reference = Receiver::start(0, Duration::ZERO);
    let (_ref_dir, ref_config) = setup(&webhook(&reference.url()));
    assert!(guard_once(&ref_config).status.success());
    let expected = ids(&reference.received());
    assert!(expected.len() >= 2);

    let slow = Receiver::start(0, Duration::from_millis(1500));
    let (_dir, config) = setup(&webhook(&slow.url()));
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("interval_seconds = 3600\n{text}")).unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("ftdesk"))
        .args(["guard", "--config"])
        .arg(&config)
        .env("FTDESK_TEST_HOOK_SECRET", SECRET)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while slow.received().is_empty() {
        assert!(Instant::now() < deadline, "the loop never sent anything");
        std::thread::sleep(Duration::from_millis(20));
    }
    let in_flight = slow.received()[0].id.clone();
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "a clean stop exits 0");
    let sent_before_stop = slow.received().len();
    assert!(
        sent_before_stop < expected.len(),
        "the stop came before the last send"
    );

    // The next start sends the rest, and not the one that was under way.
    assert!(guard_once(&config).status.success());
    let received = slow.received();
    assert_eq!(ids(&received), expected, "nothing lost");
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &received {
        *count.entry(r.id.as_str()).or_default() += 1;
    }
    assert_eq!(
        count[in_flight.as_str()],
        1,
        "the send under way was recorded"
    );
    assert!(count.values().all(|n| *n == 1), "{count:?}");
}

fn styled(style: &str, url: &str) -> String {
    format!("[[notify]]\nkind = \"webhook\"\nname = \"{style}\"\nstyle = \"{style}\"\nurl = \"{url}\"\n")
}

#[test]
fn slack_and_teams_get_the_bodies_their_incoming_webhooks_accept() {
    let slack = Receiver::start(0, Duration::ZERO);
    let teams = Receiver::start(0, Duration::ZERO);
    let (_dir, config) = setup(&format!(
        "{}{}",
        styled("slack", &slack.url()),
        styled("teams", &teams.url())
    ));
    let out = guard_once(&config);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (slack, teams) = (slack.received(), teams.received());
    assert!(!slack.is_empty());
    assert_eq!(ids(&slack), ids(&teams), "both got every alert");

    for r in &slack {
        let body = &r.body;
        assert!(
            body["text"].as_str().is_some_and(|t| !t.is_empty()),
            "{body}"
        );
        let blocks = body["blocks"].as_array().expect("blocks");
        assert_eq!(blocks[0]["type"], "header");
        assert_eq!(blocks[0]["text"]["type"], "plain_text");
        assert!(blocks[0]["text"]["text"].as_str().unwrap().chars().count() <= 150);
        for block in blocks {
            let kind = block["type"].as_str().unwrap();
            assert!(["header", "section", "context"].contains(&kind), "{block}");
            if kind == "section" {
                assert_eq!(block["text"]["type"], "mrkdwn");
                let text = block["text"]["text"].as_str().unwrap();
                assert!(!text.is_empty() && text.len() <= 3000);
                assert!(!text.contains(" > "), "unescaped > in mrkdwn: {text}");
            }
        }
        let context = blocks.last().unwrap();
        assert_eq!(context["type"], "context");
        assert!(context["elements"][0]["text"]
            .as_str()
            .unwrap()
            .contains(&r.id));
    }

    for r in &teams {
        let body = &r.body;
        assert_eq!(body["type"], "message", "{body}");
        let attachments = body["attachments"].as_array().expect("attachments");
        assert_eq!(attachments.len(), 1);
        assert_eq!(
            attachments[0]["contentType"],
            "application/vnd.microsoft.card.adaptive"
        );
        let card = &attachments[0]["content"];
        assert_eq!(card["type"], "AdaptiveCard");
        assert!(card["version"].as_str().is_some());
        let blocks = card["body"].as_array().unwrap();
        assert!(blocks
            .iter()
            .all(|b| b["type"] == "TextBlock" && b["wrap"] == Value::Bool(true)));
        assert_eq!(blocks[0]["weight"], "Bolder");
        let all_text: Vec<&str> = blocks.iter().map(|b| b["text"].as_str().unwrap()).collect();
        assert!(
            all_text.iter().any(|t| t.starts_with("Console:")),
            "{all_text:?}"
        );
    }
}

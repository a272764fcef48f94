//! The grader against a strict reviewer: every answer of the calibration set
//! (`tests/data/calibration/calibration.toml`) gets the reviewer's verdict and
//! lands within ten points of the reviewer's score.

use std::path::{Path, PathBuf};

use ftdesk_practice::{grade, CaseTruth};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Calibration {
    answer: Vec<Reviewed>,
}

#[derive(Debug, Deserialize)]
struct Reviewed {
    id: String,
    case: Case,
    verdict: String,
    reviewer: u32,
    why: String,
}

#[derive(Debug, Deserialize)]
struct Case {
    seed: u64,
    lang: String,
}

/// How far the grader may land from the reviewer's score.
const TOLERANCE: u32 = 10;

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/calibration")
}

fn calibration() -> Calibration {
    let text = std::fs::read_to_string(folder().join("calibration.toml")).unwrap();
    toml::from_str(&text).expect("calibration.toml parses")
}

fn key(seed: u64) -> CaseTruth {
    let path = folder().join(format!("case-{seed}.key.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_answer_gets_the_reviewers_verdict_and_score() {
    let set = calibration();
    let mut misses = Vec::new();
    for answer in &set.answer {
        let text = std::fs::read_to_string(folder().join(format!("{}.txt", answer.id))).unwrap();
        let graded = grade(&text, &key(answer.case.seed)).unwrap();
        let verdict = if graded.passed { "pass" } else { "not yet" };
        let (low, high) = (
            answer.reviewer.saturating_sub(TOLERANCE),
            (answer.reviewer + TOLERANCE).min(100),
        );
        if verdict != answer.verdict || !(low..=high).contains(&graded.score) {
            misses.push(format!(
                "{}: graded {} ({verdict}), reviewer {} ({}): {}",
                answer.id, graded.score, answer.reviewer, answer.verdict, answer.why
            ));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

#[test]
fn the_set_covers_both_languages_both_verdicts_and_a_dozen_answers() {
    let set = calibration();
    assert!(set.answer.len() >= 12, "{} answers", set.answer.len());
    for lang in ["en", "ko"] {
        for verdict in ["pass", "not yet"] {
            assert!(
                set.answer
                    .iter()
                    .any(|a| a.case.lang == lang && a.verdict == verdict),
                "no {lang} answer with the verdict {verdict}"
            );
        }
    }
    for answer in &set.answer {
        assert_eq!(
            key(answer.case.seed).lang,
            answer.case.lang,
            "{}",
            answer.id
        );
        assert!(!answer.why.trim().is_empty(), "{} says why", answer.id);
    }
}

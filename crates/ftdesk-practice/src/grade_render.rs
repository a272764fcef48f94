//! The grade as text (with the model reply side by side), JSON or HTML.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::grade::{CriterionGrade, Grade, Point, PART_MINIMUM, PASS_MARK};
use crate::l10n::Messages;
use crate::Lang;
use ftdesk_render::escape_html;

/// What `ftdesk reply` drafts for the case, shown after the grade.
#[derive(Debug, Clone, Default)]
pub struct ModelReply {
    pub text: String,
    /// The associate's notes, with the reply's own improvement proposal.
    pub notes: String,
}

/// Width of each column of the side-by-side comparison.
const COLUMN: usize = 46;

pub fn grade_text(grade: &Grade, yours: &str, model: &ModelReply) -> String {
    let lang: Lang = grade.lang.parse().unwrap_or(Lang::En);
    let m = Messages::new(lang);
    let mut out = summary_lines(&m, grade);
    out.push(String::new());
    out.extend(side_by_side(
        &m.text("grade-yours"),
        yours,
        &m.text("grade-model"),
        &model.text,
    ));
    if !model.notes.trim().is_empty() {
        out.push(String::new());
        out.push(m.text("grade-model-notes"));
        out.push(String::new());
        out.push(model.notes.trim_end().to_owned());
    }
    out.push(String::new());
    out.join("\n")
}

fn summary_lines(m: &Messages, grade: &Grade) -> Vec<String> {
    let verdict = m.text(if grade.passed {
        "grade-passed"
    } else {
        "grade-failed"
    });
    let mut out = vec![
        m.get(
            "grade-title",
            &[("score", &grade.score.to_string()), ("verdict", &verdict)],
        ),
        m.get(
            "grade-pass-mark",
            &[
                ("mark", &PASS_MARK.to_string()),
                ("part", &PART_MINIMUM.to_string()),
                ("email", "70"),
                ("proposal", "30"),
            ],
        ),
        String::new(),
    ];
    if !grade.critical.is_empty() {
        out.push(m.text("grade-critical"));
        for point in &grade.critical {
            out.extend(point_lines(point, "  "));
        }
        out.push(String::new());
    }
    if let Some(cap) = grade.holds.iter().map(|h| h.cap).min() {
        out.push(m.get("grade-holds", &[("cap", &cap.to_string())]));
        for hold in &grade.holds {
            out.extend(point_lines(&hold.point, "  "));
        }
        out.push(String::new());
    }
    out.push(m.get("grade-email", &[("score", &grade.email_score.to_string())]));
    for criterion in &grade.email {
        out.extend(criterion_lines(m, criterion));
    }
    out.push(String::new());
    out.push(m.get(
        "grade-proposal",
        &[("score", &grade.proposal_score.to_string())],
    ));
    for criterion in &grade.proposal {
        out.extend(criterion_lines(m, criterion));
    }
    out.push(String::new());
    out.push(m.text("grade-side-by-side"));
    out
}

fn criterion_lines(m: &Messages, c: &CriterionGrade) -> Vec<String> {
    let mut out = vec![format!(
        "  {}",
        m.get(
            "grade-criterion",
            &[
                ("name", &c.name),
                ("earned", &c.earned.to_string()),
                ("weight", &c.weight.to_string()),
                ("checks", &c.checks),
            ],
        )
    )];
    for point in &c.points {
        out.extend(point_lines(point, "    "));
    }
    out
}

fn point_lines(point: &Point, indent: &str) -> Vec<String> {
    let mark = if point.ok { '✓' } else { '✗' };
    let mut out = vec![format!("{indent}{mark} {}", point.text)];
    if let Some(quote) = &point.quote {
        out.push(format!("{indent}    > \"{quote}\""));
    }
    out
}

/// Two texts in columns, each wrapped to [`COLUMN`] display cells.
fn side_by_side(left_title: &str, left: &str, right_title: &str, right: &str) -> Vec<String> {
    let mut l = vec![left_title.to_owned(), "-".repeat(COLUMN)];
    l.extend(wrap(left, COLUMN));
    let mut r = vec![right_title.to_owned(), "-".repeat(COLUMN)];
    r.extend(wrap(right, COLUMN));
    let rows = l.len().max(r.len());
    (0..rows)
        .map(|i| {
            let a = l.get(i).map_or("", String::as_str);
            let b = r.get(i).map_or("", String::as_str);
            if b.is_empty() {
                a.trim_end().to_owned()
            } else {
                format!("{} | {b}", pad(a, COLUMN)).trim_end().to_owned()
            }
        })
        .collect()
}

fn pad(s: &str, width: usize) -> String {
    let w = s.width();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// Wraps at spaces; a word wider than the column is cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut current = String::new();
        for word in line.split_whitespace() {
            for piece in cut(word, width) {
                let needed = if current.is_empty() {
                    piece.width()
                } else {
                    current.width() + 1 + piece.width()
                };
                if needed > width && !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(&piece);
            }
        }
        out.push(current);
    }
    out
}

fn cut(word: &str, width: usize) -> Vec<String> {
    let mut pieces = vec![String::new()];
    for c in word.chars() {
        let last = pieces.last_mut().expect("never empty");
        if last.width() + c.width().unwrap_or(0) > width {
            pieces.push(String::new());
        }
        pieces.last_mut().expect("never empty").push(c);
    }
    pieces
}

pub fn grade_json(grade: &Grade, model: &ModelReply) -> String {
    let value = serde_json::json!({
        "grade": grade,
        "model_reply": {"text": model.text, "notes": model.notes},
    });
    let mut json = serde_json::to_string_pretty(&value).unwrap_or_default();
    json.push('\n');
    json
}

pub fn grade_html(grade: &Grade, yours: &str, model: &ModelReply) -> String {
    let lang: Lang = grade.lang.parse().unwrap_or(Lang::En);
    let m = Messages::new(lang);
    let summary = escape_html(&summary_lines(&m, grade).join("\n"));
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head><meta charset=\"utf-8\"><title>ftdesk practice grade</title>\n\
<style>table{{border-collapse:collapse;width:100%}}td{{vertical-align:top;width:50%;padding:0 1em}}pre{{white-space:pre-wrap}}</style></head>\n\
<body>\n<pre>{summary}</pre>\n<table><tr><th>{yt}</th><th>{mt}</th></tr>\n<tr><td><pre>{yours}</pre></td><td><pre>{model}</pre></td></tr></table>\n\
<h2>{nt}</h2>\n<pre>{notes}</pre>\n</body>\n</html>\n",
        lang = lang.code(),
        yt = escape_html(&m.text("grade-yours")),
        mt = escape_html(&m.text("grade-model")),
        yours = escape_html(yours),
        model = escape_html(&model.text),
        nt = escape_html(&m.text("grade-model-notes")),
        notes = escape_html(&model.notes),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_counts_hangul_as_two_cells() {
        let lines = wrap("가나다라 마바사아 자차카타", 10);
        assert_eq!(lines, ["가나다라", "마바사아", "자차카타"]);
        assert!(wrap("abcdefghijkl", 5).iter().all(|l| l.width() <= 5));
    }

    #[test]
    fn columns_line_up() {
        let rows = side_by_side("a", "한국어 문장\nx", "b", "y");
        assert_eq!(
            rows[2],
            format!("한국어 문장{} | y", " ".repeat(COLUMN - 11))
        );
        assert_eq!(rows[3], "x");
    }
}

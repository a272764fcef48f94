//! Reading one answer: several lines finished by a marker, or written in the
//! candidate's editor. Where the lines come from (a line editor on a terminal,
//! piped standard input) is the caller's, behind [`Lines`].
//!
//! An answer ends at a line holding only `.`, at the second empty line in a
//! row, or at the end of input (Ctrl-D on a terminal). `:e` on a line of its
//! own opens `$VISUAL`/`$EDITOR` on the question and what was typed so far.
//! `/quit` or Ctrl-C (dropping what was typed of the answer), or the end of
//! input before any text, stops the interview.
//!
//! On a terminal each line's prompt shows the time the answer has taken so
//! far (`[1:42] > `), against the 2–3 minutes an answer should take.

use std::io::BufRead;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use ftdesk_core::Clock;
use ftdesk_practice::Messages;

use crate::Settings;

/// The line that finishes an answer.
pub const END_MARKER: &str = ".";
/// The line that opens the editor.
pub const EDIT_COMMAND: &str = ":e";
/// The line that stops the interview.
pub const QUIT_COMMAND: &str = "/quit";

/// What one read gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Text(String),
    /// The end of input, or Ctrl-D on an empty line.
    End,
    /// Ctrl-C.
    Interrupted,
}

/// Where an answer's lines come from.
pub trait Lines {
    /// One line without its ending; a terminal shows `prompt` first.
    fn read_line(&mut self, prompt: &str) -> std::io::Result<Line>;
    /// A word to the candidate (how to finish, editor trouble); a pipe drops it.
    fn note(&mut self, text: &str);
}

/// Lines from a pipe or a file: no prompts, no notes.
pub struct Piped<R>(pub R);

impl<R: BufRead> Lines for Piped<R> {
    fn read_line(&mut self, _prompt: &str) -> std::io::Result<Line> {
        let mut line = String::new();
        if self.0.read_line(&mut line)? == 0 {
            return Ok(Line::End);
        }
        Ok(Line::Text(line.trim_end_matches(['\n', '\r']).to_owned()))
    }

    fn note(&mut self, _text: &str) {}
}

/// What the candidate gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Given(String),
    /// `/quit`, Ctrl-C, or the end of input before any text.
    Stop,
}

/// Reads answers in the interview's language, with the candidate's editor if any.
pub struct AnswerReader {
    messages: Messages,
    editor: Option<String>,
    /// Open the editor for every answer (`--editor`).
    at_once: bool,
    /// A terminal: the editor can be opened, notes and the clock are shown.
    interactive: bool,
    clock: Arc<dyn Clock>,
}

/// What one typed line does to the answer.
enum Step {
    Add,
    Skip,
    Finish,
    Edit,
    Quit,
}

impl AnswerReader {
    pub fn new(
        messages: Messages,
        settings: &Settings,
        at_once: bool,
        interactive: bool,
        clock: Arc<dyn Clock>,
    ) -> Self {
        AnswerReader {
            messages,
            editor: settings.editor(),
            at_once,
            interactive,
            clock,
        }
    }

    /// One answer to `question`.
    pub fn read(&self, lines: &mut dyn Lines, question: &str) -> std::io::Result<Answer> {
        if self.at_once && self.interactive {
            if let Some(text) = self.edit(lines, question, "") {
                return Ok(Answer::Given(text));
            }
        }
        lines.note(&self.messages.text("live-more"));
        let started = self.clock.now().unix();
        let mut typed: Vec<String> = Vec::new();
        loop {
            let marker = if typed.is_empty() { "> " } else { "… " };
            let prompt = if self.interactive {
                let seconds = u64::try_from(self.clock.now().unix() - started).unwrap_or(0);
                format!("[{}] {marker}", ftdesk_practice::clock_text(seconds))
            } else {
                marker.to_owned()
            };
            let line = match lines.read_line(&prompt)? {
                Line::Interrupted => return Ok(Answer::Stop),
                Line::End if typed.iter().all(|l| l.trim().is_empty()) => return Ok(Answer::Stop),
                Line::End => return Ok(Answer::Given(joined(&typed))),
                Line::Text(line) => line,
            };
            match step(&line, &typed) {
                Step::Add => typed.push(line.trim_end().to_owned()),
                Step::Skip => {}
                Step::Finish => return Ok(Answer::Given(joined(&typed))),
                Step::Quit => return Ok(Answer::Stop),
                Step::Edit if self.interactive => {
                    if let Some(text) = self.edit(lines, question, &joined(&typed)) {
                        return Ok(Answer::Given(text));
                    }
                }
                Step::Edit => typed.push(line.trim_end().to_owned()),
            }
        }
    }

    /// The answer written in the editor, or `None` (with a note) when there
    /// is no editor, it failed, or it gave back nothing.
    fn edit(&self, lines: &mut dyn Lines, question: &str, so_far: &str) -> Option<String> {
        let m = &self.messages;
        let Some(editor) = &self.editor else {
            lines.note(&m.text("live-no-editor"));
            return None;
        };
        let comment = m.text("live-editor-comment");
        match edit_in(editor, question, &comment, so_far) {
            Ok(text) if !text.is_empty() => Some(text),
            Ok(_) => {
                lines.note(&m.text("live-editor-empty"));
                None
            }
            Err(error) => {
                let error = error.to_string();
                lines.note(&m.get("live-editor-failed", &[("error", &error)]));
                None
            }
        }
    }
}

fn step(line: &str, typed: &[String]) -> Step {
    let started = typed.iter().any(|l| !l.trim().is_empty());
    match line.trim() {
        QUIT_COMMAND => Step::Quit,
        EDIT_COMMAND => Step::Edit,
        END_MARKER if started => Step::Finish,
        END_MARKER => Step::Skip,
        "" if !started => Step::Skip,
        "" if typed.last().is_some_and(|l| l.trim().is_empty()) => Step::Finish,
        _ => Step::Add,
    }
}

/// The typed lines as one answer, without the blank lines around it.
fn joined(typed: &[String]) -> String {
    typed.join("\n").trim().to_owned()
}

/// Writes the question (as `#` lines) and `so_far` to a temporary file, runs
/// the editor on it, and reads it back without the `#` lines.
fn edit_in(editor: &str, question: &str, comment: &str, so_far: &str) -> std::io::Result<String> {
    let file = tempfile::Builder::new()
        .prefix("ftdesk-answer-")
        .suffix(".md")
        .tempfile()?;
    let header: String = [question, comment]
        .iter()
        .flat_map(|text| text.lines())
        .map(|line| format!("# {line}\n"))
        .collect();
    std::fs::write(file.path(), format!("{header}\n{so_far}\n"))?;
    let status = editor_command(editor, file.path()).status()?;
    if !status.success() {
        return Err(std::io::Error::other(format!("{editor}: {status}")));
    }
    let text = std::fs::read_to_string(file.path())?;
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    Ok(kept.join("\n").trim().to_owned())
}

/// The editor as the shell runs it, so `code --wait` or `vim -u NONE` work as in git.
#[cfg(unix)]
fn editor_command(editor: &str, path: &Path) -> Command {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(editor)
        .arg(path);
    command
}

#[cfg(not(unix))]
fn editor_command(editor: &str, path: &Path) -> Command {
    let mut words = editor.split_whitespace();
    let mut command = Command::new(words.next().unwrap_or(editor));
    command.args(words).arg(path);
    command
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use ftdesk_practice::Lang;

    use super::*;

    /// Lines as a person would type them, the prompts and the notes they
    /// were shown.
    struct Typed {
        lines: VecDeque<Line>,
        prompts: Vec<String>,
        notes: Vec<String>,
    }

    impl Typed {
        fn new(lines: &[Line]) -> Self {
            Typed {
                lines: lines.iter().cloned().collect(),
                prompts: Vec::new(),
                notes: Vec::new(),
            }
        }
    }

    impl Lines for Typed {
        fn read_line(&mut self, prompt: &str) -> std::io::Result<Line> {
            self.prompts.push(prompt.to_owned());
            Ok(self.lines.pop_front().unwrap_or(Line::End))
        }

        fn note(&mut self, text: &str) {
            self.notes.push(text.to_owned());
        }
    }

    fn text(line: &str) -> Line {
        Line::Text(line.to_owned())
    }

    use crate::interview::tests::clock as ticking;

    fn reader(pairs: &[(&str, &str)], at_once: bool) -> AnswerReader {
        let settings = Settings::from_pairs(pairs);
        AnswerReader::new(
            Messages::new(Lang::En),
            &settings,
            at_once,
            true,
            ticking(0),
        )
    }

    #[test]
    fn each_prompt_shows_the_time_the_answer_has_taken_on_a_terminal_only() {
        let lines = [text("First line."), text("Second."), text(".")];
        let settings = Settings::from_pairs(&[]);
        let on_terminal =
            AnswerReader::new(Messages::new(Lang::En), &settings, false, true, ticking(65));
        let mut typed = Typed::new(&lines);
        on_terminal.read(&mut typed, "Q?").unwrap();
        assert_eq!(typed.prompts, ["[1:05] > ", "[2:10] … ", "[3:15] … "]);
        let piped = AnswerReader::new(
            Messages::new(Lang::En),
            &settings,
            false,
            false,
            ticking(65),
        );
        let mut typed = Typed::new(&lines);
        piped.read(&mut typed, "Q?").unwrap();
        assert_eq!(typed.prompts, ["> ", "… ", "… "]);
    }

    fn given(text: &str) -> Answer {
        Answer::Given(text.to_owned())
    }

    #[test]
    fn a_dot_line_finishes_a_multi_line_answer() {
        let mut typed = Typed::new(&[
            text("Last year I led it."),
            text(""),
            text("It took 2 weeks."),
            text(" . "),
            text("next"),
        ]);
        let answer = reader(&[], false).read(&mut typed, "Q?").unwrap();
        assert_eq!(answer, given("Last year I led it.\n\nIt took 2 weeks."));
        assert_eq!(
            typed.lines,
            [text("next")],
            "the next answer's line is left"
        );
        assert!(
            typed.notes[0].contains("a line with just \".\""),
            "{:?}",
            typed.notes
        );
    }

    #[test]
    fn two_empty_lines_finish_and_leading_ones_are_skipped() {
        let mut typed = Typed::new(&[
            text(""),
            text("."),
            text("One."),
            text(""),
            text(""),
            text("next"),
        ]);
        let answer = reader(&[], false).read(&mut typed, "Q?").unwrap();
        assert_eq!(answer, given("One."));
        assert_eq!(typed.lines.len(), 1);
    }

    #[test]
    fn ctrl_d_finishes_a_started_answer_and_stops_an_empty_one() {
        let r = reader(&[], false);
        let mut typed = Typed::new(&[text("I did it."), Line::End]);
        assert_eq!(r.read(&mut typed, "Q?").unwrap(), given("I did it."));
        let mut empty = Typed::new(&[text(""), Line::End]);
        assert_eq!(r.read(&mut empty, "Q?").unwrap(), Answer::Stop);
        let mut ctrl_c = Typed::new(&[text("half"), Line::Interrupted]);
        assert_eq!(r.read(&mut ctrl_c, "Q?").unwrap(), Answer::Stop);
        let mut quit = Typed::new(&[text("half"), text(" /quit")]);
        assert_eq!(r.read(&mut quit, "Q?").unwrap(), Answer::Stop);
    }

    #[test]
    fn piped_answers_are_separated_by_dot_lines_and_end_with_the_input() {
        let input = "First answer,\nsecond line.\n.\nSecond answer.\r\n";
        let mut pipe = Piped(std::io::Cursor::new(input));
        let r = AnswerReader::new(
            Messages::new(Lang::En),
            &Settings::from_pairs(&[]),
            true,
            false,
            ticking(0),
        );
        assert_eq!(
            r.read(&mut pipe, "Q?").unwrap(),
            given("First answer,\nsecond line.")
        );
        assert_eq!(r.read(&mut pipe, "Q?").unwrap(), given("Second answer."));
        assert_eq!(r.read(&mut pipe, "Q?").unwrap(), Answer::Stop);
    }

    #[test]
    fn without_an_editor_e_says_so_and_typing_goes_on() {
        let mut typed = Typed::new(&[text(":e"), text("Typed."), text(".")]);
        let answer = reader(&[], false).read(&mut typed, "Q?").unwrap();
        assert_eq!(answer, given("Typed."));
        assert!(
            typed
                .notes
                .iter()
                .any(|n| n.contains("set VISUAL or EDITOR")),
            "{:?}",
            typed.notes
        );
    }

    /// A fake editor: keeps a copy of the file it was given, then appends an answer.
    #[cfg(unix)]
    fn fake_editor(dir: &Path, exit: u8) -> String {
        use std::os::unix::fs::PermissionsExt as _;
        let script = dir.join("fake-editor.sh");
        let seen = dir.join("seen.txt");
        let body = format!(
            "#!/bin/sh\ncp \"$1\" '{}'\nprintf '# a comment of mine\\nI fixed it myself.\\nIt took 2 weeks.\\n' >> \"$1\"\nexit {exit}\n",
            seen.display()
        );
        std::fs::write(&script, body).unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        script.display().to_string()
    }

    #[cfg(unix)]
    #[test]
    fn the_editor_round_trip_keeps_the_answer_without_the_comment_lines() {
        let dir = tempfile::tempdir().unwrap();
        let editor = fake_editor(dir.path(), 0);
        let r = reader(&[("EDITOR", &editor)], false);
        let mut typed = Typed::new(&[text("Typed first."), text(":e")]);
        let answer = r.read(&mut typed, "What did you do?").unwrap();
        assert_eq!(
            answer,
            given("Typed first.\nI fixed it myself.\nIt took 2 weeks.")
        );
        let seen = std::fs::read_to_string(dir.path().join("seen.txt")).unwrap();
        assert!(
            seen.starts_with("# What did you do?\n# Write your answer"),
            "{seen}"
        );
        assert!(seen.contains("\nTyped first.\n"), "{seen}");
    }

    #[cfg(unix)]
    #[test]
    fn editor_flag_opens_it_at_once_and_a_failing_editor_falls_back_to_typing() {
        let dir = tempfile::tempdir().unwrap();
        let good = fake_editor(dir.path(), 0);
        let mut nothing_typed = Typed::new(&[]);
        let at_once = reader(&[("VISUAL", &good), ("EDITOR", "false")], true);
        let answer = at_once.read(&mut nothing_typed, "Q?").unwrap();
        assert_eq!(answer, given("I fixed it myself.\nIt took 2 weeks."));

        let failing = reader(&[("EDITOR", &fake_editor(dir.path(), 1))], true);
        let mut typed = Typed::new(&[text("Typed."), text(".")]);
        assert_eq!(failing.read(&mut typed, "Q?").unwrap(), given("Typed."));
        assert!(
            typed.notes[0].starts_with("The editor did not finish"),
            "{:?}",
            typed.notes
        );
    }
}

//! The live interview: the session, saved after every answer so it can be
//! resumed, the story bank that warns when one story is told too often, the
//! time of every answer (on the caller's [`Clock`]), the report at the end, and
//! the interviewer's words. Reading an answer is [`answer`]'s; the terminal
//! (line editing, printing) is the caller's.

pub mod answer;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ftdesk_core::Timestamp;
use ftdesk_practice::{bank, Lang, Messages, Mode, Principle, Prompt, Reuse, Session, StoryBank};

use crate::{Clock, Settings};

/// Where a live interview starts from, and where it is kept.
pub struct InterviewRequest<'a> {
    pub principles: &'a [&'a Principle],
    pub lang: Lang,
    pub mode: Mode,
    /// A session file to go on with; its plan and answers are kept.
    pub resume: Option<PathBuf>,
    /// Where to save the session; else the resumed file, else the data folder.
    pub save: Option<PathBuf>,
    /// The story bank; else `stories.json` in the data folder.
    pub stories: Option<PathBuf>,
    /// Chooses the questions of a new session.
    pub seed: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum InterviewError {
    #[error("reading the session {}", path.display())]
    ReadSession {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("{} is a scripted session with no question plan: only interactive sessions can be resumed", path.display())]
    Scripted { path: PathBuf },
    #[error("neither XDG_DATA_HOME nor HOME is set: give --save and --stories")]
    NoDataDir,
    #[error("{} is not a story bank (expected the JSON ftdesk writes)", path.display())]
    NotABank {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("reading the story bank {}", path.display())]
    ReadBank {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("creating {}", path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("saving {}", path.display())]
    Save {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A live interview in progress, with the files it is kept in.
pub struct Interview {
    pub session: Session,
    pub session_path: PathBuf,
    /// The interviewer's words, in the session's language.
    pub messages: Messages,
    stories: StoryBank,
    bank_path: PathBuf,
    clock: Arc<dyn Clock>,
    /// When the prompt being answered was asked.
    asked_at: Option<Timestamp>,
}

/// The end of an interview: the report, and where it was saved.
pub struct Finished {
    pub report: String,
    pub report_path: PathBuf,
    /// Every timed answer's time added up, as a line to show.
    pub total: String,
}

impl Interview {
    /// Resumes the session asked for, or starts a new one; reads the story
    /// bank. Answers are timed on `clock`.
    pub fn start(
        request: InterviewRequest,
        settings: &Settings,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, InterviewError> {
        let data_dir = || settings.data_dir().ok_or(InterviewError::NoDataDir);
        let (session, session_path) = match &request.resume {
            Some(path) => (
                load_session(path)?,
                request.save.clone().unwrap_or(path.clone()),
            ),
            None => {
                let (principles, seed) = (request.principles, request.seed);
                let session =
                    ftdesk_practice::new_session(principles, request.lang, request.mode, seed);
                let path = match &request.save {
                    Some(path) => path.clone(),
                    None => data_dir()?
                        .join("sessions")
                        .join(format!("session-{seed}.json")),
                };
                (session, path)
            }
        };
        let bank_path = match &request.stories {
            Some(path) => path.clone(),
            None => data_dir()?.join("stories.json"),
        };
        let stories = load_bank(&bank_path)?;
        Ok(Interview {
            messages: Messages::new(session.lang()),
            session,
            session_path,
            stories,
            bank_path,
            clock,
            asked_at: None,
        })
    }

    pub fn save(&self) -> Result<(), InterviewError> {
        write_file(&self.session_path, &self.session.to_json())
    }

    /// The next prompt, with the session saved and the answer's clock
    /// started; `None` when the interview is over.
    pub fn ask(&mut self) -> Result<Option<Prompt>, InterviewError> {
        let prompt = self.session.next_prompt();
        self.save()?;
        self.asked_at = Some(self.clock.now());
        Ok(prompt)
    }

    /// Keeps `answer` to `prompt` and its time in the session and, for a
    /// question, in the story bank (both saved). Returns what to tell the
    /// candidate: the answer's time against the aim, and the bank's warning
    /// when the story is told too often.
    pub fn answer(
        &mut self,
        prompt: &Prompt,
        answer: String,
    ) -> Result<Vec<String>, InterviewError> {
        let seconds = self
            .asked_at
            .take()
            .map(|asked| u64::try_from(self.clock.now().unix() - asked.unix()).unwrap_or(0));
        let mut reuse = None;
        if let Prompt::Question { principle, .. } = prompt {
            reuse = self.stories.record(principle, &answer, self.session.lang());
            write_file(&self.bank_path, &self.stories.to_json())?;
        }
        self.session.answer_in(prompt, answer, seconds);
        self.save()?;
        let first = matches!(prompt, Prompt::Question { .. });
        let time = seconds.map(|s| ftdesk_practice::time_line(&self.messages, s, first));
        let warning = reuse.map(|r| self.reuse_warning(&r));
        Ok(time.into_iter().chain(warning).collect())
    }

    /// The reader of this interview's answers, in its language; `at_once`
    /// opens the editor for every answer, `interactive` is a terminal.
    pub fn answer_reader(
        &self,
        settings: &Settings,
        at_once: bool,
        interactive: bool,
    ) -> answer::AnswerReader {
        let messages = Messages::new(self.session.lang());
        answer::AnswerReader::new(messages, settings, at_once, interactive, self.clock.clone())
    }

    /// Writes the report beside the session (`<session>.report.md`).
    pub fn finish(&self) -> Result<Finished, InterviewError> {
        let report = ftdesk_practice::interview_report(&self.session);
        let report_path = self.session_path.with_extension("report.md");
        write_file(&report_path, &report)?;
        let times: Vec<u64> = (self.session.stories.iter())
            .flat_map(|s| &s.turns)
            .filter_map(|t| t.seconds)
            .collect();
        let (time, n) = (
            ftdesk_practice::clock_text(times.iter().sum()),
            times.len().to_string(),
        );
        let total = self
            .messages
            .get("live-total", &[("time", &time), ("n", &n)]);
        Ok(Finished {
            report,
            report_path,
            total,
        })
    }
}

impl Interview {
    /// The lines before the first prompt: the mode, and for a resumed
    /// session how many answers it holds.
    pub fn intro(&self, resumed: bool) -> Vec<String> {
        let m = &self.messages;
        let mode = m.text(match self.session.mode {
            Mode::Coach => "mode-coach",
            Mode::Realistic => "mode-realistic",
            Mode::BarRaiser => "mode-bar-raiser",
        });
        let aim = ftdesk_practice::aim_text(m);
        let mut lines = vec![m.get("live-intro", &[("mode", &mode), ("aim", &aim)])];
        if resumed {
            let answers: usize = self.session.stories.iter().map(|s| s.turns.len()).sum();
            lines.push(m.get("live-resumed", &[("n", &answers.to_string())]));
        }
        lines
    }

    /// A new question's heading (`None` for a follow-up): in coach mode it
    /// names the principle.
    pub fn heading(&self, prompt: &Prompt) -> Option<String> {
        let Prompt::Question { n, principle, .. } = prompt else {
            return None;
        };
        let (m, n) = (&self.messages, n.to_string());
        Some(match (self.session.mode, bank().principle(principle)) {
            (Mode::Coach, Some(p)) => {
                m.get("story-about", &[("n", &n), ("principle", p.name(m.lang()))])
            }
            _ => m.get("story-heading", &[("n", &n)]),
        })
    }

    /// The story bank's warning, with the principles the story was told for.
    pub fn reuse_warning(&self, reuse: &Reuse) -> String {
        let lang = self.session.lang();
        let names: Vec<&str> = reuse
            .principles
            .iter()
            .map(|id| bank().principle(id).map_or(id.as_str(), |p| p.name(lang)))
            .collect();
        let told = reuse.told.to_string();
        let principles = names.join(", ");
        let args = [("n", told.as_str()), ("principles", principles.as_str())];
        self.messages.get("live-reuse", &args)
    }
}

fn load_session(path: &Path) -> Result<Session, InterviewError> {
    let read_error = |source| InterviewError::ReadSession {
        path: path.to_path_buf(),
        source,
    };
    let text = std::fs::read_to_string(path).map_err(|e| read_error(Box::new(e)))?;
    let session = Session::from_json(&text).map_err(|e| read_error(Box::new(e)))?;
    if session.plan.is_empty() {
        return Err(InterviewError::Scripted {
            path: path.to_path_buf(),
        });
    }
    Ok(session)
}

fn load_bank(path: &Path) -> Result<StoryBank, InterviewError> {
    match std::fs::read_to_string(path) {
        Ok(text) => StoryBank::from_json(&text).map_err(|source| InterviewError::NotABank {
            path: path.to_path_buf(),
            source,
        }),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(StoryBank::default()),
        Err(source) => Err(InterviewError::ReadBank {
            path: path.to_path_buf(),
            source,
        }),
    }
}

fn write_file(path: &Path, text: &str) -> Result<(), InterviewError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| InterviewError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, text).map_err(|source| InterviewError::Save {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicI64, Ordering};

    use super::*;

    /// A clock that moves on `step` seconds every time it is read.
    struct StepClock {
        now: AtomicI64,
        step: i64,
    }

    impl Clock for StepClock {
        fn now(&self) -> Timestamp {
            Timestamp::from_unix(self.now.fetch_add(self.step, Ordering::SeqCst))
        }
    }

    pub(super) fn clock(step: i64) -> Arc<dyn Clock> {
        Arc::new(StepClock {
            now: AtomicI64::new(1_760_000_000),
            step,
        })
    }

    #[test]
    fn each_answer_is_timed_on_the_clock_and_the_report_is_saved_beside_the_session() {
        let dir = tempfile::tempdir().unwrap();
        let principles = [ftdesk_practice::bank().principle("ownership").unwrap()];
        let settings = Settings::from_pairs(&[]);
        let request = request(dir.path(), &principles);
        let mut interview = Interview::start(request, &settings, clock(161)).unwrap();
        let question = interview.ask().unwrap().unwrap();
        let notes = interview
            .answer(
                &question,
                "We changed it together and it improved a lot.".into(),
            )
            .unwrap();
        assert_eq!(notes, ["2:41 on this answer; aim for 2–3 minutes."]);
        let follow_up = interview.ask().unwrap().unwrap();
        assert!(matches!(follow_up, Prompt::FollowUp { .. }));
        let notes = interview
            .answer(&follow_up, "I wrote the script.".into())
            .unwrap();
        assert_eq!(notes, ["2:41 on this answer."]);
        let turns = &interview.session.stories[0].turns;
        assert_eq!(
            turns.iter().map(|t| t.seconds).collect::<Vec<_>>(),
            [Some(161); 2]
        );

        let finished = interview.finish().unwrap();
        assert_eq!(finished.report_path, dir.path().join("s/session.report.md"));
        let saved = std::fs::read_to_string(&finished.report_path).unwrap();
        assert_eq!(saved, finished.report);
        assert!(saved.contains(follow_up.text()), "{saved}");
        assert!(
            saved.contains("Why: Red flag, \"we\" for everything"),
            "{saved}"
        );
        assert_eq!(finished.total, "Total: 5:22 over 2 answers.");
    }

    fn request<'a>(dir: &Path, principles: &'a [&'a Principle]) -> InterviewRequest<'a> {
        InterviewRequest {
            principles,
            lang: Lang::En,
            mode: Mode::Coach,
            resume: None,
            save: Some(dir.join("s/session.json")),
            stories: Some(dir.join("stories.json")),
            seed: 7,
        }
    }

    #[test]
    fn an_answer_is_saved_and_the_session_resumes_from_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings::from_pairs(&[]);
        let principles: Vec<&Principle> = ftdesk_practice::bank().principles.iter().collect();
        let mut interview =
            Interview::start(request(dir.path(), &principles), &settings, clock(0)).unwrap();
        let prompt = interview.ask().unwrap().expect("a first question");
        interview
            .answer(&prompt, "I led the migration.".into())
            .unwrap();
        assert!(dir.path().join("stories.json").exists());

        let resume = InterviewRequest {
            resume: Some(dir.path().join("s/session.json")),
            ..request(dir.path(), &principles)
        };
        let resumed = Interview::start(resume, &settings, clock(0)).unwrap();
        assert_eq!(resumed.session.to_json(), interview.session.to_json());
    }

    #[test]
    fn without_a_data_folder_the_paths_must_be_given() {
        let request = InterviewRequest {
            save: None,
            ..request(Path::new("/nonexistent"), &[])
        };
        let refused = Interview::start(request, &Settings::from_pairs(&[]), clock(0))
            .err()
            .unwrap();
        assert!(matches!(refused, InterviewError::NoDataDir));
    }
}

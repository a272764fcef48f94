//! The live interview: the session, saved after every answer so it can be
//! resumed, the story bank that warns when one story is told too often, and
//! the interviewer's words. The terminal (line editing, the timer, printing)
//! is the caller's.

use std::path::{Path, PathBuf};

use ftdesk_practice::{bank, Lang, Messages, Mode, Principle, Prompt, Reuse, Session, StoryBank};

use crate::Settings;

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
}

impl Interview {
    /// Resumes the session asked for, or starts a new one; reads the story bank.
    pub fn start(request: InterviewRequest, settings: &Settings) -> Result<Self, InterviewError> {
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
        })
    }

    pub fn save(&self) -> Result<(), InterviewError> {
        write_file(&self.session_path, &self.session.to_json())
    }

    /// Keeps `answer` to `prompt` in the session and, for a question, in the
    /// story bank (both saved); the bank's warning when the story is told too often.
    pub fn answer(
        &mut self,
        prompt: &Prompt,
        answer: String,
    ) -> Result<Option<Reuse>, InterviewError> {
        let mut reuse = None;
        if let Prompt::Question { principle, .. } = prompt {
            reuse = self.stories.record(principle, &answer, self.session.lang());
            write_file(&self.bank_path, &self.stories.to_json())?;
        }
        self.session.answer(prompt, answer);
        self.save()?;
        Ok(reuse)
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
        let mut lines = vec![m.get("live-intro", &[("mode", &mode)])];
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
    use super::*;

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
        let mut interview = Interview::start(request(dir.path(), &principles), &settings).unwrap();
        let prompt = interview.session.next_prompt().expect("a first question");
        interview
            .answer(&prompt, "I led the migration.".into())
            .unwrap();
        assert!(dir.path().join("stories.json").exists());

        let resume = InterviewRequest {
            resume: Some(dir.path().join("s/session.json")),
            ..request(dir.path(), &principles)
        };
        let resumed = Interview::start(resume, &settings).unwrap();
        assert_eq!(resumed.session.to_json(), interview.session.to_json());
    }

    #[test]
    fn without_a_data_folder_the_paths_must_be_given() {
        let request = InterviewRequest {
            save: None,
            ..request(Path::new("/nonexistent"), &[])
        };
        let refused = Interview::start(request, &Settings::from_pairs(&[]))
            .err()
            .unwrap();
        assert!(matches!(refused, InterviewError::NoDataDir));
    }
}

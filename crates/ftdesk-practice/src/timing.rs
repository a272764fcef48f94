//! The answer timer's aim, from `data/timing.toml`, and how times are written.
//! The time itself is measured by the caller, on its clock.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::l10n::Messages;

const TIMING: &str = include_str!("../data/timing.toml");

/// How long the first answer to a question should take, with its source.
#[derive(Debug, Deserialize)]
pub struct AnswerAim {
    pub aim_min_seconds: u64,
    pub aim_max_seconds: u64,
    pub source: String,
}

#[derive(Deserialize)]
struct TimingFile {
    answer: AnswerAim,
}

/// How an answer's time compares with the aim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    Short,
    OnAim,
    Long,
}

impl AnswerAim {
    pub fn pace(&self, seconds: u64) -> Pace {
        if seconds < self.aim_min_seconds {
            Pace::Short
        } else if seconds > self.aim_max_seconds {
            Pace::Long
        } else {
            Pace::OnAim
        }
    }

    /// The aim's bounds in whole minutes, as the messages write them.
    fn minutes(&self) -> (String, String) {
        (
            (self.aim_min_seconds / 60).to_string(),
            (self.aim_max_seconds / 60).to_string(),
        )
    }
}

/// The bundled aim; a unit test parses it.
pub fn answer_aim() -> &'static AnswerAim {
    static AIM: OnceLock<AnswerAim> = OnceLock::new();
    AIM.get_or_init(|| {
        toml::from_str::<TimingFile>(TIMING)
            .expect("bundled timing parses; a test checks it")
            .answer
    })
}

/// `2:41`, and `1:02:03` past an hour.
pub fn clock_text(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// The line shown when an answer is finished: its time, and for the first
/// answer to a question how it compares with the aim.
pub fn time_line(m: &Messages, seconds: u64, first_answer: bool) -> String {
    let time = clock_text(seconds);
    if !first_answer {
        return m.get("live-time", &[("time", &time)]);
    }
    let aim = answer_aim();
    let (min, max) = aim.minutes();
    let id = match aim.pace(seconds) {
        Pace::Short => "live-time-short",
        Pace::OnAim => "live-time-aim",
        Pace::Long => "live-time-long",
    };
    m.get(id, &[("time", &time), ("min", &min), ("max", &max)])
}

/// The aim as a phrase ("2–3 minutes"), for the report.
pub fn aim_text(m: &Messages) -> String {
    let (min, max) = answer_aim().minutes();
    m.get("aim-minutes", &[("min", &min), ("max", &max)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn the_aim_parses_in_whole_minutes_and_names_its_source() {
        let aim = answer_aim();
        assert_eq!(aim.aim_min_seconds % 60, 0);
        assert_eq!(aim.aim_max_seconds % 60, 0);
        assert!(aim.aim_min_seconds < aim.aim_max_seconds);
        assert!(aim.source.contains("interview-and-take-home.md"));
    }

    #[test]
    fn times_are_written_as_a_clock() {
        assert_eq!(clock_text(0), "0:00");
        assert_eq!(clock_text(161), "2:41");
        assert_eq!(clock_text(3723), "1:02:03");
    }

    #[test]
    fn the_first_answer_is_measured_against_the_aim() {
        let en = Messages::new(Lang::En);
        assert_eq!(
            time_line(&en, 161, true),
            "2:41 on this answer; aim for 2–3 minutes."
        );
        assert!(time_line(&en, 30, true).starts_with("0:30 on this answer: short"));
        assert!(time_line(&en, 200, true).contains("past 3 minutes"));
        assert_eq!(time_line(&en, 45, false), "0:45 on this answer.");
        let ko = Messages::new(Lang::Ko);
        assert_eq!(
            time_line(&ko, 161, true),
            "이번 답변 2:41. 목표는 2–3분입니다."
        );
    }
}

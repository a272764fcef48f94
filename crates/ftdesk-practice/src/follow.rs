//! The next follow-up: a pure function of the story so far.

use crate::analyse::{analyse, Analysis, Flag, Slot};
use crate::bank::{bank, Bank, Entry, Principle};
use crate::l10n;
use crate::session::{FollowUp, Mode, Probe, Story};
use crate::Lang;

/// The part of the story a probe tries to fill; two probes for one part are never both asked.
fn target(probe: Probe) -> Option<Slot> {
    match probe {
        Probe::Slot(slot) => Some(slot),
        Probe::Flag(Flag::We) => Some(Slot::Action),
        Probe::Flag(Flag::Vague) => Some(Slot::Result),
        Probe::Flag(Flag::Hypothetical) => Some(Slot::Situation),
        Probe::Flag(Flag::Blame) => Some(Slot::Lesson),
    }
}

/// The follow-up about the most important gap in `story`, or `None` when the
/// story is complete or the follow-ups for it are used up. Never asks about the
/// same part of the story twice.
pub fn choose_follow_up(story: &Story, lang: Lang, mode: Mode) -> Option<FollowUp> {
    let asked: Vec<Probe> = story.follow_ups().map(|f| f.probe).collect();
    if asked.len() >= mode.max_follow_ups() {
        return None;
    }
    let bank = bank();
    let principle = bank.principle(&story.principle);
    let latest = analyse(story.turns.last().map_or("", |t| t.answer.as_str()), lang);
    let whole = analyse(&story.answers(), lang);
    if is_complete(&whole, &latest, principle, mode) {
        return None;
    }
    let is_new = |probe: &Probe| {
        !asked.contains(probe) && !asked.iter().any(|a| target(*a) == target(*probe))
    };
    let probe = red_flags(&whole, &latest)
        .into_iter()
        .chain(missing_slots(bank, &whole, principle))
        .find(is_new)?;
    Some(render(bank, probe, &whole, &latest, lang, asked.len()))
}

/// Red flags to ask about, most important first.
fn red_flags(whole: &Analysis, latest: &Analysis) -> Vec<Probe> {
    let mut flags = Vec::new();
    if latest.flag(Flag::Hypothetical).is_some() {
        flags.push(Probe::Flag(Flag::Hypothetical));
    }
    if whole.flag(Flag::We).is_some() && whole.slot(Slot::Action).is_none() {
        flags.push(Probe::Flag(Flag::We));
    }
    if whole.flag(Flag::Vague).is_some() && whole.slot(Slot::Result).is_none() {
        flags.push(Probe::Flag(Flag::Vague));
    }
    if latest.flag(Flag::Blame).is_some() {
        flags.push(Probe::Flag(Flag::Blame));
    }
    flags
}

/// Missing parts of the story, the principle's own weighed twice, highest priority first.
fn missing_slots(bank: &Bank, whole: &Analysis, principle: Option<&Principle>) -> Vec<Probe> {
    let mut missing: Vec<(u32, Slot)> = Slot::ALL
        .into_iter()
        .filter(|slot| whole.slot(*slot).is_none())
        .map(|slot| (importance(bank, slot, principle), slot))
        .collect();
    missing.sort_by_key(|m| std::cmp::Reverse(m.0));
    missing
        .into_iter()
        .map(|(_, slot)| Probe::Slot(slot))
        .collect()
}

pub(crate) fn importance(bank: &Bank, slot: Slot, principle: Option<&Principle>) -> u32 {
    let priority = bank.slot(slot.id()).map_or(0, |e| e.priority);
    if weighed(slot, principle) {
        priority * 2
    } else {
        priority
    }
}

pub(crate) fn weighed(slot: Slot, principle: Option<&Principle>) -> bool {
    principle.is_some_and(|p| p.weighs.iter().any(|w| w == slot.id()))
}

/// Complete: no open red flag, and every required part (every part in bar-raiser mode) is there.
pub(crate) fn is_complete(
    whole: &Analysis,
    latest: &Analysis,
    principle: Option<&Principle>,
    mode: Mode,
) -> bool {
    let bank = bank();
    if !red_flags(whole, latest).is_empty() {
        return false;
    }
    Slot::ALL.into_iter().all(|slot| {
        let needed = mode == Mode::BarRaiser
            || weighed(slot, principle)
            || bank.slot(slot.id()).is_some_and(|e| e.required);
        !needed || whole.slot(slot).is_some()
    })
}

fn render(
    bank: &Bank,
    probe: Probe,
    whole: &Analysis,
    latest: &Analysis,
    lang: Lang,
    n: usize,
) -> FollowUp {
    let (entry, quote): (Option<&Entry>, Option<String>) = match probe {
        Probe::Slot(slot) => (bank.slot(slot.id()), None),
        Probe::Flag(flag) => {
            let evidence = latest.flag(flag).or_else(|| whole.flag(flag));
            (bank.flag(flag.id()), evidence.map(|e| e.phrase.clone()))
        }
    };
    let templates = entry.map_or(&[][..], |e| e.templates(lang));
    let index = if quote.is_some() {
        0
    } else {
        n % templates.len().max(1)
    };
    let template = templates.get(index).map_or("", String::as_str);
    FollowUp {
        probe,
        text: l10n::fill(lang, template, quote.as_deref().unwrap_or("")),
        quote,
    }
}

//! Grading a take-home answer against the case's answer key, by the rubrics in
//! `data/email_rubric.toml` and `data/improvement_rubric.toml`.
//!
//! Pure: the answer's text and the [`CaseTruth`] in, a [`Grade`] out. Every
//! feedback point quotes the sentence it is about, when there is one.

use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::case::{topic, topics, CaseTruth, Topic, TopicTruth};
use crate::l10n::Messages;
use crate::quantity::{matches_known, nearest, stated_quantities, Quantity, Unit, UnitWords};
use crate::text::{find_first, sentences, words};
use crate::{Lang, PracticeError};

const EMAIL_RUBRIC: &str = include_str!("../data/email_rubric.toml");
const IMPROVEMENT_RUBRIC: &str = include_str!("../data/improvement_rubric.toml");

/// One criterion of a rubric; which fields it uses depends on its id.
#[derive(Debug, Deserialize)]
pub struct Criterion {
    pub id: String,
    pub weight: u32,
    #[serde(default)]
    pub critical: bool,
    pub name_en: String,
    pub name_ko: String,
    pub checks_en: String,
    pub checks_ko: String,
    #[serde(flatten)]
    extra: toml::Table,
}

impl Criterion {
    pub fn name(&self, lang: Lang) -> &str {
        crate::bank::pick(lang, &self.name_en, &self.name_ko)
    }

    pub fn checks(&self, lang: Lang) -> &str {
        crate::bank::pick(lang, &self.checks_en, &self.checks_ko)
    }

    /// The list `{key}_{lang}`.
    fn list(&self, key: &str, lang: Lang) -> Vec<String> {
        self.list_any(&format!("{key}_{}", lang.code()))
    }

    fn number(&self, key: &str) -> u32 {
        self.extra
            .get(key)
            .and_then(|v| v.as_integer())
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0)
    }

    /// The list `key`, the same in every language.
    fn list_any(&self, key: &str) -> Vec<String> {
        self.extra
            .get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `percent` of this criterion's weight.
    fn part(&self, key: &str) -> u32 {
        self.weight * self.number(key) / 100
    }
}

#[derive(Debug, Deserialize)]
pub struct Rubric {
    pub share: u32,
    /// The most the email scores while it holds each kind of fault that keeps it from passing.
    #[serde(default)]
    pub hold_caps: HoldCaps,
    pub criterion: Vec<Criterion>,
}

/// Faults that keep an email from passing however good the rest, with the
/// most it scores while it has them (100 when the rubric names none).
#[derive(Debug, Deserialize)]
#[serde(default)]
pub struct HoldCaps {
    pub unexplained_cause: u32,
    pub blame: u32,
    pub wrong_cause: u32,
}

impl Default for HoldCaps {
    fn default() -> Self {
        HoldCaps {
            unexplained_cause: 100,
            blame: 100,
            wrong_cause: 100,
        }
    }
}

impl Rubric {
    fn get(&self, id: &str) -> &Criterion {
        self.criterion
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("rubric criterion {id} is bundled; a test checks it"))
    }
}

fn rubrics() -> &'static (Rubric, Rubric) {
    static RUBRICS: OnceLock<(Rubric, Rubric)> = OnceLock::new();
    RUBRICS.get_or_init(|| parse_rubrics().expect("bundled rubrics parse; a test checks it"))
}

fn parse_rubrics() -> Result<(Rubric, Rubric), toml::de::Error> {
    Ok((
        toml::from_str(EMAIL_RUBRIC)?,
        toml::from_str(IMPROVEMENT_RUBRIC)?,
    ))
}

/// One piece of feedback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Point {
    pub ok: bool,
    pub text: String,
    /// The sentence of the answer the point is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionGrade {
    pub id: String,
    pub name: String,
    pub checks: String,
    pub weight: u32,
    pub earned: u32,
    pub points: Vec<Point>,
}

/// The whole grade: critical failures first, then each part by criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grade {
    pub lang: String,
    pub score: u32,
    pub passed: bool,
    pub email_score: u32,
    pub proposal_score: u32,
    pub critical: Vec<Point>,
    /// What keeps the email from passing however good the rest, each with the
    /// most the email scores while it is there.
    pub holds: Vec<Hold>,
    pub email: Vec<CriterionGrade>,
    pub proposal: Vec<CriterionGrade>,
}

/// The score a grade needs, with no critical failure, to pass.
pub const PASS_MARK: u32 = 70;
/// The score each part (the email, the proposal) needs on its own to pass.
pub const PART_MINIMUM: u32 = 50;

/// A fault that keeps the answer from passing: the email scores at most `cap`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hold {
    #[serde(flatten)]
    pub point: Point,
    pub cap: u32,
}

/// The answer file: the email, then a line holding only `---`, then the proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub email: String,
    pub proposal: String,
}

impl Answer {
    pub fn split(text: &str) -> Answer {
        let mut email = Vec::new();
        let mut proposal = Vec::new();
        let mut in_proposal = false;
        for line in text.lines() {
            if !in_proposal && line.trim() == "---" {
                in_proposal = true;
            } else if in_proposal {
                proposal.push(line);
            } else {
                email.push(line);
            }
        }
        Answer {
            email: email.join("\n").trim().to_owned(),
            proposal: proposal.join("\n").trim().to_owned(),
        }
    }
}

/// Share of Hangul among the letters of `text`.
pub fn hangul_share(text: &str) -> f64 {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 0 {
        return 0.0;
    }
    let hangul = text
        .chars()
        .filter(|c| ('\u{AC00}'..='\u{D7A3}').contains(c) || ('\u{3131}'..='\u{318E}').contains(c))
        .count();
    hangul as f64 / letters as f64
}

fn language_of(text: &str) -> Lang {
    if hangul_share(text) >= 0.3 {
        Lang::Ko
    } else {
        Lang::En
    }
}

/// Grades an answer. Refuses an empty answer and one in another language than the case's.
pub fn grade(answer_text: &str, truth: &CaseTruth) -> Result<Grade, PracticeError> {
    let answer = Answer::split(answer_text);
    if answer.email.is_empty() {
        return Err(PracticeError::EmptyAnswer);
    }
    let lang = truth.lang();
    let written = language_of(&answer.email);
    if written != lang {
        return Err(PracticeError::WrongLanguage {
            expected: lang_name(lang),
            found: lang_name(written),
        });
    }
    let m = Messages::new(lang);
    let (email_rubric, improvement_rubric) = rubrics();
    let email = Email {
        text: &answer.email,
        truth,
        lang,
        m: &m,
        units: unit_words(email_rubric.get("accuracy"), lang),
    };
    let (critical, accuracy) = email.accuracy(email_rubric.get("accuracy"));
    let explanations = email.explanations();
    let holds = email.holds(email_rubric, &explanations);
    let email_grades = vec![
        accuracy,
        email.completeness(email_rubric.get("completeness"), &explanations),
        email.clarity(email_rubric.get("clarity")),
        email.tone(email_rubric.get("tone")),
    ];
    let proposal = Proposal {
        text: &answer.proposal,
        lang,
        m: &m,
    };
    let proposal_grades = proposal.grade(improvement_rubric);
    let email_score = if critical.is_empty() {
        holds
            .iter()
            .map(|h| h.cap)
            .fold(sum_earned(&email_grades), u32::min)
    } else {
        0
    };
    let proposal_score = sum_earned(&proposal_grades);
    let score = (email_score * email_rubric.share + proposal_score * improvement_rubric.share)
        / (email_rubric.share + improvement_rubric.share);
    Ok(Grade {
        lang: lang.code().to_owned(),
        score,
        passed: critical.is_empty()
            && holds.is_empty()
            && score >= PASS_MARK
            && email_score.min(proposal_score) >= PART_MINIMUM,
        email_score,
        proposal_score,
        critical,
        holds,
        email: email_grades,
        proposal: proposal_grades,
    })
}

fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "English",
        Lang::Ko => "Korean",
    }
}

fn sum_earned(grades: &[CriterionGrade]) -> u32 {
    grades.iter().map(|g| g.earned).sum()
}

fn criterion_grade(c: &Criterion, lang: Lang, earned: u32, points: Vec<Point>) -> CriterionGrade {
    CriterionGrade {
        id: c.id.clone(),
        name: c.name(lang).to_owned(),
        checks: c.checks(lang).to_owned(),
        weight: c.weight,
        earned: earned.min(c.weight),
        points,
    }
}

fn good(text: String, quote: Option<String>) -> Point {
    Point {
        ok: true,
        text,
        quote,
    }
}

fn bad(text: String, quote: Option<String>) -> Point {
    Point {
        ok: false,
        text,
        quote,
    }
}

/// The first sentence holding any of `terms` (case-insensitive, anywhere in a word).
fn sentence_with(text: &str, terms: &[String]) -> Option<String> {
    sentences(text).into_iter().find(|s| {
        let lower = s.to_lowercase();
        terms.iter().any(|t| lower.contains(&t.to_lowercase()))
    })
}

fn money(d: Decimal) -> String {
    format!("${:.2}", d)
}

/// Money figures an answer states, and how many the accounting holds.
#[derive(Debug, Default)]
struct Tally {
    stated: usize,
    right: usize,
    /// Right figures other than the total the customer already knows.
    beyond_total: usize,
}

struct Email<'a> {
    text: &'a str,
    truth: &'a CaseTruth,
    lang: Lang,
    m: &'a Messages,
    units: UnitWords,
}

/// The words that make a number a quantity, from the accuracy criterion.
fn unit_words(c: &Criterion, lang: Lang) -> UnitWords {
    UnitWords {
        words: Unit::ALL
            .iter()
            .flat_map(|unit| {
                c.list(&format!("units_{}", unit.key()), lang)
                    .into_iter()
                    .map(|word| (*unit, word.to_lowercase()))
            })
            .collect(),
    }
}

/// How far the email explains one cause on the bill.
enum Explained {
    Missing,
    /// Named, in this sentence, without a figure of its own near it.
    Named(String),
    /// Named with a figure of its own, in this passage.
    WithFigures(String),
}

struct Explanation<'a> {
    topic: &'static Topic,
    truth: &'a TopicTruth,
    explained: Explained,
}

impl Email<'_> {
    /// Critical points first, then the criterion.
    fn accuracy(&self, c: &Criterion) -> (Vec<Point>, CriterionGrade) {
        let (mut critical, tally) = self.money_points();
        if let Some(sentence) = sentence_with(self.text, &c.list("refund_promises", self.lang)) {
            critical.push(bad(self.m.text("pt-refund-promise"), Some(sentence)));
        }
        if !c.critical {
            critical.clear();
        }
        let (wrong_quantities, right_quantities) = self.quantities(c);
        let wrong_causes = self.wrong_causes(c);
        let deducted = wrong_quantities.len() as u32 * c.number("wrong_quantity_deduct")
            + wrong_causes.len() as u32 * c.number("wrong_cause_deduct");
        let mut points = critical.clone();
        points.extend(wrong_quantities);
        points.extend(wrong_causes);
        let earned = if !critical.is_empty() {
            0
        } else if tally.beyond_total == 0 && right_quantities == 0 && tally.stated > 0 {
            points.push(bad(
                self.m
                    .get("pt-only-total", &[("net", &money(self.truth.net))]),
                None,
            ));
            c.part("no_figures_share").saturating_sub(deducted)
        } else if tally.stated == 0 {
            points.push(bad(
                self.m
                    .get("pt-no-figures", &[("net", &money(self.truth.net))]),
                None,
            ));
            c.part("no_figures_share").saturating_sub(deducted)
        } else {
            points.push(good(
                self.m
                    .get("pt-figures-right", &[("n", &tally.right.to_string())]),
                None,
            ));
            c.weight.saturating_sub(deducted)
        };
        if right_quantities > 0 && points.iter().all(|p| p.ok) {
            points.push(good(
                self.m.get(
                    "pt-quantities-right",
                    &[("n", &right_quantities.to_string())],
                ),
                None,
            ));
        }
        (critical, criterion_grade(c, self.lang, earned, points))
    }

    /// A critical point for each money figure not in the accounting.
    fn money_points(&self) -> (Vec<Point>, Tally) {
        let mut critical = Vec::new();
        let mut tally = Tally::default();
        for sentence in sentences(self.text) {
            for figure in money_figures(&sentence) {
                tally.stated += 1;
                if self.truth.figures.contains(&figure.normalize()) {
                    tally.right += 1;
                    if figure != self.truth.net && Some(figure) != self.truth.quoted {
                        tally.beyond_total += 1;
                    }
                } else {
                    critical.push(bad(
                        self.m.get(
                            "pt-wrong-figure",
                            &[("figure", &money(figure)), ("net", &money(self.truth.net))],
                        ),
                        Some(sentence.clone()),
                    ));
                }
            }
        }
        (critical, tally)
    }

    /// A point for each stated quantity the accounting does not hold, and how
    /// many were right. An answer key without quantities checks none.
    fn quantities(&self, c: &Criterion) -> (Vec<Point>, usize) {
        if self.truth.quantities.is_empty() {
            return (Vec::new(), 0);
        }
        let mut known = self.truth.quantities.clone();
        known.extend(c.list_any("plain_hours").iter().filter_map(|h| {
            Some(Quantity {
                unit: Unit::Hours,
                value: h.parse().ok()?,
            })
        }));
        let mut wrong = Vec::new();
        let mut right = 0;
        for sentence in sentences(self.text) {
            for stated in stated_quantities(&sentence, &self.units) {
                if matches_known(stated, &known) {
                    right += 1;
                    continue;
                }
                let nearest = nearest(stated, &self.truth.quantities)
                    .map_or_else(|| "-".to_owned(), |q| self.quantity(q));
                wrong.push(bad(
                    self.m.get(
                        "pt-wrong-quantity",
                        &[("stated", &self.quantity(stated)), ("nearest", &nearest)],
                    ),
                    Some(sentence.clone()),
                ));
            }
        }
        (wrong, right)
    }

    fn quantity(&self, q: Quantity) -> String {
        self.m.quantity(q.value, q.unit.aws())
    }

    /// Sentences that put a charge down to a cause that is not on the bill.
    fn wrong_causes(&self, c: &Criterion) -> Vec<Point> {
        let on_bill: Vec<&str> = self.truth.topics.iter().map(|t| t.topic.as_str()).collect();
        let mut bill_terms: Vec<String> = Vec::new();
        for t in &self.truth.topics {
            if let Some(topic) = topic(&t.topic) {
                bill_terms.extend(topic.terms(self.lang).iter().cloned());
                bill_terms.extend(topic.claims(self.lang).iter().cloned());
            }
            bill_terms.extend(t.resources.iter().cloned());
        }
        let charge_words = c.list("charge_words", self.lang);
        let cleared = c.list("cleared", self.lang);
        let has = |sentence: &str, cues: &[String]| find_first(sentence, cues, self.lang).is_some();
        let mut points = Vec::new();
        for sentence in sentences(self.text) {
            if !has(&sentence, &charge_words)
                || has(&sentence, &cleared)
                || has(&sentence, &bill_terms)
            {
                continue;
            }
            let claimed = topics()
                .iter()
                .filter(|t| !on_bill.contains(&t.id.as_str()))
                .find(|t| has(&sentence, t.claims(self.lang)));
            if let Some(claimed) = claimed {
                points.push(bad(
                    self.m
                        .get("pt-wrong-cause", &[("topic", claimed.name(self.lang))]),
                    Some(sentence),
                ));
            }
        }
        points
    }

    /// For each cause on the bill, whether a passage names it (its terms or
    /// resources) and states a figure of its own: the sentence naming it and
    /// the one before and two after, within its paragraph.
    fn explanations(&self) -> Vec<Explanation<'_>> {
        let paragraphs: Vec<Vec<String>> = self
            .text
            .split("\n\n")
            .map(sentences)
            .filter(|p| !p.is_empty())
            .collect();
        let mut out = Vec::new();
        for truth in &self.truth.topics {
            let Some(topic) = topic(&truth.topic) else {
                continue;
            };
            let mut terms = topic.terms(self.lang).to_vec();
            terms.extend(truth.resources.iter().cloned());
            let mut explained = Explained::Missing;
            'search: for paragraph in &paragraphs {
                for (i, sentence) in paragraph.iter().enumerate() {
                    if find_first(sentence, &terms, self.lang).is_none() {
                        continue;
                    }
                    let passage = &paragraph[i.saturating_sub(1)..(i + 3).min(paragraph.len())];
                    if passage.iter().any(|s| self.states_own_figure(s, truth)) {
                        explained = Explained::WithFigures(sentence.clone());
                        break 'search;
                    }
                    if matches!(explained, Explained::Missing) {
                        explained = Explained::Named(sentence.clone());
                    }
                }
            }
            out.push(Explanation {
                topic,
                truth,
                explained,
            });
        }
        out
    }

    /// A figure beyond the total the customer already knows: the cause's own
    /// cost on a bill of several causes, a rate or per-resource amount, or a
    /// usage quantity of the accounting.
    fn states_own_figure(&self, sentence: &str, topic: &TopicTruth) -> bool {
        let told = [self.truth.net, self.truth.quoted.unwrap_or(self.truth.net)];
        let several = self.truth.topics.len() > 1;
        let money = money_figures(sentence).into_iter().any(|f| {
            (several && f == topic.cost)
                || (!f.is_zero()
                    && !told.contains(&f)
                    && self.truth.figures.contains(&f.normalize()))
        });
        money
            || stated_quantities(sentence, &self.units)
                .into_iter()
                .any(|q| !q.value.is_zero() && matches_known(q, &self.truth.quantities))
    }

    /// What keeps the email from passing: each cause not explained with its
    /// figures, a sentence that blames the customer, a cause not on the bill.
    fn holds(&self, rubric: &Rubric, explanations: &[Explanation<'_>]) -> Vec<Hold> {
        let caps = &rubric.hold_caps;
        let hold = |point, cap| Hold { point, cap };
        let mut holds: Vec<Hold> = explanations
            .iter()
            .filter(|e| !matches!(e.explained, Explained::WithFigures(_)))
            .map(|e| {
                let text = self.m.get(
                    "pt-cause-unexplained",
                    &[
                        ("topic", e.topic.name(self.lang)),
                        ("cost", &money(e.truth.cost)),
                    ],
                );
                hold(bad(text, None), caps.unexplained_cause)
            })
            .collect();
        if let Some(sentence) =
            sentence_with(self.text, &rubric.get("tone").list("blame", self.lang))
        {
            holds.push(hold(
                bad(self.m.text("pt-blame"), Some(sentence)),
                caps.blame,
            ));
        }
        holds.extend(
            self.wrong_causes(rubric.get("accuracy"))
                .into_iter()
                .map(|point| hold(point, caps.wrong_cause)),
        );
        holds
    }

    fn completeness(&self, c: &Criterion, explanations: &[Explanation<'_>]) -> CriterionGrade {
        let mut points = Vec::new();
        // Half a cause's share for naming it, all of it for explaining it with its figures.
        let mut halves = 0;
        let mut stop_terms = Vec::new();
        for e in explanations {
            let name = e.topic.name(self.lang);
            let cost = money(e.truth.cost);
            match &e.explained {
                Explained::WithFigures(sentence) => {
                    halves += 2;
                    points.push(good(
                        self.m.get("pt-cause-covered", &[("topic", name)]),
                        Some(sentence.clone()),
                    ));
                }
                Explained::Named(sentence) => {
                    halves += 1;
                    points.push(bad(
                        self.m
                            .get("pt-cause-no-figures", &[("topic", name), ("cost", &cost)]),
                        Some(sentence.clone()),
                    ));
                }
                Explained::Missing => points.push(bad(
                    self.m
                        .get("pt-cause-missing", &[("topic", name), ("cost", &cost)]),
                    None,
                )),
            }
            stop_terms.extend(e.topic.stop_terms(self.lang).iter().cloned());
        }
        let causes = if explanations.is_empty() {
            c.part("causes_share")
        } else {
            c.part("causes_share") * halves / (2 * explanations.len() as u32)
        };
        let mut earned = causes;
        for (key, terms, found, missing) in [
            ("stop_share", stop_terms, "pt-stop-found", "pt-stop-missing"),
            (
                "ongoing_share",
                c.list("ongoing", self.lang),
                "pt-ongoing-found",
                "pt-ongoing-missing",
            ),
            (
                "prevent_share",
                c.list("prevent", self.lang),
                "pt-prevent-found",
                "pt-prevent-missing",
            ),
        ] {
            match sentence_with(self.text, &terms) {
                Some(sentence) => {
                    earned += c.part(key);
                    points.push(good(self.m.text(found), Some(sentence)));
                }
                None => points.push(bad(self.m.text(missing), None)),
            }
        }
        criterion_grade(c, self.lang, earned, points)
    }

    fn clarity(&self, c: &Criterion) -> CriterionGrade {
        let mut points = Vec::new();
        for sentence in sentences(self.text) {
            if let Some(point) = self.too_long(c, &sentence) {
                points.push(point);
            }
        }
        for weasel in c.list("weasel", self.lang) {
            if let Some(hit) = find_first(self.text, std::slice::from_ref(&weasel), self.lang) {
                points.push(bad(
                    self.m.get("pt-weasel", &[("word", &weasel)]),
                    Some(hit.sentence),
                ));
            }
        }
        let problems = points.len() as u32;
        if problems == 0 {
            points.push(good(self.m.text("pt-clear"), None));
        }
        let earned = c.weight.saturating_sub(problems * c.number("deduct"));
        criterion_grade(c, self.lang, earned, points)
    }

    /// Counts words (Korean: eojeol) without commands, ids and paths, which are not prose.
    fn too_long(&self, c: &Criterion, sentence: &str) -> Option<Point> {
        let size = words(sentence).iter().filter(|w| !is_technical(w)).count();
        let max = match self.lang {
            Lang::En => c.number("max_sentence_words"),
            Lang::Ko => c.number("max_sentence_words_ko"),
        };
        (size > max as usize).then(|| {
            bad(
                self.m.get("pt-long-sentence", &[("n", &size.to_string())]),
                Some(sentence.to_owned()),
            )
        })
    }

    fn tone(&self, c: &Criterion) -> CriterionGrade {
        let mut points = Vec::new();
        let mut earned = 0;
        match sentence_with(self.text, &c.list("acknowledge", self.lang)) {
            Some(sentence) => {
                earned += c.part("acknowledge_share");
                points.push(good(self.m.text("pt-acknowledge-found"), Some(sentence)));
            }
            None => points.push(bad(self.m.text("pt-acknowledge-missing"), None)),
        }
        match sentence_with(self.text, &c.list("blame", self.lang)) {
            Some(sentence) => points.push(bad(self.m.text("pt-blame"), Some(sentence))),
            None => {
                earned += c.part("no_blame_share");
                points.push(good(self.m.text("pt-no-blame"), None));
            }
        }
        let register = match self.lang {
            Lang::En => self.offers_help(c),
            Lang::Ko => self.polite_register(c),
        };
        if register.ok {
            earned += c.part("register_share");
        }
        points.push(register);
        criterion_grade(c, self.lang, earned, points)
    }

    fn offers_help(&self, c: &Criterion) -> Point {
        match sentence_with(self.text, &c.list("help", self.lang)) {
            Some(sentence) => good(self.m.text("pt-help-found"), Some(sentence)),
            None => bad(self.m.text("pt-help-missing"), None),
        }
    }

    /// Sentences that end a clause in Korean (not greetings or list lines) in the polite style.
    fn polite_register(&self, c: &Criterion) -> Point {
        let endings = c.list("polite_endings", Lang::Ko);
        let ending_of = |s: &str| {
            s.trim_end_matches(|ch: char| !ch.is_alphanumeric())
                .to_owned()
        };
        let clauses: Vec<String> = sentences(self.text)
            .into_iter()
            .filter(|s| {
                ending_of(s).ends_with('다')
                    || ending_of(s).ends_with('요')
                    || ending_of(s).ends_with('까')
            })
            .collect();
        let casual: Vec<&String> = clauses
            .iter()
            .filter(|s| !endings.iter().any(|e| ending_of(s).ends_with(e.as_str())))
            .collect();
        let polite = clauses.len() - casual.len();
        let percent = if clauses.is_empty() {
            100
        } else {
            polite * 100 / clauses.len()
        };
        if percent >= c.number("polite_min_percent") as usize {
            good(self.m.text("pt-polite"), None)
        } else {
            bad(
                self.m.get("pt-casual", &[("n", &percent.to_string())]),
                casual.first().map(|s| s.to_string()),
            )
        }
    }
}

struct Proposal<'a> {
    text: &'a str,
    lang: Lang,
    m: &'a Messages,
}

impl Proposal<'_> {
    fn grade(&self, rubric: &Rubric) -> Vec<CriterionGrade> {
        if self.text.trim().is_empty() {
            return rubric
                .criterion
                .iter()
                .map(|c| {
                    criterion_grade(
                        c,
                        self.lang,
                        0,
                        vec![bad(self.m.text("pt-no-proposal"), None)],
                    )
                })
                .collect();
        }
        vec![
            self.impact(rubric.get("impact")),
            self.root_cause(rubric.get("root-cause")),
            self.action_items(rubric.get("action-items")),
            self.mechanism(rubric.get("mechanism")),
        ]
    }

    fn impact(&self, c: &Criterion) -> CriterionGrade {
        let cues = c.list("cues", self.lang);
        let with_cue: Vec<String> = sentences(self.text)
            .into_iter()
            .filter(|s| {
                let lower = s.to_lowercase();
                cues.iter().any(|cue| lower.contains(&cue.to_lowercase()))
            })
            .collect();
        let with_number = with_cue
            .iter()
            .find(|s| s.chars().any(|ch| ch.is_ascii_digit()));
        let (earned, point) = match (with_number, with_cue.first()) {
            (Some(s), _) => (
                c.weight,
                good(self.m.text("pt-impact-found"), Some(s.clone())),
            ),
            (None, Some(s)) => (
                c.weight / 2,
                bad(self.m.text("pt-impact-no-number"), Some(s.clone())),
            ),
            (None, None) => (0, bad(self.m.text("pt-impact-missing"), None)),
        };
        criterion_grade(c, self.lang, earned, vec![point])
    }

    fn root_cause(&self, c: &Criterion) -> CriterionGrade {
        let count = |lower: &str, terms: &[String]| -> usize {
            terms
                .iter()
                .map(|t| lower.matches(t.to_lowercase().as_str()).count())
                .sum()
        };
        let (markers, labels) = (c.list("markers", self.lang), c.list("labels", self.lang));
        let impact = c.list("impact_labels", self.lang);
        let mut steps: Vec<String> = Vec::new();
        let mut n = 0;
        for sentence in sentences(self.text) {
            let lower = sentence.to_lowercase();
            let lower = lower.trim_start_matches(['-', '*', ' ']);
            if impact.iter().any(|label| lower.starts_with(label.as_str())) {
                continue;
            }
            let here = count(lower, &markers).max(usize::from(count(lower, &labels) > 0));
            if here > 0 {
                n += here;
                steps.push(sentence);
            }
        }
        let needed = c.number("min_steps").max(1) as usize;
        let (earned, point) = if n >= needed {
            (
                c.weight,
                good(
                    self.m.get("pt-why-deep", &[("n", &n.to_string())]),
                    steps.last().cloned(),
                ),
            )
        } else if n > 0 {
            (
                c.weight / 2,
                bad(
                    self.m.get("pt-why-shallow", &[("n", &n.to_string())]),
                    steps.first().cloned(),
                ),
            )
        } else {
            (0, bad(self.m.text("pt-why-missing"), None))
        };
        criterion_grade(c, self.lang, earned, vec![point])
    }

    fn action_items(&self, c: &Criterion) -> CriterionGrade {
        let items: Vec<&str> = self
            .text
            .lines()
            .map(str::trim)
            .filter(|l| is_list_item(l))
            .collect();
        if items.is_empty() {
            return criterion_grade(c, self.lang, 0, vec![bad(self.m.text("pt-no-items"), None)]);
        }
        let owners = c.list("owner", self.lang);
        let dates = c.list("date", self.lang);
        let has = |item: &str, terms: &[String]| {
            let lower = item.to_lowercase();
            terms.iter().any(|t| lower.contains(&t.to_lowercase()))
        };
        let mut points = Vec::new();
        let mut complete: u32 = 0;
        for item in &items {
            let missing = match (has(item, &owners), has(item, &dates)) {
                (true, true) => {
                    complete += 1;
                    continue;
                }
                (false, true) => "pt-item-no-owner",
                (true, false) => "pt-item-no-date",
                (false, false) => "pt-item-no-owner-date",
            };
            points.push(bad(self.m.text(missing), Some((*item).to_owned())));
        }
        points.insert(
            0,
            Point {
                ok: complete as usize == items.len(),
                text: self.m.get(
                    "pt-items",
                    &[
                        ("complete", &complete.to_string()),
                        ("n", &items.len().to_string()),
                    ],
                ),
                quote: None,
            },
        );
        let earned = c.weight * complete / items.len() as u32;
        criterion_grade(c, self.lang, earned, points)
    }

    fn mechanism(&self, c: &Criterion) -> CriterionGrade {
        let mechanism = sentence_with(self.text, &c.list("cues", self.lang));
        let intention = sentence_with(self.text, &c.list("intentions", self.lang));
        let mut points = Vec::new();
        let mut earned = 0;
        match mechanism {
            Some(s) => {
                earned = c.weight;
                points.push(good(self.m.text("pt-mechanism-found"), Some(s)));
            }
            None => points.push(bad(self.m.text("pt-mechanism-missing"), None)),
        }
        if let Some(s) = intention {
            earned /= 2;
            points.push(bad(self.m.text("pt-intention"), Some(s)));
        }
        criterion_grade(c, self.lang, earned, points)
    }
}

/// A command, an option, an id, a path or an amount: `aws`, `--region`, `i-0a1b…`, `a>b`.
fn is_technical(word: &str) -> bool {
    word.starts_with("--")
        || word.contains([':', '/', '_', '=', '>', '@', '$'])
        || (word.contains('-') && word.chars().any(|c| c.is_ascii_digit()))
}

fn is_list_item(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    line.starts_with(['-', '*', '•']) || (digits > 0 && line[digits..].starts_with(['.', ')']))
}

/// Money figures in a sentence: `$8.56`, `USD 8.56`, `8.56 USD`, `8.56달러`, `8.56 달러`.
pub fn money_figures(sentence: &str) -> Vec<Decimal> {
    let chars: Vec<char> = sentence.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !is_number_char(chars[i - 1])) {
            let start = i;
            while i < chars.len() && is_number_char(chars[i]) {
                i += 1;
            }
            let mut end = i;
            while end > start && matches!(chars[end - 1], '.' | ',') {
                end -= 1;
            }
            let number: String = chars[start..end].iter().filter(|c| **c != ',').collect();
            let before: String = chars[start.saturating_sub(4)..start].iter().collect();
            let after: String = chars[end..(end + 4).min(chars.len())].iter().collect();
            if is_dollar(&before, &after) {
                if let Ok(value) = number.parse::<Decimal>() {
                    out.push(value);
                }
            }
        } else {
            i += 1;
        }
    }
    out
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || c == '.' || c == ','
}

fn is_dollar(before: &str, after: &str) -> bool {
    let before = before.trim_end();
    let after = after.trim_start();
    before.ends_with('$')
        || before.to_uppercase().ends_with("USD")
        || after.to_uppercase().starts_with("USD")
        || after.starts_with("달러")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_rubrics_parse_and_weigh_100() {
        let (email, improvement) = parse_rubrics().unwrap();
        for rubric in [&email, &improvement] {
            assert_eq!(rubric.criterion.iter().map(|c| c.weight).sum::<u32>(), 100);
        }
        assert_eq!(email.share + improvement.share, 100);
        for id in ["accuracy", "completeness", "clarity", "tone"] {
            email.get(id);
        }
        for id in ["impact", "root-cause", "action-items", "mechanism"] {
            improvement.get(id);
        }
        let c = email.get("completeness");
        let parts: u32 = [
            "causes_share",
            "stop_share",
            "ongoing_share",
            "prevent_share",
        ]
        .iter()
        .map(|k| c.number(k))
        .sum();
        assert_eq!(parts, 100);
    }

    #[test]
    fn money_figures_in_both_languages() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(
            money_figures("You paid $8.56, and $1,234.50 later."),
            [d("8.56"), d("1234.50")]
        );
        assert_eq!(
            money_figures("총 8.56달러, USD 3.00 그리고 2 USD."),
            [d("8.56"), d("3.00"), d("2")]
        );
        assert_eq!(money_figures("750 hours and 30 GB in 2025."), []);
    }

    #[test]
    fn the_answer_splits_at_the_dashes() {
        let a = Answer::split("Hi\nthere\n---\n- fix it\n");
        assert_eq!(a.email, "Hi\nthere");
        assert_eq!(a.proposal, "- fix it");
        assert_eq!(Answer::split("only mail").proposal, "");
    }

    #[test]
    fn list_items() {
        assert!(is_list_item("- a"));
        assert!(is_list_item("12. a"));
        assert!(!is_list_item("2025 was"));
    }

    fn truth(lang: &str) -> CaseTruth {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        CaseTruth {
            about: String::new(),
            seed: 1,
            difficulty: 1,
            lang: lang.to_owned(),
            customer: "Daniel Okafor".to_owned(),
            month: "2025-09".to_owned(),
            region: "us-east-1".to_owned(),
            billing: "billing/x.csv".to_owned(),
            catalog_version: String::new(),
            net: d("33.48"),
            gross: d("33.48"),
            tax: d("0"),
            credits: d("0"),
            quote: crate::Quote::None,
            quoted: None,
            topics: vec![crate::TopicTruth {
                topic: "nat-gateway".to_owned(),
                cause: "never-free".to_owned(),
                cost: d("33.48"),
                usage_types: vec!["NatGateway-Hours".to_owned()],
                resources: vec!["nat-0a1b".to_owned()],
            }],
            figures: vec![d("0"), d("33.48"), d("0.045")],
            quantities: vec![
                Quantity {
                    unit: Unit::Hours,
                    value: d("744"),
                },
                Quantity {
                    unit: Unit::Hours,
                    value: d("750"),
                },
            ],
        }
    }

    fn accuracy_of(answer: &str, truth: &CaseTruth) -> CriterionGrade {
        grade(answer, truth).unwrap().email[0].clone()
    }

    #[test]
    fn stated_quantities_are_checked_against_the_accounting() {
        let right = format!("{GOOD_EN}The NAT gateway ran 744 hours this month.\n");
        let accuracy = accuracy_of(&right, &truth("en"));
        assert_eq!(accuracy.earned, accuracy.weight);
        assert!(accuracy
            .points
            .iter()
            .any(|p| p.ok && p.text.contains("1 quantities")));

        let wrong = format!("{GOOD_EN}The NAT gateway ran 800 hours this month.\n");
        let accuracy = accuracy_of(&wrong, &truth("en"));
        assert_eq!(accuracy.earned, accuracy.weight - 10);
        let point = accuracy.points.iter().find(|p| !p.ok).unwrap();
        assert_eq!(
            point.quote.as_deref(),
            Some("The NAT gateway ran 800 hours this month.")
        );
        assert!(point.text.contains("800 hours") && point.text.contains("750 hours"));

        let plain_duration = format!("{GOOD_EN}Billing data can take 24 hours to appear.\n");
        assert_eq!(accuracy_of(&plain_duration, &truth("en")).earned, 30);
    }

    #[test]
    fn an_answer_key_without_quantities_checks_none() {
        let mut old = truth("en");
        old.quantities.clear();
        let wrong = format!("{GOOD_EN}The NAT gateway ran 800 hours this month.\n");
        assert_eq!(accuracy_of(&wrong, &old).earned, 30);
    }

    #[test]
    fn a_charge_put_down_to_a_cause_not_on_the_bill_loses_accuracy() {
        let wrong = GOOD_EN.replace(
            "If you have any questions",
            "Part of the charge comes from your EBS volume.\nIf you have any questions",
        );
        let accuracy = accuracy_of(&wrong, &truth("en"));
        assert_eq!(accuracy.earned, accuracy.weight - 15);
        let point = accuracy.points.iter().find(|p| !p.ok).unwrap();
        assert_eq!(
            point.quote.as_deref(),
            Some("Part of the charge comes from your EBS volume.")
        );
        let cleared = GOOD_EN.replace(
            "If you have any questions",
            "Your EBS volume is within the free tier and cost nothing.\nIf you have any questions",
        );
        assert_eq!(accuracy_of(&cleared, &truth("en")).earned, 30);
    }

    #[test]
    fn korean_quantities_and_causes_are_checked_too() {
        let base = "안녕하세요. 걱정을 끼쳐 드려 죄송합니다.\n청구 금액은 $33.48입니다.\n";
        let right = format!("{base}NAT 게이트웨이가 744시간 동안 실행되었습니다.\n");
        let accuracy = accuracy_of(&right, &truth("ko"));
        assert!(accuracy.points.iter().all(|p| p.ok), "{accuracy:#?}");
        let wrong = format!("{base}NAT 게이트웨이가 800시간 동안 실행되었습니다.\n");
        let accuracy = accuracy_of(&wrong, &truth("ko"));
        let point = accuracy.points.iter().find(|p| !p.ok).unwrap();
        assert!(point.text.starts_with("800시간은"), "{}", point.text);
        let cause = format!("{right}요금은 EBS 볼륨 때문에 청구되었습니다.\n");
        let accuracy = accuracy_of(&cause, &truth("ko"));
        assert_eq!(accuracy.earned, accuracy.weight - 15, "{accuracy:#?}");
    }

    #[test]
    fn an_email_that_leaves_a_cause_without_its_figures_does_not_pass() {
        let truth = truth("en");
        let good = grade(GOOD_EN, &truth).unwrap();
        assert!(good.holds.is_empty(), "{:#?}", good.holds);
        let vague = "Hello Daniel,\nI understand your worry about this bill.\n\
            Your bill of $33.48 comes from a NAT gateway.\n\
            Please delete it. Then create a zero-spend budget in AWS Budgets.\n\
            If you have any questions, let me know.\n";
        let graded = grade(vague, &truth).unwrap();
        assert_eq!(graded.holds.len(), 1, "{graded:#?}");
        assert!(!graded.passed);
        assert!(graded.email_score <= graded.holds[0].cap);
        let accuracy = &graded.email[0];
        assert_eq!(
            accuracy.earned,
            accuracy.weight / 2,
            "only the total: {accuracy:#?}"
        );
    }

    const GOOD_EN: &str = "Hello Daniel,\nI understand your worry about this bill.\n\
        Your bill for September 2025 is $33.48. All of it is for a NAT gateway, which has no free tier.\n\
        It costs $0.045 per hour until you delete the NAT gateway.\n\
        Please delete it in the VPC console. Then create a zero-spend budget in AWS Budgets.\n\
        If you have any questions, let me know.\n";

    #[test]
    fn a_good_email_scores_full_marks_and_quotes_its_sentences() {
        let g = grade(GOOD_EN, &truth("en")).unwrap();
        assert!(g.critical.is_empty());
        assert_eq!(g.email_score, 100, "{g:#?}");
        let completeness = &g.email[1];
        assert_eq!(
            completeness.points[0].quote.as_deref(),
            Some("All of it is for a NAT gateway, which has no free tier.")
        );
        assert_eq!(g.proposal_score, 0);
        assert!(!g.passed);
    }

    #[test]
    fn a_wrong_figure_and_weasel_words_are_quoted() {
        let answer = GOOD_EN
            .replace("$33.48", "$34.00")
            .replace("Please delete", "It is probably best to delete");
        let g = grade(&answer, &truth("en")).unwrap();
        assert_eq!(g.email_score, 0);
        assert_eq!(g.critical.len(), 1);
        assert_eq!(
            g.critical[0].quote.as_deref(),
            Some("Your bill for September 2025 is $34.00.")
        );
        let clarity = &g.email[2];
        assert!(clarity.points.iter().any(|p| p.text.contains("'probably'")));
    }

    #[test]
    fn a_missing_cause_and_a_casual_korean_register_lose_points() {
        let answer = "안녕하세요. 걱정을 끼쳐 드려 죄송합니다.\n청구 금액은 $33.48이다.\n요금은 계속 나온다.\n";
        let g = grade(answer, &truth("ko")).unwrap();
        let completeness = &g.email[1];
        assert!(completeness
            .points
            .iter()
            .any(|p| !p.ok && p.text.contains("NAT")));
        let tone = &g.email[3];
        let casual = tone.points.iter().find(|p| !p.ok).unwrap();
        assert_eq!(casual.quote.as_deref(), Some("청구 금액은 $33.48이다."));
    }

    #[test]
    fn wrong_language_and_empty_answers_are_refused() {
        assert!(matches!(
            grade(GOOD_EN, &truth("ko")),
            Err(PracticeError::WrongLanguage {
                expected: "Korean",
                found: "English"
            })
        ));
        assert!(matches!(
            grade("  \n---\nproposal", &truth("en")),
            Err(PracticeError::EmptyAnswer)
        ));
    }

    #[test]
    fn a_proposal_in_coe_shape_scores_full_marks() {
        let answer = format!(
            "{GOOD_EN}---\nImpact: 1 customer paid $33.48.\n\
            The customer was surprised because NAT gateways have no free tier.\n\
            That was not visible because the console shows no price.\n\
            - Show the hourly price in the console. Owner: console team, by 2026-03-31.\n\
            - Alert on the first never-free hour. Owner: billing team, by 2026-06-30.\n\
            - Be more careful.\n"
        );
        let g = grade(&answer, &truth("en")).unwrap();
        let items = &g.proposal[2];
        assert_eq!(items.earned, 20);
        assert_eq!(items.points[1].quote.as_deref(), Some("- Be more careful."));
        let mechanism = &g.proposal[3];
        assert_eq!(mechanism.earned, 10, "an intention halves the mechanism");
    }
}

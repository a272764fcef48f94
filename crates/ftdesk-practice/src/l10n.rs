//! Messages through Project Fluent, with `JOSA` for Korean particles.

use ftdesk_render::l10n::Arg;
use ftdesk_render::Localizer;

use crate::Lang;

const EN: &str = include_str!("../locales/en/practice.ftl");
const KO: &str = include_str!("../locales/ko/practice.ftl");

/// The drill's messages in one language.
pub struct Messages {
    own: Localizer,
    /// The report's messages, for units: made on first use.
    report: std::cell::OnceCell<Localizer>,
    lang: Lang,
}

impl Messages {
    pub fn new(lang: Lang) -> Self {
        let source = match lang {
            Lang::En => EN,
            Lang::Ko => KO,
        };
        Messages {
            own: Localizer::with_sources(lang, &[source]),
            report: std::cell::OnceCell::new(),
            lang,
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The message `id` with text arguments; a missing message shows as `[id]`.
    pub fn get(&self, id: &str, args: &[(&str, &str)]) -> String {
        let args: Vec<(&str, Arg<'_>)> = args.iter().map(|(k, v)| (*k, Arg::Str(v))).collect();
        self.own.get(id, &args)
    }

    pub fn text(&self, id: &str) -> String {
        self.get(id, &[])
    }

    /// `1,488 hours`, `30 GB`, `1,488시간`, as the report writes them.
    pub fn quantity(&self, value: rust_decimal::Decimal, aws_unit: &str) -> String {
        let report = self.report.get_or_init(|| Localizer::new(self.lang));
        ftdesk_render::format::quantity(report, value, aws_unit)
    }
}

/// A data template (a Fluent pattern) with the candidate's words as `$quote`;
/// a template that does not parse is shown as written.
pub(crate) fn fill(lang: Lang, template: &str, quote: &str) -> String {
    fill_args(lang, template, &[("quote", quote)])
}

/// A one-line data template (a Fluent pattern) with text arguments; an empty
/// line stays empty and a template that does not parse is shown as written.
pub(crate) fn fill_args(lang: Lang, template: &str, args: &[(&str, &str)]) -> String {
    if template.trim().is_empty() {
        return String::new();
    }
    let args: Vec<(&str, Arg<'_>)> = args.iter().map(|(k, v)| (*k, Arg::Str(v))).collect();
    Localizer::try_with_sources(lang, &[&format!("t = {template}\n")])
        .map(|l| l.get("t", &args))
        .unwrap_or_else(|| template.to_owned())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn both_languages_define_the_same_messages() {
        let en: BTreeSet<String> = message_ids(EN);
        let ko: BTreeSet<String> = message_ids(KO);
        assert_eq!(en, ko);
    }

    fn message_ids(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|l| !l.starts_with(['#', ' ']) && l.contains(" ="))
            .filter_map(|l| l.split(" =").next())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn templates_quote_the_candidate() {
        assert_eq!(
            fill(Lang::En, "You said '{ $quote }'.", "a lot"),
            "You said 'a lot'."
        );
    }

    #[test]
    fn korean_particles_follow_the_word() {
        let ko = Messages::new(Lang::Ko);
        assert_eq!(
            ko.get("story-about", &[("n", "1"), ("principle", "주인의식")]),
            "질문 1: 주인의식을 보는 질문입니다"
        );
        assert_eq!(
            ko.get("story-about", &[("n", "2"), ("principle", "절약")]),
            "질문 2: 절약을 보는 질문입니다"
        );
        assert_eq!(
            ko.get("story-about", &[("n", "3"), ("principle", "크게 생각하라")]),
            "질문 3: 크게 생각하라를 보는 질문입니다"
        );
    }
}

//! Messages through Project Fluent, with `JOSA` for Korean particles.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use unic_langid::{langid, LanguageIdentifier};

use crate::Lang;

const EN: &str = include_str!("../locales/en/practice.ftl");
const KO: &str = include_str!("../locales/ko/practice.ftl");

/// The drill's messages in one language.
pub struct Messages {
    bundle: FluentBundle<FluentResource>,
    lang: Lang,
}

fn new_bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = match lang {
        Lang::En => langid!("en-US"),
        Lang::Ko => langid!("ko-KR"),
    };
    let mut bundle = FluentBundle::new(vec![id]);
    bundle.set_use_isolating(false);
    // Registering a function fails only when the name is taken; this bundle is new.
    let _ = bundle.add_function("JOSA", ftdesk_render::l10n::josa_function);
    bundle
}

impl Messages {
    pub fn new(lang: Lang) -> Self {
        let mut bundle = new_bundle(lang);
        let source = match lang {
            Lang::En => EN,
            Lang::Ko => KO,
        };
        // The bundled files parse and define each message once; a test checks both.
        if let Ok(resource) = FluentResource::try_new(source.to_owned()) {
            let _ = bundle.add_resource(resource);
        }
        Messages { bundle, lang }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The message `id` with text arguments; a missing message shows as `[id]`.
    pub fn get(&self, id: &str, args: &[(&str, &str)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return format!("[{id}]");
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(value.to_string()));
        }
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }

    pub fn text(&self, id: &str) -> String {
        self.get(id, &[])
    }
}

/// A data template (a Fluent pattern) with the candidate's words as `$quote`.
pub(crate) fn fill(lang: Lang, template: &str, quote: &str) -> String {
    let mut bundle = new_bundle(lang);
    let Ok(resource) = FluentResource::try_new(format!("t = {template}\n")) else {
        return template.to_owned();
    };
    if bundle.add_resource(resource).is_err() {
        return template.to_owned();
    }
    let Some(pattern) = bundle.get_message("t").and_then(|m| m.value()) else {
        return template.to_owned();
    };
    let mut args = FluentArgs::new();
    args.set("quote", FluentValue::from(quote.to_owned()));
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&args), &mut errors)
        .into_owned()
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

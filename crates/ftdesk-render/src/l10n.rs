//! Messages in English and Korean through Project Fluent.

use std::cell::RefCell;
use std::collections::HashMap;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use unic_langid::{langid, LanguageIdentifier};

use crate::Lang;

const EN: [&str; 2] = [
    include_str!("../locales/en/report.ftl"),
    include_str!("../locales/en/units.ftl"),
];
const KO: [&str; 2] = [
    include_str!("../locales/ko/report.ftl"),
    include_str!("../locales/ko/units.ftl"),
];

/// Formats messages for one language.
pub struct Localizer {
    bundle: FluentBundle<FluentResource>,
    lang: Lang,
    /// Messages without arguments, as [`Localizer::text`] resolved them.
    texts: RefCell<HashMap<String, String>>,
}

impl Localizer {
    /// The report's messages.
    pub fn new(lang: Lang) -> Self {
        match lang {
            Lang::En => Self::with_sources(lang, &EN),
            Lang::Ko => Self::with_sources(lang, &KO),
        }
    }

    /// A localizer over other bundled `.ftl` sources (the guard's, the drill's),
    /// with the same settings and the `JOSA` function. The sources are compiled
    /// in; each crate's tests check they parse and define each message once.
    pub fn with_sources(lang: Lang, sources: &[&str]) -> Self {
        Self::try_with_sources(lang, sources).expect("bundled .ftl files parse; a test checks it")
    }

    /// As [`Localizer::with_sources`], for text that may be broken (data files):
    /// `None` when a source does not parse or defines a message twice.
    pub fn try_with_sources(lang: Lang, sources: &[&str]) -> Option<Self> {
        let id: LanguageIdentifier = match lang {
            Lang::En => langid!("en-US"),
            Lang::Ko => langid!("ko-KR"),
        };
        let mut bundle = FluentBundle::new(vec![id]);
        bundle.set_use_isolating(false);
        bundle.add_function("JOSA", josa_function).ok()?;
        for source in sources {
            let resource = FluentResource::try_new((*source).to_owned()).ok()?;
            bundle.add_resource(resource).ok()?;
        }
        Some(Localizer {
            bundle,
            lang,
            texts: RefCell::default(),
        })
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The message `id` with `args`. A missing message shows its id, so a gap
    /// is visible rather than silent; a test keeps both languages complete.
    pub fn get(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return format!("[{id}]");
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Str(s) => FluentValue::from(*s),
                Arg::Num(n) => FluentValue::from(*n),
            };
            fluent_args.set(*name, value);
        }
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }

    /// The message `id` without arguments, resolved once per localizer:
    /// a cause's name is looked up once, not once per charge.
    pub fn text(&self, id: &str) -> String {
        if let Some(text) = self.texts.borrow().get(id) {
            return text.clone();
        }
        let text = self.get(id, &[]);
        self.texts.borrow_mut().insert(id.to_owned(), text.clone());
        text
    }
}

/// `JOSA(word, "을")`: the word followed by the Korean particle form its final
/// sound takes (을/를, 이/가, 은/는, 과/와, 으로/로). Registered in every bundle.
pub fn josa_function<'a>(
    positional: &[FluentValue<'a>],
    _named: &FluentArgs<'_>,
) -> FluentValue<'a> {
    let word = match positional.first() {
        Some(FluentValue::String(s)) => s.to_string(),
        Some(FluentValue::Number(n)) => n.as_string().into_owned(),
        _ => String::new(),
    };
    let particle = match positional.get(1) {
        Some(FluentValue::String(s)) => s.to_string(),
        _ => String::new(),
    };
    FluentValue::from(crate::josa::attach(&word, &particle))
}

/// A message argument: text, or a number used to pick a plural form.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Str(&'a str),
    Num(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(s)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Str(s)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use fluent_bundle::FluentResource;
    use fluent_syntax::ast::Entry;

    use super::*;

    fn ids(sources: &[&str]) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for source in sources {
            let resource = FluentResource::try_new((*source).to_owned()).expect("parses");
            for entry in resource.entries() {
                if let Entry::Message(m) = entry {
                    assert!(
                        ids.insert(m.id.name.to_owned()),
                        "{} defined twice",
                        m.id.name
                    );
                }
            }
        }
        ids
    }

    #[test]
    fn both_languages_define_the_same_messages() {
        let en = ids(&EN);
        let ko = ids(&KO);
        assert_eq!(
            en.difference(&ko).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in ko"
        );
        assert_eq!(
            ko.difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in en"
        );
    }

    #[test]
    fn plurals_and_arguments() {
        let en = Localizer::new(Lang::En);
        assert_eq!(
            en.get("unit-hours", &[("n", "1".into()), ("count", Arg::Num(1.0))]),
            "1 hour"
        );
        assert_eq!(
            en.get(
                "unit-hours",
                &[("n", "1,488".into()), ("count", Arg::Num(1488.0))]
            ),
            "1,488 hours"
        );
        let ko = Localizer::new(Lang::Ko);
        assert_eq!(
            ko.get(
                "unit-hours",
                &[("n", "1,488".into()), ("count", Arg::Num(1488.0))]
            ),
            "1,488시간"
        );
        assert_eq!(en.text("no-such-message"), "[no-such-message]");
    }
}

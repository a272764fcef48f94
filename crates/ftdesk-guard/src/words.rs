//! The alerts' words, through Fluent, in English or Korean.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use ftdesk_render::Lang;
use unic_langid::{langid, LanguageIdentifier};

const EN: &str = include_str!("../locales/en/guard.ftl");
const KO: &str = include_str!("../locales/ko/guard.ftl");

/// Formats the guard's messages for one language.
pub struct Words {
    bundle: FluentBundle<FluentResource>,
    pub lang: Lang,
    /// The report renderer's messages (units, console and CLI lines).
    pub render: ftdesk_render::Localizer,
}

impl Words {
    pub fn new(lang: Lang) -> Self {
        let (id, source): (LanguageIdentifier, &str) = match lang {
            Lang::En => (langid!("en-US"), EN),
            Lang::Ko => (langid!("ko-KR"), KO),
        };
        let mut bundle = FluentBundle::new(vec![id]);
        bundle.set_use_isolating(false);
        // Both can only fail on a second registration or a broken bundled
        // file; the tests below render every message in both languages.
        let _ = bundle.add_function("JOSA", ftdesk_render::l10n::josa_function);
        if let Ok(resource) = FluentResource::try_new(source.to_owned()) {
            let _ = bundle.add_resource(resource);
        }
        Words {
            bundle,
            lang,
            render: ftdesk_render::Localizer::new(lang),
        }
    }

    /// The message `id` with `args`; a missing message shows its id.
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(source: &str) -> Vec<String> {
        source
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(id, _)| id.trim().to_owned()))
            .collect()
    }

    #[test]
    fn both_languages_have_every_message_and_it_parses() {
        assert_eq!(ids(EN), ids(KO));
        for lang in [Lang::En, Lang::Ko] {
            let words = Words::new(lang);
            for id in ids(EN) {
                assert!(!words.get(&id, &[]).starts_with('['), "{id} in {lang:?}");
            }
        }
    }

    #[test]
    fn korean_particles_follow_the_word() {
        let ko = Words::new(Lang::Ko);
        let text = ko.get(
            "guard-never-free-title",
            &[("resource", "NAT 게이트웨이"), ("service", "VPC")],
        );
        assert!(text.starts_with("NAT 게이트웨이는"), "{text}");
    }
}

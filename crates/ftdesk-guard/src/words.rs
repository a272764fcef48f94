//! The alerts' words, through Fluent, in English or Korean.

use ftdesk_render::l10n::Arg;
use ftdesk_render::{Lang, Localizer};

const EN: &str = include_str!("../locales/en/guard.ftl");
const KO: &str = include_str!("../locales/ko/guard.ftl");

/// Formats the guard's messages for one language.
pub struct Words {
    own: Localizer,
    pub lang: Lang,
    /// The report renderer's messages (units, console and CLI lines).
    pub render: ftdesk_render::Localizer,
}

impl Words {
    pub fn new(lang: Lang) -> Self {
        let source = match lang {
            Lang::En => EN,
            Lang::Ko => KO,
        };
        Words {
            own: Localizer::with_sources(lang, &[source]),
            lang,
            render: Localizer::new(lang),
        }
    }

    /// The message `id` with `args`; a missing message shows its id.
    pub fn get(&self, id: &str, args: &[(&str, &str)]) -> String {
        let args: Vec<(&str, Arg<'_>)> = args.iter().map(|(k, v)| (*k, Arg::Str(v))).collect();
        self.own.get(id, &args)
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

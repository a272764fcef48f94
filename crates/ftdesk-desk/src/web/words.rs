//! The interface's words in English and Korean, from Fluent files through
//! ftdesk-render's `Localizer`.

use std::collections::BTreeMap;

use ftdesk_render::l10n::Arg;
use ftdesk_render::{Lang, Localizer};

const EN: &str = include_str!("../../locales/en/desk.ftl");
const KO: &str = include_str!("../../locales/ko/desk.ftl");

/// Every message without arguments, resolved once per language, keyed for
/// templates with `_` for `-` (`t.queue_title`).
pub struct Words {
    en: BTreeMap<String, String>,
    ko: BTreeMap<String, String>,
}

impl Words {
    pub fn load() -> Words {
        Words {
            en: resolve(Lang::En, EN),
            ko: resolve(Lang::Ko, KO),
        }
    }

    pub fn table(&self, lang: Lang) -> &BTreeMap<String, String> {
        match lang {
            Lang::En => &self.en,
            Lang::Ko => &self.ko,
        }
    }

    pub fn get(&self, lang: Lang, id: &str) -> String {
        self.table(lang)
            .get(&id.replace('-', "_"))
            .cloned()
            .unwrap_or_else(|| format!("[{id}]"))
    }

    /// A message with arguments, formatted by Fluent.
    pub fn format(&self, lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
        let args: Vec<(&str, Arg<'_>)> = args.iter().map(|(k, v)| (*k, Arg::Str(v))).collect();
        localizer(lang).get(id, &args)
    }
}

/// A person's stored language code as a [`Lang`]; English when it is not one.
pub fn lang_of(code: &str) -> Lang {
    code.parse().unwrap_or(Lang::En)
}

fn localizer(lang: Lang) -> Localizer {
    Localizer::with_sources(
        lang,
        &[match lang {
            Lang::En => EN,
            Lang::Ko => KO,
        }],
    )
}

fn message_ids(source: &str) -> impl Iterator<Item = &str> {
    source.lines().filter_map(|line| {
        let (id, _) = line.split_once(" = ")?;
        (!id.starts_with(['#', ' ', '-']) && !id.is_empty()).then_some(id)
    })
}

fn resolve(lang: Lang, source: &str) -> BTreeMap<String, String> {
    let loc = localizer(lang);
    message_ids(source)
        .map(|id| (id.replace('-', "_"), loc.get(id, &[])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_messages() {
        let en: Vec<&str> = message_ids(EN).collect();
        let ko: Vec<&str> = message_ids(KO).collect();
        assert_eq!(en, ko);
        let words = Words::load();
        for id in en {
            assert!(!words.get(Lang::En, id).starts_with('['), "{id}");
            assert!(!words.get(Lang::Ko, id).starts_with('['), "{id}");
        }
        assert_eq!(words.get(Lang::Ko, "queue-title"), "대기열");
        let too_large = words.format(Lang::En, "upload-too-large", &[("limit", "9.5 MiB")]);
        assert!(too_large.contains("9.5 MiB"), "{too_large}");
    }

    #[test]
    fn a_stored_language_code_names_its_language() {
        assert_eq!(lang_of("ko"), Lang::Ko);
        assert_eq!(lang_of("en"), Lang::En);
        assert_eq!(lang_of(""), Lang::En);
    }
}

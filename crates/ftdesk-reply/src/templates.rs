//! The reply's messages: Project Fluent files embedded in the binary, which a
//! support team can override message by message from a folder.
//!
//! `DIR/en/*.ftl` and `DIR/ko/*.ftl` are read after the embedded files; a
//! message they define replaces the embedded one with the same id. Korean
//! messages can pick particles with `{ JOSA($amount, "을") }`.

use std::path::{Path, PathBuf};

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use ftdesk_render::Lang;
use unic_langid::{langid, LanguageIdentifier};

use crate::ReplyError;

/// The environment variable naming a templates folder, when `--templates` is not given.
pub const TEMPLATES_ENV: &str = "FTDESK_REPLY_TEMPLATES";

const EN: &str = include_str!("../locales/en/reply.ftl");
const KO: &str = include_str!("../locales/ko/reply.ftl");

/// Formats the reply's messages in one language.
pub struct Templates {
    bundle: FluentBundle<FluentResource>,
    lang: Lang,
}

impl Templates {
    /// The embedded messages only.
    pub fn embedded(lang: Lang) -> Templates {
        Self::load(lang, None).expect("the embedded .ftl files parse; a test checks it")
    }

    /// The embedded messages, overridden by `dir/<lang>/*.ftl` when `dir` is given.
    pub fn load(lang: Lang, dir: Option<&Path>) -> Result<Templates, ReplyError> {
        let (id, source): (LanguageIdentifier, &str) = match lang {
            Lang::En => (langid!("en-US"), EN),
            Lang::Ko => (langid!("ko-KR"), KO),
        };
        let mut bundle = FluentBundle::new(vec![id]);
        bundle.set_use_isolating(false);
        bundle
            .add_function("JOSA", ftdesk_render::l10n::josa_function)
            .expect("JOSA is registered once");
        let embedded = parse(source.to_owned(), Path::new("(embedded)"))?;
        bundle.add_resource_overriding(embedded);
        if let Some(dir) = dir {
            for path in override_files(dir, lang)? {
                let text = std::fs::read_to_string(&path).map_err(|source| ReplyError::Io {
                    path: path.clone(),
                    source,
                })?;
                bundle.add_resource_overriding(parse(text, &path)?);
            }
        }
        Ok(Templates { bundle, lang })
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The message `id` with string arguments. A missing message shows its id.
    pub fn get(&self, id: &str, args: &[(&str, &str)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(value.to_string()));
        }
        self.format(id, fluent_args)
    }

    /// Like [`Templates::get`], with a number `count` for plural and select forms.
    pub fn get_counted(&self, id: &str, count: usize, args: &[(&str, &str)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(value.to_string()));
        }
        fluent_args.set("count", FluentValue::from(count));
        self.format(id, fluent_args)
    }

    pub fn text(&self, id: &str) -> String {
        self.get(id, &[])
    }

    /// Whether the message `id` exists (optional paragraphs can be blanked by an override).
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    fn format(&self, id: &str, args: FluentArgs<'_>) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return format!("[{id}]");
        };
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, Some(&args), &mut errors)
            .trim_end()
            .to_owned()
    }
}

fn parse(text: String, path: &Path) -> Result<FluentResource, ReplyError> {
    FluentResource::try_new(text).map_err(|(_, errors)| ReplyError::Template {
        path: path.to_owned(),
        reason: errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    })
}

fn override_files(dir: &Path, lang: Lang) -> Result<Vec<PathBuf>, ReplyError> {
    if !dir.is_dir() {
        return Err(ReplyError::Template {
            path: dir.to_owned(),
            reason: "not a folder; expected a folder with en/*.ftl and ko/*.ftl".into(),
        });
    }
    let lang_dir = dir.join(lang.code());
    let Ok(entries) = std::fs::read_dir(&lang_dir) else {
        return Ok(Vec::new());
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message_ids(source: &str) -> std::collections::BTreeSet<String> {
        let resource = FluentResource::try_new(source.to_owned()).expect("parses");
        resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn both_languages_define_the_same_messages() {
        let (en, ko) = (message_ids(EN), message_ids(KO));
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
    fn josa_is_a_fluent_function() {
        let mut bundle = FluentBundle::new(vec![langid!("ko-KR")]);
        bundle.set_use_isolating(false);
        bundle
            .add_function("JOSA", ftdesk_render::l10n::josa_function)
            .unwrap();
        let resource = FluentResource::try_new(
            "a = { JOSA($amount, \"을\") } 확인했습니다.\nb = { JOSA($n, \"이\") }\n".to_owned(),
        )
        .unwrap();
        bundle.add_resource(resource).unwrap();
        let mut args = FluentArgs::new();
        args.set("amount", "$19.63");
        args.set("n", 3);
        let mut errors = Vec::new();
        let a = bundle.get_message("a").unwrap().value().unwrap();
        assert_eq!(
            bundle.format_pattern(a, Some(&args), &mut errors),
            "$19.63를 확인했습니다."
        );
        let b = bundle.get_message("b").unwrap().value().unwrap();
        assert_eq!(bundle.format_pattern(b, Some(&args), &mut errors), "3이");
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn a_folder_overrides_one_message() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("en")).unwrap();
        std::fs::write(
            dir.path().join("en/custom.ftl"),
            "closing-thanks = Cheers from the billing desk.\n",
        )
        .unwrap();
        let custom = Templates::load(Lang::En, Some(dir.path())).unwrap();
        let plain = Templates::embedded(Lang::En);
        assert_eq!(
            custom.text("closing-thanks"),
            "Cheers from the billing desk."
        );
        assert_ne!(plain.text("closing-thanks"), custom.text("closing-thanks"));
        assert_eq!(custom.text("signature"), plain.text("signature"));
        let korean = Templates::load(Lang::Ko, Some(dir.path())).unwrap();
        assert_eq!(
            korean.text("closing-thanks"),
            Templates::embedded(Lang::Ko).text("closing-thanks")
        );
    }

    #[test]
    fn a_broken_override_is_refused_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("ko")).unwrap();
        std::fs::write(dir.path().join("ko/bad.ftl"), "closing-thanks = { $\n").unwrap();
        let err = Templates::load(Lang::Ko, Some(dir.path())).err().unwrap();
        assert!(err.to_string().contains("bad.ftl"), "{err}");
    }
}

//! The user's defaults: `config.toml` in ftdesk's config folder. A flag
//! given on the command line (or its environment variable) wins over it.

use std::path::{Path, PathBuf};

use ftdesk_core::{Date, Plan};
use ftdesk_render::Lang;
use serde::{Deserialize, Deserializer};

use crate::Settings;

/// The defaults a `config.toml` may set; every key is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Language of reports and messages: `en` or `ko`.
    #[serde(default, deserialize_with = "from_text")]
    pub lang: Option<Lang>,
    /// The account's creation date, `YYYY-MM-DD` (check, reply, sql).
    #[serde(default, deserialize_with = "from_text")]
    pub account_created: Option<Date>,
    /// The account's free-tier plan: `legacy`, `free-plan` or `paid-plan`.
    #[serde(default)]
    pub plan: Option<Plan>,
    /// The desk's database file.
    #[serde(default)]
    pub db: Option<PathBuf>,
    /// The address the desk's web pages listen on.
    #[serde(default)]
    pub listen: Option<String>,
    /// The AWS region for S3 sources (AWS_REGION and the profile's region otherwise).
    #[serde(default)]
    pub region: Option<String>,
    /// The AWS profile for S3 sources and `--live`.
    #[serde(default)]
    pub profile: Option<String>,
}

/// Why the config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("reading {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
}

fn from_text<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text = String::deserialize(deserializer)?;
    text.parse()
        .map(Some)
        .map_err(|e| serde::de::Error::custom(format!("{text:?}: {e}")))
}

impl Config {
    /// The config file the settings point at (`FTDESK_CONFIG`, else
    /// `config.toml` in the config folder); no file there is no config, but
    /// a file named by `FTDESK_CONFIG` must exist.
    pub fn load(settings: &Settings) -> Result<Config, ConfigError> {
        if let Some(path) = settings.config_file() {
            return Config::read(&path);
        }
        match settings.config_dir().map(|dir| dir.join("config.toml")) {
            Some(path) if path.is_file() => Config::read(&path),
            _ => Ok(Config::default()),
        }
    }

    /// Reads one config file.
    pub fn read(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text).map_err(|message| ConfigError::Parse {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Parses a config file's text; the error says the line and the key.
    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())
    }

    /// `--lang` when given, else `FTDESK_LANG`, else this file's `lang`, else
    /// the locale, else English.
    pub fn lang(&self, flag: Option<Lang>, settings: &Settings) -> Lang {
        flag.or_else(|| settings.ftdesk_lang())
            .or(self.lang)
            .unwrap_or_else(|| settings.lang())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{CONFIG, LANG, XDG_CONFIG_HOME};

    #[test]
    fn every_key_is_read() {
        let config = Config::parse(
            r#"
            lang = "ko"
            account_created = "2025-03-14"
            plan = "paid-plan"
            db = "/var/lib/ftdesk/desk.db"
            listen = "127.0.0.1:9000"
            region = "ap-northeast-2"
            profile = "billing"
            "#,
        )
        .unwrap();
        assert_eq!(config.lang, Some(Lang::Ko));
        assert_eq!(config.account_created, Some("2025-03-14".parse().unwrap()));
        assert_eq!(config.plan, Some(Plan::PaidPlan));
        assert_eq!(config.db, Some(PathBuf::from("/var/lib/ftdesk/desk.db")));
        assert_eq!(config.listen.as_deref(), Some("127.0.0.1:9000"));
        assert_eq!(config.region.as_deref(), Some("ap-northeast-2"));
        assert_eq!(config.profile.as_deref(), Some("billing"));
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }

    #[test]
    fn a_wrong_key_or_value_names_the_line_and_what_was_expected() {
        let unknown = Config::parse("lang = \"ko\"\nlangauge = \"en\"\n").unwrap_err();
        assert!(unknown.contains("line 2"), "{unknown}");
        assert!(unknown.contains("langauge"), "{unknown}");
        let bad_date = Config::parse("account_created = \"2025-13-01\"").unwrap_err();
        assert!(bad_date.contains("2025-13-01"), "{bad_date}");
        let bad_plan = Config::parse("plan = \"gold\"").unwrap_err();
        assert!(bad_plan.contains("free-plan"), "{bad_plan}");
        let bad_lang = Config::parse("lang = \"fr\"").unwrap_err();
        assert!(bad_lang.contains("fr"), "{bad_lang}");
    }

    #[test]
    fn the_file_is_found_in_the_config_folder_or_where_ftdesk_config_says() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("ftdesk");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("config.toml"), "lang = \"ko\"\n").unwrap();
        let root = dir.path().to_str().unwrap();
        let found = Config::load(&Settings::from_pairs(&[(XDG_CONFIG_HOME, root)])).unwrap();
        assert_eq!(found.lang, Some(Lang::Ko));

        let missing = dir.path().join("nothing-here");
        let none = Settings::from_pairs(&[(XDG_CONFIG_HOME, missing.to_str().unwrap())]);
        assert_eq!(Config::load(&none).unwrap(), Config::default());

        let named = Settings::from_pairs(&[(CONFIG, missing.to_str().unwrap())]);
        let err = Config::load(&named).unwrap_err().to_string();
        assert!(err.contains("nothing-here"), "{err}");
    }

    #[test]
    fn a_flag_wins_then_ftdesk_lang_then_the_file_then_the_locale() {
        let korean = Config {
            lang: Some(Lang::Ko),
            ..Config::default()
        };
        let locale_en = Settings::from_pairs(&[("LANG", "en_US.UTF-8")]);
        assert_eq!(korean.lang(None, &locale_en), Lang::Ko);
        assert_eq!(korean.lang(Some(Lang::En), &locale_en), Lang::En);
        let ftdesk_en = Settings::from_pairs(&[(LANG, "en"), ("LANG", "ko_KR.UTF-8")]);
        assert_eq!(korean.lang(None, &ftdesk_en), Lang::En);
        let locale_ko = Settings::from_pairs(&[("LANG", "ko_KR.UTF-8")]);
        assert_eq!(Config::default().lang(None, &locale_ko), Lang::Ko);
    }
}

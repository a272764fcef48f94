//! Every environment variable the program reads, named here and read here.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::Arc;

use ftdesk_render::Lang;

/// An environment variable and what it does, for `--help`.
#[derive(Debug, Clone, Copy)]
pub struct Variable {
    pub name: &'static str,
    pub meaning: &'static str,
}

pub const THREADS: &str = "FTDESK_THREADS";
pub const LANG: &str = "FTDESK_LANG";
/// The locale variables, in the order POSIX gives them precedence.
pub const LOCALE: [&str; 3] = ["LC_ALL", "LC_MESSAGES", "LANG"];
pub const REPLY_TEMPLATES: &str = ftdesk_reply::TEMPLATES_ENV;
pub const SMTP_PASSWORD: &str = "FTDESK_SMTP_PASSWORD";
/// Read by the command line itself (clap), for every `desk` command's `--db`.
pub const DESK_DB: &str = "FTDESK_DB";
pub const CONFIG: &str = "FTDESK_CONFIG";
pub const XDG_CONFIG_HOME: &str = "XDG_CONFIG_HOME";
pub const XDG_CACHE_HOME: &str = "XDG_CACHE_HOME";
pub const XDG_DATA_HOME: &str = "XDG_DATA_HOME";
pub const HOME: &str = "HOME";
pub const NO_COLOR: &str = "NO_COLOR";
pub const RUST_LOG: &str = "RUST_LOG";

/// The variables the program reads, in the order `--help` lists them.
pub const VARIABLES: &[Variable] = &[
    Variable {
        name: LANG,
        meaning: "language when --lang is not given: en or ko (before the locale)",
    },
    Variable {
        name: "LC_ALL, LC_MESSAGES, LANG",
        meaning: "the locale: ko_KR.UTF-8 (any ko...) means Korean, any other English",
    },
    Variable {
        name: THREADS,
        meaning: "threads that read one billing file (default: the machine's cores)",
    },
    Variable {
        name: REPLY_TEMPLATES,
        meaning: "folder of reply templates overriding the built-in ones (reply, desk)",
    },
    Variable {
        name: DESK_DB,
        meaning: "the desk's database file when --db is not given",
    },
    Variable {
        name: SMTP_PASSWORD,
        meaning: "password for `desk serve --smtp-out`",
    },
    Variable {
        name: CONFIG,
        meaning: "the config file (default: config.toml in the config folder)",
    },
    Variable {
        name: XDG_CONFIG_HOME,
        meaning: "config folder (config.toml); default ~/.config",
    },
    Variable {
        name: XDG_CACHE_HOME,
        meaning: "cache folder (Cost Explorer answers); default ~/.cache",
    },
    Variable {
        name: XDG_DATA_HOME,
        meaning: "data folder (interview sessions, story bank); default ~/.local/share",
    },
    Variable {
        name: HOME,
        meaning: "home folder, when the XDG folders are not set (else the system's folders)",
    },
    Variable {
        name: NO_COLOR,
        meaning: "set and not empty: no colour on standard output",
    },
    Variable {
        name: RUST_LOG,
        meaning: "log filter for standard error (overrides -v)",
    },
    Variable {
        name: "FTDESK_SMTP_PASSWORD, FTDESK_WEBHOOK_SECRET, ...",
        meaning: "guard: the variables guard.toml names in password_env and secret_env",
    },
    Variable {
        name: "AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL_S3, ...",
        meaning: "read by the AWS SDK for --live and s3:// sources",
    },
    Variable {
        name: "VISUAL, EDITOR",
        meaning: "the editor `practice interview` opens for :e and --editor (VISUAL first)",
    },
];

type Lookup = dyn Fn(&str) -> Option<OsString> + Send + Sync;

/// The environment as the program sees it; tests build one from pairs.
#[derive(Clone)]
pub struct Settings {
    lookup: Arc<Lookup>,
    /// Whether the system's own folders stand in when neither an XDG
    /// variable nor HOME is set (Windows has no HOME): only for the real
    /// environment, so that settings built from pairs stay what they say.
    system_folders: bool,
}

/// The folders ftdesk keeps files in.
#[derive(Debug, Clone, Copy)]
enum Folder {
    Config,
    Cache,
    Data,
}

impl Folder {
    fn variable(self) -> &'static str {
        match self {
            Folder::Config => XDG_CONFIG_HOME,
            Folder::Cache => XDG_CACHE_HOME,
            Folder::Data => XDG_DATA_HOME,
        }
    }

    fn under_home(self) -> &'static str {
        match self {
            Folder::Config => ".config",
            Folder::Cache => ".cache",
            Folder::Data => ".local/share",
        }
    }

    /// The system's folder of this kind, as etcetera finds it.
    fn system(self) -> Option<PathBuf> {
        use etcetera::BaseStrategy;
        let strategy = etcetera::choose_base_strategy().ok()?;
        Some(match self {
            Folder::Config => strategy.config_dir(),
            Folder::Cache => strategy.cache_dir(),
            Folder::Data => strategy.data_dir(),
        })
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings").finish_non_exhaustive()
    }
}

impl Settings {
    /// The process environment: the one place the program reads it.
    pub fn from_env() -> Self {
        Settings {
            lookup: Arc::new(|name| std::env::var_os(name)),
            system_folders: true,
        }
    }

    /// Settings from fixed pairs (tests, embedding).
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        let pairs: Vec<(String, OsString)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), OsString::from(v)))
            .collect();
        Settings {
            lookup: Arc::new(move |name| {
                pairs
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            }),
            system_folders: false,
        }
    }

    fn non_empty(&self, name: &str) -> Option<OsString> {
        (self.lookup)(name).filter(|v| !v.is_empty())
    }

    /// A variable as text (set but not Unicode counts as unset).
    pub fn var(&self, name: &str) -> Option<String> {
        (self.lookup)(name).and_then(|v| v.into_string().ok())
    }

    /// How many threads read one file: `FTDESK_THREADS`, else the machine's cores.
    pub fn threads(&self) -> usize {
        self.var(THREADS)
            .and_then(|n| n.parse().ok())
            .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
            .unwrap_or(1)
            .max(1)
    }

    /// The language the environment asks for when no `--lang` is given:
    /// `FTDESK_LANG`, else the first locale variable set, else English. A
    /// value starting with `ko` (`ko`, `ko_KR.UTF-8`) is Korean; any other is
    /// English, the only other language there is.
    pub fn lang(&self) -> Lang {
        self.ftdesk_lang()
            .or_else(|| self.locale_lang())
            .unwrap_or(Lang::En)
    }

    /// The language `FTDESK_LANG` asks for, if it is set.
    pub fn ftdesk_lang(&self) -> Option<Lang> {
        self.var(LANG)
            .filter(|v| !v.is_empty())
            .map(|v| lang_of(&v))
    }

    fn locale_lang(&self) -> Option<Lang> {
        LOCALE
            .iter()
            .find_map(|name| self.var(name).filter(|v| !v.is_empty()))
            .map(|v| lang_of(&v))
    }

    pub fn reply_templates(&self) -> Option<PathBuf> {
        self.non_empty(REPLY_TEMPLATES).map(PathBuf::from)
    }

    pub fn smtp_password(&self) -> Option<String> {
        self.var(SMTP_PASSWORD)
    }

    /// Whether `NO_COLOR` asks for no colour.
    pub fn no_color(&self) -> bool {
        self.non_empty(NO_COLOR).is_some()
    }

    pub fn log_filter(&self) -> Option<String> {
        self.var(RUST_LOG)
    }

    /// The config file `FTDESK_CONFIG` names, if it is set.
    pub fn config_file(&self) -> Option<PathBuf> {
        self.non_empty(CONFIG).map(PathBuf::from)
    }

    /// `$XDG_CONFIG_HOME/ftdesk`, else `~/.config/ftdesk`.
    pub fn config_dir(&self) -> Option<PathBuf> {
        self.folder(Folder::Config)
    }

    /// `$XDG_CACHE_HOME/ftdesk`, else `~/.cache/ftdesk`.
    pub fn cache_dir(&self) -> Option<PathBuf> {
        self.folder(Folder::Cache)
    }

    /// `$XDG_DATA_HOME/ftdesk`, else `~/.local/share/ftdesk`.
    pub fn data_dir(&self) -> Option<PathBuf> {
        self.folder(Folder::Data)
    }

    fn folder(&self, folder: Folder) -> Option<PathBuf> {
        let base = self
            .non_empty(folder.variable())
            .map(PathBuf::from)
            .or_else(|| {
                self.non_empty(HOME)
                    .map(|home| PathBuf::from(home).join(folder.under_home()))
            })
            .or_else(|| self.system_folders.then(|| folder.system()).flatten())?;
        Some(base.join("ftdesk"))
    }

    /// The "Environment:" section of `--help`.
    pub fn help() -> String {
        let width = VARIABLES.iter().map(|v| v.name.len()).max().unwrap_or(0);
        let mut text = String::from("Environment:\n");
        for v in VARIABLES {
            text.push_str(&format!("  {:width$}  {}\n", v.name, v.meaning));
        }
        text
    }
}

/// `ko`, `ko_KR.UTF-8` and the like are Korean; any other value is
/// English, the only other language there is.
fn lang_of(value: &str) -> Lang {
    if value.to_ascii_lowercase().starts_with("ko") {
        Lang::Ko
    } else {
        Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_come_from_the_variable_and_are_at_least_one() {
        assert_eq!(Settings::from_pairs(&[(THREADS, "3")]).threads(), 3);
        assert_eq!(Settings::from_pairs(&[(THREADS, "0")]).threads(), 1);
        assert!(Settings::from_pairs(&[(THREADS, "many")]).threads() >= 1);
    }

    #[test]
    fn folders_follow_xdg_then_home() {
        let both = Settings::from_pairs(&[(XDG_CACHE_HOME, "/c"), (HOME, "/h")]);
        assert_eq!(both.cache_dir(), Some(PathBuf::from("/c/ftdesk")));
        assert_eq!(
            both.data_dir(),
            Some(PathBuf::from("/h/.local/share/ftdesk"))
        );
        let empty = Settings::from_pairs(&[(XDG_CACHE_HOME, ""), (HOME, "/h")]);
        assert_eq!(empty.cache_dir(), Some(PathBuf::from("/h/.cache/ftdesk")));
        assert_eq!(Settings::from_pairs(&[]).cache_dir(), None);
        let config = Settings::from_pairs(&[(HOME, "/h")]).config_dir();
        assert_eq!(config, Some(PathBuf::from("/h/.config/ftdesk")));
    }

    #[test]
    fn an_empty_no_color_or_templates_counts_as_unset() {
        assert!(!Settings::from_pairs(&[(NO_COLOR, "")]).no_color());
        assert!(Settings::from_pairs(&[(NO_COLOR, "1")]).no_color());
        assert_eq!(
            Settings::from_pairs(&[(REPLY_TEMPLATES, "")]).reply_templates(),
            None
        );
        assert_eq!(
            Settings::from_pairs(&[(REPLY_TEMPLATES, "/t")]).reply_templates(),
            Some(PathBuf::from("/t"))
        );
    }

    #[test]
    fn the_language_comes_from_ftdesk_lang_then_the_locale_then_english() {
        let lang = |pairs: &[(&str, &str)]| Settings::from_pairs(pairs).lang();
        assert_eq!(lang(&[]), Lang::En);
        assert_eq!(lang(&[("LANG", "ko_KR.UTF-8")]), Lang::Ko);
        assert_eq!(lang(&[("LANG", "ko_KR.UTF-8"), ("LC_ALL", "C")]), Lang::En);
        assert_eq!(
            lang(&[("LC_MESSAGES", "ko_KR"), ("LANG", "en_US")]),
            Lang::Ko
        );
        assert_eq!(lang(&[("LC_ALL", ""), ("LANG", "ko_KR.UTF-8")]), Lang::Ko);
        assert_eq!(lang(&[(LANG, "en"), ("LANG", "ko_KR.UTF-8")]), Lang::En);
        assert_eq!(lang(&[(LANG, "ko")]), Lang::Ko);
        assert_eq!(lang(&[("LANG", "fr_FR.UTF-8")]), Lang::En);
    }

    #[test]
    fn the_help_names_every_variable() {
        let help = Settings::help();
        for v in VARIABLES {
            assert!(help.contains(v.name), "{} missing from {help}", v.name);
        }
    }
}

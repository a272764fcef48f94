//! What every command is given: the environment and the user's config file,
//! read once, the clock, and the global choices of the command line.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use ftdesk_app::{AwsOptions, Clock, Config, Settings, SystemClock};
use ftdesk_render::Lang;

use crate::args::{AwsArgs, ColorArg, LangArg};

pub struct Env {
    pub settings: Settings,
    /// The user's defaults; a flag wins over them.
    pub config: Config,
    pub clock: Arc<dyn Clock>,
    /// `--color`: for the text report on standard output and the logs.
    pub color: ColorArg,
}

impl Env {
    /// The process's environment, its config file and the system clock.
    pub fn load(color: ColorArg) -> anyhow::Result<Self> {
        let settings = Settings::from_env();
        let config = Config::load(&settings).context("the config file")?;
        Ok(Env {
            settings,
            config,
            clock: Arc::new(SystemClock),
            color,
        })
    }

    /// The desk's database: `--db` (or FTDESK_DB), else the config file's `db`.
    pub fn desk_db(&self, flag: Option<PathBuf>) -> anyhow::Result<PathBuf> {
        flag.or_else(|| self.config.db.clone()).context(
            "the desk's database is not named: give --db FILE, set FTDESK_DB, or put db = \"FILE\" in config.toml",
        )
    }

    /// How to reach AWS: `--profile` and `--region`, else the config file's.
    pub fn aws(&self, args: &AwsArgs) -> AwsOptions {
        AwsOptions {
            profile: args.profile.clone().or_else(|| self.config.profile.clone()),
            region: args.region.clone().or_else(|| self.config.region.clone()),
            endpoint_url: None,
        }
    }

    /// `--lang` when given, else `FTDESK_LANG`, else the config file's
    /// `lang`, else the locale, else English.
    pub fn lang(&self, flag: Option<LangArg>) -> Lang {
        self.config.lang(flag.map(Into::into), &self.settings)
    }
}

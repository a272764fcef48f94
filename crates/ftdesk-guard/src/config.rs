//! `guard.toml`: where the billing data is, which rules apply, where alerts go.

use std::path::PathBuf;

use ftdesk_core::Date;
use ftdesk_render::Lang;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};
use thiserror::Error;

/// A configuration that could not be read, naming the file and what was wrong
/// (toml's message names the key, the line and what was expected).
#[derive(Debug, Error)]
#[error("{file}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub message: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardConfig {
    /// Billing files or folders, as for `ftdesk check`; relative to the config file.
    #[serde(default)]
    pub paths: Vec<PathBuf>,
    /// Only this account (a member, or a payer for its Organization).
    #[serde(default)]
    pub account: Option<String>,
    /// The account's creation date: decides when the 12 months end.
    #[serde(default, deserialize_with = "optional_date")]
    pub account_created: Option<Date>,
    /// `en` or `ko`; without it, the language `ftdesk` is run in (`FTDESK_LANG`,
    /// config.toml, the locale), which the caller sets with [`GuardConfig::default_lang`].
    #[serde(default)]
    pub lang: Option<String>,
    /// Seconds between cycles when not run with `--once`.
    #[serde(default = "default_interval")]
    pub interval_seconds: u64,
    /// The SQLite outbox; relative to the config file.
    #[serde(default = "default_state")]
    pub state: PathBuf,
    #[serde(default)]
    pub rules: RulesConfig,
    #[serde(default)]
    pub outbox: OutboxConfig,
    /// Where alerts go; standard output when empty.
    #[serde(default)]
    pub notify: Vec<NotifierSpec>,
    /// Cost Explorer as a source: saved files, or asked live within a budget.
    #[serde(default)]
    pub cost_explorer: Option<CostExplorerConfig>,
}

/// `[cost_explorer]`: files or folders of `aws ce get-cost-and-usage` JSON,
/// and Cost Explorer asked live (each request costs $0.01).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostExplorerConfig {
    /// Files or folders of Cost Explorer JSON; relative to the config file.
    #[serde(default)]
    pub paths: Vec<PathBuf>,
    /// Ask Cost Explorer for this month's figures (`GetCostAndUsage`).
    #[serde(default)]
    pub live: bool,
    /// The most paid requests the guard sends in one UTC day, spread over it.
    #[serde(default = "default_requests_per_day")]
    pub max_requests_per_day: u32,
    #[serde(default)]
    pub endpoint_url: Option<String>,
    #[serde(default)]
    pub profile: Option<String>,
}

impl CostExplorerConfig {
    fn validate(&self) -> Result<(), String> {
        if self.paths.is_empty() && !self.live {
            return Err(
                "[cost_explorer]: expected `paths` (files or folders of Cost Explorer JSON) or `live = true`"
                    .into(),
            );
        }
        if self.max_requests_per_day == 0 {
            return Err(
                "key `cost_explorer.max_requests_per_day`: expected a number of requests above 0 \
                 (leave out `live` to ask Cost Explorer nothing)"
                    .into(),
            );
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RulesConfig {
    /// Percentages of an offer's allowance that alert once each month.
    pub thresholds: Vec<Decimal>,
    /// Alert when the month-end forecast passes an allowance.
    pub forecast: bool,
    /// Alert when the month's net charge is above this amount.
    pub charge_floor: Option<Decimal>,
    /// Alert on resources that are never free (NAT gateways, public IPv4, ...).
    pub never_free: bool,
    /// Alert when the free plan's credits fall below this amount.
    pub credits_below: Option<Decimal>,
    /// Alert when the free plan ends within this many days.
    pub plan_end_days: Option<u32>,
    /// Alert when the 12-month free tier ends within this many days (needs `account_created`).
    pub twelve_months_days: Option<u32>,
}

impl Default for RulesConfig {
    fn default() -> Self {
        RulesConfig {
            thresholds: vec![Decimal::from(50), Decimal::from(80), Decimal::from(100)],
            forecast: true,
            charge_floor: Some(Decimal::ZERO),
            never_free: true,
            credits_below: None,
            plan_end_days: Some(14),
            twelve_months_days: Some(30),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutboxConfig {
    /// The first retry waits this long; each further one twice as long.
    pub retry_base_seconds: u64,
    /// The longest wait between two attempts.
    pub retry_max_seconds: u64,
    /// How long one delivery may take (connect, send, answer) before it counts as failed.
    pub send_timeout_seconds: u64,
}

impl Default for OutboxConfig {
    fn default() -> Self {
        OutboxConfig {
            retry_base_seconds: 60,
            retry_max_seconds: 3600,
            send_timeout_seconds: 15,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebhookStyle {
    /// `{ "alert": {...} }`, signed with HMAC-SHA256.
    Generic,
    /// Slack incoming webhook: `{ "text": ..., "blocks": [...] }`.
    Slack,
    /// Microsoft Teams incoming webhook: an Adaptive Card in `attachments`.
    Teams,
}

/// One destination for alerts.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum NotifierSpec {
    Stdout {
        #[serde(default)]
        name: Option<String>,
    },
    Smtp {
        #[serde(default)]
        name: Option<String>,
        host: String,
        #[serde(default = "default_smtp_port")]
        port: u16,
        from: String,
        to: Vec<String>,
        /// Upgrade the connection with STARTTLS (port 587 at most providers).
        #[serde(default)]
        starttls: bool,
        /// Speak TLS from the first byte ("implicit TLS", port 465).
        #[serde(default)]
        tls: bool,
        /// One more CA to trust (PEM), for a private server; relative to the config file.
        #[serde(default)]
        tls_ca_file: Option<PathBuf>,
        #[serde(default)]
        username: Option<String>,
        /// The environment variable holding the password (never the password itself).
        #[serde(default)]
        password_env: Option<String>,
    },
    Webhook {
        #[serde(default)]
        name: Option<String>,
        url: String,
        #[serde(default = "default_style")]
        style: WebhookStyle,
        /// The environment variable holding the HMAC-SHA256 key (generic style).
        #[serde(default)]
        secret_env: Option<String>,
        /// One more CA to trust (PEM) for an https URL; relative to the config file.
        #[serde(default)]
        tls_ca_file: Option<PathBuf>,
    },
}

impl NotifierSpec {
    /// The channel name the outbox records deliveries under.
    pub fn channel(&self, index: usize) -> String {
        let (kind, name) = match self {
            NotifierSpec::Stdout { name } => ("stdout", name),
            NotifierSpec::Smtp { name, .. } => ("smtp", name),
            NotifierSpec::Webhook { name, .. } => ("webhook", name),
        };
        name.clone().unwrap_or_else(|| format!("{kind}-{index}"))
    }
}

impl NotifierSpec {
    fn validate(&self) -> Result<(), String> {
        match self {
            NotifierSpec::Smtp {
                starttls: true,
                tls: true,
                ..
            } => Err(
                "keys `starttls` and `tls`: expected one of them (STARTTLS on 587, or implicit TLS on 465), found both"
                    .into(),
            ),
            NotifierSpec::Smtp {
                starttls: false,
                tls: false,
                tls_ca_file: Some(_),
                ..
            } => Err("key `tls_ca_file`: expected `starttls = true` or `tls = true` with it".into()),
            NotifierSpec::Smtp {
                starttls: false,
                tls: false,
                username: Some(_),
                ..
            } => Err(
                "key `username`: a login over plain SMTP would cross the network in clear; \
                 expected `starttls = true` or `tls = true` with it"
                    .into(),
            ),
            NotifierSpec::Webhook { url, .. }
                if !(url.starts_with("https://") || url.starts_with("http://")) =>
            {
                Err(format!(
                    "key `url`: expected an http:// or https:// address, found \"{url}\""
                ))
            }
            _ => Ok(()),
        }
    }

    /// The CA file the entry names, to resolve beside the config file.
    pub fn tls_ca_file_mut(&mut self) -> Option<&mut PathBuf> {
        match self {
            NotifierSpec::Smtp { tls_ca_file, .. } | NotifierSpec::Webhook { tls_ca_file, .. } => {
                tls_ca_file.as_mut()
            }
            NotifierSpec::Stdout { .. } => None,
        }
    }
}

impl GuardConfig {
    /// Parses `text`; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Self, ConfigError> {
        let config: GuardConfig = toml::from_str(text).map_err(|e| ConfigError {
            file: file.to_owned(),
            message: e.to_string().trim_end().to_owned(),
        })?;
        config.validate().map_err(|message| ConfigError {
            file: file.to_owned(),
            message,
        })?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
        if let Some(explorer) = &self.cost_explorer {
            explorer.validate()?;
        } else if self.paths.is_empty() {
            return Err(
                "key `paths`: expected at least one billing file or folder (or a [cost_explorer] source)"
                    .into(),
            );
        }
        if let Some(lang) = self.lang.as_ref().filter(|l| l.parse::<Lang>().is_err()) {
            return Err(format!(
                "key `lang`: expected \"en\" or \"ko\", found \"{lang}\""
            ));
        }
        if self.outbox.send_timeout_seconds == 0 {
            return Err(
                "key `outbox.send_timeout_seconds`: expected a number of seconds above 0".into(),
            );
        }
        if self.interval_seconds == 0 {
            return Err("key `interval_seconds`: expected a number of seconds above 0".into());
        }
        if let Some(bad) = self.rules.thresholds.iter().find(|t| **t <= Decimal::ZERO) {
            return Err(format!(
                "key `rules.thresholds`: expected percentages above 0, found {bad}"
            ));
        }
        for (index, spec) in self.notify.iter().enumerate() {
            spec.validate()
                .map_err(|e| format!("notify #{} ({}): {e}", index + 1, spec.channel(index)))?;
        }
        Ok(())
    }

    pub fn language(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(|l| l.parse().ok())
            .unwrap_or(Lang::En)
    }

    /// The language when the file names none.
    pub fn default_lang(&mut self, lang: Lang) {
        self.lang.get_or_insert_with(|| lang.code().to_owned());
    }
}

fn optional_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    let text = String::deserialize(d)?;
    text.parse::<Date>().map(Some).map_err(|_| {
        serde::de::Error::custom(format!("expected a date YYYY-MM-DD, found \"{text}\""))
    })
}

fn default_interval() -> u64 {
    900
}
fn default_state() -> PathBuf {
    PathBuf::from("guard.sqlite")
}
/// $0.04 a day at most, about $1.24 a month.
fn default_requests_per_day() -> u32 {
    4
}
fn default_smtp_port() -> u16 {
    25
}
fn default_style() -> WebhookStyle {
    WebhookStyle::Generic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config_takes_the_defaults() {
        let c = GuardConfig::parse("paths = [\"bill.csv\"]", "guard.toml").unwrap();
        assert_eq!(c.rules.thresholds.len(), 3);
        assert_eq!(c.interval_seconds, 900);
        assert!(c.notify.is_empty());
    }

    #[test]
    fn notifiers_parse_by_kind() {
        let text = r#"
paths = ["b"]
[[notify]]
kind = "smtp"
host = "127.0.0.1"
port = 2525
from = "guard@example.com"
to = ["me@example.com"]
[[notify]]
kind = "webhook"
url = "http://127.0.0.1:9/hook"
secret_env = "SECRET"
"#;
        let c = GuardConfig::parse(text, "guard.toml").unwrap();
        assert_eq!(c.notify.len(), 2);
        assert_eq!(c.notify[1].channel(1), "webhook-1");
    }

    /// examples/guard.toml, with its commented-out `[[notify]]` blocks switched on.
    fn example_with_every_notifier() -> String {
        let mut lines = Vec::new();
        let mut in_block = false;
        for line in include_str!("../../../examples/guard.toml").lines() {
            in_block = (in_block && line.starts_with("# ")) || line == "# [[notify]]";
            lines.push(if in_block { &line[2..] } else { line });
        }
        lines.join("\n")
    }

    #[test]
    fn the_example_config_parses_with_every_notifier() {
        let plain =
            GuardConfig::parse(include_str!("../../../examples/guard.toml"), "guard.toml").unwrap();
        assert_eq!(plain.notify.len(), 1);
        let all = GuardConfig::parse(&example_with_every_notifier(), "guard.toml").unwrap();
        let styles: Vec<&str> = all
            .notify
            .iter()
            .map(|n| match n {
                NotifierSpec::Stdout { .. } => "stdout",
                NotifierSpec::Smtp { starttls: true, .. } => "smtp-starttls",
                NotifierSpec::Smtp { .. } => "smtp",
                NotifierSpec::Webhook { style, .. } => match style {
                    WebhookStyle::Generic => "generic",
                    WebhookStyle::Slack => "slack",
                    WebhookStyle::Teams => "teams",
                },
            })
            .collect();
        assert_eq!(
            styles,
            ["stdout", "smtp-starttls", "generic", "slack", "teams"]
        );
    }

    #[test]
    fn a_cost_explorer_source_stands_alone_with_a_small_default_budget() {
        let c = GuardConfig::parse("[cost_explorer]\nlive = true\n", "g.toml").unwrap();
        let explorer = c.cost_explorer.unwrap();
        assert!(c.paths.is_empty() && explorer.live);
        assert_eq!(explorer.max_requests_per_day, 4);
        let err = GuardConfig::parse("[cost_explorer]\n", "g.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("live = true"), "{err}");
        let err = GuardConfig::parse(
            "[cost_explorer]\nlive = true\nmax_requests_per_day = 0\n",
            "g.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("max_requests_per_day"), "{err}");
    }

    #[test]
    fn a_wrong_type_names_file_key_and_expectation() {
        let err = GuardConfig::parse(
            "paths = [\"b\"]\n[rules]\nthresholds = \"high\"\n",
            "guard.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("guard.toml:"), "{err}");
        assert!(err.contains("thresholds"), "{err}");
        assert!(err.contains("expected"), "{err}");
    }

    #[test]
    fn a_bad_date_and_an_unknown_key_are_explained() {
        let err = GuardConfig::parse("paths = [\"b\"]\naccount_created = \"soon\"", "g.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("account_created") && err.contains("YYYY-MM-DD"),
            "{err}"
        );
        let err = GuardConfig::parse("paths = [\"b\"]\nthreshold = 3", "g.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `threshold`"), "{err}");
        let err = GuardConfig::parse("paths = []", "g.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("key `paths`"), "{err}");
    }
}

//! `ftdesk guard`'s pure half: the rules that turn a [`Report`] into
//! [`Alert`]s, the alerts' stable ids, their words in English or Korean, and
//! the `guard.toml` configuration.
//!
//! Nothing here reads a file, the network or the clock: the caller passes
//! the report, the configuration text and the time. Delivery is
//! `ftdesk_notify`'s; the cycle that ties both together is `ftdesk_app`'s.
//!
//! ```
//! use ftdesk_guard::{alert_id, AlertKind, GuardConfig};
//! use ftdesk_render::Lang;
//!
//! let config = GuardConfig::parse("paths = [\"bill.csv\"]\nlang = \"ko\"", "guard.toml")?;
//! assert_eq!(config.language(), Lang::Ko);
//! assert_eq!(config.rules.thresholds.len(), 3); // 50, 80 and 100 % by default
//!
//! let refused = GuardConfig::parse("paths = []", "guard.toml").unwrap_err();
//! assert!(refused.to_string().starts_with("guard.toml: key `paths`"));
//!
//! // The same condition in the same month has the same id, whatever the words.
//! let id = alert_id("111122223333", "2025-10", AlertKind::Threshold, "ec2-t2-micro", "80");
//! assert_eq!(id, alert_id("111122223333", "2025-10", AlertKind::Threshold, "ec2-t2-micro", "80"));
//! assert_ne!(id, alert_id("111122223333", "2025-11", AlertKind::Threshold, "ec2-t2-micro", "80"));
//! # Ok::<(), ftdesk_guard::ConfigError>(())
//! ```
//!
//! [`Report`]: ftdesk_core::Report

mod alert;
mod config;
mod plan;
mod rules;
mod words;

pub use alert::{alert_id, Alert, AlertKind};
pub use config::{
    ConfigError, CostExplorerConfig, GuardConfig, NotifierSpec, OutboxConfig, RulesConfig,
    WebhookStyle,
};
pub use plan::{render_plan, PlanError, PlanFormat, PlanInput};
pub use rules::evaluate;

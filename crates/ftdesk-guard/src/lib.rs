//! `ftdesk guard`'s pure half: the rules that turn a [`Report`] into
//! [`Alert`]s, the alerts' stable ids, their words in English or Korean, and
//! the `guard.toml` configuration.
//!
//! Nothing here reads a file, the network or the clock: the caller passes
//! the report, the configuration text and the time.
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

//! The application layer of Free Tier Desk: the use cases the `ftdesk`
//! binary, the desk and the guard share, as plain functions over typed
//! requests and results.
//!
//! - [`check`]: sources and a [`Scope`] in, one explained report and
//!   [`ReadingNote`]s (what was read, skipped, cached) out;
//!   [`check_telling`] hands each note over as its source is read.
//! - [`draft_reply`]: a customer's inquiry and sources in, the report and the
//!   reply out; the one place a reply is drafted.
//! - [`guard::Guard::cycle`]: read what changed, evaluate the rules, enqueue
//!   the alerts, deliver what is due.
//! - [`DeskAnalyst`]: the desk's [`ftdesk_desk::Analyst`]; [`import_case`]
//!   is `desk import`.
//! - [`interview::Interview`]: the live interview's session, story bank and
//!   the interviewer's words.
//!
//! Nothing here prints, parses arguments or reads the environment or the
//! clock on its own: the caller passes [`Settings`] (every environment
//! variable the program reads, named in one place) and a [`Clock`].
//!
//! ```
//! use ftdesk_app::{check, CheckRequest, Scope, Settings};
//! use ftdesk_core::Catalog;
//!
//! let catalog = Catalog::embedded();
//! let scenario = ftdesk_sample::find("two-instances").unwrap();
//! let generated = scenario.generate(&catalog);
//! let dir = tempfile::tempdir()?;
//! let bill = ftdesk_sample::write_scenario(scenario, &catalog, dir.path(), false)?;
//! let request = CheckRequest {
//!     paths: vec![bill],
//!     scope: Scope {
//!         month: Some(generated.month),
//!         account_created: generated.truth.account_created,
//!         ..Scope::default()
//!     },
//!     ..CheckRequest::default()
//! };
//! let checked = check(&catalog, &request, &Settings::from_pairs(&[]))?;
//! assert_eq!(checked.report.totals.net.round_dp(2), generated.truth.net);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod analyst;
mod aws;
mod check;
mod clock;
pub mod config;
mod cost_explorer;
mod error;
mod fail_on;
pub mod guard;
pub mod interview;
mod notes;
mod pasted;
pub mod practice;
mod reply;
mod sample;
pub mod settings;
mod settings_editor;
mod source;

pub use analyst::{import_case, DeskAnalyst, DEFAULT_DEADLINE, DEFAULT_LIMITS};
pub use aws::fetch_free_tier;
pub use check::{check, check_telling, check_watching, CheckRequest, Checked, Scope};
pub use clock::SystemClock;
pub use config::{Config, ConfigError};
pub use cost_explorer::{fetch_months, LiveRequest};
pub use error::AppError;
pub use fail_on::{judge, FailOn, Verdict};
pub use ftdesk_aws::AwsOptions;
pub use ftdesk_core::{Clock, FixedClock};
pub use notes::ReadingNote;
pub use pasted::{check_pasted, read_file as read_pasted};
pub use practice::{key_path, practice_model_reply, read_case_key, write_practice_case};
pub use reply::{describe_inquiry, draft_reply, Drafted, ReplyRefusal, ReplyRequest};
pub use sample::write_freetier_sample;
pub use settings::Settings;
pub use source::{Source, SourceKind};

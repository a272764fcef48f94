//! The accounting core of Free Tier Desk.
//!
//! Pure: no I/O, no clock reading (the [`Clock`] trait is here, the machine's
//! clock is not), no environment. Readers push [`LineItem`]s into a
//! [`Ledger`]; [`Ledger::finish`] returns one [`Report`] per payer account and
//! month, which renderers, notifiers and replies consume.
//!
//! ```
//! use ftdesk_core::{Catalog, Ledger, Context};
//! let catalog = Catalog::embedded();
//! let ledger = Ledger::new(&catalog);
//! assert!(ledger.finish(&Context::default()).is_err()); // no rows yet
//! ```

pub mod aggregate;
pub mod api;
pub mod catalog;
mod clock;
mod finish;
mod ledger;
mod merge;
pub mod model;
mod pattern;
pub mod report;
mod saved;
pub mod time;

pub use api::{ApiPlanState, ApiSnapshot, ApiUsage};
pub use catalog::{Catalog, CatalogError, Plan};
pub use clock::{Clock, FixedClock};
pub use finish::{sorted, Context, FinishError};
pub use ledger::{Ledger, PushError};
pub use model::{parse_decimal, Handles, LineItem, LineItemType};
pub use pattern::glob_match;
pub use report::{Cause, DataSource, Report};
pub use saved::{RestoreError, SavedLedger};
pub use time::{Date, Month, Timestamp};

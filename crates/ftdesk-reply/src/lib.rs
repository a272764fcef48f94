//! Drafts the support email that answers a customer's free-tier billing case.
//!
//! [`Inquiry::parse`] reads the customer's message (plain text or an RFC 5322
//! message in any charset) for their name, the amount and month they mean, and
//! their language. [`compose`] turns an ftdesk [`Report`](ftdesk_core::Report)
//! and the inquiry into a [`Reply`]: subject, text, HTML and the associate's
//! notes, with every figure taken from the report. [`eml::render`] writes it as
//! a message. Wording lives in Fluent files that a team can override
//! ([`Templates`]); Korean particles come from [`ftdesk_render::josa`].
//!
//! It writes the reply and never sends it (that is `ftdesk_notify`'s), nor
//! reads billing data: the report comes from the caller.
//!
//! ```
//! use ftdesk_reply::{Inquiry, Lang};
//!
//! let inquiry = Inquiry::parse(
//!     b"Hi, I was charged $19.63 for November 2025 and I thought it was free.\n\nThanks,\nJane Doe\n",
//! )?;
//! assert_eq!(inquiry.name.as_deref(), Some("Jane Doe"));
//! assert_eq!(inquiry.amount.map(|a| a.to_string()).as_deref(), Some("19.63"));
//! assert_eq!(inquiry.month.map(|m| m.to_string()).as_deref(), Some("2025-11"));
//! assert_eq!(inquiry.lang, Lang::En);
//! assert!(Inquiry::parse(b" \n").is_err(), "an empty message is refused");
//! # Ok::<(), ftdesk_reply::ReplyError>(())
//! ```

pub mod amount;
mod causes;
mod compose;
mod ctx;
mod document;
pub mod eml;
mod inquiry;
pub mod lang;
pub mod month;
mod name;
mod notes;
pub mod quote;
mod templates;

use std::path::PathBuf;

use thiserror::Error;

pub use compose::{compose, Reply};
pub use ftdesk_render::Lang;
pub use inquiry::Inquiry;
pub use month::MonthMention;
pub use templates::{Templates, TEMPLATES_ENV};

#[derive(Debug, Error)]
pub enum ReplyError {
    #[error("the inquiry is empty: give the customer's message as a file or on standard input")]
    EmptyInquiry,
    #[error("the inquiry cannot be read: {0}")]
    Undecodable(String),
    #[error("template {path}: {reason}")]
    Template { path: PathBuf, reason: String },
    #[error("reading {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not write the .eml message: {0}")]
    Eml(std::io::Error),
}

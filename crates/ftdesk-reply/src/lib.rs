//! Drafts the support email that answers a customer's free-tier billing case.
//!
//! [`Inquiry::parse`] reads the customer's message (plain text or an RFC 5322
//! message in any charset) for their name, the amount and month they mean, and
//! their language. [`compose`] turns an ftdesk [`Report`](ftdesk_core::Report)
//! and the inquiry into a [`Reply`]: subject, text, HTML and the associate's
//! notes, with every figure taken from the report. [`eml::render`] writes it as
//! a message. Wording lives in Fluent files that a team can override
//! ([`Templates`]); Korean particles come from [`ftdesk_render::josa`].

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

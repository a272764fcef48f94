//! The desk's workflow over the store: a case's analysis (when mail comes in,
//! at an upload or `desk import`, after a crash) and its reply (the draft's
//! figures, inserting a text module, composing and sending). The store keeps
//! the records; this layer decides what happens to them. Everything here
//! blocks (SQLite, the analyst, the SMTP exchange): async callers run it on
//! the blocking pool.

mod analysis;
mod operator;
mod reply;

pub use analysis::{analyse, files_as_attachments, give_up_crashed_analyses, intake_checked};
pub use operator::{change_account, AccountChange};
pub use reply::{compose_reply, deliver, fill_text_module, inquiry_text, unsupported_figures};

#[cfg(test)]
mod tests;

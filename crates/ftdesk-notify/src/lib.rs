//! Delivery of guard alerts, so that none is lost and none repeated.
//!
//! An alert is written to the [`Outbox`] before any attempt to send it, one
//! delivery row per channel; a delivery is marked sent only after the
//! receiver accepted it, and a failed one waits with exponential backoff.
//! The one window no sender can close (the receiver accepted, the process died
//! before the outbox recorded it) resends with the same id: the email's
//! `Message-ID`, the webhook's `Idempotency-Key`.

mod notifier;
mod outbox;
mod payload;
mod tls;

pub use notifier::{
    build, redact_url, sign, Notifier, NotifyError, Security, SmtpNotifier, SmtpRelay, SmtpServer,
    SmtpSettings, StdoutNotifier, WebhookNotifier, IDEMPOTENCY_HEADER, SIGNATURE_HEADER,
};
pub use outbox::{Delivery, Outbox, OutboxError, Retry, RunLock, SCHEMA_VERSION};

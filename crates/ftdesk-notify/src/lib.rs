//! Delivery of guard alerts, so that none is lost and none repeated.
//!
//! An alert is written to the [`Outbox`] before any attempt to send it, one
//! delivery row per channel; a delivery is marked sent only after the
//! receiver accepted it, and a failed one waits with exponential backoff.
//! The one window no sender can close (the receiver accepted, the process died
//! before the outbox recorded it) resends with the same id: the email's
//! `Message-ID`, the webhook's `Idempotency-Key`.
//!
//! Which alerts a report deserves is `ftdesk_guard`'s; this crate only keeps
//! and delivers them, and reads no clock: every call takes the time.
//!
//! ```
//! use ftdesk_guard::{Alert, AlertKind};
//! use ftdesk_notify::{Outbox, Retry};
//!
//! # let alert = Alert {
//! #     id: "a1".into(), kind: AlertKind::NetCharge, account: "111122223333".into(),
//! #     month: "2025-10".into(), subject: "net".into(), threshold: "0".into(),
//! #     lang: "en".into(), title: "This month's net charge is $8.56".into(),
//! #     amount: "$8.56".into(), by_when: None, action: vec![],
//! # };
//! let dir = tempfile::tempdir()?;
//! let mut outbox = Outbox::open(&dir.path().join("guard.sqlite"))?;
//! let channels = vec!["stdout".to_string()];
//! let (t0, retry) = (1_760_000_000, Retry { base_seconds: 60, max_seconds: 3600 });
//! assert!(outbox.enqueue(&alert, &channels, t0)?);
//! assert!(!outbox.enqueue(&alert, &channels, t0)?, "the same alert is kept once");
//!
//! outbox.mark_failed("a1", "stdout", "connection refused", t0, retry)?;
//! assert!(outbox.due(t0 + 59)?.is_empty(), "it waits a minute");
//! assert_eq!(outbox.due(t0 + 60)?.len(), 1);
//! outbox.mark_sent("a1", "stdout", t0 + 60)?;
//! assert_eq!(outbox.pending()?, 0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod notifier;
mod outbox;
mod payload;
mod tls;

pub use notifier::{
    build, redact_url, sign, Notifier, NotifyError, Security, SmtpNotifier, SmtpRelay, SmtpServer,
    SmtpSettings, StdoutNotifier, WebhookNotifier, IDEMPOTENCY_HEADER, SIGNATURE_HEADER,
};
pub use outbox::{Delivery, Outbox, OutboxError, Retry, RunLock, SCHEMA_VERSION};

//! Where alerts go: standard output, email over SMTP, JSON webhooks.

use std::io::Write;
use std::time::Duration;

use ftdesk_guard::{Alert, NotifierSpec, WebhookStyle};
use hmac::{Hmac, KeyInit, Mac};
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use sha2::Sha256;
use thiserror::Error;

/// The generic webhook's signature: `sha256=<hex of HMAC-SHA256(secret, body)>`.
pub const SIGNATURE_HEADER: &str = "X-Ftdesk-Signature";
/// The alert id, so a receiver can drop a repeat.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

const TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, Error)]
pub enum NotifyError {
    #[error("{channel}: {message}")]
    Config { channel: String, message: String },
    #[error("{channel}: sending failed: {message}")]
    Send { channel: String, message: String },
}

/// Sends one alert somewhere. `Ok` means the receiver accepted it.
pub trait Notifier {
    fn channel(&self) -> &str;
    fn send(&self, alert: &Alert) -> Result<(), NotifyError>;
}

/// Builds the notifier for a configuration entry; `env` looks up secrets.
pub fn build(
    spec: &NotifierSpec,
    channel: String,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Box<dyn Notifier>, NotifyError> {
    let secret = |var: &Option<String>| -> Result<Option<String>, NotifyError> {
        match var {
            None => Ok(None),
            Some(var) => env(var).map(Some).ok_or_else(|| NotifyError::Config {
                channel: channel.clone(),
                message: format!("the environment variable {var} is not set"),
            }),
        }
    };
    Ok(match spec {
        NotifierSpec::Stdout { .. } => Box::new(StdoutNotifier { channel }),
        NotifierSpec::Smtp {
            host,
            port,
            from,
            to,
            starttls,
            username,
            password_env,
            ..
        } => {
            let password = secret(password_env)?;
            Box::new(SmtpNotifier::new(
                channel, host, *port, from, to, *starttls, username, password,
            )?)
        }
        NotifierSpec::Webhook {
            url,
            style,
            secret_env,
            ..
        } => {
            let key = secret(secret_env)?;
            Box::new(WebhookNotifier::new(channel, url, *style, key))
        }
    })
}

pub struct StdoutNotifier {
    pub channel: String,
}

impl Notifier for StdoutNotifier {
    fn channel(&self) -> &str {
        &self.channel
    }

    fn send(&self, alert: &Alert) -> Result<(), NotifyError> {
        let mut out = std::io::stdout().lock();
        writeln!(out, "[{}] {}\n", alert.id, alert.text())
            .and_then(|()| out.flush())
            .map_err(|e| NotifyError::Send {
                channel: self.channel.clone(),
                message: e.to_string(),
            })
    }
}

pub struct SmtpNotifier {
    channel: String,
    transport: SmtpTransport,
    from: lettre::message::Mailbox,
    to: Vec<lettre::message::Mailbox>,
}

impl SmtpNotifier {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        channel: String,
        host: &str,
        port: u16,
        from: &str,
        to: &[String],
        starttls: bool,
        username: &Option<String>,
        password: Option<String>,
    ) -> Result<Self, NotifyError> {
        let config_error = |message: String| NotifyError::Config {
            channel: channel.clone(),
            message,
        };
        if starttls {
            return Err(config_error(
                "starttls = true is not supported by this build yet (plain SMTP only)".into(),
            ));
        }
        let parse = |address: &str, key: &str| {
            address.parse::<lettre::message::Mailbox>().map_err(|e| {
                config_error(format!(
                    "key `{key}`: `{address}` is not an email address: {e}"
                ))
            })
        };
        let from = parse(from, "from")?;
        let to = to
            .iter()
            .map(|a| parse(a, "to"))
            .collect::<Result<Vec<_>, _>>()?;
        if to.is_empty() {
            return Err(config_error(
                "key `to`: expected at least one address".into(),
            ));
        }
        let mut builder = SmtpTransport::builder_dangerous(host)
            .port(port)
            .timeout(Some(TIMEOUT));
        if let Some(user) = username {
            builder =
                builder.credentials(Credentials::new(user.clone(), password.unwrap_or_default()));
        }
        Ok(SmtpNotifier {
            channel,
            transport: builder.build(),
            from,
            to,
        })
    }

    fn message(&self, alert: &Alert) -> Result<Message, NotifyError> {
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(format!("[ftdesk guard] {}", alert.title))
            .message_id(Some(message_id(alert)))
            .header(ContentType::TEXT_PLAIN);
        for to in &self.to {
            builder = builder.to(to.clone());
        }
        builder.body(alert.text()).map_err(|e| NotifyError::Send {
            channel: self.channel.clone(),
            message: e.to_string(),
        })
    }
}

/// The email `Message-ID`: the stable alert id, so a resend is recognisable.
pub fn message_id(alert: &Alert) -> String {
    format!("<{}@ftdesk.guard>", alert.id)
}

impl Notifier for SmtpNotifier {
    fn channel(&self) -> &str {
        &self.channel
    }

    fn send(&self, alert: &Alert) -> Result<(), NotifyError> {
        let message = self.message(alert)?;
        self.transport
            .send(&message)
            .map(|_| ())
            .map_err(|e| NotifyError::Send {
                channel: self.channel.clone(),
                message: e.to_string(),
            })
    }
}

pub struct WebhookNotifier {
    channel: String,
    url: String,
    style: WebhookStyle,
    secret: Option<String>,
    agent: ureq::Agent,
}

impl WebhookNotifier {
    pub fn new(channel: String, url: &str, style: WebhookStyle, secret: Option<String>) -> Self {
        WebhookNotifier {
            channel,
            url: url.to_owned(),
            style,
            secret,
            agent: ureq::AgentBuilder::new().timeout(TIMEOUT).build(),
        }
    }

    fn body(&self, alert: &Alert) -> String {
        let value = match self.style {
            WebhookStyle::Generic => serde_json::json!({ "alert": alert, "text": alert.text() }),
            WebhookStyle::Slack => serde_json::json!({ "text": alert.text() }),
            WebhookStyle::Teams => serde_json::json!({
                "@type": "MessageCard",
                "@context": "https://schema.org/extensions",
                "summary": alert.title,
                "title": alert.title,
                "text": alert.text().replace('\n', "\n\n"),
            }),
        };
        value.to_string()
    }
}

/// `sha256=<hex>`: HMAC-SHA256 of the body under the shared secret.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        // HMAC takes keys of any length; this branch cannot be reached.
        return String::new();
    };
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

impl Notifier for WebhookNotifier {
    fn channel(&self) -> &str {
        &self.channel
    }

    fn send(&self, alert: &Alert) -> Result<(), NotifyError> {
        let body = self.body(alert);
        let mut request = self
            .agent
            .post(&self.url)
            .set("Content-Type", "application/json")
            .set(IDEMPOTENCY_HEADER, &alert.id);
        if let Some(secret) = &self.secret {
            request = request.set(SIGNATURE_HEADER, &sign(secret, body.as_bytes()));
        }
        request
            .send_string(&body)
            .map(|_| ())
            .map_err(|e| NotifyError::Send {
                channel: self.channel.clone(),
                message: e.to_string(),
            })
    }
}

/// Hands finished messages to an SMTP server (plain SMTP, as [`SmtpNotifier`]):
/// for callers that build their own message, such as the desk's replies.
pub struct SmtpRelay {
    transport: SmtpTransport,
}

impl SmtpRelay {
    pub fn new(host: &str, port: u16) -> Self {
        let transport = SmtpTransport::builder_dangerous(host)
            .port(port)
            .timeout(Some(TIMEOUT))
            .build();
        SmtpRelay { transport }
    }

    /// Sends `message` (a whole RFC 5322 message) from `from` to `to`.
    /// `Ok` means the server accepted it.
    pub fn send_raw(&self, from: &str, to: &[String], message: &[u8]) -> Result<(), NotifyError> {
        let error = |message: String| NotifyError::Send {
            channel: "smtp".into(),
            message,
        };
        let address = |a: &str| {
            a.parse::<lettre::Address>()
                .map_err(|e| error(format!("`{a}` is not an email address: {e}")))
        };
        let to = to
            .iter()
            .map(|a| address(a))
            .collect::<Result<Vec<_>, _>>()?;
        let envelope = lettre::address::Envelope::new(Some(address(from)?), to)
            .map_err(|e| error(e.to_string()))?;
        self.transport
            .send_raw(&envelope, message)
            .map(|_| ())
            .map_err(|e| error(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_in_hex() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_missing_secret_is_a_config_error() {
        let spec = NotifierSpec::Webhook {
            name: None,
            url: "http://127.0.0.1:9/".into(),
            style: WebhookStyle::Generic,
            secret_env: Some("NOPE".into()),
        };
        let err = build(&spec, "hook".into(), &|_| None)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("NOPE"), "{err}");
    }
}

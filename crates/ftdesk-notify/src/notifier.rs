//! Where alerts go: standard output, email over SMTP, JSON webhooks.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use ftdesk_guard::{Alert, NotifierSpec, WebhookStyle};
use hmac::{Hmac, KeyInit, Mac};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{SmtpTransport, Transport};
use mail_builder::headers::address::Address;
use mail_builder::MessageBuilder;
use sha2::Sha256;
use thiserror::Error;

use crate::{payload, tls};

/// The generic webhook's signature: `sha256=<hex of HMAC-SHA256(secret, body)>`.
pub const SIGNATURE_HEADER: &str = "X-Ftdesk-Signature";
/// The alert id, so a receiver can drop a repeat.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// How long a send may take when the caller does not say (the desk's replies).
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

/// Builds the notifier for a configuration entry; `env` looks up secrets;
/// one send (connect, write, answer) fails after `timeout`.
pub fn build(
    spec: &NotifierSpec,
    channel: String,
    env: &dyn Fn(&str) -> Option<String>,
    timeout: Duration,
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
            tls,
            tls_ca_file,
            username,
            password_env,
            ..
        } => {
            let security = match (*starttls, *tls) {
                (_, true) => Security::ImplicitTls,
                (true, false) => Security::StartTls,
                (false, false) => Security::Plain,
            };
            let settings = SmtpSettings {
                host,
                port: *port,
                from,
                to,
                security,
                tls_ca_file: tls_ca_file.as_deref(),
                username: username.as_deref(),
                password: secret(password_env)?,
                timeout,
            };
            Box::new(SmtpNotifier::new(channel, &settings)?)
        }
        NotifierSpec::Webhook {
            url,
            style,
            secret_env,
            tls_ca_file,
            ..
        } => {
            let key = secret(secret_env)?;
            Box::new(WebhookNotifier::new(
                channel,
                url,
                *style,
                key,
                tls_ca_file.as_deref(),
                timeout,
            )?)
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
    from: Mailbox,
    to: Vec<Mailbox>,
}

/// `Name <address>` or a bare address, the address checked by lettre.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mailbox {
    name: Option<String>,
    address: lettre::Address,
}

impl std::str::FromStr for Mailbox {
    type Err = String;

    fn from_str(text: &str) -> Result<Mailbox, String> {
        let text = text.trim();
        if text.chars().any(char::is_control) {
            return Err("it holds a control character".into());
        }
        let (name, address) = match text.strip_suffix('>').and_then(|t| t.rsplit_once('<')) {
            Some((name, address)) => (name.trim().trim_matches('"').trim(), address.trim()),
            None => ("", text),
        };
        let address = address
            .parse()
            .map_err(|e: lettre::address::AddressError| e.to_string())?;
        let name = Some(name.to_owned()).filter(|n| !n.is_empty());
        Ok(Mailbox { name, address })
    }
}

impl Mailbox {
    fn header(&self) -> Address<'_> {
        Address::new_address(self.name.as_deref(), AsRef::<str>::as_ref(&self.address))
    }
}

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// No TLS (a relay on the same host or a test server).
    Plain,
    /// Plain connect, then STARTTLS before anything else; refuses a server without it.
    StartTls,
    /// TLS from the first byte (port 465).
    ImplicitTls,
}

/// An SMTP notifier's settings, secrets already looked up.
pub struct SmtpSettings<'a> {
    pub host: &'a str,
    pub port: u16,
    pub from: &'a str,
    pub to: &'a [String],
    pub security: Security,
    pub tls_ca_file: Option<&'a Path>,
    pub username: Option<&'a str>,
    pub password: Option<String>,
    pub timeout: Duration,
}

impl SmtpNotifier {
    pub fn new(channel: String, settings: &SmtpSettings<'_>) -> Result<Self, NotifyError> {
        let config_error = |message: String| NotifyError::Config {
            channel: channel.clone(),
            message,
        };
        let parse = |address: &str, key: &str| {
            address.parse::<Mailbox>().map_err(|e| {
                config_error(format!(
                    "key `{key}`: `{address}` is not an email address: {e}"
                ))
            })
        };
        let from = parse(settings.from, "from")?;
        let to = settings
            .to
            .iter()
            .map(|a| parse(a, "to"))
            .collect::<Result<Vec<_>, _>>()?;
        if to.is_empty() {
            return Err(config_error(
                "key `to`: expected at least one address".into(),
            ));
        }
        let server = SmtpServer {
            host: settings.host,
            port: settings.port,
            security: settings.security,
            tls_ca_file: settings.tls_ca_file,
            username: settings.username,
            password: settings.password.clone(),
        };
        let transport = transport(&server, settings.timeout).map_err(config_error)?;
        Ok(SmtpNotifier {
            channel,
            transport,
            from,
            to,
        })
    }

    /// The alert as a plain-text message (mail-builder, as the desk's replies).
    fn message(&self, alert: &Alert) -> Result<Vec<u8>, NotifyError> {
        let id = message_id(alert);
        MessageBuilder::new()
            .from(self.from.header())
            .to(self.to.iter().map(Mailbox::header).collect::<Vec<_>>())
            .subject(format!("[ftdesk guard] {}", alert.title))
            .message_id(id.trim_start_matches('<').trim_end_matches('>'))
            .text_body(alert.text())
            .write_to_vec()
            .map_err(|e| NotifyError::Send {
                channel: self.channel.clone(),
                message: e.to_string(),
            })
    }

    fn envelope(&self) -> Result<lettre::address::Envelope, NotifyError> {
        let to = self.to.iter().map(|m| m.address.clone()).collect();
        lettre::address::Envelope::new(Some(self.from.address.clone()), to).map_err(|e| {
            NotifyError::Send {
                channel: self.channel.clone(),
                message: e.to_string(),
            }
        })
    }
}

/// An SMTP server, how to protect the connection to it, and who logs in.
#[derive(Debug, Clone)]
pub struct SmtpServer<'a> {
    pub host: &'a str,
    pub port: u16,
    pub security: Security,
    pub tls_ca_file: Option<&'a Path>,
    pub username: Option<&'a str>,
    pub password: Option<String>,
}

/// The transport for `server`: certificates are always verified, against the
/// system's roots and `tls_ca_file`.
fn transport(server: &SmtpServer<'_>, timeout: Duration) -> Result<SmtpTransport, String> {
    let mut builder = SmtpTransport::builder_dangerous(server.host)
        .port(server.port)
        .timeout(Some(timeout));
    if server.security != Security::Plain {
        let parameters = tls_parameters(server.host, server.tls_ca_file)?;
        builder = builder.tls(match server.security {
            Security::ImplicitTls => Tls::Wrapper(parameters),
            _ => Tls::Required(parameters),
        });
    }
    if let Some(user) = server.username {
        let password = server.password.clone().unwrap_or_default();
        builder = builder.credentials(Credentials::new(user.to_owned(), password));
    }
    Ok(builder.build())
}

/// Verifies the server as `host` against the system's roots and `ca_file`.
fn tls_parameters(host: &str, ca_file: Option<&Path>) -> Result<TlsParameters, String> {
    let mut builder = TlsParameters::builder(host.to_owned());
    if let Some(file) = ca_file {
        let pem = std::fs::read(file)
            .map_err(|e| format!("key `tls_ca_file`: {}: {e}", file.display()))?;
        let cert = Certificate::from_pem(&pem)
            .map_err(|e| format!("key `tls_ca_file`: {}: {e}", file.display()))?;
        builder = builder.add_root_certificate(cert);
    }
    builder.build_rustls().map_err(|e| e.to_string())
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
            .send_raw(&self.envelope()?, &message)
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
    pub fn new(
        channel: String,
        url: &str,
        style: WebhookStyle,
        secret: Option<String>,
        tls_ca_file: Option<&Path>,
        timeout: Duration,
    ) -> Result<Self, NotifyError> {
        let tls = tls::client_config(tls_ca_file).map_err(|message| NotifyError::Config {
            channel: channel.clone(),
            message,
        })?;
        let agent = ureq::AgentBuilder::new()
            .timeout(timeout)
            .tls_connector(Arc::new(tls::RustlsConnector(tls)))
            .build();
        Ok(WebhookNotifier {
            channel,
            url: url.to_owned(),
            style,
            secret,
            agent,
        })
    }

    fn body(&self, alert: &Alert) -> String {
        let value = match self.style {
            WebhookStyle::Generic => payload::generic(alert),
            WebhookStyle::Slack => payload::slack(alert),
            WebhookStyle::Teams => payload::teams(alert),
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
    format!("sha256={}", hex::encode(digest))
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
                message: webhook_failure(&e, &self.url),
            })
    }
}

/// What went wrong, without the URL: Slack and Teams URLs are secrets, and
/// this text goes to the logs and the outbox.
fn webhook_failure(error: &ureq::Error, url: &str) -> String {
    let text = match error {
        ureq::Error::Status(code, _) => format!("the receiver answered HTTP {code}"),
        ureq::Error::Transport(transport) => match transport.message() {
            Some(message) => format!("{}: {message}", transport.kind()),
            None => transport.kind().to_string(),
        },
    };
    format!("{} (to {})", scrub(&text, url), redact_url(url))
}

/// `scheme://host[:port]/…`: enough to tell receivers apart, nothing secret.
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or(authority);
    format!("{scheme}://{host}/…")
}

/// `text` with any piece of `url` past its host replaced by `…`.
fn scrub(text: &str, url: &str) -> String {
    let (_, rest) = url.split_once("://").unwrap_or(("", url));
    let secret_part = rest.find(['/', '?', '#', '@']).map(|at| &rest[at..]);
    let mut text = text.replace(url, &redact_url(url));
    if let Some(secret) = secret_part.filter(|s| s.len() > 1) {
        text = text.replace(secret, "/…");
    }
    text
}

/// Hands finished messages to an SMTP server (plain, STARTTLS or implicit
/// TLS, with or without AUTH, as [`SmtpNotifier`]): for callers that build
/// their own message, such as the desk's replies.
#[derive(Clone)]
pub struct SmtpRelay {
    transport: SmtpTransport,
}

impl SmtpRelay {
    /// Fails only when the TLS settings cannot be used (an unreadable CA file).
    pub fn new(server: &SmtpServer<'_>) -> Result<Self, NotifyError> {
        let transport = transport(server, TIMEOUT).map_err(|message| NotifyError::Config {
            channel: "smtp".into(),
            message,
        })?;
        Ok(SmtpRelay { transport })
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
    fn mailboxes_are_an_address_with_or_without_a_name() {
        let named: Mailbox = " \"Guard\" <guard@example.com> ".parse().unwrap();
        assert_eq!(named.name.as_deref(), Some("Guard"));
        assert_eq!(named.address.to_string(), "guard@example.com");
        let bare: Mailbox = "me@example.com".parse().unwrap();
        assert_eq!(bare.name, None);
        for bad in [
            "not an address",
            "x@",
            "Eve\r\nBcc: x@evil.example <e@example.com>",
        ] {
            assert!(bad.parse::<Mailbox>().is_err(), "{bad}");
        }
    }

    #[test]
    fn an_alert_mail_keeps_a_hostile_title_in_its_subject() {
        let settings = SmtpSettings {
            host: "127.0.0.1",
            port: 25,
            from: "Guard <guard@example.com>",
            to: &[
                "me@example.com".to_owned(),
                "Ann <ann@example.com>".to_owned(),
            ],
            security: Security::Plain,
            tls_ca_file: None,
            username: None,
            password: None,
            timeout: Duration::from_secs(1),
        };
        let notifier = SmtpNotifier::new("mail".into(), &settings).unwrap();
        let alert = Alert {
            id: "a1".into(),
            kind: ftdesk_guard::AlertKind::NeverFree,
            account: "111".into(),
            month: "2026-11".into(),
            subject: "nat".into(),
            threshold: "any".into(),
            lang: "ko".into(),
            title: "요금 경고\r\nBcc: x@evil.example".into(),
            amount: "$1.00".into(),
            by_when: None,
            action: vec![],
        };
        let raw = String::from_utf8(notifier.message(&alert).unwrap()).unwrap();
        let (head, _) = raw.split_once("\r\n\r\n").unwrap();
        assert!(!head.lines().any(|l| l.starts_with("Bcc:")), "{head}");
        assert!(head.contains("Message-ID: <a1@ftdesk.guard>"), "{head}");
        assert!(
            head.contains("From: \"Guard\" <guard@example.com>"),
            "{head}"
        );
        assert!(head.contains("<ann@example.com>"), "{head}");
        assert!(
            head.contains("Subject: =?utf-8?"),
            "UTF-8 subjects are encoded: {head}"
        );
        let envelope = notifier.envelope().unwrap();
        assert_eq!(envelope.to().len(), 2);
    }

    #[test]
    fn the_signature_is_hmac_sha256_in_hex() {
        // RFC 4231 test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_webhook_url_is_shown_without_its_path_or_login() {
        assert_eq!(
            redact_url("https://hooks.slack.com/services/T0/B0/XXXX"),
            "https://hooks.slack.com/…"
        );
        assert_eq!(
            redact_url("http://u:p@127.0.0.1:9/x?k=1"),
            "http://127.0.0.1:9/…"
        );
        let url = "https://example.com/hook/s3cret";
        assert_eq!(
            scrub(
                "posting https://example.com/hook/s3cret failed at /hook/s3cret",
                url
            ),
            "posting https://example.com/… failed at /…"
        );
    }

    #[test]
    fn a_missing_secret_is_a_config_error() {
        let spec = NotifierSpec::Webhook {
            name: None,
            url: "http://127.0.0.1:9/".into(),
            style: WebhookStyle::Generic,
            secret_env: Some("NOPE".into()),
            tls_ca_file: None,
        };
        let err = build(&spec, "hook".into(), &|_| None, TIMEOUT)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("NOPE"), "{err}");
    }
}

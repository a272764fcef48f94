//! Where the desk's replies go: an SMTP server given as a URL.
//!
//! `smtp://HOST[:PORT]` is plain SMTP (port 25: a relay on the same host or
//! a test server); `smtp+starttls://[USER@]HOST[:PORT]` upgrades with
//! STARTTLS before anything else (port 587); `smtps://[USER@]HOST[:PORT]` is
//! TLS from the first byte (port 465). Certificates are always verified. The
//! password never sits in the URL, where the process list would show it.

use std::fmt;
use std::path::PathBuf;

use ftdesk_notify::{NotifyError, Security, SmtpRelay, SmtpServer};

/// The outgoing SMTP server, as the desk was started with it.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpOut {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<String>,
    /// A CA certificate (PEM) trusted besides the system's roots.
    pub tls_ca_file: Option<PathBuf>,
}

impl fmt::Debug for SmtpOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpOut")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "(set)"))
            .field("tls_ca_file", &self.tls_ca_file)
            .finish()
    }
}

impl SmtpOut {
    /// Reads `url`; `password` is for the URL's user (from the environment).
    pub fn parse(
        url: &str,
        password: Option<String>,
        tls_ca_file: Option<PathBuf>,
    ) -> Result<SmtpOut, String> {
        let (security, default_port, rest) = scheme(url)?;
        let rest = rest.trim_end_matches('/');
        let (username, address) = match rest.rsplit_once('@') {
            Some((user, address)) => (Some(user), address),
            None => (None, rest),
        };
        if let Some(user) = username {
            check_user(url, user, security, password.as_deref())?;
        }
        let (host, port) = match address.rsplit_once(':') {
            Some((host, port)) => (
                host,
                port.parse::<u16>()
                    .map_err(|_| format!("--smtp-out `{url}`: `{port}` is not a port number"))?,
            ),
            None => (address, default_port),
        };
        if host.is_empty() {
            return Err(format!("--smtp-out `{url}`: the host is missing"));
        }
        Ok(SmtpOut {
            host: host.to_owned(),
            port,
            security,
            username: username.map(str::to_owned),
            password: username.and(password),
            tls_ca_file,
        })
    }

    /// A relay for one send; fails when the CA file cannot be read.
    pub fn relay(&self) -> Result<SmtpRelay, NotifyError> {
        SmtpRelay::new(&SmtpServer {
            host: &self.host,
            port: self.port,
            security: self.security,
            tls_ca_file: self.tls_ca_file.as_deref(),
            username: self.username.as_deref(),
            password: self.password.clone(),
        })
    }
}

fn scheme(url: &str) -> Result<(Security, u16, &str), String> {
    [
        ("smtp://", Security::Plain, 25),
        ("smtp+starttls://", Security::StartTls, 587),
        ("smtps://", Security::ImplicitTls, 465),
    ]
    .into_iter()
    .find_map(|(prefix, security, port)| url.strip_prefix(prefix).map(|r| (security, port, r)))
    .ok_or_else(|| {
        format!(
            "--smtp-out `{url}`: expected smtp://HOST[:PORT], smtp+starttls://[USER@]HOST[:PORT] \
             or smtps://[USER@]HOST[:PORT]"
        )
    })
}

fn check_user(
    url: &str,
    user: &str,
    security: Security,
    password: Option<&str>,
) -> Result<(), String> {
    if user.contains(':') {
        return Err(format!(
            "--smtp-out `{url}`: put the password in FTDESK_SMTP_PASSWORD, not in the URL \
             (the process list shows the URL)"
        ));
    }
    if security == Security::Plain {
        return Err(format!(
            "--smtp-out `{url}`: a login over plain SMTP would cross the network in clear; \
             use smtp+starttls:// or smtps://"
        ));
    }
    if password.is_none() {
        return Err(format!(
            "--smtp-out `{url}` logs in as `{user}`: set FTDESK_SMTP_PASSWORD to its password"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> Result<SmtpOut, String> {
        SmtpOut::parse(url, Some("pw".into()), None)
    }

    #[test]
    fn reads_the_three_schemes() {
        let plain = parse("smtp://127.0.0.1:2526").unwrap();
        assert_eq!((plain.host.as_str(), plain.port), ("127.0.0.1", 2526));
        assert_eq!(plain.security, Security::Plain);
        assert_eq!(plain.password, None, "no user, no password kept");
        assert_eq!(parse("smtp://mail.example.com").unwrap().port, 25);
        let starttls = parse("smtp+starttls://desk@mail.example.com").unwrap();
        assert_eq!(starttls.security, Security::StartTls);
        assert_eq!(starttls.port, 587);
        assert_eq!(starttls.username.as_deref(), Some("desk"));
        assert_eq!(starttls.password.as_deref(), Some("pw"));
        let tls = parse("smtps://desk@mail.example.com:2465/").unwrap();
        assert_eq!((tls.security, tls.port), (Security::ImplicitTls, 2465));
    }

    #[test]
    fn refuses_what_would_fail_or_leak() {
        let error = |url: &str| parse(url).unwrap_err();
        assert!(error("http://x").contains("smtp+starttls://"));
        assert!(error("smtp://x:port").contains("port number"));
        assert!(error("smtps://").contains("host is missing"));
        assert!(error("smtps://desk:secret@x").contains("FTDESK_SMTP_PASSWORD"));
        assert!(error("smtp://desk@x").contains("in clear"));
        let no_password = SmtpOut::parse("smtps://desk@x", None, None).unwrap_err();
        assert!(
            no_password.contains("set FTDESK_SMTP_PASSWORD"),
            "{no_password}"
        );
    }

    #[test]
    fn the_password_stays_out_of_debug_output() {
        let out = parse("smtps://desk@x").unwrap();
        assert!(!format!("{out:?}").contains("pw"));
    }
}

//! The intake listener: a small, strict SMTP server (an RFC 5321 subset:
//! EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; SIZE advertised and enforced).
//! A message is committed to the database before `250` is answered, so what
//! is accepted is never lost, and what is refused leaves nothing behind.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::{now, Analyst, DeskError, Store};

/// The default largest message accepted, in bytes.
pub const DEFAULT_MAX_SIZE: usize = 10 * 1024 * 1024;
const MAX_COMMAND_LINE: usize = 1000;
const MAX_RECIPIENTS: usize = 100;
const IDLE: Duration = Duration::from_secs(300);

#[derive(Clone)]
pub struct SmtpConfig {
    pub hostname: String,
    pub max_size: usize,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        SmtpConfig {
            hostname: "ftdesk.desk".to_owned(),
            max_size: DEFAULT_MAX_SIZE,
        }
    }
}

/// Accepts connections until the listener fails; each in its own task.
pub async fn serve(
    listener: TcpListener,
    store: Arc<Store>,
    analyst: Arc<dyn Analyst>,
    config: SmtpConfig,
) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!("smtp accept: {e}");
                continue;
            }
        };
        let (store, analyst, config) = (store.clone(), analyst.clone(), config.clone());
        tokio::spawn(async move {
            let (read, write) = stream.into_split();
            let mut session = Session::new(read, write, config);
            if let Err(e) = session.run(&store, &analyst).await {
                tracing::debug!(%peer, "smtp session ended: {e}");
            }
        });
    }
}

struct Session<R, W> {
    reader: BufReader<R>,
    writer: W,
    config: SmtpConfig,
    greeted: bool,
    sender: Option<String>,
    recipients: Vec<String>,
}

enum Line {
    Text(String),
    TooLong,
    Closed,
}

impl<R: AsyncRead + Unpin, W: AsyncWrite + Unpin> Session<R, W> {
    fn new(read: R, writer: W, config: SmtpConfig) -> Self {
        Session {
            reader: BufReader::new(read),
            writer,
            config,
            greeted: false,
            sender: None,
            recipients: Vec::new(),
        }
    }

    async fn reply(&mut self, text: &str) -> std::io::Result<()> {
        self.writer.write_all(text.as_bytes()).await?;
        self.writer.write_all(b"\r\n").await?;
        self.writer.flush().await
    }

    async fn read_line(&mut self) -> std::io::Result<Line> {
        let mut buf = Vec::new();
        let read = tokio::time::timeout(
            IDLE,
            (&mut self.reader)
                .take(MAX_COMMAND_LINE as u64 + 2)
                .read_until(b'\n', &mut buf),
        )
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "idle"))??;
        if read == 0 {
            return Ok(Line::Closed);
        }
        if !buf.ends_with(b"\n") {
            self.discard_line().await?;
            return Ok(Line::TooLong);
        }
        let text = String::from_utf8_lossy(&buf);
        Ok(Line::Text(text.trim_end_matches(['\r', '\n']).to_owned()))
    }

    async fn discard_line(&mut self) -> std::io::Result<()> {
        let mut sink = Vec::new();
        loop {
            sink.clear();
            let n = (&mut self.reader)
                .take(64 * 1024)
                .read_until(b'\n', &mut sink)
                .await?;
            if n == 0 || sink.ends_with(b"\n") {
                return Ok(());
            }
        }
    }

    fn reset(&mut self) {
        self.sender = None;
        self.recipients.clear();
    }

    async fn run(&mut self, store: &Arc<Store>, analyst: &Arc<dyn Analyst>) -> std::io::Result<()> {
        let greeting = format!("220 {} ESMTP ftdesk desk ready", self.config.hostname);
        self.reply(&greeting).await?;
        loop {
            let line = match self.read_line().await? {
                Line::Closed => return Ok(()),
                Line::TooLong => {
                    self.reply("500 5.5.2 line too long").await?;
                    continue;
                }
                Line::Text(line) => line,
            };
            let (verb, arg) = match line.split_once(' ') {
                Some((verb, arg)) => (verb.to_ascii_uppercase(), arg.trim().to_owned()),
                None => (line.to_ascii_uppercase(), String::new()),
            };
            match verb.as_str() {
                "EHLO" | "HELO" if arg.is_empty() => {
                    self.reply("501 5.5.4 a domain or address is required")
                        .await?
                }
                "EHLO" => {
                    self.greeted = true;
                    self.reset();
                    let text = format!(
                        "250-{} greets {arg}\r\n250-SIZE {}\r\n250 8BITMIME",
                        self.config.hostname, self.config.max_size
                    );
                    self.reply(&text).await?;
                }
                "HELO" => {
                    self.greeted = true;
                    self.reset();
                    let text = format!("250 {}", self.config.hostname);
                    self.reply(&text).await?;
                }
                "MAIL" => self.mail(&arg).await?,
                "RCPT" => self.rcpt(&arg).await?,
                "DATA" => self.data(store, analyst).await?,
                "RSET" => {
                    self.reset();
                    self.reply("250 2.0.0 reset").await?;
                }
                "NOOP" => self.reply("250 2.0.0 ok").await?,
                "QUIT" => {
                    self.reply("221 2.0.0 bye").await?;
                    return Ok(());
                }
                _ => self.reply("500 5.5.2 command not recognised").await?,
            }
        }
    }

    async fn mail(&mut self, arg: &str) -> std::io::Result<()> {
        if !self.greeted {
            return self.reply("503 5.5.1 say EHLO or HELO first").await;
        }
        if self.sender.is_some() {
            return self
                .reply("503 5.5.1 a transaction is already open (RSET first)")
                .await;
        }
        let Some((path, params)) = path_argument(arg, "FROM:") else {
            return self.reply("501 5.5.4 syntax: MAIL FROM:<address>").await;
        };
        for param in params.split_whitespace() {
            let (key, value) = param.split_once('=').unwrap_or((param, ""));
            match key.to_ascii_uppercase().as_str() {
                "SIZE" => match value.parse::<usize>() {
                    Ok(size) if size > self.config.max_size => {
                        let text = format!(
                            "552 5.3.4 message size {size} exceeds the fixed maximum of {} bytes",
                            self.config.max_size
                        );
                        return self.reply(&text).await;
                    }
                    Ok(_) => {}
                    Err(_) => return self.reply("501 5.5.4 SIZE needs a number").await,
                },
                "BODY" => {}
                _ => return self.reply("555 5.5.4 parameter not supported").await,
            }
        }
        self.sender = Some(path);
        self.reply("250 2.1.0 sender ok").await
    }

    async fn rcpt(&mut self, arg: &str) -> std::io::Result<()> {
        if self.sender.is_none() {
            return self.reply("503 5.5.1 MAIL first").await;
        }
        let Some((path, _)) = path_argument(arg, "TO:").filter(|(p, _)| !p.is_empty()) else {
            return self.reply("501 5.5.4 syntax: RCPT TO:<address>").await;
        };
        if self.recipients.len() >= MAX_RECIPIENTS {
            return self.reply("452 4.5.3 too many recipients").await;
        }
        self.recipients.push(path);
        self.reply("250 2.1.5 recipient ok").await
    }

    async fn data(
        &mut self,
        store: &Arc<Store>,
        analyst: &Arc<dyn Analyst>,
    ) -> std::io::Result<()> {
        if self.recipients.is_empty() {
            return self.reply("503 5.5.1 RCPT first").await;
        }
        self.reply("354 end data with <CR><LF>.<CR><LF>").await?;
        let max = self.config.max_size;
        let mut message = Vec::new();
        let mut too_big = false;
        loop {
            let mut line = Vec::new();
            let n = tokio::time::timeout(
                IDLE,
                (&mut self.reader)
                    .take(max as u64 + 3)
                    .read_until(b'\n', &mut line),
            )
            .await
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "idle in DATA"))??;
            if n == 0 {
                // The client went away mid-message: nothing is stored.
                return Ok(());
            }
            if line == b".\r\n" || line == b".\n" {
                break;
            }
            let unstuffed = line.strip_prefix(b".").unwrap_or(&line);
            if message.len() + unstuffed.len() > max {
                too_big = true;
                message.clear();
            }
            if !too_big {
                message.extend_from_slice(unstuffed);
            }
        }
        self.reset();
        if too_big {
            let text = format!("552 5.3.4 message exceeds the fixed maximum size of {max} bytes; nothing was stored");
            return self.reply(&text).await;
        }
        let keep = store.clone();
        let stored = tokio::task::spawn_blocking(move || keep.intake(&message, &[], now())).await;
        match stored {
            Ok(Ok(intake)) => {
                let text = if intake.duplicate {
                    format!("250 2.0.0 already stored in case {}", intake.case_id)
                } else {
                    format!("250 2.0.0 stored in case {}", intake.case_id)
                };
                self.reply(&text).await?;
                if !intake.duplicate {
                    let (store, analyst) = (store.clone(), analyst.clone());
                    tokio::task::spawn_blocking(move || {
                        if let Err(e) = store.analyse(analyst.as_ref(), intake, now()) {
                            tracing::error!(case = intake.case_id, "analysis not stored: {e}");
                        }
                    });
                }
                Ok(())
            }
            Ok(Err(DeskError::Malformed(why))) => {
                let text = format!("554 5.6.0 message refused, {why}; nothing was stored");
                self.reply(&text).await
            }
            Ok(Err(e)) => {
                tracing::error!("storing a message failed: {e}");
                self.reply("451 4.3.0 the message could not be stored; try again later")
                    .await
            }
            Err(e) => {
                tracing::error!("storing a message panicked: {e}");
                self.reply("451 4.3.0 the message could not be stored; try again later")
                    .await
            }
        }
    }
}

/// `FROM:<a@b> SIZE=10` → (`a@b`, `SIZE=10`).
fn path_argument(arg: &str, keyword: &str) -> Option<(String, String)> {
    let head = arg.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = arg[keyword.len()..].trim_start();
    let rest = rest.strip_prefix('<')?;
    let (path, params) = rest.split_once('>')?;
    if path.contains(char::is_whitespace) {
        return None;
    }
    Some((path.to_owned(), params.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_paths_and_parameters() {
        assert_eq!(
            path_argument("FROM:<a@example.com> SIZE=10", "FROM:"),
            Some(("a@example.com".into(), "SIZE=10".into()))
        );
        assert_eq!(
            path_argument("from: <>", "FROM:"),
            Some((String::new(), String::new()))
        );
        assert_eq!(path_argument("TO:a@example.com", "TO:"), None);
        assert_eq!(path_argument("FROM:<a b>", "FROM:"), None);
    }
}

//! The intake listener: a small, strict SMTP server (an RFC 5321 subset:
//! EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; SIZE advertised and enforced).
//! A message is committed to the database before `250` is answered, so what
//! is accepted is never lost, and what is refused leaves nothing behind.
//! DATA ends only on `<CRLF>.<CRLF>`; a message holding a bare LF or CR is
//! refused whole (SMTP smuggling). Connections are capped, and each session
//! and each line has a deadline.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use ftdesk_core::Clock;

use crate::{Analyst, DeskError, Store};

/// The default largest message accepted, in bytes.
pub const DEFAULT_MAX_SIZE: usize = 10 * 1024 * 1024;
/// The default number of SMTP sessions served at once; more are answered `421`.
pub const DEFAULT_MAX_CONNECTIONS: usize = 32;
/// The default time a whole SMTP session may last.
pub const DEFAULT_SESSION_TIMEOUT: Duration = Duration::from_secs(600);
/// The default time one line (a command, or a line of DATA) may take to arrive.
pub const DEFAULT_LINE_TIMEOUT: Duration = Duration::from_secs(300);
const MAX_COMMAND_LINE: usize = 1000;
const MAX_RECIPIENTS: usize = 100;
/// Waits after a failed `accept` (EMFILE, ENFILE, ...): doubling from the first to the last.
const ACCEPT_BACKOFF: (Duration, Duration) = (Duration::from_millis(10), Duration::from_secs(1));
/// How long a refusal or a goodbye may take to write before the socket is dropped.
const FAREWELL: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct SmtpConfig {
    pub hostname: String,
    pub max_size: usize,
    pub max_connections: usize,
    pub session_timeout: Duration,
    pub line_timeout: Duration,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        SmtpConfig {
            hostname: "ftdesk.desk".to_owned(),
            max_size: DEFAULT_MAX_SIZE,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            session_timeout: DEFAULT_SESSION_TIMEOUT,
            line_timeout: DEFAULT_LINE_TIMEOUT,
        }
    }
}

/// Accepts connections until the process stops; each in its own task, at
/// most `max_connections` at once (the others are told `421` and closed).
pub async fn serve(
    listener: TcpListener,
    store: Arc<Store>,
    analyst: Arc<dyn Analyst>,
    config: SmtpConfig,
    clock: Arc<dyn Clock>,
) {
    let slots = Arc::new(Semaphore::new(config.max_connections));
    loop {
        let (mut stream, peer) = accept_with_backoff(|| listener.accept()).await;
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tokio::spawn(async move {
                let busy = b"421 4.3.2 too many connections; try again later\r\n";
                let _ = tokio::time::timeout(FAREWELL, stream.write_all(busy)).await;
            });
            continue;
        };
        let (store, analyst, config) = (store.clone(), analyst.clone(), config.clone());
        let clock = clock.clone();
        tokio::spawn(async move {
            let (read, write) = stream.into_split();
            let deadline = config.session_timeout;
            let mut session = Session::new(read, write, config, clock);
            match tokio::time::timeout(deadline, session.run(&store, &analyst)).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::debug!(%peer, "smtp session ended: {e}"),
                Err(_) => {
                    tracing::debug!(%peer, "smtp session reached its time limit");
                    let _ = tokio::time::timeout(
                        FAREWELL,
                        session.reply("421 4.4.2 session time limit reached; closing"),
                    )
                    .await;
                }
            }
            drop(slot);
        });
    }
}

/// Accepts one connection; after a failure (out of file descriptors, say)
/// waits before trying again, longer each time, instead of spinning.
async fn accept_with_backoff<T, F, Fut>(mut accept: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = std::io::Result<T>>,
{
    let (first, last) = ACCEPT_BACKOFF;
    let mut wait = first;
    loop {
        match accept().await {
            Ok(accepted) => return accepted,
            Err(e) => {
                tracing::warn!("smtp accept: {e}; trying again in {wait:?}");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(last);
            }
        }
    }
}

struct Session<R, W> {
    reader: BufReader<R>,
    writer: W,
    config: SmtpConfig,
    clock: Arc<dyn Clock>,
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
    fn new(read: R, writer: W, config: SmtpConfig, clock: Arc<dyn Clock>) -> Self {
        Session {
            reader: BufReader::new(read),
            writer,
            config,
            clock,
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

    fn timed_out(what: &str) -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::TimedOut, what.to_owned())
    }

    async fn read_line(&mut self) -> std::io::Result<Line> {
        let mut buf = Vec::new();
        let read = tokio::time::timeout(
            self.config.line_timeout,
            (&mut self.reader)
                .take(MAX_COMMAND_LINE as u64 + 2)
                .read_until(b'\n', &mut buf),
        )
        .await
        .map_err(|_| Self::timed_out("idle"))??;
        if read == 0 {
            return Ok(Line::Closed);
        }
        if !buf.ends_with(b"\n") {
            tokio::time::timeout(self.config.line_timeout, self.discard_line())
                .await
                .map_err(|_| Self::timed_out("an over-long line took too long"))??;
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
        let Some(message) = self.read_data().await? else {
            // The client went away mid-message: nothing is stored.
            return Ok(());
        };
        let envelope_sender = self.sender.clone().filter(|s| !s.is_empty());
        self.reset();
        let message = match message {
            Data::Message(message) => message,
            Data::TooBig => {
                let max = self.config.max_size;
                let text = format!("552 5.3.4 message exceeds the fixed maximum size of {max} bytes; nothing was stored");
                return self.reply(&text).await;
            }
            Data::BareNewline => {
                return self
                    .reply("554 5.6.0 message refused: it holds a bare LF or CR (lines end with CRLF, RFC 5321 section 2.3.8); nothing was stored")
                    .await;
            }
        };
        let (keep, clock) = (store.clone(), self.clock.clone());
        let stored = tokio::task::spawn_blocking(move || {
            keep.inbox()
                .receive_from(&message, envelope_sender.as_deref(), clock.now().unix())
        })
        .await;
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
                    let clock = self.clock.clone();
                    tokio::task::spawn_blocking(move || {
                        let started = clock.now().unix();
                        if let Err(e) =
                            crate::service::analyse(&store, analyst.as_ref(), intake, started)
                        {
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

/// What DATA brought.
enum Data {
    Message(Vec<u8>),
    TooBig,
    /// A line ended by a bare LF, or a CR not before LF: refused whole, since a
    /// relay may read it differently (SMTP smuggling).
    BareNewline,
}

impl<R: AsyncRead + Unpin, W: AsyncWrite + Unpin> Session<R, W> {
    /// Reads DATA up to `<CRLF>.<CRLF>`, and only that; `None` when the client went away.
    async fn read_data(&mut self) -> std::io::Result<Option<Data>> {
        let max = self.config.max_size;
        let mut message = Vec::new();
        let (mut too_big, mut bare_newline) = (false, false);
        // DATA's own CRLF starts the first line.
        let mut after_crlf = true;
        loop {
            let mut line = Vec::new();
            let n = tokio::time::timeout(
                self.config.line_timeout,
                (&mut self.reader)
                    .take(max as u64 + 3)
                    .read_until(b'\n', &mut line),
            )
            .await
            .map_err(|_| Self::timed_out("idle in DATA"))??;
            if n == 0 {
                return Ok(None);
            }
            if after_crlf && line == b".\r\n" {
                break;
            }
            bare_newline |= has_bare_newline(&line);
            let unstuffed = match after_crlf {
                true => line.strip_prefix(b".").unwrap_or(&line),
                false => &line[..],
            };
            if message.len() + unstuffed.len() > max {
                too_big = true;
                message.clear();
            }
            if !too_big {
                message.extend_from_slice(unstuffed);
            }
            after_crlf = line.ends_with(b"\r\n");
        }
        Ok(Some(if too_big {
            Data::TooBig
        } else if bare_newline {
            Data::BareNewline
        } else {
            Data::Message(message)
        }))
    }
}

/// An LF without a CR before it, or a CR without an LF after it.
fn has_bare_newline(line: &[u8]) -> bool {
    line.iter().enumerate().any(|(i, b)| match b {
        b'\n' => i == 0 || line[i - 1] != b'\r',
        b'\r' => line.get(i + 1).is_some_and(|next| *next != b'\n'),
        _ => false,
    })
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
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_failing_accept_backs_off_instead_of_spinning() {
        let calls = AtomicUsize::new(0);
        let emfile = || {
            calls.fetch_add(1, Ordering::SeqCst);
            async {
                tokio::task::yield_now().await;
                Err::<(), _>(std::io::Error::from_raw_os_error(24))
            }
        };
        let spun = tokio::time::timeout(Duration::from_millis(500), accept_with_backoff(emfile));
        assert!(spun.await.is_err(), "it never succeeds");
        let calls = calls.load(Ordering::SeqCst);
        assert!((3..=10).contains(&calls), "{calls} accept calls in 500 ms");
    }

    #[tokio::test]
    async fn accept_goes_on_after_failures() {
        let mut failures = 2;
        let accepted = accept_with_backoff(|| {
            let result = match failures {
                0 => Ok(7),
                _ => Err(std::io::Error::from_raw_os_error(24)),
            };
            failures -= 1;
            async move { result }
        });
        assert_eq!(accepted.await, 7);
    }

    #[test]
    fn finds_bare_newlines() {
        assert!(!has_bare_newline(b"a line\r\n"));
        assert!(has_bare_newline(b"a line\n"));
        assert!(has_bare_newline(b"a\rline\r\n"));
        assert!(has_bare_newline(b"\n"));
        assert!(!has_bare_newline(b"no end yet"));
    }

    #[tokio::test]
    async fn an_endless_line_is_cut_off_at_the_line_deadline() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = Store::init(&dir.path().join("d.sqlite"), "a@example.com", 0).unwrap();
        let (store, analyst): (_, Arc<dyn Analyst>) =
            (Arc::new(store), Arc::new(crate::NoAnalysis));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = tokio::net::TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let config = SmtpConfig {
            line_timeout: Duration::from_millis(300),
            ..SmtpConfig::default()
        };
        let (read, write) = server.into_split();
        let clock = Arc::new(ftdesk_core::FixedClock(ftdesk_core::Timestamp::from_unix(
            0,
        )));
        let mut session = Session::new(read, write, config, clock);
        let serving = tokio::spawn(async move { session.run(&store, &analyst).await });
        // A line longer than any command, then more of it, never ended.
        client.write_all(&[b'a'; 2000]).await.unwrap();
        let ended = tokio::time::timeout(Duration::from_secs(10), serving).await;
        let result = ended.expect("the session ends by itself").unwrap();
        let error = result.unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::TimedOut, "{error}");
    }

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

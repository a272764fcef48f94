//! A small W3C WebDriver client over HTTP (ureq, already a dev-dependency):
//! Debian's `chromedriver` drives a headless Chromium with a fresh profile.
//! A missing browser or driver fails the test with what to install.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The key W3C WebDriver uses for element references.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long an explicit wait lasts before the test fails.
const WAIT: Duration = Duration::from_secs(60);
const INSTALL: &str = "the browser test needs Debian's Chromium and its WebDriver: \
`apt-get install chromium chromium-driver` (or set FTDESK_CHROMIUM and FTDESK_CHROMEDRIVER)";

/// A program named by an environment variable, else the first of `names` on PATH.
fn program(variable: &str, names: &[&str]) -> PathBuf {
    if let Some(path) = std::env::var_os(variable) {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "{variable}={}: no such file; {INSTALL}",
            path.display()
        );
        return path;
    }
    let dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    names
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("no {} on PATH; {INSTALL}", names.join(" or ")))
}

pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
}

#[derive(Clone)]
pub struct Element(String);

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self
            .agent
            .delete(&format!("{}/session/{}", self.base, self.session))
            .call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    /// Starts chromedriver on a free loopback port and a headless Chromium session.
    pub fn start() -> Browser {
        let chromium = program("FTDESK_CHROMIUM", &["chromium", "chromium-browser"]);
        let chromedriver = program("FTDESK_CHROMEDRIVER", &["chromedriver"]);
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("{} does not start: {e}; {INSTALL}", chromedriver.display())
            });
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(120))
            .build();
        let base = format!("http://127.0.0.1:{port}");
        let profile = tempfile::tempdir().unwrap();
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
            agent,
            _profile: profile,
        };
        browser.wait_for_driver();
        browser.session = browser.new_session(&chromium);
        browser
    }

    fn wait_for_driver(&mut self) {
        let deadline = Instant::now() + WAIT;
        loop {
            let ready = self
                .agent
                .get(&format!("{}/status", self.base))
                .call()
                .ok()
                .and_then(|r| r.into_string().ok())
                .and_then(|text| serde_json::from_str::<Value>(&text).ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                return;
            }
            if let Ok(Some(status)) = self.driver.try_wait() {
                panic!("chromedriver exited with {status}; {INSTALL}");
            }
            assert!(Instant::now() < deadline, "chromedriver never became ready");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn new_session(&self, chromium: &Path) -> String {
        let profile = format!("--user-data-dir={}", self._profile.path().display());
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,1000",
            &profile,
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
        }}});
        let answer = self.call("POST", "/session", Some(capabilities));
        answer["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session from chromedriver: {answer}; {INSTALL}"))
            .to_owned()
    }

    /// One WebDriver command; a WebDriver error fails the test with its message.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body)
            .unwrap_or_else(|error| panic!("WebDriver {method} {path}: {error}"))
    }

    /// One WebDriver command; its error as WebDriver's error code and message.
    fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let request = self
            .agent
            .request(method, &url)
            .set("Content-Type", "application/json");
        let result = match body {
            Some(body) => request.send_string(&body.to_string()),
            None if method == "POST" => request.send_string("{}"),
            None => request.call(),
        };
        let response = match result {
            Ok(r) | Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("WebDriver {method} {path}: {e}"),
        };
        let status = response.status();
        let text = response.into_string().expect("WebDriver answers");
        let answer: Value = serde_json::from_str(&text).expect("WebDriver answers JSON");
        match status {
            0..400 => Ok(answer["value"].clone()),
            _ => Err(format!(
                "{status} {}: {}",
                answer["value"]["error"], answer["value"]["message"]
            )),
        }
    }

    /// A property of an element; empty when the element went stale (the page
    /// changed under a wait), so a waiting condition simply polls again.
    fn element_read(&self, element: &Element, what: &str) -> String {
        let path = format!("/session/{}/element/{}/{what}", self.session, element.0);
        match self.try_call("GET", &path, None) {
            Ok(value) => value.as_str().unwrap_or_default().to_owned(),
            Err(error)
                if error.contains("stale element")
                    || error.contains("does not belong to the document") =>
            {
                String::new()
            }
            Err(error) => panic!("WebDriver GET {path}: {error}"),
        }
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    pub fn goto(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({ "url": url })));
    }

    pub fn url(&self) -> String {
        self.session_call("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub fn refresh(&self) {
        self.session_call("POST", "/refresh", None);
    }

    pub fn source(&self) -> String {
        self.session_call("GET", "/source", None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Every element matching a CSS selector, now (no wait).
    pub fn all(&self, css: &str) -> Vec<Element> {
        let found = self.session_call(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        );
        found
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e[ELEMENT].as_str().map(|id| Element(id.to_owned())))
            .collect()
    }

    /// Waits until `check` gives a value; fails naming `what` after [`WAIT`].
    pub fn wait<T>(&self, what: &str, mut check: impl FnMut(&Browser) -> Option<T>) -> T {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(value) = check(self) {
                return value;
            }
            assert!(
                Instant::now() < deadline,
                "waited {WAIT:?} for {what}; the page at {} is:\n{}",
                self.url(),
                self.source()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for an element matching `css`.
    pub fn find(&self, css: &str) -> Element {
        self.wait(&format!("an element `{css}`"), |b| {
            b.all(css).into_iter().next()
        })
    }

    /// Waits for an element matching `css` whose text contains `text`.
    pub fn find_text(&self, css: &str, text: &str) -> Element {
        self.wait(&format!("`{css}` saying `{text}`"), |b| {
            b.all(css).into_iter().find(|e| b.text(e).contains(text))
        })
    }

    pub fn click(&self, element: &Element) {
        self.session_call("POST", &format!("/element/{}/click", element.0), None);
    }

    /// Types into an element (after any text it holds).
    pub fn type_text(&self, element: &Element, text: &str) {
        self.session_call(
            "POST",
            &format!("/element/{}/value", element.0),
            Some(json!({ "text": text })),
        );
    }

    pub fn text(&self, element: &Element) -> String {
        self.element_read(element, "text")
    }

    /// A form control's current value.
    pub fn value(&self, element: &Element) -> String {
        self.element_read(element, "property/value")
    }

    /// Saves a PNG of the page's `body`: a short page is cut below its
    /// content instead of showing the empty rest of the window.
    pub fn screenshot(&self, path: &Path) {
        let body = self.find("body");
        let encoded = self.session_call("GET", &format!("/element/{}/screenshot", body.0), None);
        let png = base64_decode(encoded.as_str().expect("a base64 screenshot"));
        assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
        std::fs::write(path, png).unwrap();
    }
}

/// Standard base64 (the screenshot), without a crate for ten lines.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text.bytes().filter(|c| *c != b'=').map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let bits = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, d)| acc | (u32::from(*d) << (18 - 6 * i)));
        out.extend_from_slice(&bits.to_be_bytes()[1..chunk.len()]);
    }
    out
}

#[test]
fn decodes_base64() {
    assert_eq!(base64_decode("aGVsbG8="), b"hello");
    assert_eq!(base64_decode("aGk="), b"hi");
    assert_eq!(base64_decode("YWJj"), b"abc");
}

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rust_decimal::Decimal;
use serde_json::Value;

/// Every billing export format `sample` writes (Cost Explorer and Free Tier
/// API JSON aside, which are not billing exports).
pub const EXPORT_FORMATS: [&str; 5] = [
    "cur-csv",
    "cur2-csv",
    "cur2-parquet",
    "focus-csv",
    "focus-parquet",
];

pub fn ftdesk() -> Command {
    let mut cmd = Command::cargo_bin("ftdesk").expect("the ftdesk binary is built");
    cmd.env_remove("RUST_LOG").env("NO_COLOR", "1");
    for variable in [
        "FTDESK_LANG",
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
        "FTDESK_DB",
        "FTDESK_CONFIG",
    ] {
        cmd.env_remove(variable);
    }
    // No config file of the machine's user: tests that want one name it.
    cmd.env("XDG_CONFIG_HOME", "/nonexistent/ftdesk-tests");
    cmd
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// The shared public samples beside the repository; their absence is a failure, not a skip.
pub fn shared_samples() -> PathBuf {
    let dir = repo_root().join("../shared/samples");
    assert!(
        dir.is_dir(),
        "expected the public samples at {}",
        dir.display()
    );
    dir
}

pub fn dec(v: &Value) -> Decimal {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        other => panic!("expected a number, got {other}"),
    };
    Decimal::from_scientific(&text)
        .or_else(|_| text.parse())
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

pub fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// Writes a scenario with the real binary and returns its file.
pub fn write_scenario(name: &str, dir: &Path) -> PathBuf {
    write_scenario_as(name, dir, &[])
}

/// Writes a scenario with more `sample` options (`--format cur2-parquet`)
/// and returns its file.
pub fn write_scenario_as(name: &str, dir: &Path, options: &[&str]) -> PathBuf {
    stdout_of(
        ftdesk()
            .args(["sample", "--scenario", name])
            .args(options)
            .arg("--out")
            .arg(dir),
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(name))
        .collect();
    files.sort();
    assert_eq!(files.len(), 1, "{files:?}");
    files.remove(0)
}

/// Runs the command, which must succeed, and returns its standard output.
pub fn stdout_of(command: &mut Command) -> Vec<u8> {
    let out = command.output().expect("runs");
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Whether `text` has Hangul syllables (Korean output).
pub fn has_hangul(text: &str) -> bool {
    text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

/// Runs `ftdesk check --format json` and parses the report.
pub fn check_json(args: &[&str]) -> Value {
    let out = ftdesk()
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "check {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// The test venv's Python (`FTDESK_TEST_PYTHON`, set by `scripts/test.sh`, or the venv it
/// makes); `needs` says what the calling test wants from it when it is missing.
pub fn test_python(needs: &str) -> PathBuf {
    if let Some(path) = std::env::var_os("FTDESK_TEST_PYTHON") {
        return PathBuf::from(path);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let path = home.join(".cache/ftdesk-venv/bin/python");
    assert!(
        path.exists(),
        "{needs} in the test venv at {} (run `bash scripts/test.sh`) or FTDESK_TEST_PYTHON",
        path.display()
    );
    path
}

/// Under CI or the README's test command (which installs every tool), a
/// missing tool fails the test instead of skipping it.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
        || std::env::var("FTDESK_TEST_REQUIRE_ALL").is_ok_and(|v| v == "1")
}

/// Whether Spark can start: it needs Java. Missing Java fails under
/// [`in_ci`] and skips the Spark half of a test, loudly, elsewhere.
pub fn java_available() -> bool {
    use std::process::Stdio;
    let found = std::process::Command::new("java")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found || !in_ci(),
        "no `java` on PATH under CI or scripts/test.sh: the Spark tests must run (install default-jre-headless)"
    );
    if !found {
        eprintln!(
            "SKIPPED: the Spark half of this test (no `java` on PATH; PySpark needs Java 17+)"
        );
    }
    found
}

/// Runs a Python script of the tests (`tests/it/NAME`) in the test venv with
/// `input` as JSON on standard input, and returns the JSON it prints.
pub fn python_json(script: &str, needs: &str, input: &Value) -> Value {
    use std::io::Write;
    use std::process::Stdio;
    let path = repo_root().join("crates/ftdesk-cli/tests/it").join(script);
    let mut child = std::process::Command::new(test_python(needs))
        .arg(&path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("python runs");
    assert!(
        out.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{script} prints JSON: {e}"))
}

/// One request to the loopback AWS server: its `X-Amz-Target` (lowercase),
/// its body, and whether it carried a SigV4 signature.
pub struct AwsRequest {
    pub target: String,
    pub body: String,
    pub signed: bool,
}

/// A loopback HTTP server speaking AWS's JSON protocols: each request is
/// answered by `answer` with a status and a JSON body (one request per
/// connection). Returns its URL and every request body it received, in order.
pub fn aws_json_server(
    content_type: &'static str,
    mut answer: impl FnMut(&AwsRequest) -> (u16, String) + Send + 'static,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: std::sync::Arc<std::sync::Mutex<Vec<String>>> = Default::default();
    let record = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let (mut target, mut length, mut signed) = (String::new(), 0usize, false);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("x-amz-target:") {
                    target = v.trim().to_owned();
                } else if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                } else if lower.starts_with("authorization: aws4-hmac-sha256") {
                    signed = true;
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let request = AwsRequest {
                target,
                body: String::from_utf8_lossy(&body).into_owned(),
                signed,
            };
            record.lock().unwrap().push(request.body.clone());
            let (status, text) = answer(&request);
            let reply = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    (url, seen)
}

/// A command with fake credentials and no AWS configuration from the machine,
/// for the loopback AWS server.
pub fn with_fake_aws_credentials(mut cmd: Command) -> Command {
    cmd.env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env(
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env_remove("AWS_PROFILE");
    cmd
}

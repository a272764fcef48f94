//! `s3://` sources against a real S3-compatible server: moto's server mode,
//! started here on loopback (installed by `scripts/test.sh` into a venv).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{check_json, ftdesk};

pub(crate) struct Moto {
    child: Child,
    pub(crate) url: String,
    port: u16,
}

impl Moto {
    /// `ftdesk` with the environment that points its S3 client here.
    pub(crate) fn ftdesk(&self) -> assert_cmd::Command {
        let mut command = ftdesk();
        command
            .env("AWS_ENDPOINT_URL_S3", &self.url)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE");
        command
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("FTDESK_MOTO_SERVER") {
        return PathBuf::from(path);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let path = home.join(".cache/ftdesk-venv/bin/moto_server");
    assert!(
        path.exists(),
        "the S3 tests need moto's server at {} (run `bash scripts/test.sh`, which installs it) or FTDESK_MOTO_SERVER",
        path.display()
    );
    path
}

pub(crate) fn start_moto() -> Moto {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(moto_binary())
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server starts");
    let moto = Moto {
        child,
        url: format!("http://127.0.0.1:{port}"),
        port,
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "moto_server did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    moto
}

/// A plain HTTP PUT: moto accepts unsigned requests, which keeps the upload side simple.
pub(crate) fn put(moto: &Moto, path: &str, body: &[u8]) {
    let mut stream = TcpStream::connect(("127.0.0.1", moto.port)).unwrap();
    let head = format!(
        "PUT {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        moto.port,
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    assert!(
        reply.starts_with("HTTP/1.1 200") || reply.starts_with("HTTP/1.0 200"),
        "PUT {path}: {reply}"
    );
}

fn upload_folder(moto: &Moto, bucket: &str, prefix: &str, dir: &Path) {
    for entry in walk(dir) {
        let key = entry
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        put(
            moto,
            &format!("/{bucket}/{prefix}{key}"),
            &std::fs::read(&entry).unwrap(),
        );
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn s3_check(moto: &Moto, url: &str) -> std::process::Output {
    moto.ftdesk()
        .args(["check", url, "--format", "json"])
        .output()
        .unwrap()
}

fn same_report(a: &serde_json::Value, b: &serde_json::Value) {
    for field in [
        "month",
        "net_cost",
        "gross_cost",
        "tax",
        "credits",
        "offers",
        "charges",
        "cost_by_cause",
    ] {
        assert_eq!(a[field], b[field], "{field}");
    }
}

#[test]
fn an_export_folder_in_s3_reads_like_the_same_folder_on_disk() {
    let moto = start_moto();
    put(&moto, "/billing", b"");
    let dir = tempfile::tempdir().unwrap();
    let out = ftdesk()
        .args([
            "sample",
            "--scenario",
            "two-instances",
            "--format",
            "cur2-parquet",
            "--layout",
            "export",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    upload_folder(&moto, "billing", "exports/", dir.path());
    let local = check_json(&[dir.path().to_str().unwrap()]);
    let out = s3_check(&moto, "s3://billing/exports/");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let remote: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    same_report(&local, &remote);
    assert!(String::from_utf8_lossy(&out.stderr).contains("named by the manifest"));
}

#[test]
fn a_gzipped_csv_in_s3_is_streamed() {
    let moto = start_moto();
    put(&moto, "/billing", b"");
    let dir = tempfile::tempdir().unwrap();
    let out = ftdesk()
        .args(["sample", "--scenario", "nat-gateway", "--gzip", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    upload_folder(&moto, "billing", "cur/", dir.path());
    let local = check_json(&[dir.path().to_str().unwrap()]);
    let out = s3_check(&moto, "s3://billing/cur/");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    same_report(&local, &serde_json::from_slice(&out.stdout).unwrap());
}

#[test]
fn a_missing_bucket_or_empty_prefix_is_a_clear_error() {
    let moto = start_moto();
    let out = s3_check(&moto, "s3://no-such-bucket/x/");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("s3://no-such-bucket/") && err.contains("not found"),
        "{err}"
    );
    put(&moto, "/empty", b"");
    let out = s3_check(&moto, "s3://empty/nothing/");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("s3://empty/"));
}

/// `--profile` and `--region` reach S3 too, not only `--live`: with no
/// credentials or region in the environment, the named profile's keys and
/// the flag's region read the bucket; without them the read fails (exit 2).
#[test]
fn profile_and_region_flags_reach_s3() {
    let moto = start_moto();
    put(&moto, "/billing", b"");
    let dir = tempfile::tempdir().unwrap();
    let bill = crate::common::write_scenario("nat-gateway", dir.path());
    put(
        &moto,
        "/billing/cur/bill.csv",
        &std::fs::read(&bill).unwrap(),
    );
    let credentials = dir.path().join("credentials");
    std::fs::write(
        &credentials,
        "[billing]\naws_access_key_id = testing\naws_secret_access_key = testing\n",
    )
    .unwrap();
    let run_with = |config: Option<&Path>, flags: &[&str]| {
        let mut command = ftdesk();
        if let Some(config) = config {
            command.env("FTDESK_CONFIG", config);
        }
        command
            .env("AWS_ENDPOINT_URL_S3", &moto.url)
            .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
            .env("AWS_CONFIG_FILE", dir.path().join("no-config"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_REGION")
            .env_remove("AWS_DEFAULT_REGION")
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .args(["check", "s3://billing/cur/", "--format", "json"])
            .args(flags);
        command.output().unwrap()
    };
    let run = |flags: &[&str]| run_with(None, flags);
    let out = run(&["--profile", "billing", "--region", "eu-west-1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let remote: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    same_report(&check_json(&[bill.to_str().unwrap()]), &remote);

    let no_region = run(&["--profile", "billing"]);
    assert_eq!(
        no_region.status.code(),
        Some(2),
        "S3 needs a region: {}",
        String::from_utf8_lossy(&no_region.stderr)
    );

    let config = dir.path().join("ftdesk.toml");
    std::fs::write(&config, "profile = \"billing\"\nregion = \"eu-west-1\"\n").unwrap();
    let no_profile = run(&[]);
    assert_eq!(no_profile.status.code(), Some(2), "no profile, no keys");
    let from_config = run_with(Some(&config), &[]);
    assert!(
        from_config.status.success(),
        "config.toml's profile and region: {}",
        String::from_utf8_lossy(&from_config.stderr)
    );
}

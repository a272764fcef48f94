//! Cost Explorer's `GetCostAndUsage` through the official AWS SDK, for
//! `ftdesk check --live --source cost-explorer`.
//!
//! Every request (every page) costs the customer $0.01, so nothing is sent
//! before the caller agrees: [`fetch`] asks its `confirm` callback first
//! for the minimum (one request per month not in the cache), then again
//! before each further page. Each month's answer is written as the JSON the
//! AWS CLI prints (`aws ce get-cost-and-usage`), which `ftdesk check` reads
//! like a file the customer saved; a closed month (no period `Estimated`)
//! is kept in the cache folder and never asked again.
//!
//! ```no_run
//! use ftdesk_costexplorer::{fetch, Options};
//! let options = Options {
//!     months: vec!["2025-10".parse()?, "2025-11".parse()?],
//!     aws: ftdesk_aws::AwsOptions::default(),
//!     cache_dir: std::env::temp_dir().join("ftdesk-ce"),
//! };
//! let files = fetch(&options, &mut |question| {
//!     println!("{question}");
//!     true
//! })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::{Path, PathBuf};

#[cfg(feature = "sdk")]
mod client;

use ftdesk_aws::AwsOptions;

use ftdesk_core::Month;
use serde_json::Value;
use thiserror::Error;

/// What AWS charges per paginated `GetCostAndUsage` request, in USD.
pub const COST_PER_REQUEST: &str = "0.01";

#[derive(Debug, Error)]
pub enum CostExplorerError {
    #[error("Cost Explorer: {0} declined; nothing was asked of AWS beyond what was agreed")]
    Declined(String),
    #[error("Cost Explorer GetCostAndUsage for {month}: {message}")]
    Request { month: Month, message: String },
    #[error("Cost Explorer cache {}: {source}", .path.display())]
    Cache {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("Cost Explorer: cannot start the AWS client: {0}")]
    Start(String),
    #[error(transparent)]
    NotBuilt(#[from] ftdesk_aws::NotBuilt),
}

/// What to ask for, and where closed months are kept.
#[derive(Debug, Clone)]
pub struct Options {
    /// The months to ask about, oldest first.
    pub months: Vec<Month>,
    /// The profile and endpoint (the region is always us-east-1).
    pub aws: AwsOptions,
    pub cache_dir: PathBuf,
}

/// A month's file: from the cache, or newly asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthFile {
    pub month: Month,
    pub path: PathBuf,
    pub cached: bool,
    /// Paid requests sent for it (0 from the cache).
    pub requests: u32,
}

/// A question put to the caller before paid requests are sent.
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    /// The requests (at least) that agreeing lets go out.
    pub requests: u32,
    pub question: &'a str,
}

/// Asks for each month not in the cache, after `confirm` agrees to the
/// cost, and returns every month's file in month order.
pub fn fetch(
    options: &Options,
    confirm: &mut dyn FnMut(&str) -> bool,
) -> Result<Vec<MonthFile>, CostExplorerError> {
    fetch_asking(options, &mut |ask| confirm(ask.question))
}

/// The files the cache holds for `options.months`, closed or not (an open
/// month's file is the last answer asked for it), in month order.
pub fn kept(options: &Options) -> Vec<MonthFile> {
    let key = cache_key(options);
    options
        .months
        .iter()
        .map(|&month| MonthFile {
            month,
            path: options.cache_dir.join(format!("{key}-{month}.json")),
            cached: true,
            requests: 0,
        })
        .filter(|file| file.path.is_file())
        .collect()
}

/// [`fetch`], with each question saying how many requests it lets go out
/// (a caller with a request budget agrees only within it).
pub fn fetch_asking(
    options: &Options,
    confirm: &mut dyn FnMut(Ask<'_>) -> bool,
) -> Result<Vec<MonthFile>, CostExplorerError> {
    let key = cache_key(options);
    let mut files = Vec::new();
    let mut wanted = Vec::new();
    for &month in &options.months {
        let path = options.cache_dir.join(format!("{key}-{month}.json"));
        if is_closed_file(&path) {
            files.push(MonthFile {
                month,
                path,
                cached: true,
                requests: 0,
            });
        } else {
            wanted.push((month, path));
        }
    }
    if !wanted.is_empty() {
        // A build that cannot send the requests does not ask to pay for them.
        if cfg!(not(feature = "sdk")) {
            return Err(ftdesk_aws::NotBuilt("Cost Explorer (--live)".to_owned()).into());
        }
        let question = format!(
            "Cost Explorer charges ${COST_PER_REQUEST} per request. This asks for {} month(s) ({}): at least {} request(s), ${} or more. Continue?",
            wanted.len(),
            wanted.iter().map(|(m, _)| m.to_string()).collect::<Vec<_>>().join(", "),
            wanted.len(),
            cost_of(wanted.len() as u32)
        );
        let ask = Ask {
            requests: wanted.len() as u32,
            question: &question,
        };
        if !confirm(ask) {
            return Err(CostExplorerError::Declined(question));
        }
        std::fs::create_dir_all(&options.cache_dir).map_err(|source| CostExplorerError::Cache {
            path: options.cache_dir.clone(),
            source,
        })?;
        files.extend(ask_and_keep(options, wanted, confirm)?);
    }
    files.sort_by_key(|f| f.month);
    Ok(files)
}

/// Asks AWS for each wanted month and writes its answer to the cache.
#[cfg(feature = "sdk")]
fn ask_and_keep(
    options: &Options,
    wanted: Vec<(Month, PathBuf)>,
    confirm: &mut dyn FnMut(Ask<'_>) -> bool,
) -> Result<Vec<MonthFile>, CostExplorerError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CostExplorerError::Start(e.to_string()))?;
    let client = runtime.block_on(client::connect(&options.aws));
    let mut files = Vec::with_capacity(wanted.len());
    for (month, path) in wanted {
        let (json, requests) = runtime.block_on(client::ask_month(&client, month, confirm))?;
        write(&path, &json)?;
        files.push(MonthFile {
            month,
            path,
            cached: false,
            requests,
        });
    }
    Ok(files)
}

#[cfg(not(feature = "sdk"))]
fn ask_and_keep(
    _options: &Options,
    _wanted: Vec<(Month, PathBuf)>,
    _confirm: &mut dyn FnMut(Ask<'_>) -> bool,
) -> Result<Vec<MonthFile>, CostExplorerError> {
    Err(ftdesk_aws::NotBuilt("Cost Explorer (--live)".to_owned()).into())
}

/// `$0.03` for 3 requests.
fn cost_of(requests: u32) -> String {
    let cents = requests;
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// Cached answers belong to one profile and endpoint.
fn cache_key(options: &Options) -> String {
    let raw = format!(
        "{}@{}",
        options.aws.profile.as_deref().unwrap_or("default"),
        options.aws.endpoint_url.as_deref().unwrap_or("aws")
    );
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A cached file whose periods are all final.
fn is_closed_file(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    let Ok(json) = serde_json::from_slice::<Value>(&bytes) else {
        return false;
    };
    json.get("ResultsByTime")
        .and_then(Value::as_array)
        .is_some_and(|r| {
            !r.is_empty()
                && r.iter()
                    .all(|p| p.get("Estimated").and_then(Value::as_bool) == Some(false))
        })
}

#[cfg(feature = "sdk")]
fn write(path: &Path, json: &Value) -> Result<(), CostExplorerError> {
    let text = serde_json::to_vec_pretty(json).unwrap_or_default();
    std::fs::write(path, text).map_err(|source| CostExplorerError::Cache {
        path: path.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_are_counted_in_cents() {
        assert_eq!(cost_of(1), "0.01");
        assert_eq!(cost_of(13), "0.13");
        assert_eq!(cost_of(250), "2.50");
    }

    #[test]
    fn an_open_month_is_not_taken_from_the_cache() {
        let dir = std::env::temp_dir().join(format!("ftdesk-ce-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let closed = dir.join("closed.json");
        std::fs::write(&closed, r#"{"ResultsByTime":[{"Estimated":false}]}"#).unwrap();
        let open = dir.join("open.json");
        std::fs::write(
            &open,
            r#"{"ResultsByTime":[{"Estimated":false},{"Estimated":true}]}"#,
        )
        .unwrap();
        assert!(is_closed_file(&closed));
        assert!(!is_closed_file(&open));
        assert!(!is_closed_file(&dir.join("missing.json")));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! Cost Explorer as a guard source: this month asked live, within a daily
//! budget of paid requests ($0.01 each). The requests sent on a UTC day are
//! counted in the state database before they go out, so neither a restart
//! nor a kill resets the count; the budget is spread over the day, so a
//! guard that runs every few minutes does not spend it all after midnight.

use std::path::{Path, PathBuf};

use ftdesk_aws::AwsOptions;
use ftdesk_core::Timestamp;
use ftdesk_costexplorer::{Ask, CostExplorerError, Options};
use ftdesk_guard::CostExplorerConfig;

use super::cache::InputCache;
use crate::notes::ReadingNote;
use crate::AppError;

const SECONDS_PER_DAY: i64 = 86_400;

/// What one refresh gave: the month's file (new or kept), notes, warnings.
#[derive(Debug, Default)]
pub struct Refresh {
    pub files: Vec<PathBuf>,
    pub notes: Vec<ReadingNote>,
    pub warnings: Vec<String>,
}

/// The state key counting the requests sent on `day` (YYYY-MM-DD, UTC).
fn budget_key(day: &str) -> String {
    format!("cost_explorer_requests:{day}")
}

/// How many of the day's requests may have gone out `seconds_into_day`
/// seconds after midnight UTC: the budget spread evenly over the day, the
/// first one at midnight.
pub fn paced_allowance(budget: u32, seconds_into_day: i64) -> u32 {
    let elapsed = seconds_into_day.clamp(0, SECONDS_PER_DAY - 1) + 1;
    let allowed = (i64::from(budget) * elapsed + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY;
    u32::try_from(allowed).map_or(budget, |a| a.min(budget))
}

/// Asks Cost Explorer for this month when the budget allows it, else keeps
/// the last answer (saying why); an AWS error also keeps the last answer.
pub fn refresh(
    config: &CostExplorerConfig,
    aws: &AwsOptions,
    cache_dir: &Path,
    cache: &InputCache,
    now: Timestamp,
) -> Result<Refresh, AppError> {
    let month = now.month();
    let options = Options {
        months: vec![month],
        aws: AwsOptions {
            profile: config.profile.clone().or_else(|| aws.profile.clone()),
            endpoint_url: config
                .endpoint_url
                .clone()
                .or_else(|| aws.endpoint_url.clone()),
            region: None,
        },
        cache_dir: cache_dir.to_path_buf(),
    };
    let key = budget_key(&now.date().to_string());
    let mut used: u32 = cache.state(&key)?.and_then(|v| v.parse().ok()).unwrap_or(0);
    let allowed = paced_allowance(
        config.max_requests_per_day,
        now.unix().rem_euclid(SECONDS_PER_DAY),
    );
    let (mut over_budget, mut unrecorded) = (false, None);
    let fetched = ftdesk_costexplorer::fetch_asking(&options, &mut |ask: Ask<'_>| {
        if used + ask.requests > allowed {
            over_budget = true;
            return false;
        }
        // Counted before the request goes out: a kill never under-counts.
        match cache.set_state(&key, &(used + ask.requests).to_string()) {
            Ok(()) => {
                used += ask.requests;
                true
            }
            Err(error) => {
                unrecorded = Some(error);
                false
            }
        }
    });
    if let Some(error) = unrecorded {
        return Err(error.into());
    }
    let mut refresh = Refresh::default();
    match fetched {
        Ok(files) => {
            for file in files {
                refresh.notes.push(ReadingNote::CostExplorer {
                    month: file.month,
                    path: file.path.clone(),
                    cached: file.cached,
                    requests: file.requests,
                });
                refresh.files.push(file.path);
            }
            return Ok(refresh);
        }
        Err(CostExplorerError::Declined(_)) if over_budget => {}
        Err(error) => refresh.warnings.push(format!(
            "warning: {error}; the last answer kept is used instead"
        )),
    }
    let kept = ftdesk_costexplorer::kept(&options);
    if over_budget {
        refresh.notes.push(ReadingNote::CostExplorerSkipped {
            month,
            budget: config.max_requests_per_day,
            used,
            allowed,
            kept: kept.first().map(|f| f.path.clone()),
        });
    }
    refresh.files.extend(kept.into_iter().map(|f| f.path));
    Ok(refresh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_spread_over_the_day() {
        assert_eq!(paced_allowance(4, 0), 1);
        assert_eq!(paced_allowance(4, 6 * 3600 - 1), 1);
        assert_eq!(paced_allowance(4, 6 * 3600), 2);
        assert_eq!(paced_allowance(4, SECONDS_PER_DAY - 1), 4);
        assert_eq!(paced_allowance(1, 0), 1);
        assert_eq!(paced_allowance(100, SECONDS_PER_DAY + 5), 100);
    }
}

//! What keeps login floods cheap: a cap on password checks running at once and
//! a budget of failed logins per client address.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The web server's limits; `desk serve` flags set them.
#[derive(Debug, Clone)]
pub struct WebLimits {
    /// Password checks (Argon2, 19 MiB each) running at once; more are answered 503.
    pub login_checks: usize,
    /// Failed logins one client address may make per window; more are answered 429.
    pub login_failures: u32,
    pub login_window_seconds: i64,
    /// A reverse proxy whose `X-Forwarded-For` names the client (and whose
    /// `X-Forwarded-Proto: https` makes cookies `__Host-`).
    pub trusted_proxy: Option<IpAddr>,
    /// Time to read a request's headers.
    pub header_timeout_seconds: u64,
    /// Time for a whole request, body included (a send in progress is finished).
    pub request_timeout_seconds: u64,
    /// Connections served at once; more wait in the listen queue.
    pub max_connections: usize,
}

impl Default for WebLimits {
    fn default() -> WebLimits {
        WebLimits {
            login_checks: 4,
            login_failures: 20,
            login_window_seconds: 15 * 60,
            trusted_proxy: None,
            header_timeout_seconds: 10,
            request_timeout_seconds: 120,
            max_connections: 256,
        }
    }
}

/// The shared state behind the login limits.
pub(crate) struct LoginLimits {
    checks: Arc<Semaphore>,
    /// Per address: the start of its window and the failures counted in it.
    failures: Mutex<HashMap<IpAddr, (i64, u32)>>,
    budget: u32,
    window: i64,
}

/// Addresses kept before old windows are swept.
const TRACKED_ADDRESSES: usize = 10_000;

impl LoginLimits {
    pub(crate) fn new(limits: &WebLimits) -> LoginLimits {
        LoginLimits {
            checks: Arc::new(Semaphore::new(limits.login_checks.max(1))),
            failures: Mutex::new(HashMap::new()),
            budget: limits.login_failures.max(1),
            window: limits.login_window_seconds.max(1),
        }
    }

    /// A slot for one password check, if one is free now.
    pub(crate) fn check_slot(&self) -> Option<OwnedSemaphorePermit> {
        self.checks.clone().try_acquire_owned().ok()
    }

    /// Counts an attempt from `client` as a failure before it is checked (so
    /// parallel attempts cannot overrun the budget); `Err` holds the seconds
    /// until the address may try again.
    pub(crate) fn take(&self, client: IpAddr, now: i64) -> Result<(), i64> {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() >= TRACKED_ADDRESSES && !failures.contains_key(&client) {
            failures.retain(|_, (start, _)| *start + self.window > now);
            // Still full (many addresses at once): the oldest window goes, so memory stays
            // bounded; the account lock still bounds the guesses per account.
            let oldest = failures
                .iter()
                .min_by_key(|(_, (start, _))| *start)
                .map(|(a, _)| *a);
            if let (true, Some(oldest)) = (failures.len() >= TRACKED_ADDRESSES, oldest) {
                failures.remove(&oldest);
            }
        }
        let entry = failures.entry(client).or_insert((now, 0));
        if entry.0 + self.window <= now {
            *entry = (now, 0);
        }
        if entry.1 >= self.budget {
            return Err((entry.0 + self.window - now).max(1));
        }
        entry.1 += 1;
        Ok(())
    }

    /// Gives back an attempt that was not a failure (a login, or no check made).
    pub(crate) fn give_back(&self, client: IpAddr) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = failures.get_mut(&client) {
            entry.1 = entry.1.saturating_sub(1);
        }
    }
}

/// The client's address: the peer, or the last `X-Forwarded-For` entry when
/// the peer is the trusted proxy (the entry that proxy added itself).
pub(crate) fn client_address(
    limits: &WebLimits,
    extensions: &Extensions,
    headers: &HeaderMap,
) -> IpAddr {
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
    if limits.trusted_proxy != Some(peer) {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .and_then(|last| last.trim().parse().ok())
        .unwrap_or(peer)
}

/// Whether the browser reached the desk over https: a trusted proxy says so.
pub(crate) fn over_https(limits: &WebLimits, headers: &HeaderMap) -> bool {
    limits.trusted_proxy.is_some()
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_over_its_budget_waits_for_its_window() {
        let limits = LoginLimits::new(&WebLimits {
            login_failures: 2,
            login_window_seconds: 60,
            ..WebLimits::default()
        });
        let (a, b) = ([10, 0, 0, 1].into(), [10, 0, 0, 2].into());
        assert_eq!(limits.take(a, 100), Ok(()));
        assert_eq!(limits.take(a, 101), Ok(()));
        assert_eq!(limits.take(a, 110), Err(50));
        assert_eq!(limits.take(b, 110), Ok(()), "another address has its own");
        limits.give_back(a);
        assert_eq!(
            limits.take(a, 111),
            Ok(()),
            "a login gives its attempt back"
        );
        assert_eq!(limits.take(a, 160), Ok(()), "a new window");
    }

    #[test]
    fn the_addresses_kept_are_bounded() {
        let limits = LoginLimits::new(&WebLimits::default());
        for n in 0..(TRACKED_ADDRESSES as u32 + 50) {
            assert_eq!(limits.take(IpAddr::from(n.to_be_bytes()), 100), Ok(()));
        }
        assert_eq!(limits.failures.lock().unwrap().len(), TRACKED_ADDRESSES);
    }

    #[test]
    fn only_a_trusted_proxy_names_the_client() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        let mut extensions = Extensions::new();
        let proxy: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        extensions.insert(ConnectInfo(proxy));
        let direct = WebLimits::default();
        assert_eq!(client_address(&direct, &extensions, &headers), proxy.ip());
        let behind = WebLimits {
            trusted_proxy: Some(proxy.ip()),
            ..WebLimits::default()
        };
        let client: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(client_address(&behind, &extensions, &headers), client);
    }
}

//! The one clock: the system's, or a fixed time for tests.

use ftdesk_core::Timestamp;

/// Where the program learns the time; the core is only ever given it.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        Timestamp::from_unix(secs)
    }
}

/// A clock stopped at one moment.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_always_tells_its_time() {
        let clock = FixedClock(Timestamp::from_unix(1_760_000_000));
        assert_eq!(clock.now().unix(), 1_760_000_000);
        assert_eq!(clock.now(), clock.now());
    }

    #[test]
    fn the_system_clock_is_after_the_project_began() {
        // 2025-01-01T00:00:00Z
        assert!(SystemClock.now().unix() > 1_735_689_600);
    }
}

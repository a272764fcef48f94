//! The one clock trait. The core never reads the time itself: whoever runs
//! it (the application layer, the desk) holds a [`Clock`] and passes the
//! moment on. The machine's clock lives with them, not here.

use crate::Timestamp;

/// Where the program learns the time.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// A clock stopped at one moment (tests, replays).
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
}

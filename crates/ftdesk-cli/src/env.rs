//! What every command is given: the environment, read once, and the clock.

use std::sync::Arc;

use ftdesk_app::{Clock, Settings, SystemClock};

pub struct Env {
    pub settings: Settings,
    pub clock: Arc<dyn Clock>,
}

impl Env {
    pub fn system() -> Self {
        Env {
            settings: Settings::from_env(),
            clock: Arc::new(SystemClock),
        }
    }
}

//! Month-end usage of an offer, and the hour its limit was or will be crossed.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::time::{Month, Timestamp, SECONDS_PER_HOUR};

/// Hours of data the run-rate is taken over.
const RUN_RATE_HOURS: i64 = 24;

/// Month-end usage from the run-rate of the last day of data.
pub(super) struct Forecast {
    pub total: Decimal,
    pub rate: Decimal,
    pub crossed_at: Option<Timestamp>,
    pub will_cross_at: Option<Timestamp>,
}

impl Forecast {
    pub(super) fn new(
        timeline: &[Decimal],
        month: Month,
        as_of: Timestamp,
        used: Decimal,
        limit: Decimal,
    ) -> Self {
        let base = month.start().unix();
        let hours = timeline.len() as i64;
        let elapsed =
            ((as_of.unix() - base + SECONDS_PER_HOUR - 1) / SECONDS_PER_HOUR).clamp(0, hours);
        let remaining = hours - elapsed;
        let window = RUN_RATE_HOURS.min(elapsed);
        let rate = if window > 0 {
            let recent: Decimal = timeline[(elapsed - window) as usize..elapsed as usize]
                .iter()
                .copied()
                .sum();
            recent / Decimal::from(window)
        } else {
            Decimal::ZERO
        };
        let total = used + rate * Decimal::from(remaining);
        // Rows spanning several hours are spread by division, whose last
        // digit can round up: an excess below this is that rounding.
        let rounding = Decimal::new(1, 12);
        let mut cumulative = Decimal::ZERO;
        let crossed_at = timeline.iter().position(|q| {
            cumulative += *q;
            cumulative - limit > rounding
        });
        let crossed_at =
            crossed_at.map(|h| Timestamp::from_unix(base + h as i64 * SECONDS_PER_HOUR));
        let will_cross_at =
            (crossed_at.is_none() && used <= limit && rate > Decimal::ZERO && total > limit).then(
                || {
                    let hours_left = ((limit - used) / rate).ceil().to_i64().unwrap_or(hours);
                    Timestamp::from_unix(base + (elapsed + hours_left) * SECONDS_PER_HOUR)
                },
            );
        Forecast {
            total: total.round_dp(4).normalize(),
            rate: rate.round_dp(6).normalize(),
            crossed_at,
            will_cross_at,
        }
    }
}

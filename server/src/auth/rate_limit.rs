//! Log-in throttling, per normalized email and per client IP (keyed GCRA limiters).
//! Sign-up attempts count against the per-IP limit too (each one costs a hash).
//! Behind a reverse proxy every client shares the proxy's address: size the per-IP
//! limit accordingly.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::Config;
use crate::error::AppError;

pub struct LoginLimiter {
    per_account: DefaultKeyedRateLimiter<String>,
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

fn quota(burst: u32, period_secs: u64) -> Quota {
    let period = Duration::from_secs(period_secs.max(1));
    let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

impl LoginLimiter {
    pub fn new(config: &Config) -> Self {
        LoginLimiter {
            per_account: RateLimiter::keyed(quota(
                config.login_account_burst,
                config.login_account_period_secs,
            )),
            per_ip: RateLimiter::keyed(quota(config.login_ip_burst, config.login_ip_period_secs)),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one log-in attempt; `Err(RateLimited)` with the wait when over either limit.
    pub fn check(&self, email: &str, ip: IpAddr) -> Result<(), AppError> {
        self.check_ip(ip)?;
        if let Err(not_until) = self.per_account.check_key(&email.to_string()) {
            return Err(AppError::RateLimited {
                retry_after: not_until.wait_time_from(self.clock.now()),
            });
        }
        Ok(())
    }

    /// Counts one attempt against the client address only (sign-up uses this).
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), AppError> {
        self.per_ip
            .check_key(&ip)
            .map_err(|not_until| AppError::RateLimited {
                retry_after: not_until.wait_time_from(self.clock.now()),
            })
    }

    /// Forgets keys whose limits have fully recovered (bounds memory).
    pub fn prune(&self) {
        self.per_account.retain_recent();
        self.per_ip.retain_recent();
    }
}

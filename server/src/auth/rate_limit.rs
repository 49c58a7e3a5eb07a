//! Log-in throttling with keyed GCRA limiters, shaped so that guessing someone's
//! password cannot lock them out:
//! - per (account, client address): the tight limit a guesser meets first;
//! - per client address, across accounts (sign-ups count here too: each costs a hash);
//! - per account, from everywhere together: a much higher ceiling against guessing
//!   spread over many addresses;
//! - a device the account signed in from before (the known-device cookie) is checked
//!   against its own bucket instead, so a correct password from it is never refused
//!   because of what others did. Wrong passwords drain that bucket; then the device is
//!   treated like any other.
//!
//! Addresses come from `client_addr` (a trusted proxy's `X-Forwarded-For`, else the
//! peer), IPv6 keyed by /64.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::client_addr::throttle_key;
use crate::config::Config;
use crate::error::AppError;

pub struct LoginLimiter {
    per_pair: DefaultKeyedRateLimiter<(String, IpAddr)>,
    per_account: DefaultKeyedRateLimiter<String>,
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    /// Keyed by the known-device token's hash (never the token itself).
    per_device: DefaultKeyedRateLimiter<String>,
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
        let pair = quota(config.login_pair_burst, config.login_pair_period_secs);
        LoginLimiter {
            per_pair: RateLimiter::keyed(pair),
            per_account: RateLimiter::keyed(quota(
                config.login_account_burst,
                config.login_account_period_secs,
            )),
            per_ip: RateLimiter::keyed(quota(config.login_ip_burst, config.login_ip_period_secs)),
            // A device gets what one address gets for one account.
            per_device: RateLimiter::keyed(pair),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one log-in attempt from an unknown device; `Err(RateLimited)` with the
    /// wait when over any limit. The narrower limits are checked first, so a guesser
    /// stopped by them does not also use up the account's ceiling.
    pub fn check(&self, email: &str, ip: IpAddr) -> Result<(), AppError> {
        let ip = throttle_key(ip);
        self.check_ip(ip)?;
        self.per_pair
            .check_key(&(email.to_string(), ip))
            .map_err(|not_until| self.limited(not_until))?;
        self.per_account
            .check_key(&email.to_string())
            .map_err(|not_until| self.limited(not_until))
    }

    /// Counts one log-in attempt from a known device; `false` when its bucket is empty
    /// (then the caller falls back to `check`).
    pub fn check_known_device(&self, device_hash: &str) -> bool {
        self.per_device.check_key(&device_hash.to_string()).is_ok()
    }

    /// Counts one attempt against the client address only (sign-up uses this).
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), AppError> {
        self.per_ip
            .check_key(&throttle_key(ip))
            .map_err(|not_until| self.limited(not_until))
    }

    fn limited(&self, not_until: governor::NotUntil<<DefaultClock as Clock>::Instant>) -> AppError {
        AppError::RateLimited {
            retry_after: not_until.wait_time_from(self.clock.now()),
        }
    }

    /// Forgets keys whose limits have fully recovered (bounds memory).
    pub fn prune(&self) {
        self.per_pair.retain_recent();
        self.per_account.retain_recent();
        self.per_ip.retain_recent();
        self.per_device.retain_recent();
    }
}

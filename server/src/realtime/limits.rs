//! Per-connection limits on what a client may send: the command rate (token bucket),
//! the command id of a frame too large to read, and the close code for a frame the
//! transport refused (past the hard cap, or text that is not UTF-8).

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::Deserialize;
use tandem_protocol::ws::{CLOSE_INVALID_PAYLOAD, CLOSE_MESSAGE_TOO_BIG};
use uuid::Uuid;

use crate::config::Config;

/// After a refusal every command is refused for at least this long. Commands of one
/// burst arrive within it, so a burst is cut into an accepted prefix and a refused
/// rest: a client resending the rest in order keeps the user's order.
const MIN_REFUSAL: Duration = Duration::from_millis(500);

/// The command rate of one connection: a GCRA token bucket (`--ws-commands-per-sec`,
/// `--ws-command-burst`).
pub struct CommandLimiter {
    bucket: DefaultDirectRateLimiter,
    clock: DefaultClock,
    /// While set and in the future, every command is refused.
    refused_until: Option<Instant>,
}

impl CommandLimiter {
    pub fn new(config: &Config) -> Self {
        let rate = NonZeroU32::new(config.ws_commands_per_sec).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(config.ws_command_burst).unwrap_or(NonZeroU32::MIN);
        CommandLimiter {
            bucket: RateLimiter::direct(Quota::per_second(rate).allow_burst(burst)),
            clock: DefaultClock::default(),
            refused_until: None,
        }
    }

    /// Counts one command; `Err(wait)` when over the limit (it must not run).
    pub fn check(&mut self) -> Result<(), Duration> {
        let now = Instant::now();
        if let Some(until) = self.refused_until {
            if until > now {
                return Err(until - now);
            }
            self.refused_until = None;
        }
        match self.bucket.check() {
            Ok(()) => Ok(()),
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.clock.now()).max(MIN_REFUSAL);
                self.refused_until = Some(now + wait);
                Err(wait)
            }
        }
    }
}

/// Only the fields that name a command; everything else (the large part) is skipped
/// without being kept.
#[derive(Deserialize)]
struct Head {
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<Uuid>,
}

/// The id of a command frame, read without building the command: for answering a
/// frame that is too large to act on with the id the client waits on.
pub fn command_id_of(text: &str) -> Option<Uuid> {
    let head: Head = serde_json::from_str(text).ok()?;
    (head.kind.as_deref() == Some("command"))
        .then_some(head.id)
        .flatten()
}

/// The close frame owed to a client whose frame the transport refused, if any (a
/// dropped connection owes nothing).
pub fn close_for(err: axum::Error) -> Option<(u16, &'static str)> {
    use tungstenite::error::{CapacityError, Error, ProtocolError};
    let inner = err.into_inner();
    match inner.downcast_ref::<Error>()? {
        Error::Capacity(CapacityError::MessageTooLong { .. }) => {
            Some((CLOSE_MESSAGE_TOO_BIG, "frame too large"))
        }
        Error::Utf8(_) => Some((CLOSE_INVALID_PAYLOAD, "text frame is not UTF-8")),
        // The peer just went away: nobody is left to tell.
        Error::Protocol(ProtocolError::ResetWithoutClosingHandshake) => None,
        Error::Protocol(_) => Some((CLOSE_PROTOCOL_ERROR, "protocol error")),
        _ => None,
    }
}

const CLOSE_PROTOCOL_ERROR: u16 = 1002;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_ids_are_read_in_any_field_order() {
        let id = Uuid::from_u128(7);
        let first = format!(r#"{{"type":"command","id":"{id}","command":{{"kind":"x"}}}}"#);
        let last = format!(
            r#"{{"command":{{"text":"{}"}},"id":"{id}","type":"command"}}"#,
            "a"
        );
        assert_eq!(command_id_of(&first), Some(id));
        assert_eq!(command_id_of(&last), Some(id));
        assert_eq!(command_id_of(r#"{"type":"ping","id":"x"}"#), None);
        assert_eq!(
            command_id_of(&format!(r#"{{"type":"board","id":"{id}"}}"#)),
            None
        );
        assert_eq!(command_id_of(r#"{"type":"command","id":"#), None);
        assert_eq!(command_id_of("not json"), None);
    }

    #[test]
    fn a_refusal_holds_for_a_while() {
        let mut config = Config::with_data_dir("unused");
        config.ws_commands_per_sec = 1000;
        config.ws_command_burst = 2;
        let mut limiter = CommandLimiter::new(&config);
        assert!(limiter.check().is_ok());
        assert!(limiter.check().is_ok());
        let wait = limiter.check().unwrap_err();
        assert!(wait >= MIN_REFUSAL, "{wait:?}");
        // A token is back after 1 ms, but the refusal still holds.
        std::thread::sleep(Duration::from_millis(5));
        assert!(limiter.check().is_err());
    }
}

//! An opt-in trace of each connection's negotiation, for diagnosing calls that connect
//! but show no video. Off by default; `localStorage["tandem.debug"] = "webrtc"` (then a
//! reload) turns it on, and every step is written with `console.debug`, prefixed by the
//! remote peer's id. The SDP itself is summarised (kind and direction of each m-line),
//! never logged whole.

use std::cell::Cell;
use std::fmt::Display;

thread_local! {
    static ENABLED: Cell<Option<bool>> = const { Cell::new(None) };
}

fn read_flag() -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item("tandem.debug").ok().flatten())
        .is_some_and(|v| v.split(',').any(|part| part.trim() == "webrtc"))
}

pub fn enabled() -> bool {
    ENABLED.with(|on| match on.get() {
        Some(v) => v,
        None => {
            let v = read_flag();
            on.set(Some(v));
            v
        }
    })
}

/// Writes one step of `peer`'s connection.
pub fn log(peer: &str, what: impl Display) {
    if enabled() {
        web_sys::console::debug_1(&format!("[webrtc {peer}] {what}").into());
    }
}

/// "audio:sendrecv video:recvonly" for an SDP.
pub fn sdp_summary(sdp: &str) -> String {
    let mut out = Vec::new();
    let mut kind: Option<&str> = None;
    let mut direction = "sendrecv";
    for line in sdp.lines() {
        if let Some(rest) = line.strip_prefix("m=") {
            if let Some(k) = kind {
                out.push(format!("{k}:{direction}"));
            }
            kind = rest.split(' ').next();
            direction = "sendrecv";
        } else if kind.is_some() {
            if let Some(d) = line.strip_prefix("a=") {
                if matches!(d, "sendrecv" | "sendonly" | "recvonly" | "inactive") {
                    direction = d;
                }
            }
        }
    }
    if let Some(k) = kind {
        out.push(format!("{k}:{direction}"));
    }
    out.join(" ")
}

//! Reads the fields we use from a browser `RTCStatsReport` (glue for [`super::stats`]),
//! keeping which m-line (`mid`) and simulcast layer (`rid`) each RTP record belongs to:
//! an SFU connection carries many people's streams, told apart by mid.

use wasm_bindgen::JsValue;

use super::js;
use super::stats::{MediaKind, StatRecord};

/// One record and where it belongs.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub mid: Option<String>,
    pub rid: Option<String>,
    pub record: StatRecord,
}

/// Every record of the report, for one connection that carries one peer.
pub fn records(report: &JsValue) -> Vec<StatRecord> {
    entries(report).into_iter().map(|e| e.record).collect()
}

pub fn entries(report: &JsValue) -> Vec<Entry> {
    let mut out = Vec::new();
    let Ok(values) = js::call(report, "values", &[]) else {
        return out;
    };
    let Ok(Some(iter)) = js_sys::try_iter(&values) else {
        return out;
    };
    for stat in iter.flatten() {
        let kind = || match js::get_string(&stat, "kind")
            .or_else(|| js::get_string(&stat, "mediaType"))
            .as_deref()
        {
            Some("video") => MediaKind::Video,
            _ => MediaKind::Audio,
        };
        let record = match js::get_string(&stat, "type").as_deref() {
            Some("inbound-rtp") => StatRecord::InboundRtp {
                kind: kind(),
                bytes_received: js::get_u64(&stat, "bytesReceived").unwrap_or(0),
                packets_received: js::get_u64(&stat, "packetsReceived").unwrap_or(0),
                packets_lost: js::get_f64(&stat, "packetsLost").unwrap_or(0.0) as i64,
                frames_decoded: js::get_u64(&stat, "framesDecoded"),
                jitter_s: js::get_f64(&stat, "jitter"),
            },
            Some("outbound-rtp") => StatRecord::OutboundRtp {
                kind: kind(),
                bytes_sent: js::get_u64(&stat, "bytesSent").unwrap_or(0),
            },
            Some("candidate-pair") => StatRecord::CandidatePair {
                id: js::get_string(&stat, "id").unwrap_or_default(),
                nominated: js::get_bool(&stat, "nominated").unwrap_or(false),
                succeeded: js::get_string(&stat, "state").as_deref() == Some("succeeded"),
                current_rtt_s: js::get_f64(&stat, "currentRoundTripTime"),
            },
            Some("transport") => StatRecord::Transport {
                selected_pair_id: js::get_string(&stat, "selectedCandidatePairId"),
            },
            _ => continue,
        };
        out.push(Entry {
            mid: js::get_string(&stat, "mid"),
            rid: js::get_string(&stat, "rid"),
            record,
        });
    }
    out
}

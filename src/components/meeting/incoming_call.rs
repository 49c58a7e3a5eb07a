//! "Incoming call": shown app-wide while a call rings us, with a ring tone made by
//! WebAudio (no audio files to ship or fetch).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use tandem_protocol::meetings::{MeetingRequest, RING_TIMEOUT_MS};
use wasm_bindgen::JsValue;

use crate::contexts::meeting::use_meeting_hub;

#[component]
pub fn IncomingCall() -> impl IntoView {
    let hub = use_meeting_hub();
    let navigate = use_navigate();
    let ring = Memo::new(move |_| hub.ringing.get());
    move || {
        ring.get().map(|ring| {
            let id = ring.meeting.id;
            let navigate = navigate.clone();
            let accept = move |_| {
                hub.send(MeetingRequest::AnswerCall {
                    meeting_id: id,
                    accept: true,
                });
                hub.ringing.set(None);
                hub.request_auto_join(id);
                navigate(&format!("/m/{id}"), Default::default());
            };
            let decline = move |_| {
                hub.send(MeetingRequest::AnswerCall {
                    meeting_id: id,
                    accept: false,
                });
                hub.ringing.set(None);
            };
            view! {
                <div class="incoming-call" role="alertdialog" aria-label="Incoming call"
                    aria-describedby="incoming-call-text">
                    <RingTone />
                    <p id="incoming-call-text">
                        <strong>{format!("{} is calling", ring.caller_name)}</strong>
                    </p>
                    <p class="muted small">{ring.meeting.title.clone()}</p>
                    <div class="incoming-call-buttons">
                        <button type="button" class="button primary" on:click=accept>
                            "Accept"
                        </button>
                        <button type="button" class="button danger" on:click=decline>
                            "Decline"
                        </button>
                    </div>
                </div>
            }
        })
    }
}

/// Plays while mounted: 440 + 480 Hz, two seconds on, four off (the classic ring).
#[component]
fn RingTone() -> impl IntoView {
    let ctx = StoredValue::new_local(start_ring().ok());
    on_cleanup(move || {
        if let Some(Some(ctx)) = ctx.try_get_value() {
            let _ = ctx.close();
        }
    });
}

fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: js_sys::Function = js_sys::Reflect::get(target, &method.into())?.into();
    f.apply(target, &args.iter().collect::<js_sys::Array>())
}

fn param(node: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    js_sys::Reflect::get(node, &name.into())
}

// The oscillator and gain nodes are driven through Reflect: the web-sys features for
// them are not enabled, and this is the only place that needs them.
fn start_ring() -> Result<web_sys::AudioContext, JsValue> {
    let ctx = web_sys::AudioContext::new()?;
    // Suspended without a recent gesture (autoplay policy); ask anyway.
    let _ = ctx.resume();
    let js: &JsValue = ctx.as_ref();
    let gain = call(js, "createGain", &[])?;
    let volume = param(&gain, "gain")?;
    let t0 = ctx.current_time();
    call(&volume, "setValueAtTime", &[0.0.into(), t0.into()])?;
    let mut t = t0;
    while t < t0 + RING_TIMEOUT_MS as f64 / 1000.0 {
        call(&volume, "setValueAtTime", &[0.12.into(), t.into()])?;
        call(&volume, "setValueAtTime", &[0.0.into(), (t + 2.0).into()])?;
        t += 6.0;
    }
    call(&gain, "connect", &[param(js, "destination")?])?;
    for hz in [440.0, 480.0] {
        let osc = call(js, "createOscillator", &[])?;
        call(
            &param(&osc, "frequency")?,
            "setValueAtTime",
            &[hz.into(), t0.into()],
        )?;
        call(&osc, "connect", std::slice::from_ref(&gain))?;
        call(&osc, "start", &[])?;
    }
    Ok(ctx)
}

//! The Critical ring's sound: three short 880 Hz beeps made with WebAudio (no audio
//! file to ship). Browsers may keep it silent without a recent click (autoplay rules);
//! the dialog and the desktop notification still show.

use wasm_bindgen::JsValue;

/// Plays the beeps; the returned context is closed by the caller when the ring ends.
pub fn play_alert() -> Result<web_sys::AudioContext, JsValue> {
    let ctx = web_sys::AudioContext::new()?;
    let _ = ctx.resume();
    let js: &JsValue = ctx.as_ref();
    // Oscillator and gain nodes go through Reflect: their web-sys features are not
    // enabled (see components/meeting/incoming_call.rs, which does the same).
    let gain = method(js, "createGain", &[])?;
    let volume = js_sys::Reflect::get(&gain, &"gain".into())?;
    let t0 = ctx.current_time();
    method(&volume, "setValueAtTime", &[0.0.into(), t0.into()])?;
    for beep in 0..3 {
        let start = t0 + f64::from(beep) * 0.35;
        method(&volume, "setValueAtTime", &[0.15.into(), start.into()])?;
        method(
            &volume,
            "setValueAtTime",
            &[0.0.into(), (start + 0.2).into()],
        )?;
    }
    method(
        &gain,
        "connect",
        &[js_sys::Reflect::get(js, &"destination".into())?],
    )?;
    let osc = method(js, "createOscillator", &[])?;
    let frequency = js_sys::Reflect::get(&osc, &"frequency".into())?;
    method(&frequency, "setValueAtTime", &[880.0.into(), t0.into()])?;
    method(&osc, "connect", &[gain])?;
    method(&osc, "start", &[])?;
    method(&osc, "stop", &[(t0 + 1.2).into()])?;
    Ok(ctx)
}

fn method(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: js_sys::Function = js_sys::Reflect::get(target, &name.into())?.into();
    f.apply(target, &args.iter().collect::<js_sys::Array>())
}

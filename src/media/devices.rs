//! Device glue: getUserMedia / getDisplayMedia / enumerateDevices / devicechange /
//! setSinkId, with errors mapped to [`MediaError`].

use js_sys::{Array, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DisplayMediaStreamConstraints, HtmlMediaElement, MediaDeviceInfo, MediaDeviceKind,
    MediaDevices, MediaStream, MediaStreamConstraints,
};

use super::error::{Capture, MediaError};
use super::js;
use super::types::{DeviceKind, DeviceList, LocalConstraints, MediaDevice};

pub fn media_devices() -> Result<MediaDevices, MediaError> {
    let window = web_sys::window().ok_or_else(|| MediaError::NotSupported("window".into()))?;
    let nav = window.navigator();
    // Missing on insecure (http) origins.
    if js::get(&nav, "mediaDevices").is_none() {
        return Err(MediaError::Insecure);
    }
    nav.media_devices().map_err(|_| MediaError::Insecure)
}

fn exact(value: &str) -> JsValue {
    let o = Object::new();
    js::set(&o, "exact", &JsValue::from_str(value));
    o.into()
}

fn ideal(value: u32) -> JsValue {
    let o = Object::new();
    js::set(&o, "ideal", &JsValue::from(value));
    o.into()
}

pub fn audio_constraints(c: &LocalConstraints, device_id: Option<&str>) -> JsValue {
    let o = Object::new();
    if let Some(id) = device_id.or(c.microphone_id.as_deref()) {
        js::set(&o, "deviceId", &exact(id));
    }
    js::set(&o, "echoCancellation", &JsValue::from(c.echo_cancellation));
    js::set(&o, "noiseSuppression", &JsValue::from(c.noise_suppression));
    js::set(&o, "autoGainControl", &JsValue::from(c.auto_gain_control));
    o.into()
}

pub fn video_constraints(c: &LocalConstraints, device_id: Option<&str>) -> JsValue {
    let o = Object::new();
    if let Some(id) = device_id.or(c.camera_id.as_deref()) {
        js::set(&o, "deviceId", &exact(id));
    }
    js::set(&o, "width", &ideal(c.ideal_width));
    js::set(&o, "height", &ideal(c.ideal_height));
    js::set(&o, "frameRate", &ideal(c.ideal_frame_rate));
    o.into()
}

async fn await_stream(
    p: Result<Promise, JsValue>,
    capture: Capture,
) -> Result<MediaStream, MediaError> {
    let p = p.map_err(|e| js::media_error(&e, capture))?;
    let v = JsFuture::from(p)
        .await
        .map_err(|e| js::media_error(&e, capture))?;
    v.dyn_into::<MediaStream>()
        .map_err(|_| MediaError::WebRtc("not a MediaStream".into()))
}

/// getUserMedia with `audio`/`video` given as constraint values (`JsValue::FALSE` to
/// leave one out).
pub async fn get_user_media(audio: JsValue, video: JsValue) -> Result<MediaStream, MediaError> {
    let capture = match (audio.is_truthy(), video.is_truthy()) {
        (true, true) => Capture::CameraAndMicrophone,
        (false, true) => Capture::Camera,
        _ => Capture::Microphone,
    };
    let md = media_devices()?;
    let constraints = MediaStreamConstraints::new();
    constraints.set_audio(&audio);
    constraints.set_video(&video);
    await_stream(md.get_user_media_with_constraints(&constraints), capture).await
}

pub async fn get_display_media() -> Result<MediaStream, MediaError> {
    let md = media_devices()?;
    if !js::has_method(&md, "getDisplayMedia") {
        return Err(MediaError::NotSupported("screen sharing".into()));
    }
    let constraints = DisplayMediaStreamConstraints::new();
    constraints.set_video(&JsValue::TRUE);
    constraints.set_audio(&JsValue::FALSE);
    await_stream(
        md.get_display_media_with_constraints(&constraints),
        Capture::Screen,
    )
    .await
}

pub async fn enumerate() -> Result<DeviceList, MediaError> {
    let md = media_devices()?;
    let p = md
        .enumerate_devices()
        .map_err(|e| MediaError::NotSupported(js::error_text(&e)))?;
    let list = JsFuture::from(p)
        .await
        .map_err(|e| js::media_error(&e, Capture::CameraAndMicrophone))?;
    let array = Array::from(&list);
    let devices = array.iter().filter_map(|d| {
        let d: MediaDeviceInfo = d.dyn_into().ok()?;
        let kind = match d.kind() {
            MediaDeviceKind::Audioinput => DeviceKind::AudioInput,
            MediaDeviceKind::Videoinput => DeviceKind::VideoInput,
            MediaDeviceKind::Audiooutput => DeviceKind::AudioOutput,
            _ => return None,
        };
        Some(MediaDevice {
            kind,
            device_id: d.device_id(),
            group_id: d.group_id(),
            label: d.label(),
        })
    });
    Ok(DeviceList::from_devices(devices))
}

/// `element.setSinkId(device_id)` where supported. `Ok(false)`: the browser has no
/// output selection (e.g. Firefox without the pref, older Safari); nothing changed.
pub async fn set_sink_id(element: &HtmlMediaElement, device_id: &str) -> Result<bool, MediaError> {
    if !js::has_method(element, "setSinkId") {
        return Ok(false);
    }
    let p: Promise = js::call(element, "setSinkId", &[JsValue::from_str(device_id)])
        .map_err(|e| js::webrtc_error("setSinkId", &e))?
        .unchecked_into();
    JsFuture::from(p)
        .await
        .map_err(|e| match js::get_string(&e, "name").as_deref() {
            Some("NotFoundError") => MediaError::NotFound(Capture::Microphone),
            Some("NotAllowedError") => MediaError::Other {
                name: "NotAllowedError".into(),
                message: "Choosing a speaker was not allowed by the browser.".into(),
            },
            _ => js::webrtc_error("setSinkId", &e),
        })?;
    Ok(true)
}

/// A `devicechange` listener, removed on drop.
pub struct DeviceWatcher {
    target: MediaDevices,
    closure: Closure<dyn FnMut(web_sys::Event)>,
}

impl DeviceWatcher {
    pub fn new(
        on_change: impl FnMut(web_sys::Event) + 'static,
    ) -> Result<DeviceWatcher, MediaError> {
        let target = media_devices()?;
        let closure = Closure::<dyn FnMut(web_sys::Event)>::new(on_change);
        target
            .add_event_listener_with_callback("devicechange", closure.as_ref().unchecked_ref())
            .map_err(|e| MediaError::NotSupported(js::error_text(&e)))?;
        Ok(DeviceWatcher { target, closure })
    }
}

impl Drop for DeviceWatcher {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(
            "devicechange",
            self.closure.as_ref().unchecked_ref(),
        );
    }
}

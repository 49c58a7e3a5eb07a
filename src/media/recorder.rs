//! Recording a meeting in the browser: every participant's video composited onto one
//! canvas, everyone's audio mixed into one track, both recorded by `MediaRecorder`
//! in chunks. UI-free (no Leptos types); the app feeds it tiles and audio streams.
//!
//! * Pure, unit-tested: [`layout`] (grid / screen-share stage maths), [`mime`]
//!   (container choice), [`queue`] (upload order, retries, phased backoff, resync).
//! * Glue: [`compositor`] (canvas drawing on a timer), [`mixer`] (WebAudio),
//!   [`store`] (unsent chunks in IndexedDB), [`MeetingRecorder`] (MediaRecorder).
//!
//! ```ignore
//! let rec = MeetingRecorder::new(
//!     RecorderOptions::default(),
//!     move |blob| queue_chunk(blob),
//!     |e| show(e),
//! )?;
//! rec.set_tiles(tiles);          // on joins, leaves, screen shares
//! rec.set_audio(&streams);       // every stream that should be heard
//! start_on_server(rec.mime_type()).await?;
//! rec.start()?;                  // a chunk every CHUNK_INTERVAL_MS
//! let jpeg = rec.thumbnail().await;
//! rec.stop().await;              // after the last chunk was delivered
//! ```

pub mod compositor;
pub mod layout;
pub mod mime;
pub mod mixer;
pub mod queue;
pub mod store;

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use js_sys::Array;
use tandem_protocol::recordings::CHUNK_INTERVAL_MS;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobEvent, MediaRecorder, MediaRecorderOptions, MediaStream, RecordingState};

pub use compositor::{Compositor, TileSource};
pub use mime::choose_mime;
pub use mixer::Mixer;
pub use queue::{ChunkQueue, Outcome, Step};
pub use store::ChunkStore;

use super::js;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecorderError {
    /// The browser cannot record (no MediaRecorder, no WebM, no canvas capture).
    Unsupported,
    Failed(String),
}

impl RecorderError {
    pub fn message(&self) -> String {
        match self {
            RecorderError::Unsupported => {
                "This browser cannot record meetings. Try a recent Chrome, Edge or Firefox.".into()
            }
            RecorderError::Failed(why) => format!("Recording could not start: {why}"),
        }
    }
}

impl std::fmt::Display for RecorderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecorderOptions {
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    pub timeslice_ms: u32,
    pub video_bits_per_second: u32,
}

impl Default for RecorderOptions {
    fn default() -> Self {
        RecorderOptions {
            width: 1280,
            height: 720,
            fps: 24,
            timeslice_ms: CHUNK_INTERVAL_MS,
            video_bits_per_second: 2_500_000,
        }
    }
}

/// Whether `MediaRecorder` and canvas capture exist at all.
pub fn is_supported() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    js::get(&window, "MediaRecorder").is_some()
        && js::get(&window, "HTMLCanvasElement")
            .and_then(|c| js::get(&c, "prototype"))
            .is_some_and(|p| js::has_method(&p, "captureStream"))
}

/// The first preferred type this browser records.
pub fn supported_mime() -> Option<&'static str> {
    if !is_supported() {
        return None;
    }
    choose_mime(MediaRecorder::is_type_supported)
}

pub struct MeetingRecorder {
    options: RecorderOptions,
    compositor: RefCell<Compositor>,
    mixer: Mixer,
    recorder: MediaRecorder,
    stream: MediaStream,
    mime: String,
    stopped: Rc<RefCell<Option<oneshot::Sender<()>>>>,
    stopped_rx: RefCell<Option<oneshot::Receiver<()>>>,
    _on_data: Closure<dyn FnMut(BlobEvent)>,
    _on_stop: Closure<dyn FnMut(web_sys::Event)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl MeetingRecorder {
    /// Builds the canvas, the mixer and the `MediaRecorder`, without starting.
    /// `on_chunk` gets every non-empty chunk in order (also the last one, on stop);
    /// `on_error` a message when the browser stops recording by itself.
    pub fn new(
        options: RecorderOptions,
        on_chunk: impl FnMut(Blob) + 'static,
        on_error: impl Fn(String) + 'static,
    ) -> Result<MeetingRecorder, RecorderError> {
        let mime = supported_mime().ok_or(RecorderError::Unsupported)?;
        let compositor = Compositor::new(options.width, options.height)?;
        let mixer = Mixer::new()?;
        let video = compositor
            .canvas()
            .capture_stream_with_frame_request_rate(options.fps as f64)
            .map_err(|_| RecorderError::Unsupported)?;
        let tracks = Array::new();
        for t in video.get_video_tracks().iter() {
            tracks.push(&t);
        }
        if let Some(audio) = mixer.track() {
            tracks.push(&audio);
        }
        let stream = MediaStream::new_with_tracks(&tracks)
            .map_err(|e| RecorderError::Failed(js::error_text(&e)))?;
        let opts = MediaRecorderOptions::new();
        opts.set_mime_type(mime);
        opts.set_video_bits_per_second(options.video_bits_per_second);
        let recorder =
            MediaRecorder::new_with_media_stream_and_media_recorder_options(&stream, &opts)
                .map_err(|e| RecorderError::Failed(js::error_text(&e)))?;

        let on_chunk = RefCell::new(on_chunk);
        let on_data = Closure::<dyn FnMut(BlobEvent)>::new(move |ev: BlobEvent| {
            if let Some(blob) = ev.data().filter(|b| b.size() > 0.0) {
                (on_chunk.borrow_mut())(blob);
            }
        });
        recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
        let (tx, rx) = oneshot::channel();
        let stopped = Rc::new(RefCell::new(Some(tx)));
        let s = stopped.clone();
        let on_stop = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if let Some(tx) = s.borrow_mut().take() {
                let _ = tx.send(());
            }
        });
        recorder.set_onstop(Some(on_stop.as_ref().unchecked_ref()));
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let why = js::get(&ev, "error")
                .map(|e| js::error_text(&e))
                .unwrap_or_else(|| "unknown error".into());
            on_error(format!("Recording stopped: {why}"));
        });
        recorder.set_onerror(Some(on_error.as_ref().unchecked_ref()));

        Ok(MeetingRecorder {
            options,
            compositor: RefCell::new(compositor),
            mixer,
            recorder,
            stream,
            mime: mime.to_string(),
            stopped,
            stopped_rx: RefCell::new(Some(rx)),
            _on_data: on_data,
            _on_stop: on_stop,
            _on_error: on_error,
        })
    }

    /// What the recorder produces (`MediaRecorder.mimeType`, else the requested type).
    pub fn mime_type(&self) -> String {
        let actual = self.recorder.mime_type();
        if actual.is_empty() {
            self.mime.clone()
        } else {
            actual
        }
    }

    pub fn set_tiles(&self, tiles: Vec<TileSource>) {
        self.compositor.borrow().set_tiles(tiles);
    }

    pub fn set_audio(&self, streams: &[MediaStream]) {
        self.mixer.set_sources(streams);
    }

    pub fn canvas(&self) -> web_sys::HtmlCanvasElement {
        self.compositor.borrow().canvas().clone()
    }

    pub fn is_recording(&self) -> bool {
        self.recorder.state() == RecordingState::Recording
    }

    pub fn start(&self) -> Result<(), RecorderError> {
        self.mixer.resume();
        self.compositor.borrow_mut().start(self.options.fps);
        self.recorder
            .start_with_time_slice(self.options.timeslice_ms as i32)
            .map_err(|e| RecorderError::Failed(js::error_text(&e)))
    }

    /// Stops recording; resolves once the last chunk went to `on_chunk`.
    pub async fn stop(&self) {
        let rx = self.stopped_rx.borrow_mut().take();
        if self.recorder.state() != RecordingState::Inactive && self.recorder.stop().is_ok() {
            if let Some(rx) = rx {
                let _ = rx.await;
            }
        }
        self.release();
    }

    /// A JPEG of the current picture.
    pub async fn thumbnail(&self) -> Option<Blob> {
        let canvas = self.canvas();
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            if canvas
                .to_blob_with_type_and_encoder_options(&resolve, "image/jpeg", &JsValue::from(0.8))
                .is_err()
            {
                let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
            }
        });
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .ok()?
            .dyn_into::<Blob>()
            .ok()
    }

    /// Timer, audio and capture tracks off.
    fn release(&self) {
        self.compositor.borrow_mut().stop();
        self.mixer.close();
        for t in self.stream.get_tracks().iter() {
            if let Ok(t) = t.dyn_into::<web_sys::MediaStreamTrack>() {
                t.stop();
            }
        }
        self.stopped.borrow_mut().take();
    }
}

impl Drop for MeetingRecorder {
    fn drop(&mut self) {
        self.recorder.set_ondataavailable(None);
        self.recorder.set_onstop(None);
        self.recorder.set_onerror(None);
        if self.recorder.state() != RecordingState::Inactive {
            let _ = self.recorder.stop();
        }
        self.release();
    }
}

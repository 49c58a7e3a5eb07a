//! `POST /api/uploads`, sent with XMLHttpRequest rather than fetch because only XHR
//! reports upload progress. The raw file is the body; its name rides in the query.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use tandem_protocol::chat::Attachment;
use tandem_protocol::ApiError;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{File, ProgressEvent, XmlHttpRequest};

use super::error::fallback_error;
use super::search::encode_component;
use super::{AuthorizedApi, Error};

/// How one upload ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadOutcome {
    Done(Attachment),
    Failed(Error),
    /// Aborted through [`UploadAbort`]; not an error to show.
    Cancelled,
}

/// An upload in flight. Await [`Upload::outcome`] to learn how it ended; the event
/// callbacks live inside it until then.
pub struct Upload {
    xhr: XmlHttpRequest,
    outcome: oneshot::Receiver<UploadOutcome>,
    _callbacks: Vec<Closure<dyn FnMut(JsValue)>>,
}

/// Cancels an upload from anywhere (a "Cancel upload" button, a form reset).
#[derive(Debug, Clone)]
pub struct UploadAbort(XmlHttpRequest);

impl UploadAbort {
    pub fn abort(&self) {
        let _ = self.0.abort();
    }
}

impl AuthorizedApi {
    /// Starts uploading `file` now. `on_progress(loaded, total)` reports bytes sent.
    pub fn start_upload(
        &self,
        file: &File,
        on_progress: impl Fn(f64, f64) + 'static,
    ) -> Result<Upload, Error> {
        let xhr = XmlHttpRequest::new().map_err(|_| Error::Network)?;
        let url = format!("{}{}", self.base(), upload_path(&file.name()));
        xhr.open("POST", &url).map_err(|_| Error::Network)?;
        // The session cookie only crosses origins when asked for; same-origin sends it anyway.
        xhr.set_with_credentials(is_cross_origin(self.base(), &crate::config::page_origin()));
        let content_type = match file.type_() {
            t if t.is_empty() => "application/octet-stream".to_string(),
            t => t,
        };
        xhr.set_request_header("Content-Type", &content_type)
            .map_err(|_| Error::Network)?;
        xhr.set_request_header("Accept", "application/json")
            .map_err(|_| Error::Network)?;

        let (tx, rx) = oneshot::channel();
        // load, error, timeout and abort are mutually exclusive; whichever fires first
        // takes the sender.
        let tx = Rc::new(RefCell::new(Some(tx)));
        let settle = move |outcome: UploadOutcome| {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(outcome);
            }
        };

        let on_load = {
            let (xhr, settle) = (xhr.clone(), settle.clone());
            Closure::<dyn FnMut(JsValue)>::new(move |_| settle(outcome_of(&xhr)))
        };
        let on_error = {
            let settle = settle.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_| {
                settle(UploadOutcome::Failed(Error::Network))
            })
        };
        let on_abort =
            Closure::<dyn FnMut(JsValue)>::new(move |_| settle(UploadOutcome::Cancelled));
        let on_upload_progress = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
            if let Ok(ev) = ev.dyn_into::<ProgressEvent>() {
                if ev.length_computable() {
                    on_progress(ev.loaded(), ev.total());
                }
            }
        });

        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        xhr.set_ontimeout(Some(on_error.as_ref().unchecked_ref()));
        xhr.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(on_upload_progress.as_ref().unchecked_ref()));
        }
        xhr.send_with_opt_blob(Some(file))
            .map_err(|_| Error::Network)?;

        Ok(Upload {
            xhr,
            outcome: rx,
            _callbacks: vec![on_load, on_error, on_abort, on_upload_progress],
        })
    }
}

impl Upload {
    pub fn abort_handle(&self) -> UploadAbort {
        UploadAbort(self.xhr.clone())
    }

    pub async fn outcome(self) -> UploadOutcome {
        let outcome = self
            .outcome
            .await
            .unwrap_or(UploadOutcome::Failed(Error::Network));
        // Unhook before the closures drop, so no late event can reach a freed closure.
        self.xhr.set_onload(None);
        self.xhr.set_onerror(None);
        self.xhr.set_ontimeout(None);
        self.xhr.set_onabort(None);
        if let Ok(upload) = self.xhr.upload() {
            upload.set_onprogress(None);
        }
        outcome
    }
}

/// The same status-first reading as the fetch client: 2xx is an `Attachment`,
/// anything else the server's `ApiError` (e.g. 413 "too large") or a stand-in.
fn outcome_of(xhr: &XmlHttpRequest) -> UploadOutcome {
    let status = xhr.status().unwrap_or(0);
    let text = xhr.response_text().ok().flatten().unwrap_or_default();
    match parse_upload_response(status, &text) {
        Ok(attachment) => UploadOutcome::Done(attachment),
        Err(e) => UploadOutcome::Failed(e),
    }
}

pub fn parse_upload_response(status: u16, body: &str) -> Result<Attachment, Error> {
    if status == 0 {
        return Err(Error::Network);
    }
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|e| Error::Decode(e.to_string()));
    }
    match serde_json::from_str::<ApiError>(body) {
        Ok(err) if !err.message.trim().is_empty() => Err(Error::Api(err)),
        _ => Err(Error::Api(fallback_error(status))),
    }
}

pub fn upload_path(file_name: &str) -> String {
    format!("/api/uploads?name={}", encode_component(file_name))
}

/// An absolute `api_base` on another origin than the page needs `withCredentials`
/// for the session cookie; an empty or root-relative base is the page's own origin.
pub fn is_cross_origin(api_base: &str, page_origin: &str) -> bool {
    let lower = api_base.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return false;
    }
    let scheme_end = lower.find("://").map(|i| i + 3).unwrap_or(0);
    let origin_end = lower[scheme_end..]
        .find('/')
        .map(|i| scheme_end + i)
        .unwrap_or(lower.len());
    lower[..origin_end] != page_origin.trim_end_matches('/').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::ErrorCode;
    use uuid::Uuid;

    #[test]
    fn upload_path_encodes_the_name() {
        assert_eq!(
            upload_path("Q3 report #2.pdf"),
            "/api/uploads?name=Q3%20report%20%232.pdf"
        );
    }

    #[test]
    fn cross_origin_only_for_other_absolute_origins() {
        let page = "https://chat.example.com";
        assert!(!is_cross_origin("", page));
        assert!(!is_cross_origin("/tandem", page));
        assert!(!is_cross_origin("https://chat.example.com/tandem", page));
        assert!(!is_cross_origin("HTTPS://Chat.Example.com", page));
        assert!(is_cross_origin("https://api.example.com", page));
        assert!(is_cross_origin("http://chat.example.com", page));
        assert!(is_cross_origin("https://chat.example.com:8443/", page));
    }

    #[test]
    fn upload_responses_are_read_status_first() {
        let attachment = Attachment {
            id: Uuid::from_u128(9),
            name: "a.png".into(),
            content_type: "image/png".into(),
            size: 3,
            url: "/api/files/9".into(),
        };
        let body = serde_json::to_string(&attachment).unwrap();
        assert_eq!(parse_upload_response(201, &body), Ok(attachment));

        let too_big = r#"{"code":"payload_too_large","message":"Files can be at most 25 MB."}"#;
        let err = parse_upload_response(413, too_big).unwrap_err();
        assert_eq!(err.message(), "Files can be at most 25 MB.");

        match parse_upload_response(413, "<html>nginx</html>") {
            Err(Error::Api(e)) => assert_eq!(e.code, ErrorCode::PayloadTooLarge),
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(parse_upload_response(0, ""), Err(Error::Network));
        assert!(matches!(
            parse_upload_response(201, "nope"),
            Err(Error::Decode(_))
        ));
    }
}

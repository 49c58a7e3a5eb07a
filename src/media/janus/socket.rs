//! The WebSocket to one Janus node (subprotocol `janus-protocol`): requests matched
//! to their answers by transaction, everything else handed to one event callback.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::oneshot;
use futures::future::{select, Either};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, WebSocket};

use super::messages::{classify, error_of, Incoming, ReplyKind};
use crate::media::error::MediaError;

/// How long Janus may take to answer one request.
const REQUEST_TIMEOUT_MS: u32 = 10_000;

/// When a request counts as answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// Its `ack` (keep-alives, trickles) or a synchronous answer.
    Ack,
    /// The plugin's asynchronous `event` (join, publish, subscribe …), skipping the ack.
    Event,
}

type Pending = HashMap<String, (Until, oneshot::Sender<Value>)>;
type Listener = Rc<dyn Fn(Incoming)>;

pub struct JanusSocket {
    ws: WebSocket,
    pending: Rc<RefCell<Pending>>,
    next: Cell<u64>,
    _handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

fn janus_failure(what: &str, code: i64, reason: &str) -> MediaError {
    MediaError::WebRtc(format!(
        "the media server refused {what} ({code}: {reason})"
    ))
}

impl JanusSocket {
    /// Opens the socket; `on_incoming` gets every event that is not an answer, and
    /// `on_close` once when the socket closes or fails.
    pub async fn open(
        url: &str,
        on_incoming: Listener,
        on_close: Rc<dyn Fn()>,
    ) -> Result<JanusSocket, MediaError> {
        let ws = WebSocket::new_with_str(url, "janus-protocol")
            .map_err(|e| MediaError::WebRtc(format!("media server: {}", js_text(&e))))?;
        let pending: Rc<RefCell<Pending>> = Rc::default();
        let (opened_tx, opened_rx) = oneshot::channel::<bool>();
        let opened_tx = Rc::new(RefCell::new(Some(opened_tx)));

        let on_open = {
            let tx = opened_tx.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |_| {
                if let Some(tx) = tx.borrow_mut().take() {
                    let _ = tx.send(true);
                }
            })
        };
        let on_message = {
            let pending = pending.clone();
            Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
                let Some(text) = ev.unchecked_into::<MessageEvent>().data().as_string() else {
                    return;
                };
                let Ok(value) = serde_json::from_str::<Value>(&text) else {
                    return;
                };
                match classify(&value) {
                    Incoming::Reply { transaction, kind } => {
                        let mut pending = pending.borrow_mut();
                        let done = match pending.get(&transaction) {
                            Some((Until::Event, _)) => kind != ReplyKind::Ack,
                            Some((Until::Ack, _)) => true,
                            None => false,
                        };
                        if done {
                            if let Some((_, tx)) = pending.remove(&transaction) {
                                let _ = tx.send(value);
                            }
                        }
                    }
                    other => on_incoming(other),
                }
            })
        };
        let on_closed = {
            let tx = opened_tx.clone();
            let pending = pending.clone();
            let fired = Rc::new(Cell::new(false));
            Closure::<dyn FnMut(JsValue)>::new(move |_| {
                if let Some(tx) = tx.borrow_mut().take() {
                    let _ = tx.send(false);
                }
                // Dropping the senders fails every request still waiting.
                pending.borrow_mut().clear();
                if !fired.replace(true) {
                    on_close();
                }
            })
        };
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_closed.as_ref().unchecked_ref()));
        ws.set_onerror(Some(on_closed.as_ref().unchecked_ref()));
        let socket = JanusSocket {
            ws,
            pending,
            next: Cell::new(1),
            _handlers: vec![on_open, on_message, on_closed],
        };
        match opened_rx.await {
            Ok(true) => Ok(socket),
            _ => Err(MediaError::WebRtc(
                "the media server (SFU) cannot be reached".into(),
            )),
        }
    }

    /// Sends without waiting (trickled candidates, keep-alives).
    pub fn send(&self, mut request: Value) {
        request["transaction"] = Value::String(self.transaction());
        let _ = self.ws.send_with_str(&request.to_string());
    }

    fn transaction(&self) -> String {
        let n = self.next.get();
        self.next.set(n + 1);
        format!("t{n}")
    }

    /// Sends and waits for the answer; a Janus error (core or plugin) is an `Err`.
    pub async fn call(
        &self,
        what: &str,
        mut request: Value,
        until: Until,
    ) -> Result<Value, MediaError> {
        let transaction = self.transaction();
        request["transaction"] = Value::String(transaction.clone());
        let (tx, rx) = oneshot::channel();
        self.pending
            .borrow_mut()
            .insert(transaction.clone(), (until, tx));
        if self.ws.send_with_str(&request.to_string()).is_err() {
            self.pending.borrow_mut().remove(&transaction);
            return Err(MediaError::WebRtc(
                "the media server connection is closed".into(),
            ));
        }
        let timeout = gloo_timers::future::TimeoutFuture::new(REQUEST_TIMEOUT_MS);
        let answer = match select(rx, timeout).await {
            Either::Left((Ok(answer), _)) => answer,
            Either::Left((Err(_), _)) => {
                return Err(MediaError::WebRtc(
                    "the media server connection closed".into(),
                ))
            }
            Either::Right(_) => {
                self.pending.borrow_mut().remove(&transaction);
                return Err(MediaError::WebRtc(format!(
                    "the media server did not answer ({what})"
                )));
            }
        };
        match error_of(&answer) {
            Some((code, reason)) => Err(janus_failure(what, code, &reason)),
            None => Ok(answer),
        }
    }

    pub fn close(&self) {
        self.ws.set_onclose(None);
        self.ws.set_onerror(None);
        self.ws.set_onmessage(None);
        let _ = self.ws.close();
        self.pending.borrow_mut().clear();
    }
}

fn js_text(e: &JsValue) -> String {
    crate::media::js::error_text(e)
}

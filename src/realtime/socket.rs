//! The only place that touches `web_sys::WebSocket`: it turns socket callbacks into
//! [`Input`]s for the state machine and nothing else.

use futures::channel::mpsc::UnboundedSender;
use tandem_protocol::ws::ServerFrame;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, Event, MessageEvent, WebSocket};

use super::connection::{Input, SocketId};

/// Close code for "abnormal closure" when the browser would not even create a socket.
const CLOSE_ABNORMAL: u16 = 1006;

pub struct Socket {
    ws: WebSocket,
    // Kept alive for as long as the socket may call them.
    _on_open: Closure<dyn FnMut(Event)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    /// Opens a socket whose events arrive as inputs tagged with `id`. If the browser
    /// refuses outright (bad URL, blocked), that is reported as an abnormal close so the
    /// state machine retries like for any other failure.
    pub fn open(url: &str, id: SocketId, inputs: UnboundedSender<Input>) -> Option<Socket> {
        let ws = match WebSocket::new(url) {
            Ok(ws) => ws,
            Err(_) => {
                let _ = inputs.unbounded_send(Input::SocketClosed {
                    socket: id,
                    code: CLOSE_ABNORMAL,
                });
                return None;
            }
        };

        let tx = inputs.clone();
        let on_open = Closure::<dyn FnMut(Event)>::new(move |_| {
            let _ = tx.unbounded_send(Input::SocketOpened { socket: id });
        });
        let tx = inputs.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let input = match ev.data().as_string() {
                Some(text) => match serde_json::from_str::<ServerFrame>(&text) {
                    Ok(frame) => Input::FrameReceived { socket: id, frame },
                    Err(e) => Input::FrameUnreadable {
                        socket: id,
                        error: e.to_string(),
                    },
                },
                None => Input::FrameUnreadable {
                    socket: id,
                    error: "binary frame".into(),
                },
            };
            let _ = tx.unbounded_send(input);
        });
        let tx = inputs;
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |ev: CloseEvent| {
            let _ = tx.unbounded_send(Input::SocketClosed {
                socket: id,
                code: ev.code(),
            });
        });

        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Some(Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        })
    }

    pub fn send(&self, text: &str) {
        // A failed send means the socket is going away; its close event follows.
        let _ = self.ws.send_with_str(text);
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        // Detach first: the handlers are freed with `self`, and the browser must not
        // call them afterwards. The state machine already moved on from this socket.
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close_with_code(1000);
    }
}

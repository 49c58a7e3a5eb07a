//! Runs the upload queue (`media::recorder::queue`) against the server: hashes and
//! PUTs chunks in order, backs off, resyncs, finishes. Chunks are written to
//! IndexedDB as they arrive and deleted once acked, so a reload can resume
//! ([`resume_unsent`]). No Leptos types: progress goes to a callback.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use futures::channel::oneshot;
use gloo_timers::future::TimeoutFuture;
use tandem_protocol::recordings::{RecordingId, RecordingState};
use wasm_bindgen_futures::spawn_local;
use web_sys::Blob;

use crate::api::AuthorizedApi;
use crate::media::recorder::{ChunkQueue, ChunkStore, Outcome, Step};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadPhase {
    /// Sending (or waiting for) chunks.
    Uploading,
    /// Everything is stored; finishing.
    Finishing,
    /// Finalised. `lost`: some recorded data could not be uploaded.
    Done {
        lost: bool,
    },
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub pending: usize,
    /// The last attempt had no answer; retrying with backoff.
    pub retrying: bool,
    /// The recorder has stopped; no more chunks will come.
    pub closed: bool,
    pub phase: UploadPhase,
}

thread_local! {
    /// Uploads running in this tab (a resume must not run beside the live upload).
    static RUNNING: RefCell<HashSet<RecordingId>> = RefCell::new(HashSet::new());
}

pub struct Upload {
    id: RecordingId,
    key: String,
    api: AuthorizedApi,
    store: Option<ChunkStore>,
    queue: RefCell<ChunkQueue>,
    blobs: RefCell<HashMap<u32, Blob>>,
    wake: RefCell<Option<oneshot::Sender<()>>>,
    on_progress: Box<dyn Fn(Progress)>,
}

impl Upload {
    fn build(
        api: AuthorizedApi,
        id: RecordingId,
        store: Option<ChunkStore>,
        queue: ChunkQueue,
        on_progress: impl Fn(Progress) + 'static,
    ) -> Rc<Upload> {
        Rc::new(Upload {
            id,
            key: id.to_string(),
            api,
            store,
            queue: RefCell::new(queue),
            blobs: RefCell::new(HashMap::new()),
            wake: RefCell::new(None),
            on_progress: Box::new(on_progress),
        })
    }

    /// A live recording: chunks are [`push`](Self::push)ed as they are recorded.
    /// Starts running at once.
    pub fn start(
        api: AuthorizedApi,
        id: RecordingId,
        store: Option<ChunkStore>,
        on_progress: impl Fn(Progress) + 'static,
    ) -> Rc<Upload> {
        let up = Upload::build(api, id, store, ChunkQueue::new(), on_progress);
        spawn_local(up.clone().run());
        up
    }

    pub fn id(&self) -> RecordingId {
        self.id
    }

    /// A recorded chunk: persisted, then queued (in recording order).
    pub fn push(self: &Rc<Self>, blob: Blob) {
        let index = self.queue.borrow_mut().push();
        self.blobs.borrow_mut().insert(index, blob.clone());
        if let Some(store) = self.store.clone() {
            let key = self.key.clone();
            spawn_local(async move {
                let _ = store.put(&key, index, &blob).await;
            });
        }
        self.report();
        self.wake();
    }

    /// The recorder stopped: finish once everything is stored.
    pub fn close(&self) {
        self.queue.borrow_mut().close();
        self.report();
        self.wake();
    }

    fn wake(&self) {
        if let Some(tx) = self.wake.borrow_mut().take() {
            let _ = tx.send(());
        }
    }

    fn progress(&self, phase: UploadPhase) -> Progress {
        let q = self.queue.borrow();
        Progress {
            pending: q.pending(),
            retrying: q.retrying(),
            closed: q.is_closed(),
            phase,
        }
    }

    fn report(&self) {
        let p = self.progress(UploadPhase::Uploading);
        (self.on_progress)(p);
    }

    async fn forget(&self, done: Vec<u32>) {
        for i in done {
            self.blobs.borrow_mut().remove(&i);
            if let Some(store) = &self.store {
                let _ = store.delete(&self.key, i).await;
            }
        }
    }

    async fn blob(&self, index: u32) -> Option<Blob> {
        if let Some(b) = self.blobs.borrow().get(&index).cloned() {
            return Some(b);
        }
        let store = self.store.as_ref()?;
        store.get(&self.key, index).await.ok().flatten()
    }

    async fn run(self: Rc<Self>) {
        if !RUNNING.with(|r| r.borrow_mut().insert(self.id)) {
            return;
        }
        loop {
            let step = self.queue.borrow_mut().next_step();
            match step {
                Step::Send(index) => {
                    let Some(blob) = self.blob(index).await else {
                        self.queue.borrow_mut().on_missing(index);
                        continue;
                    };
                    let outcome = match self.api.put_chunk(self.id, index, &blob).await {
                        Ok(ack) => Outcome::Acked {
                            next_index: ack.next_index,
                        },
                        Err(o) => o,
                    };
                    let done = self.queue.borrow_mut().on_sent(index, outcome);
                    self.forget(done).await;
                    self.report();
                }
                Step::Wait(ms) => {
                    self.report();
                    TimeoutFuture::new(ms).await;
                }
                Step::Resync => match self.api.upload_state(self.id).await {
                    Ok(state) if state.state != RecordingState::Recording => {
                        let done = self.queue.borrow_mut().on_already_final();
                        self.forget(done).await;
                    }
                    Ok(state) => {
                        let done = self.queue.borrow_mut().on_resync(state.next_index);
                        self.forget(done).await;
                    }
                    Err(o) => self.queue.borrow_mut().on_resync_failed(o),
                },
                Step::Finish => {
                    (self.on_progress)(self.progress(UploadPhase::Finishing));
                    let result = self.api.finish_recording(self.id).await.map(|_| ());
                    self.queue.borrow_mut().on_finish(result);
                }
                Step::Idle => {
                    let (tx, rx) = oneshot::channel();
                    *self.wake.borrow_mut() = Some(tx);
                    let _ = rx.await;
                }
                Step::Done => {
                    let lost = self.queue.borrow().lost_data();
                    (self.on_progress)(self.progress(UploadPhase::Done { lost }));
                    break;
                }
                Step::Failed(msg) => {
                    // Refused for good: nothing stored locally can ever be sent.
                    let left: Vec<u32> = self.blobs.borrow().keys().copied().collect();
                    self.forget(left).await;
                    self.forget_stored().await;
                    (self.on_progress)(self.progress(UploadPhase::Failed(msg)));
                    break;
                }
            }
        }
        RUNNING.with(|r| r.borrow_mut().remove(&self.id));
    }

    async fn forget_stored(&self) {
        let Some(store) = &self.store else { return };
        if let Ok(keys) = store.keys().await {
            for (rid, i) in keys {
                if rid == self.key {
                    let _ = store.delete(&rid, i).await;
                }
            }
        }
    }
}

/// After a reload: uploads every recording that still has chunks in IndexedDB
/// (asking the server where it is first), then finishes it. `on_progress` hears
/// each one.
pub async fn resume_unsent(
    api: AuthorizedApi,
    on_progress: impl Fn(RecordingId, Progress) + 'static,
) {
    let Ok(store) = ChunkStore::open().await else {
        return;
    };
    let Ok(keys) = store.keys().await else { return };
    let mut by_recording: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (rid, index) in keys {
        by_recording.entry(rid).or_default().push(index);
    }
    let on_progress = Rc::new(on_progress);
    for (rid, indices) in by_recording {
        let Ok(id) = rid.parse::<RecordingId>() else {
            continue;
        };
        if RUNNING.with(|r| r.borrow().contains(&id)) {
            continue;
        }
        let report = on_progress.clone();
        let up = Upload::build(
            api.clone(),
            id,
            Some(store.clone()),
            ChunkQueue::resume(indices),
            move |p| report(id, p),
        );
        spawn_local(up.run());
    }
}

//! Recorded-but-unsent chunks, kept in IndexedDB so a reload (or a crash) does not
//! lose them. Key: `[recording id, chunk index]`; value: the chunk's `Blob`.
//! Database `tandem-recorder`, object store `chunks`.

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, IdbDatabase, IdbObjectStore, IdbRequest, IdbTransactionMode};

use super::RecorderError;

const DB_NAME: &str = "tandem-recorder";
const STORE: &str = "chunks";

#[derive(Clone)]
pub struct ChunkStore {
    db: IdbDatabase,
}

fn failed(e: JsValue) -> RecorderError {
    RecorderError::Failed(crate::media::js::error_text(&e))
}

/// Waits for a request's `success` (its result) or `error`.
async fn done(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await?;
    request.result()
}

fn key(recording: &str, index: u32) -> JsValue {
    Array::of2(&JsValue::from_str(recording), &JsValue::from(index)).into()
}

impl ChunkStore {
    pub async fn open() -> Result<ChunkStore, RecorderError> {
        let factory = web_sys::window()
            .and_then(|w| w.indexed_db().ok().flatten())
            .ok_or(RecorderError::Unsupported)?;
        let request = factory.open_with_u32(DB_NAME, 1).map_err(failed)?;
        let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let Some(req) = ev.target().and_then(|t| t.dyn_into::<IdbRequest>().ok()) else {
                return;
            };
            if let Ok(db) = req.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                if !db.object_store_names().contains(STORE) {
                    let _ = db.create_object_store(STORE);
                }
            }
        });
        request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let result = done(&request).await;
        request.set_onupgradeneeded(None);
        drop(upgrade);
        let db = result
            .map_err(failed)?
            .dyn_into::<IdbDatabase>()
            .map_err(failed)?;
        Ok(ChunkStore { db })
    }

    fn store(&self, mode: IdbTransactionMode) -> Result<IdbObjectStore, RecorderError> {
        self.db
            .transaction_with_str_and_mode(STORE, mode)
            .and_then(|t| t.object_store(STORE))
            .map_err(failed)
    }

    pub async fn put(&self, recording: &str, index: u32, blob: &Blob) -> Result<(), RecorderError> {
        let request = self
            .store(IdbTransactionMode::Readwrite)?
            .put_with_key(blob, &key(recording, index))
            .map_err(failed)?;
        done(&request).await.map(|_| ()).map_err(failed)
    }

    pub async fn get(&self, recording: &str, index: u32) -> Result<Option<Blob>, RecorderError> {
        let request = self
            .store(IdbTransactionMode::Readonly)?
            .get(&key(recording, index))
            .map_err(failed)?;
        Ok(done(&request)
            .await
            .map_err(failed)?
            .dyn_into::<Blob>()
            .ok())
    }

    pub async fn delete(&self, recording: &str, index: u32) -> Result<(), RecorderError> {
        let request = self
            .store(IdbTransactionMode::Readwrite)?
            .delete(&key(recording, index))
            .map_err(failed)?;
        done(&request).await.map(|_| ()).map_err(failed)
    }

    /// Every stored chunk, as `(recording id, index)`, in key order.
    pub async fn keys(&self) -> Result<Vec<(String, u32)>, RecorderError> {
        let request = self
            .store(IdbTransactionMode::Readonly)?
            .get_all_keys()
            .map_err(failed)?;
        let keys: Array = done(&request)
            .await
            .map_err(failed)?
            .dyn_into()
            .map_err(failed)?;
        Ok(keys
            .iter()
            .filter_map(|k| {
                let k: Array = k.dyn_into().ok()?;
                Some((k.get(0).as_string()?, k.get(1).as_f64()? as u32))
            })
            .collect())
    }
}

//! Shared state handed to every handler.

use std::ops::Deref;
use std::sync::Arc;

use crate::auth::rate_limit::LoginLimiter;
use crate::config::Config;
use crate::db::Db;
use crate::realtime::hub::Hub;
use crate::realtime::log::EventLog;
use crate::realtime::registry::Registry;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: Config,
    pub db: Db,
    pub hub: Hub,
    pub log: EventLog,
    pub connections: Registry,
    pub login_limiter: LoginLimiter,
}

impl AppState {
    pub fn new(config: Config, db: Db) -> Self {
        let hub = Hub::new(config.event_buffer);
        let log = EventLog::new(db.clone(), hub.clone());
        let login_limiter = LoginLimiter::new(&config);
        AppState(Arc::new(Inner {
            config,
            db,
            hub,
            log,
            connections: Registry::default(),
            login_limiter,
        }))
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

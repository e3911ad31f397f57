//! What every request is answered with, shared by the connections: the credentials, the time
//! validity is judged at, the nonces seen, the store (its writer thread and its readers) and
//! the version of the state the admin endpoints change.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard};

use time::OffsetDateTime;

use crate::guard::Guard;
use crate::log::Log;
use crate::store::{Readers, Store};
use crate::wire::NonceCache;
use crate::writer::Writer;

/// Everything a request is answered with.
pub(crate) struct Context {
    keys: Vec<(String, String)>,
    at: Option<OffsetDateTime>,
    /// The nonces seen (replays are refused).
    pub(crate) nonces: Mutex<NonceCache>,
    /// The database: written by the writer thread in batches, by the admin endpoints between
    /// them.
    pub(crate) store: Arc<Mutex<Store>>,
    /// The thread that commits the API requests' changes and log entries (group commit).
    pub(crate) writer: Writer,
    /// Read connections to the same file, for work beside the writer (`None` in memory).
    pub(crate) readers: Option<Readers>,
    /// Bumped by every change of domains, faults or certificates through the admin endpoints:
    /// a check on an older snapshot is then done again under the write lock.
    pub(crate) state_version: Arc<AtomicU64>,
    /// The operator's log.
    pub(crate) log: Log,
    /// Keep the keys uploaded to the certificate service (`--keep-keys`).
    pub(crate) keep_keys: bool,
    /// Who may talk to the endpoint.
    pub(crate) guard: Guard,
}

impl Context {
    /// A context with these credentials, validity time and store.
    pub(crate) fn new(
        keys: Vec<(String, String)>,
        at: Option<OffsetDateTime>,
        store: Store,
        log: Log,
    ) -> Self {
        let mut store = store;
        store.set_validity_time(at);
        let readers = store.readers();
        let store = Arc::new(Mutex::new(store));
        Context {
            keys,
            at,
            nonces: Mutex::new(NonceCache::default()),
            readers,
            writer: Writer::start(store.clone(), log.clone()),
            store,
            state_version: Arc::new(AtomicU64::new(0)),
            log,
            keep_keys: false,
            guard: Guard::default(),
        }
    }

    /// The secret of access key `id`, if it is accepted.
    pub(crate) fn secret(&self, id: &str) -> Option<&str> {
        self.keys
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, s)| s.as_str())
    }

    /// The time validity is judged at: `--at`, else the clock.
    pub(crate) fn validity_time(&self) -> OffsetDateTime {
        self.at.unwrap_or_else(OffsetDateTime::now_utc)
    }

    /// The store, locked (a poisoned lock is taken over: the store's state is transactional).
    pub(crate) fn lock_store(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

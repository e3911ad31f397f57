//! Replay protection: the nonces (`SignatureNonce` / `x-acs-signature-nonce`) of accepted
//! requests, remembered as long as a replay could still pass the timestamp check.
//!
//! A request is accepted while its timestamp is within 15 minutes of the clock, so a
//! request first seen at `t` can be replayed with an unchanged timestamp until at most
//! `t + 30 min`; a nonce is kept until `t` + 30 min + 1 min of margin (for clock steps).
//! Memory is bounded: an entry is a 32-byte digest of (AccessKeyId, nonce) and a deadline,
//! whatever the nonce's length, and there are at most `capacity` entries. When every entry is
//! still live, the oldest is forgotten to make room: a server that deploy pipelines hammer
//! keeps answering (refusing every request once the cache filled — 100,000 nonces in under a
//! minute at 2,000 requests a second — was found by the soak test), and replay protection
//! covers the last `capacity` accepted nonces, which at the default is every nonce of the
//! 31-minute retention up to about 50 requests a second, in at most about 10 MiB.

use std::collections::{HashMap, VecDeque};
use std::fmt;

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::error::GatewayError;

/// How far a request timestamp may be from the clock, in seconds (15 minutes).
pub(crate) const TIMESTAMP_WINDOW_SECS: i64 = 15 * 60;

/// How long a nonce is remembered after it was first accepted, in seconds.
const RETENTION_SECS: i64 = 2 * TIMESTAMP_WINDOW_SECS + 60;

/// Bounded memory of the nonces seen in the replay window (see the module documentation).
pub struct NonceCache {
    /// Digest of (AccessKeyId, nonce) → Unix time after which it is forgotten.
    seen: HashMap<[u8; 32], i64>,
    /// The same entries in insertion order, oldest first, for eviction.
    order: VecDeque<(i64, [u8; 32])>,
    capacity: usize,
}

impl NonceCache {
    /// A capacity of 100,000 nonces: at most about 10 MiB, and every nonce of the 31-minute
    /// retention up to about 50 requests a second sustained.
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// An empty cache that holds at most `capacity` live nonces (at least one).
    pub fn new(capacity: usize) -> Self {
        NonceCache {
            seen: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// The number of nonces remembered (expired ones included until the next insertion).
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether no nonce is remembered.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    /// Records `nonce` of `access_key_id` at `now`: [`GatewayError::SignatureNonceUsed`] when
    /// it was recorded within the retention. A full cache forgets its oldest nonce first.
    pub fn check_and_insert(
        &mut self,
        access_key_id: &str,
        nonce: &[u8],
        now: OffsetDateTime,
    ) -> Result<(), GatewayError> {
        let now = now.unix_timestamp();
        let key = digest(access_key_id, nonce);
        if self.seen.get(&key).is_some_and(|&deadline| deadline > now) {
            return Err(GatewayError::SignatureNonceUsed);
        }
        self.evict_expired(now);
        while self.order.len() >= self.capacity {
            let Some((deadline, oldest)) = self.order.pop_front() else {
                break;
            };
            if self.seen.get(&oldest) == Some(&deadline) {
                self.seen.remove(&oldest);
            }
        }
        let deadline = now.saturating_add(RETENTION_SECS);
        self.seen.insert(key, deadline);
        self.order.push_back((deadline, key));
        Ok(())
    }

    /// Drops the entries whose deadline has passed, oldest first. The queue is in insertion
    /// order; if the clock went back, a later entry may expire before an earlier one and wait
    /// behind it, which only delays its removal.
    fn evict_expired(&mut self, now: i64) {
        while let Some(&(deadline, key)) = self.order.front() {
            if deadline > now {
                break;
            }
            self.order.pop_front();
            // Only remove the map entry if it is this one (not a later re-insertion).
            if self.seen.get(&key) == Some(&deadline) {
                self.seen.remove(&key);
            }
        }
    }
}

impl Default for NonceCache {
    fn default() -> Self {
        NonceCache::new(NonceCache::DEFAULT_CAPACITY)
    }
}

impl fmt::Debug for NonceCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NonceCache")
            .field("len", &self.seen.len())
            .field("capacity", &self.capacity)
            .finish()
    }
}

/// SHA-256 of the AccessKeyId's length, the AccessKeyId and the nonce (unambiguous).
fn digest(access_key_id: &str, nonce: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update((access_key_id.len() as u64).to_be_bytes());
    hasher.update(access_key_id.as_bytes());
    hasher.update(nonce);
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-11-23 16:28:33 UTC);

    #[test]
    fn replay_is_refused_within_retention_and_forgotten_after() {
        let mut cache = NonceCache::new(10);
        cache.check_and_insert("ak", b"n1", T0).unwrap();
        assert_eq!(
            cache.check_and_insert("ak", b"n1", T0),
            Err(GatewayError::SignatureNonceUsed)
        );
        // Another key's nonce is another nonce.
        cache.check_and_insert("ak2", b"n1", T0).unwrap();
        let later = T0 + Duration::seconds(RETENTION_SECS - 1);
        assert_eq!(
            cache.check_and_insert("ak", b"n1", later),
            Err(GatewayError::SignatureNonceUsed)
        );
        let expired = T0 + Duration::seconds(RETENTION_SECS);
        cache.check_and_insert("ak", b"n1", expired).unwrap();
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn a_full_cache_forgets_its_oldest_nonce_and_keeps_answering() {
        let mut cache = NonceCache::new(2);
        cache.check_and_insert("ak", b"a", T0).unwrap();
        cache
            .check_and_insert("ak", b"b", T0 + Duration::seconds(1))
            .unwrap();
        // Full of live nonces: the oldest ("a") makes room.
        cache
            .check_and_insert("ak", b"c", T0 + Duration::seconds(2))
            .unwrap();
        assert_eq!(cache.len(), 2);
        // The newer two are still replays.
        for nonce in [&b"b"[..], b"c"] {
            assert_eq!(
                cache.check_and_insert("ak", nonce, T0 + Duration::seconds(3)),
                Err(GatewayError::SignatureNonceUsed)
            );
        }
        // The forgotten one is accepted again (the bound's cost, documented).
        cache
            .check_and_insert("ak", b"a", T0 + Duration::seconds(3))
            .unwrap();
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn clock_going_back_keeps_it_bounded() {
        let mut cache = NonceCache::new(3);
        for (i, secs) in [100, 0, 50, 4000, 3000].into_iter().enumerate() {
            let _ = cache.check_and_insert("ak", &[i as u8], T0 + Duration::seconds(secs));
            assert!(cache.order.len() <= 3 && cache.seen.len() <= 3);
        }
    }
}

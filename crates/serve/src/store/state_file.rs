//! The state document (domains, certificates, faults; never a key) in and out of
//! the database: applied at start (`--state`), replaced and read by the admin endpoints,
//! emptied by a reset. A certificate's `pem` is read by the library (`Chain::from_pem`), as
//! an upload's is, and stored as its canonical chain.

use cert_preflight::InMemoryState;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde_json::{Map, Value, json};

use super::tx::insert_certificate;
use super::{Cached, EVERY, Store, product_column};

impl Store {
    /// Applies a state document (the `--state` file's shape): its domains and faults (when present) replace
    /// the stored ones, its certificates are added (replacing one of the same name).
    pub(crate) fn apply_state(&mut self, text: &str) -> Result<(), String> {
        let state = InMemoryState::from_json(text).map_err(|e| e.to_string())?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| e.to_string())?;
        write_state(&tx, &state).map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())
    }

    /// Replaces the state with a document (`PUT /_preflight/state`).
    ///
    /// Each part the document has (`domains`, `certificates`, `faults`) replaces the stored
    /// one; a part it leaves out is kept (`{"domains": {…}}` changes the domains only; an
    /// empty list or object empties a part). The domains' HTTPS settings stay (a reset
    /// clears them).
    pub(crate) fn replace_state(&mut self, text: &str) -> Result<(), String> {
        let state = InMemoryState::from_json(text).map_err(|e| e.to_string())?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| e.to_string())?;
        if state.certificates.is_some() {
            tx.execute("DELETE FROM certificates", [])
                .map_err(|e| e.to_string())?;
        }
        write_state(&tx, &state).map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())
    }

    /// Empties the state (the request log stays).
    pub(crate) fn reset(&mut self) -> Result<(), String> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| e.to_string())?;
        clear(&tx).map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())
    }

    /// The state as a state document (certificates as PEM chains, no keys).
    pub(crate) fn export_state(&self) -> rusqlite::Result<Value> {
        let mut domains = Map::new();
        let mut stmt = self.conn.prepare(
            "SELECT product, name, state, https_off_forbidden, not_effective FROM domains
             ORDER BY name, product",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, bool>(4)?,
            ))
        })?;
        for row in rows {
            let (product, name, state, off_forbidden, not_effective) = row?;
            let entry = domains.entry(name).or_insert_with(|| {
                json!({
                    "state": state,
                    "https_off_forbidden": off_forbidden,
                    "not_effective": not_effective,
                })
            });
            if product != EVERY
                && let Some(object) = entry.as_object_mut()
            {
                let products = object
                    .entry("products")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Some(list) = products.as_array_mut() {
                    list.push(Value::String(product));
                }
            }
        }
        let mut certificates = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT product, name, kind, status, pem, cert_id FROM certificates ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        for row in rows {
            let (product, name, kind, status, pem, id) = row?;
            let mut object = Map::new();
            object.insert("name".into(), Value::String(name));
            object.insert("type".into(), Value::String(kind));
            object.insert("status".into(), Value::String(status));
            if let Some(pem) = pem.filter(|p| !p.is_empty()) {
                object.insert("pem".into(), Value::String(pem));
            }
            if let Some(id) = id {
                object.insert("id".into(), Value::String(id));
            }
            if product != EVERY {
                object.insert("products".into(), json!([product]));
            }
            certificates.push(Value::Object(object));
        }
        let faults = self
            .conn
            .cached_row(
                "SELECT authentication, delete_fails, store_fails FROM faults WHERE id = 1",
                [],
                |r| {
                    Ok(json!({
                        "authentication": r.get::<_, bool>(0)?,
                        "delete": r.get::<_, bool>(1)?,
                        "store": r.get::<_, bool>(2)?,
                    }))
                },
            )
            .optional()?;
        let mut document = Map::new();
        if !domains.is_empty() {
            document.insert("domains".into(), Value::Object(domains));
        }
        document.insert("certificates".into(), Value::Array(certificates));
        if let Some(faults) = faults {
            document.insert("faults".into(), faults);
        }
        Ok(Value::Object(document))
    }
}

fn clear(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "DELETE FROM domains; DELETE FROM domain_https; DELETE FROM certificates;
         DELETE FROM faults; DELETE FROM server_certificates;",
    )
}

fn write_state(tx: &Transaction<'_>, state: &InMemoryState) -> rusqlite::Result<()> {
    if let Some(domains) = &state.domains {
        tx.cached_execute("DELETE FROM domains", [])?;
        for (product, name, info) in domains.iter() {
            tx.cached_execute(
                "INSERT OR REPLACE INTO domains
                 (product, name, state, https_off_forbidden, not_effective)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    product_column(product),
                    name,
                    info.status.name(),
                    info.https_off_forbidden,
                    info.not_effective
                ],
            )?;
        }
    }
    if let Some(certificates) = &state.certificates {
        for certificate in certificates {
            insert_certificate(tx, certificate)?;
        }
    }
    if let Some(faults) = state.faults {
        tx.cached_execute(
            "INSERT OR REPLACE INTO faults (id, authentication, delete_fails, store_fails)
             VALUES (1, ?1, ?2, ?3)",
            params![faults.authentication, faults.delete, faults.store],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    const STATE: &str = r#"{
        "domains": {
            "a.example.com": {"state": "offline"},
            "b.example.com": {"state": "online", "products": ["live"]}
        },
        "certificates": [{"name": "old", "type": "cas", "status": "expired", "products": ["cdn"]}],
        "faults": {"store": true}
    }"#;

    #[test]
    fn migrations_are_idempotent_and_state_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        {
            let mut store = Store::open(Some(&path)).unwrap();
            store.apply_state(STATE).unwrap();
        }
        let mut store = Store::open(Some(&path)).unwrap();
        let exported = store.export_state().unwrap();
        assert_eq!(exported["domains"]["a.example.com"]["state"], "offline");
        assert_eq!(
            exported["domains"]["b.example.com"]["products"],
            json!(["live"])
        );
        assert_eq!(exported["certificates"][0]["name"], "old");
        assert_eq!(exported["faults"]["store"], true);
        // What it exports, it reads back.
        store.replace_state(&exported.to_string()).unwrap();
        assert_eq!(store.export_state().unwrap(), exported);
        store.reset().unwrap();
        assert_eq!(store.export_state().unwrap(), json!({"certificates": []}));
    }
}

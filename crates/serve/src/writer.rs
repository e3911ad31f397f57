//! Group commit: one thread owns the write side of the store. Every API request's last step —
//! an upload's confirmation and change, and every request's log entry — is a [`Job`] sent to
//! it; the thread takes whatever jobs are waiting (up to [`BATCH_MAX`]), runs them in one
//! `BEGIN IMMEDIATE` transaction (each upload under a savepoint of its own, so one that
//! fails rolls back alone), commits once, and only then answers each job. An answer is
//! therefore never sent for a change that is not committed, and the cost of a commit is
//! shared by every upload that arrived while the previous one was being written. A second
//! thread checkpoints the write-ahead log into the database file beside it, so that no commit
//! waits for a checkpoint's `fsync`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::oneshot;

use cert_preflight::StoreError;

use crate::log::Log;
use crate::request::{Handled, Prepared, Ran};
use crate::store::{Store, checkpoint, connect};

/// The most jobs one transaction takes.
const BATCH_MAX: usize = 512;

/// One request's last step and where its answer goes.
struct Job {
    prepared: Prepared,
    reply: oneshot::Sender<Handled>,
}

/// How often the checkpointer copies the write-ahead log into the database file (when
/// anything was committed since).
const CHECKPOINT_EVERY: Duration = Duration::from_millis(50);

/// The writer thread and the way to it, and the checkpointer thread.
pub(crate) struct Writer {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
    /// Closed to stop the checkpointer.
    stop_checkpoints: Option<mpsc::Sender<()>>,
    checkpointer: Option<JoinHandle<()>>,
}

impl Writer {
    /// Starts the thread that writes to `store` and, for a database file, the one that
    /// checkpoints it: a commit then never waits for the checkpoint's `fsync`.
    pub(crate) fn start(store: Arc<Mutex<Store>>, log: Log) -> Writer {
        let commits = Arc::new(AtomicU64::new(0));
        let (stop_checkpoints, checkpointer) = match store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .path()
        {
            Some(path) => {
                let (stop, stopped) = mpsc::channel::<()>();
                let thread =
                    start_checkpointer(path.to_path_buf(), commits.clone(), stopped, log.clone());
                (thread.is_some().then_some(stop), thread)
            }
            None => (None, None),
        };
        let (jobs, queue) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("store-writer".to_owned())
            .spawn(move || {
                while let Ok(first) = queue.recv() {
                    let mut batch = vec![first];
                    while batch.len() < BATCH_MAX {
                        match queue.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    write_batch(&store, batch, &log);
                    commits.fetch_add(1, Ordering::Relaxed);
                }
            })
            .ok();
        Writer {
            jobs: thread.is_some().then_some(jobs),
            thread,
            stop_checkpoints,
            checkpointer,
        }
    }

    /// Runs `prepared`'s last step in the next transaction; resolves once it is committed.
    pub(crate) async fn submit(&self, prepared: Prepared) -> Handled {
        let gone = || StoreError::new("the database writer has stopped");
        let Some(jobs) = &self.jobs else {
            return prepared.not_written(&gone());
        };
        let request_id = prepared.request_id().to_owned();
        let (reply, answer) = oneshot::channel();
        if let Err(mpsc::SendError(job)) = jobs.send(Job { prepared, reply }) {
            return job.prepared.not_written(&gone());
        }
        match answer.await {
            Ok(handled) => handled,
            Err(_) => Handled::lost(request_id, &gone()),
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Closing the channel ends the thread once the jobs already sent are written.
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.stop_checkpoints = None;
        if let Some(thread) = self.checkpointer.take() {
            let _ = thread.join();
        }
    }
}

/// Starts the checkpointer: every [`CHECKPOINT_EVERY`] when `commits` moved, a passive
/// checkpoint on a connection of its own; ends when `stop` is closed.
fn start_checkpointer(
    path: PathBuf,
    commits: Arc<AtomicU64>,
    stop: mpsc::Receiver<()>,
    log: Log,
) -> Option<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("store-checkpoint".to_owned())
        .spawn(move || {
            let conn = match connect(&path) {
                Ok(conn) => conn,
                Err(e) => {
                    log.note(&format!("no checkpointer ({e}); commits checkpoint"));
                    return;
                }
            };
            let mut seen = 0;
            while let Err(mpsc::RecvTimeoutError::Timeout) = stop.recv_timeout(CHECKPOINT_EVERY) {
                let now = commits.load(Ordering::Relaxed);
                if now != seen {
                    seen = now;
                    if let Err(e) = checkpoint(&conn) {
                        log.note(&format!("checkpoint: {e}"));
                    }
                }
            }
        })
        .ok()
}

/// Runs `batch` in one transaction and answers each job after the commit.
fn write_batch(store: &Mutex<Store>, batch: Vec<Job>, log: &Log) {
    let mut store = store
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut done = Vec::with_capacity(batch.len());
    let committed = match store.begin() {
        Err(e) => Err((
            e,
            batch.into_iter().map(|j| (j.reply, j.prepared)).collect(),
        )),
        Ok(mut tx) => {
            let mut jobs = batch.into_iter();
            let mut lost = false;
            for job in jobs.by_ref() {
                let request_id = job.prepared.request_id().to_owned();
                // A request that panics (a bug) is answered InternalError and leaves nothing:
                // the writer and the other requests of the batch go on.
                let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    job.prepared.run(&mut tx, log)
                }));
                let ran = ran.unwrap_or_else(|_| {
                    let _ = tx.rollback_to_mark();
                    let error = StoreError::new("the request's write panicked");
                    log.note(&format!("{error} (request {request_id})"));
                    let handled = Handled::lost(request_id, &error);
                    if let Err(e) = tx.log(&handled.log) {
                        log.note(&format!("cannot write the request log: {e}"));
                    }
                    Ran::failed(handled)
                });
                done.push((job.reply, ran));
                // SQLite may have rolled the whole transaction back (a full disk, an I/O
                // error): nothing more runs in it, and nothing of it is answered as stored.
                if tx.lost() {
                    lost = true;
                    break;
                }
            }
            let unrun: Vec<_> = jobs.map(|j| (j.reply, j.prepared)).collect();
            if lost {
                Err((
                    StoreError::new("the transaction was rolled back by SQLite"),
                    unrun,
                ))
            } else {
                tx.commit().map_err(|e| (e, unrun))
            }
        }
    };
    drop(store);
    match committed {
        Ok(()) => {
            for (reply, handled) in done {
                let _ = reply.send(handled.into_answer());
            }
        }
        Err((error, unrun)) => {
            log.note(&format!("cannot write to the database: {error}"));
            for (reply, handled) in done {
                let _ = reply.send(handled.rolled_back(&error));
            }
            for (reply, prepared) in unrun {
                let _ = reply.send(prepared.not_written(&error));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{Response, Work};
    use crate::store::Change;
    use cert_preflight::Product;

    fn job(prepared: Prepared) -> (Job, oneshot::Receiver<Handled>) {
        let (reply, answer) = oneshot::channel();
        (Job { prepared, reply }, answer)
    }

    /// A write that sets `domain`'s HTTPS (on with certificate `name`, or off) and is
    /// answered 200.
    fn sets_https(domain: &'static str, name: Option<&'static str>) -> Work {
        Box::new(move |tx, log, _to| {
            let change = name.map_or(Change::Off, |n| Change::On(n.to_owned()));
            tx.set_https(Product::Cdn, domain, &change)?;
            log.code = "OK".to_owned();
            Ok(Response::json(200, "{}".to_owned()))
        })
    }

    #[test]
    fn a_failing_write_rolls_back_alone_and_its_batch_commits() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Mutex::new(
            Store::open(Some(&dir.path().join("batch.sqlite"))).unwrap(),
        ));
        let failing: Work = Box::new(|tx, _log, _to| {
            tx.set_https(Product::Cdn, "a.example.com", &Change::On("a".to_owned()))?;
            Err(StoreError::new("the disk is full"))
        });
        let fine = sets_https("b.example.com", Some("b"));
        let (first, mut first_answer) = job(Prepared::write("REQUEST-A", failing));
        let (second, mut second_answer) = job(Prepared::write("REQUEST-B", fine));
        write_batch(&store, vec![first, second], &Log::stderr());

        let failed = first_answer.try_recv().unwrap();
        assert_eq!(failed.response.status, 500);
        let body = String::from_utf8(failed.response.body).unwrap();
        assert_eq!(
            body,
            "{\"RequestId\":\"REQUEST-A\",\"HostId\":\"localhost\",\"Code\":\"InternalError\",\
             \"Message\":\"The request processing has failed due to some unknown error, exception \
             or failure.\",\"Recommend\":\"https://api.aliyun.com/troubleshoot?q=InternalError\
             &product=Cdn&requestId=REQUEST-A\"}"
        );
        assert_eq!(
            failed.log.detail.as_deref(),
            Some("the state store failed: the disk is full")
        );
        let stored = second_answer.try_recv().unwrap();
        assert_eq!(stored.response.status, 200);

        let store = store.lock().unwrap();
        assert!(
            store
                .domain_certificate(Product::Cdn, "a.example.com")
                .unwrap()
                .is_none(),
            "the failed request's change is rolled back"
        );
        let b = store
            .domain_certificate(Product::Cdn, "b.example.com")
            .unwrap()
            .unwrap();
        assert_eq!(b.cert_name.as_deref(), Some("b"));
        let logged: Vec<(String, String, i64)> = store
            .recent_requests(10)
            .unwrap()
            .into_iter()
            .map(|e| (e.request_id, e.code, e.http_status))
            .collect();
        assert_eq!(
            logged,
            [
                ("REQUEST-B".to_owned(), "OK".to_owned(), 200),
                ("REQUEST-A".to_owned(), "InternalError".to_owned(), 500),
            ]
        );
    }

    #[test]
    fn a_write_that_panics_is_answered_and_the_writer_goes_on() {
        let store = Arc::new(Mutex::new(Store::open(None).unwrap()));
        let panics: Work = Box::new(|tx, _log, _to| {
            tx.set_https(Product::Cdn, "a.example.com", &Change::Off)?;
            panic!("a bug");
        });
        let fine = sets_https("b.example.com", None);
        let (first, mut first_answer) = job(Prepared::write("REQUEST-A", panics));
        let (second, mut second_answer) = job(Prepared::write("REQUEST-B", fine));
        write_batch(&store, vec![first, second], &Log::stderr());
        let failed = first_answer.try_recv().unwrap();
        assert_eq!(failed.response.status, 500);
        assert_eq!(failed.log.code, "InternalError");
        assert_eq!(second_answer.try_recv().unwrap().response.status, 200);
        let store = store.lock().unwrap();
        assert!(
            store
                .domain_certificate(Product::Cdn, "a.example.com")
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .domain_certificate(Product::Cdn, "b.example.com")
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn a_full_disk_that_ends_the_transaction_stores_nothing_and_answers_every_write_so() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Mutex::new(
            Store::open(Some(&dir.path().join("full.sqlite"))).unwrap(),
        ));
        // SQLite rolls the whole transaction back on SQLITE_FULL: the savepoints go with it.
        let full: Work = Box::new(|tx, _log, _to| {
            tx.raw("PRAGMA max_page_count = 1")?;
            let inserted = tx.raw(
                "INSERT INTO requests (time, code, millis, detail)
                 VALUES ('t', 'c', 0, hex(zeroblob(200000)))",
            );
            tx.raw("PRAGMA max_page_count = 1073741823")?;
            inserted?;
            Ok(Response::json(200, "{}".to_owned()))
        });
        let fine = sets_https("b.example.com", Some("b"));
        let (first, mut first_answer) = job(Prepared::write("REQUEST-A", full));
        let (second, mut second_answer) = job(Prepared::write("REQUEST-B", fine));
        write_batch(&store, vec![first, second], &Log::stderr());
        let a = first_answer.try_recv().unwrap();
        let b = second_answer.try_recv().unwrap();
        assert_eq!((a.response.status, b.response.status), (500, 500));
        assert_eq!(b.log.code, "InternalError");
        let guard = store.lock().unwrap();
        assert!(
            guard
                .domain_certificate(Product::Cdn, "b.example.com")
                .unwrap()
                .is_none(),
            "a write answered InternalError is not stored"
        );
        drop(guard);
        // The writer goes on: the next batch commits.
        let again = sets_https("c.example.com", None);
        let (third, mut third_answer) = job(Prepared::write("REQUEST-C", again));
        write_batch(&store, vec![third], &Log::stderr());
        assert_eq!(third_answer.try_recv().unwrap().response.status, 200);
        assert!(
            store
                .lock()
                .unwrap()
                .domain_certificate(Product::Cdn, "c.example.com")
                .unwrap()
                .is_some()
        );
    }
}

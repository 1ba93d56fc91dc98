//! The server's side of the shared quote index (`crate::db`): with `database` set for a
//! folder, the other versions of its open documents also come from the index, asked by one
//! task of its own ([`lookup_loop`]), never on a handler's path. Handlers change the state
//! under the lock and wake the task; the task reads what to ask under the lock, asks the
//! database with no lock held (each statement bounded by [`LOOKUP_TIMEOUT`], on the server and
//! here; at most one round per [`MIN_INTERVAL`], the changes meanwhile gathered), parses the
//! answer on a blocking thread (with where each copy is shown: the file at its stored path,
//! absolute or under the folder's root, when that file holds the same text, else its
//! `verbatim-index://` name, `db::Shown`), then puts the copies in the folders
//! (`state::Folder::place_remote`: a file of the folder or an open buffer wins over the index's
//! copy of the same path), collates the stories whole and wakes the publisher.
//!
//! Failure: a database that cannot be reached, refuses or does not answer in time leaves its
//! folders with their own files only (the index's copies leave), tells the user once
//! (`window/showMessage` and the log, the connection string without its password), and is
//! tried again after a pause that doubles up to [`RETRY_MAX`], not on every keystroke. When it
//! answers again the copies come back, the diagnostics are published again and the log says
//! so.

use super::server::Shared;
use crate::db::{self, Database, DbError, Lookup};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::time::Instant;
use tower_lsp::Client;
use tower_lsp::lsp_types::MessageType;

/// The bound on each statement of a lookup, and on connecting.
pub const LOOKUP_TIMEOUT: Duration = Duration::from_secs(5);

/// For tests only: `VERBATIM_TEST_DB_TIMEOUT_MS` replaces [`LOOKUP_TIMEOUT`], so that a test
/// of a database that does not answer need not wait as long. Unset, [`LOOKUP_TIMEOUT`].
fn lookup_timeout() -> Duration {
    test_knob("VERBATIM_TEST_DB_TIMEOUT_MS").unwrap_or(LOOKUP_TIMEOUT)
}

/// A duration in milliseconds from the environment variable `name`, when it is set.
fn test_knob(name: &str) -> Option<Duration> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
}

/// At most one round of lookups per this long: a typist changes the story print at almost
/// every word, and many editors share one database (`docs/scale.md`). Changes in between
/// are gathered into the next round.
const MIN_INTERVAL: Duration = Duration::from_millis(500);

/// The first pause before trying an unreachable database again; each failure doubles it.
const RETRY_FIRST: Duration = Duration::from_millis(500);

/// The longest pause between two tries.
const RETRY_MAX: Duration = Duration::from_secs(30);

/// For tests only: `VERBATIM_TEST_DB_RETRY_MAX_MS` caps the pause between tries, so that a
/// test sees the server recover soon after it restarts the database. Unset, [`RETRY_MAX`].
fn retry_max() -> Duration {
    test_knob("VERBATIM_TEST_DB_RETRY_MAX_MS").unwrap_or(RETRY_MAX)
}

/// One database (by connection string): its connection, and whether it is down.
struct Link {
    url: String,
    db: Option<Database>,
    /// Failures in a row.
    failures: u32,
    /// While down: when to try again.
    retry_at: Option<Instant>,
}

impl Link {
    fn new(url: &str) -> Link {
        Link {
            url: url.to_string(),
            db: None,
            failures: 0,
            retry_at: None,
        }
    }

    /// Asks `lookup`, connecting first when there is no connection.
    async fn ask(&mut self, lookup: &Lookup) -> Result<Vec<db::StoredDocument>, DbError> {
        if self.db.is_none() {
            self.db = Some(Database::connect_for_lookups(&self.url, lookup_timeout()).await?);
        }
        match &self.db {
            Some(db) => lookup.run(db).await,
            None => Ok(Vec::new()),
        }
    }

    /// Whether the link waits for its next try.
    fn waiting(&self, now: Instant) -> bool {
        self.retry_at.is_some_and(|at| at > now)
    }

    /// After a failure: no connection, the next try after a longer pause.
    fn failed(&mut self) {
        self.db = None;
        let pause = RETRY_FIRST
            .saturating_mul(1 << self.failures.min(16))
            .min(retry_max());
        self.failures += 1;
        self.retry_at = Some(Instant::now() + pause);
    }
}

/// The task that asks the shared index for the other versions of the open documents: see the
/// module comment. Woken through [`Shared::lookup`] and by its own retry timer; a new
/// [`Shared::lookup_epoch`] (the re-index command) asks every question again.
pub async fn lookup_loop(shared: Arc<Shared>, client: Client) {
    let mut links: HashMap<String, Link> = HashMap::new();
    // The last lookup answered per folder: the same question is not asked again.
    let mut answered: HashMap<Option<PathBuf>, (String, Lookup)> = HashMap::new();
    let mut epoch = 0;
    let mut last_round: Option<Instant> = None;
    loop {
        // A try already due but not made (no document asked for that database) waits for the
        // next change instead: the timer never fires in the past.
        let retry = links
            .values()
            .filter_map(|l| l.retry_at)
            .filter(|at| *at > Instant::now())
            .min();
        match retry {
            Some(at) => {
                tokio::select! {
                    _ = shared.lookup.notified() => {}
                    _ = tokio::time::sleep_until(at) => {}
                }
            }
            None => shared.lookup.notified().await,
        }
        if let Some(next) = last_round.map(|at| at + MIN_INTERVAL)
            && next > Instant::now()
        {
            tokio::time::sleep_until(next).await;
        }
        let now_epoch = shared.lookup_epoch.load(Ordering::SeqCst);
        if now_epoch != epoch {
            epoch = now_epoch;
            answered.clear();
        }
        let jobs = {
            let state = shared.lock();
            catch_unwind(AssertUnwindSafe(|| state.lookups())).unwrap_or_default()
        };
        let mut answers: Vec<(Option<PathBuf>, Vec<db::Version>)> = Vec::new();
        let now = Instant::now();
        for (root, url, lookup) in jobs {
            if lookup.is_empty() {
                if answered.remove(&root).is_some() {
                    answers.push((root, Vec::new()));
                }
                continue;
            }
            if answered.get(&root) == Some(&(url.clone(), lookup.clone())) {
                continue;
            }
            let link = links.entry(url.clone()).or_insert_with(|| Link::new(&url));
            if link.waiting(now) {
                continue; // down: the folder serves alone until the next try
            }
            last_round = Some(Instant::now());
            match link.ask(&lookup).await {
                Ok(stored) => {
                    if link.failures > 0 {
                        let message = format!(
                            "verbatim: the shared index {} answers again; the other versions \
                             come from it again",
                            db::url::redact(&url)
                        );
                        tracing::info!("{message}");
                        client.log_message(MessageType::INFO, message).await;
                    }
                    link.failures = 0;
                    link.retry_at = None;
                    tracing::debug!("{} other versions from the index", stored.len());
                    let (shown_url, base) = (url.clone(), root.clone());
                    let docs = tokio::task::spawn_blocking(move || {
                        db::parse_stored(&stored, &shown_url, base.as_deref())
                    })
                    .await
                    .unwrap_or_default();
                    answered.insert(root.clone(), (url, lookup));
                    answers.push((root, docs));
                }
                Err(e) => {
                    if link.failures == 0 {
                        let message = format!(
                            "verbatim: {e}. Checking against the open folder's files only \
                             until the shared index answers again (tried again in the \
                             background)"
                        );
                        tracing::warn!("{message}");
                        client
                            .show_message(MessageType::WARNING, message.clone())
                            .await;
                        client.log_message(MessageType::WARNING, message).await;
                    } else {
                        tracing::debug!("{e}");
                    }
                    link.failed();
                    answered.remove(&root);
                    answers.push((root, Vec::new()));
                }
            }
        }
        if answers.is_empty() {
            continue;
        }
        let changed = tokio::task::block_in_place(|| {
            let mut state = shared.lock();
            for (root, docs) in answers {
                state.remote.insert(root, docs);
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let changed = state.place_remote();
                if changed {
                    for folder in &mut state.folders {
                        folder.refresh_whole();
                    }
                }
                changed
            }));
            outcome.unwrap_or_else(|panic| {
                tracing::error!(
                    "placing the index's versions failed: internal error: {}",
                    super::server::panic_message(&*panic)
                );
                false
            })
        });
        if changed {
            shared.wake.notify_one();
        }
    }
}

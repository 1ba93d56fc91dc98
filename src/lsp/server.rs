//! The protocol handlers: tower-lsp's `LanguageServer` over the shared [`State`].
//!
//! Ordering: every notification that changes documents (didOpen/didChange/didClose, watched
//! files) mutates the state synchronously under one `std::sync::Mutex` before its first
//! `.await`, so tower-lsp's concurrent handlers cannot reorder edits. Diagnostics are computed
//! by one publisher task, woken after each change; it works on the state as it is when it
//! wakes (coalescing bursts of edits), tags each publication with the document's version, and
//! drops one whose document changed again meanwhile (the next round publishes the newer one).
//!
//! Indexing: a run reads every workspace folder through the engine's session
//! ([`crate::host::AnalysisHost`], via `state::Folder`) in a task of its own, chunk by chunk
//! on a blocking thread, with `$/progress` when the client supports it, and swaps the new
//! folders in when they are collated. The first run does not make an opened document wait for
//! the whole folder: its likely story (its directory, and the files holding its quoted words)
//! is read and collated first and its diagnostics published at once; when the whole folder
//! changes its findings it is published again. A run stops between chunks, its progress
//! ending with "cancelled", when the client shuts down or a newer run is asked for (folders
//! or configuration changed).
//!
//! What the handlers read only grows while the folders are indexed: the folders serving them
//! are replaced only by folders built and collated aside (a run's primed stories at its start,
//! the whole folders at its end), in one step under the lock, never by empty ones; documents
//! opened in between are added to them, and buffers put in are collated whole, not under the
//! keystroke bound. So a request answered after a document's diagnostics were published sees
//! at least the stories those diagnostics came from, even when a second run replaces a first
//! that had already primed and published them (Neovim's `didChangeConfiguration` right after
//! `initialized` does that).
//!
//! Robustness: engine calls run inside `catch_unwind`; a panic or a bad position answers that
//! one request with an error and the server carries on. Nothing is written to disk.

use super::convert;
use super::features;
use super::settings;
use super::state::{Folder, State, locate_in};
use super::store::{ChangeError, TextChange};
use crate::config::StoryMode;
use crate::corpus::probe::Probe;
use crate::document::{Document, Span};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::Notify;
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types::notification::Progress;
use tower_lsp::lsp_types::request::WorkDoneProgressCreate;
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

/// The command that re-reads every workspace folder from disk (for files changed behind the
/// watcher's back). Not `verbatim.reindex`: the VS Code extension owns that id and calls this.
pub const REINDEX_COMMAND: &str = "verbatim.server.reindex";

/// At most this many files of a folder are read ahead of the rest as an opened document's
/// likely story (besides those of its own directory).
pub const PRIME_FILES: usize = 64;

/// The files of `folder` worth reading before the rest for the open document `doc` (whose file
/// is `file`). With `stories = "folder"`, the other files of its directory: its story. When
/// stories are found by content, the files whose text scores on the document's [`Probe`], best
/// first, and the files of its directory when there are few; at most [`PRIME_FILES`] of each.
fn related_files(folder: &Folder, files: &[PathBuf], file: &Path, doc: &Document) -> Vec<PathBuf> {
    let dir = file.parent();
    let (mut related, mut elsewhere): (Vec<PathBuf>, Vec<PathBuf>) = files
        .iter()
        .filter(|f| f.as_path() != file)
        .cloned()
        .partition(|f| f.parent() == dir);
    if folder.config.stories == StoryMode::Folder {
        return related;
    }
    if related.len() > PRIME_FILES {
        // A flat folder of many stories: the probe decides there too.
        elsewhere.append(&mut related);
    }
    let probe = Probe::of(doc);
    if probe.patterns() > 0 {
        let scores = crate::workspace::scan(&elsewhere, &folder.config, &|t| probe.score(t));
        let mut scored: Vec<(usize, &PathBuf)> = scores
            .into_iter()
            .zip(&elsewhere)
            .filter_map(|(score, f)| Some((score?, f)))
            .filter(|(score, _)| probe.is_related(*score))
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        related.extend(scored.into_iter().take(PRIME_FILES).map(|(_, f)| f.clone()));
    }
    related
}

/// How long edits must pause before a story collated under the keystroke bound
/// (`keystroke_quotes`) is collated whole.
pub const SETTLE_AFTER: std::time::Duration = std::time::Duration::from_millis(400);

/// For tests only: with the environment variable `VERBATIM_TEST_INDEX_PAUSE_MS` set, every
/// indexing run pauses that long before each chunk of files (before priming the documents
/// opened meanwhile), so that a test can send requests while a run is in the middle of a folder
/// whatever the machine's speed. Unset, no pause.
fn index_pause() -> Option<std::time::Duration> {
    std::env::var("VERBATIM_TEST_INDEX_PAUSE_MS")
        .ok()?
        .parse()
        .ok()
        .map(std::time::Duration::from_millis)
}

/// What the client said it can do, recorded at `initialize`.
#[derive(Debug, Clone, Copy, Default)]
struct ClientAbilities {
    dynamic_watch: bool,
    progress: bool,
}

/// Everything the handlers and background tasks share.
pub struct Shared {
    state: Mutex<State>,
    /// Wakes the publisher after a change.
    pub(super) wake: Notify,
    /// Held by whoever collates and publishes a round ([`publish_round`]): the publisher, or
    /// a `didChange` handler that finds it idle, so publications leave in the order they were
    /// computed.
    publishing: tokio::sync::Mutex<()>,
    /// Wakes the shared index's lookups ([`super::database::lookup_loop`]) after a change.
    pub(super) lookup: Notify,
    /// Bumped by each re-index: the lookups are all asked again (the index may hold new
    /// versions).
    pub(super) lookup_epoch: AtomicU64,
    abilities: Mutex<ClientAbilities>,
    /// Serialises indexing runs (initial, configuration or folder changes).
    indexing: tokio::sync::Mutex<()>,
    index_runs: AtomicU64,
    /// Indexing runs asked for so far: a run stops when a newer one is asked for.
    index_requests: AtomicU64,
    watcher: Mutex<Option<Watcher>>,
    pub shutdown_requested: AtomicBool,
}

struct Watcher {
    inner: notify::RecommendedWatcher,
    roots: Vec<PathBuf>,
}

#[derive(Clone)]
pub struct Backend {
    client: Client,
    pub shared: Arc<Shared>,
}

/// Parameters of the `verbatim/documentText` request: the server's copy of an open buffer
/// (for tests and debugging).
#[derive(Debug, Deserialize)]
pub struct DocumentTextParams {
    pub uri: Url,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentText {
    pub version: i32,
    pub text: String,
    /// `false` after an edit that could not be applied, until the whole text comes again.
    pub in_sync: bool,
}

/// Parameters of the `verbatim/indexDocument` request: a version known only from the shared
/// index, by the `verbatim-index://` URI that diagnostics and hovers name it by.
#[derive(Debug, Deserialize)]
pub struct IndexDocumentParams {
    pub uri: Url,
}

/// The answer to `verbatim/indexDocument`: the version's text as the index holds it (what was
/// collated), and its path as stored. Editors show it read-only under its URI.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexDocument {
    pub text: String,
    pub path: String,
}

pub(super) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            wake: Notify::new(),
            publishing: tokio::sync::Mutex::new(()),
            lookup: Notify::new(),
            lookup_epoch: AtomicU64::new(0),
            abilities: Mutex::new(ClientAbilities::default()),
            indexing: tokio::sync::Mutex::new(()),
            index_runs: AtomicU64::new(0),
            index_requests: AtomicU64::new(0),
            watcher: Mutex::new(None),
            shutdown_requested: AtomicBool::new(false),
        });
        tokio::spawn(publish_loop(shared.clone(), client.clone()));
        tokio::spawn(super::database::lookup_loop(shared.clone(), client.clone()));
        Backend { client, shared }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shared.lock()
    }

    /// Runs a change to the state under the lock, catching panics (logged), then wakes the
    /// publisher. Never awaits.
    fn mutate(&self, what: &str, f: impl FnOnce(&mut State)) {
        self.change(what, f);
        self.shared.wake.notify_one();
    }

    /// [`Backend::mutate`] but for waking the publisher: the caller publishes (or wakes it).
    fn change(&self, what: &str, f: impl FnOnce(&mut State)) {
        let lookups = {
            let mut state = self.lock();
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| f(&mut state))) {
                tracing::error!("{what}: internal error: {}", panic_message(&*panic));
            }
            state.uses_index()
        };
        // Without a shared index, a keystroke wakes no lookup task (one thread woken less).
        if lookups {
            self.shared.lookup.notify_one();
        }
    }

    /// Publishes the round an edit asks for on this task when no round is under way (no
    /// thread to wake on a keystroke's path); else wakes the publisher, which runs one after.
    async fn publish_after_edit(&self) {
        let Ok(_round) = self.shared.publishing.try_lock() else {
            self.shared.wake.notify_one();
            return;
        };
        publish_round(&self.shared, &self.client).await;
        // A story collated under the keystroke bound waits for edits to pause: the publisher
        // keeps that time.
        if self.lock().unsettled() {
            self.shared.wake.notify_one();
        }
    }

    /// Answers a request from the state, with fresh collation. An `Err(message)` becomes an
    /// invalid-params error; a panic an internal error. Either way the server lives on.
    fn query<T>(&self, f: impl FnOnce(&State) -> std::result::Result<T, String>) -> Result<T> {
        let mut state = self.lock();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            for folder in &mut state.folders {
                folder.refresh();
            }
            f(&state)
        }));
        match outcome {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(message)) => Err(Error::invalid_params(message)),
            Err(panic) => {
                let message = panic_message(&*panic);
                tracing::error!("request failed: internal error: {message}");
                Err(Error {
                    code: ErrorCode::InternalError,
                    message: format!("internal error: {message}").into(),
                    data: None,
                })
            }
        }
    }

    /// The folder, document and quote under a position, if any.
    fn quote_at(
        state: &State,
        uri: &Url,
        pos: Position,
    ) -> std::result::Result<Option<(usize, usize, usize)>, String> {
        state.in_step(uri)?;
        let Some((f, id)) = state.find(uri) else {
            return Ok(None);
        };
        let offset = state.offset_in(f, id, pos)?;
        Ok(state.folders[f].quote_at(id, offset).map(|q| (f, id, q)))
    }

    /// A request that panics inside the engine guard (in-process tests of robustness only).
    #[cfg(test)]
    pub async fn test_panic(&self, _: Value) -> Result<()> {
        self.query(|_| -> std::result::Result<(), String> { panic!("deliberate test panic") })
    }

    pub async fn document_text(&self, params: DocumentTextParams) -> Result<Option<DocumentText>> {
        let state = self.lock();
        Ok(state.open.get(&params.uri).map(|d| DocumentText {
            version: d.version,
            text: d.text(),
            in_sync: d.in_sync,
        }))
    }

    /// The text of a version known only from the shared index (`verbatim/indexDocument`), so
    /// that an editor can open the `verbatim-index://` URI a finding names: from the index's
    /// last answer, never from disk or a new query.
    pub async fn index_document(&self, params: IndexDocumentParams) -> Result<IndexDocument> {
        let state = self.lock();
        state
            .index_document(&params.uri)
            .map(|(path, text)| IndexDocument { text, path })
            .ok_or_else(|| {
                Error::invalid_params(format!(
                    "{} is not a version this server has from the shared index (it holds the \
                     other versions of the open documents only, as the index last gave them)",
                    params.uri
                ))
            })
    }

    /// Asks for an indexing run of every workspace folder (in a task of its own). A run still
    /// going, or still waiting for its turn, is cancelled: only the latest request counts. The
    /// shared index is asked again too (it may hold new versions).
    fn reindex(&self) {
        self.shared.lookup_epoch.fetch_add(1, Ordering::SeqCst);
        let ticket = self.index_ticket();
        let this = self.clone();
        tokio::spawn(async move { this.index(ticket).await });
    }

    /// A ticket for the next indexing run; it cancels every earlier one.
    fn index_ticket(&self) -> u64 {
        self.shared.index_requests.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Whether the run asked for by `ticket` should stop: the client is shutting down, or a
    /// newer run was asked for (the folders or the configuration changed).
    fn index_cancelled(&self, ticket: u64) -> bool {
        self.shared.shutdown_requested.load(Ordering::SeqCst)
            || self.shared.index_requests.load(Ordering::SeqCst) != ticket
    }

    /// Indexes every workspace folder (again), with work-done progress, then lets the
    /// publisher publish. Later runs wait for earlier ones, and cancel them (between chunks of
    /// files). While the folders have never been indexed, a document the client opens has its
    /// story read and collated first ([`Backend::prime`]) and its diagnostics published at
    /// once; the rest of the folder is read after it, and the document is published again if
    /// the whole folder changes its findings.
    async fn index(&self, ticket: u64) {
        let _running = self.shared.indexing.lock().await;
        if self.index_cancelled(ticket) {
            return;
        }
        let run = self.shared.index_runs.fetch_add(1, Ordering::SeqCst) + 1;
        let abilities = *self
            .shared
            .abilities
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let progress = if abilities.progress {
            let token = NumberOrString::String(format!("verbatim/index/{run}"));
            let created = self
                .client
                .send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams {
                    token: token.clone(),
                })
                .await;
            created.is_ok().then_some(token)
        } else {
            None
        };
        self.progress(
            &progress,
            WorkDoneProgress::Begin(WorkDoneProgressBegin {
                title: "Indexing stories".into(),
                cancellable: Some(false),
                message: None,
                percentage: Some(0),
            }),
        )
        .await;
        let end = |message: String| {
            WorkDoneProgress::End(WorkDoneProgressEnd {
                message: Some(message),
            })
        };

        let (roots, client_settings) = {
            let state = self.lock();
            (state.roots.clone(), state.settings.clone())
        };
        // Configuration and file lists first, so the percentage is over every file.
        let mut plans = Vec::new();
        for root in &roots {
            let loaded = settings::load(Some(root), &client_settings);
            for warning in &loaded.warnings {
                tracing::warn!("{warning}");
                self.client
                    .log_message(MessageType::WARNING, format!("verbatim: {warning}"))
                    .await;
            }
            let folder = Folder::new(Some(root.clone()), loaded.config);
            let (files, warnings) =
                tokio::task::block_in_place(|| crate::workspace::discover(root, &folder.config));
            self.report_walk(root, &warnings).await;
            plans.push((folder, files));
        }
        let loose = settings::load(None, &client_settings);
        // Never indexed yet: until the whole folders are read, the documents open are served by
        // folders holding their stories only. Those are built and collated aside, then put in
        // place of the folders serving now in one step: a request or a publication never meets
        // a folder emptier than the one before (an earlier run, cancelled for this one, may
        // have primed and published the documents already). Documents opened later are primed
        // between chunks.
        let first = !self.lock().indexed;
        if first {
            let staged = tokio::task::block_in_place(|| self.stage(&plans, &loose.config));
            if self.index_cancelled(ticket) {
                self.progress(&progress, end("cancelled".into())).await;
                return;
            }
            self.install(staged);
            self.shared.wake.notify_one();
        }
        let total: usize = plans.iter().map(|p| p.1.len()).sum();
        let pause = index_pause();
        let mut done = 0;
        let mut reported = 0;
        for p in 0..plans.len() {
            for start in (0..plans[p].1.len()).step_by(64) {
                if let Some(pause) = pause {
                    tokio::time::sleep(pause).await;
                }
                if first {
                    self.prime(&plans);
                }
                if self.index_cancelled(ticket) {
                    self.progress(&progress, end("cancelled".into())).await;
                    return;
                }
                let (folder, files) = &mut plans[p];
                let chunk = &files[start..(start + 64).min(files.len())];
                let read = tokio::task::block_in_place(|| {
                    catch_unwind(AssertUnwindSafe(|| folder.read_files(chunk)))
                });
                match read {
                    Ok(warnings) => warnings.iter().for_each(|w| tracing::warn!("{w}")),
                    Err(panic) => tracing::error!(
                        "reading failed: internal error: {}",
                        panic_message(&*panic)
                    ),
                }
                done += chunk.len();
                // Reading is the first 90%, collation the rest.
                let percentage = (done * 90 / total.max(1)) as u32;
                if percentage > reported {
                    reported = percentage;
                    self.progress(
                        &progress,
                        WorkDoneProgress::Report(WorkDoneProgressReport {
                            cancellable: Some(false),
                            message: Some(format!("{done}/{total} files")),
                            percentage: Some(percentage),
                        }),
                    )
                    .await;
                }
            }
        }
        if first {
            self.prime(&plans);
        }
        // Collate every story now, outside the lock, so the first diagnostics do not stall
        // the handlers.
        for (folder, _) in &mut plans {
            if self.index_cancelled(ticket) {
                self.progress(&progress, end("cancelled".into())).await;
                return;
            }
            let outcome = tokio::task::block_in_place(|| {
                catch_unwind(AssertUnwindSafe(|| folder.refresh_whole()))
            });
            if let Err(panic) = outcome {
                tracing::error!(
                    "collation failed: internal error: {}",
                    panic_message(&*panic)
                );
            }
        }
        self.progress(
            &progress,
            WorkDoneProgress::Report(WorkDoneProgressReport {
                cancellable: Some(false),
                message: Some(format!("{total}/{total} files, stories collated")),
                percentage: Some(100),
            }),
        )
        .await;
        {
            let mut state = self.lock();
            let mut folders = vec![Folder::new(None, loose.config)];
            folders.extend(plans.into_iter().map(|p| p.0));
            state.folders = folders;
            let open: Vec<Url> = state.open.uris().cloned().collect();
            for uri in &open {
                state.sync_buffer(uri);
            }
            // The shared index's last answers, in the new folders.
            state.place_remote();
            // The open buffers' stories whole now, not under the keystroke bound at the next
            // refresh: the whole folder's answer is never partial where the primed one was not.
            collate_whole(&mut state);
            state.indexed = true;
            state.primed.clear();
        }
        self.shared.lookup.notify_one();
        self.watch_roots(&roots, abilities);
        self.progress(&progress, end(format!("{total} files")))
            .await;
        self.shared.wake.notify_one();
    }

    /// The folders that serve the documents open now while the first indexing run reads the
    /// rest: for each plan an empty folder with its configuration (and one for loose files),
    /// holding each open document's likely story ([`related_files`]) and its buffer, collated
    /// whole. Built aside from the state (blocking: call inside `block_in_place`); see
    /// [`Backend::install`].
    fn stage(&self, plans: &[(Folder, Vec<PathBuf>)], loose: &crate::config::Config) -> Staged {
        let mut folders = vec![Folder::new(None, loose.clone())];
        folders.extend(
            plans
                .iter()
                .map(|(f, _)| Folder::new(f.root.clone(), f.config.clone())),
        );
        // The open documents as the corpus has them now (a buffer out of step keeps its last
        // text there), each placed in the new folders.
        let open: Vec<(Url, usize, Document)> = {
            let state = self.lock();
            state
                .open
                .uris()
                .filter_map(|uri| {
                    let (f, id) = state.find(uri)?;
                    let text = state.folders[f].corpus().get(id)?.text.clone();
                    let (g, path) = locate_in(&folders, uri);
                    Some((uri.clone(), g, (path, text)))
                })
                .collect::<Vec<_>>()
        }
        .into_iter()
        .filter_map(|(uri, g, (path, text))| {
            let doc = catch_unwind(AssertUnwindSafe(|| Document::parse(path, text))).ok()?;
            Some((uri, g, doc))
        })
        .collect();
        for (uri, g, doc) in &open {
            let started = std::time::Instant::now();
            // Folder 0 holds the files outside every workspace folder: nothing to read.
            let (Some((plan, files)), Ok(file)) = (
                g.checked_sub(1).and_then(|p| plans.get(p)),
                uri.to_file_path(),
            ) else {
                continue;
            };
            let docs = catch_unwind(AssertUnwindSafe(|| {
                let related = related_files(plan, files, &file, doc);
                crate::workspace::read_documents(
                    &related,
                    &plan.config,
                    plan.root.as_deref(),
                    &|| {},
                )
                .0
            }))
            .unwrap_or_default();
            tracing::debug!(
                "{uri}: {} related files read ahead of the folder in {:?}",
                docs.len(),
                started.elapsed()
            );
            folders[*g].add_documents(docs);
        }
        // The buffers last: an open document wins over its file.
        let mut docs = Vec::new();
        for (uri, g, doc) in open {
            docs.push((uri, doc.text.clone()));
            folders[g].add_documents(vec![doc]);
        }
        for folder in &mut folders {
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| folder.refresh_whole())) {
                tracing::error!(
                    "collation failed: internal error: {}",
                    panic_message(&*panic)
                );
            }
        }
        Staged { folders, docs }
    }

    /// Puts staged folders in place of the ones serving, under the lock: the buffers edited or
    /// opened since they were staged are put in them (and their stories collated whole), and
    /// the documents staged are primed.
    fn install(&self, staged: Staged) {
        let mut state = self.lock();
        state.folders = staged.folders;
        let staged: HashMap<Url, String> = staged.docs.into_iter().collect();
        let open: Vec<Url> = state.open.uris().cloned().collect();
        for uri in &open {
            let text = state.open.get(uri).map(|d| d.text());
            if staged.get(uri) != text.as_ref() {
                state.sync_buffer(uri);
            }
        }
        state.place_remote();
        collate_whole(&mut state);
        self.shared.lookup.notify_one();
        state.primed = open
            .into_iter()
            .filter(|u| staged.contains_key(u))
            .collect();
    }

    /// Reads the likely story of each document opened since the last call into the folders
    /// that serve while the first indexing run goes on, so that its diagnostics can be
    /// published before the rest of the folder is read: the files of the document's own
    /// directory, and (with `stories = "auto"`) the files whose text holds runs of its quoted
    /// words ([`Probe`], at most [`PRIME_FILES`] of them, best first). Blocking; call between
    /// chunks of the indexing run.
    fn prime(&self, plans: &[(Folder, Vec<PathBuf>)]) {
        let pending: Vec<(Url, usize, Document)> = {
            let state = self.lock();
            state
                .open
                .uris()
                .filter(|u| !state.primed.contains(*u))
                .map(|u| {
                    let (f, path) = state.locate(u);
                    let folder = &state.folders[f];
                    let doc = folder
                        .corpus()
                        .id_of(&path)
                        .and_then(|id| folder.corpus().get(id))
                        .cloned();
                    (u.clone(), f, doc)
                })
                .filter_map(|(u, f, doc)| Some((u, f, doc?)))
                .collect()
        };
        for (uri, f, doc) in pending {
            let started = std::time::Instant::now();
            // Folder 0 holds the files outside every workspace folder: nothing to read.
            let plan = f.checked_sub(1).and_then(|p| plans.get(p));
            let docs = match (plan, uri.to_file_path()) {
                (Some((folder, files)), Ok(file)) => tokio::task::block_in_place(|| {
                    catch_unwind(AssertUnwindSafe(|| {
                        let related = related_files(folder, files, &file, &doc);
                        crate::workspace::read_documents(
                            &related,
                            &folder.config,
                            folder.root.as_deref(),
                            &|| {},
                        )
                        .0
                    }))
                    .unwrap_or_default()
                }),
                _ => Vec::new(),
            };
            let read = docs.len();
            let mut state = self.lock();
            if state.indexed {
                return;
            }
            state.folders[f].add_documents(docs);
            let open: Vec<Url> = state.open.uris().cloned().collect();
            for other in &open {
                state.sync_buffer(other); // an open buffer wins over its file
            }
            // Read files, not a keystroke: the story is collated whole.
            let folder = &mut state.folders[f];
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| folder.refresh_whole())) {
                tracing::error!(
                    "collation failed: internal error: {}",
                    panic_message(&*panic)
                );
            }
            state.primed.insert(uri.clone());
            drop(state);
            tracing::debug!(
                "{uri}: {read} related files read ahead of the folder in {:?}",
                started.elapsed()
            );
            self.shared.wake.notify_one();
        }
    }

    /// Tells the user what a folder walk left out: every warning goes to the log, and what
    /// they can change (the `max_files` cap, virtual file systems, links out of the folder)
    /// also to a message the editor shows, with how to configure it.
    async fn report_walk(&self, root: &Path, warnings: &[crate::workspace::Warning]) {
        use crate::workspace::WarningKind;
        let mut shown = Vec::new();
        let mut links = Vec::new();
        let mut virtual_folders = Vec::new();
        for warning in warnings {
            tracing::warn!("{warning}");
            self.client
                .log_message(MessageType::WARNING, format!("verbatim: {warning}"))
                .await;
            match warning.kind {
                WarningKind::TooManyFiles => shown.push(format!(
                    "{}: {} (or set verbatim's max_files in the editor's settings)",
                    root.display(),
                    warning.message
                )),
                WarningKind::LinkOutside => links.extend(warning.path.clone()),
                WarningKind::VirtualFileSystem => virtual_folders.extend(warning.path.clone()),
                _ => {}
            }
        }
        if !virtual_folders.is_empty() {
            shown.push(format!(
                "skipped {} (virtual file systems, not articles)",
                virtual_folders.join(", ")
            ));
        }
        if !links.is_empty() {
            shown.push(format!(
                "skipped {} link(s) to files outside {} ({}); set follow_links_outside = true \
                 in verbatim.toml (or the editor's settings) to follow them",
                links.len(),
                root.display(),
                links.join(", ")
            ));
        }
        if !shown.is_empty() {
            self.client
                .show_message(
                    MessageType::WARNING,
                    crate::text::terminal::escape(&format!("verbatim: {}", shown.join("; ")))
                        .into_owned(),
                )
                .await;
        }
    }

    async fn progress(&self, token: &Option<NumberOrString>, value: WorkDoneProgress) {
        if let Some(token) = token {
            self.client
                .send_notification::<Progress>(ProgressParams {
                    token: token.clone(),
                    value: ProgressParamsValue::WorkDone(value),
                })
                .await;
        }
    }

    /// Without dynamic registration of watched files, watch the roots with `notify`.
    fn watch_roots(&self, roots: &[PathBuf], abilities: ClientAbilities) {
        if abilities.dynamic_watch {
            return;
        }
        let mut slot = self
            .shared
            .watcher
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Vec<PathBuf>>();
            let made = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                // Opening or reading a file is no change to it (and the server's own reads
                // of verbatim.toml would otherwise re-index it again and again).
                if let Ok(event) = event
                    && !matches!(event.kind, notify::EventKind::Access(_))
                {
                    let _ = tx.send(event.paths);
                }
            });
            match made {
                Ok(inner) => {
                    *slot = Some(Watcher {
                        inner,
                        roots: Vec::new(),
                    });
                    tokio::spawn(disk_events(self.clone(), rx));
                }
                Err(e) => {
                    tracing::warn!("cannot watch files: {e}");
                    return;
                }
            }
        }
        let Some(watcher) = slot.as_mut() else { return };
        use notify::Watcher as _;
        for root in roots {
            if watcher.roots.contains(root) {
                continue;
            }
            match watcher.inner.watch(root, notify::RecursiveMode::Recursive) {
                Ok(()) => watcher.roots.push(root.clone()),
                Err(e) => tracing::warn!("cannot watch {}: {e}", root.display()),
            }
        }
    }

    /// Files changed on disk: update the corpus (open buffers win); a changed
    /// `verbatim.toml` re-indexes.
    fn files_changed(&self, files: &[PathBuf]) {
        let config_changed = files
            .iter()
            .any(|f| f.file_name().is_some_and(|n| n == "verbatim.toml"));
        self.mutate("file change", |state| {
            for file in files {
                state.disk_changed(file);
            }
        });
        if config_changed {
            self.reindex();
        }
    }
}

/// Folders built by [`Backend::stage`], with the open documents they hold and the text each
/// was staged with.
struct Staged {
    folders: Vec<Folder>,
    docs: Vec<(Url, String)>,
}

/// Collates whole whatever changed in the state's folders (read files or buffers put in, not a
/// keystroke), catching a panic.
fn collate_whole(state: &mut State) {
    for folder in &mut state.folders {
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| folder.refresh_whole())) {
            tracing::error!(
                "collation failed: internal error: {}",
                panic_message(&*panic)
            );
        }
    }
}

impl Shared {
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

async fn disk_events(backend: Backend, mut rx: tokio::sync::mpsc::UnboundedReceiver<Vec<PathBuf>>) {
    while let Some(mut paths) = rx.recv().await {
        // Let a burst of events settle, then handle them together.
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        while let Ok(more) = rx.try_recv() {
            paths.extend(more);
        }
        paths.sort();
        paths.dedup();
        backend.files_changed(&paths);
    }
}

/// The task that publishes diagnostics after changes (a `didChange` that finds it idle
/// publishes its own round: [`Backend::did_change`]); rounds hold [`Shared::publishing`], so
/// publications leave in the order they were computed.
async fn publish_loop(shared: Arc<Shared>, client: Client) {
    loop {
        // A story collated under the keystroke bound is collated whole once edits pause.
        if shared.lock().unsettled() {
            tokio::select! {
                _ = shared.wake.notified() => {}
                _ = tokio::time::sleep(SETTLE_AFTER) => {
                    let mut state = shared.lock();
                    if let Err(panic) = catch_unwind(AssertUnwindSafe(|| state.settle())) {
                        tracing::error!("collation failed: internal error: {}", panic_message(&*panic));
                    }
                }
            }
        } else {
            shared.wake.notified().await;
        }
        let _round = shared.publishing.lock().await;
        publish_round(&shared, &client).await;
    }
}

/// Collates what changed and publishes the diagnostics that changed (and the notices), for the
/// holder of [`Shared::publishing`].
async fn publish_round(shared: &Shared, client: &Client) {
    let started = std::time::Instant::now();
    let (batch, notices) = {
        let mut state = shared.lock();
        let batch = match catch_unwind(AssertUnwindSafe(|| state.recompute())) {
            Ok(batch) => batch,
            Err(panic) => {
                tracing::error!(
                    "diagnostics failed: internal error: {}",
                    panic_message(&*panic)
                );
                Vec::new()
            }
        };
        (batch, std::mem::take(&mut state.notices))
    };
    for notice in notices {
        tracing::info!("{notice}");
        client.log_message(MessageType::INFO, notice).await;
    }
    tracing::debug!("diagnostics computed in {:?}", started.elapsed());
    for publish in batch {
        if let Some(version) = publish.version {
            let current = shared.lock().open.version(&publish.uri);
            if current != Some(version) {
                continue; // computed for an older version; a newer round is pending
            }
        }
        client
            .publish_diagnostics(publish.uri, publish.diagnostics, publish.version)
            .await;
    }
}

fn folder_roots(params: &InitializeParams) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = match &params.workspace_folders {
        Some(folders) => folders
            .iter()
            .filter_map(|f| f.uri.to_file_path().ok())
            .collect(),
        #[allow(deprecated)] // root_uri is the fallback for clients without folders
        None => params
            .root_uri
            .iter()
            .filter_map(|u| u.to_file_path().ok())
            .collect(),
    };
    roots.sort();
    roots.dedup();
    roots
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = convert::negotiate(
            params
                .capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let abilities = ClientAbilities {
            dynamic_watch: params
                .capabilities
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            progress: params
                .capabilities
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
        };
        *self
            .shared
            .abilities
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = abilities;
        {
            let mut state = self.lock();
            state.encoding = encoding;
            state.roots = folder_roots(&params);
            state.settings = params.initialization_options.clone().unwrap_or(Value::Null);
        }
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "verbatim".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(convert::encoding_kind(encoding)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::SOURCE,
                            features::fix_all_kind(),
                        ]),
                        resolve_provider: Some(false),
                        ..CodeActionOptions::default()
                    },
                )),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![REINDEX_COMMAND.into()],
                    ..ExecuteCommandOptions::default()
                }),
                references_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..ServerCapabilities::default()
            },
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let abilities = *self
            .shared
            .abilities
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let ticket = self.index_ticket();
        let this = self.clone();
        tokio::spawn(async move {
            if abilities.dynamic_watch {
                let globs = {
                    let state = this.lock();
                    let mut globs: Vec<String> = state
                        .folders
                        .iter()
                        .flat_map(|f| f.config.include.clone())
                        .collect();
                    globs.push("**/verbatim.toml".into());
                    globs.sort();
                    globs.dedup();
                    globs
                };
                let watchers = globs
                    .into_iter()
                    .map(|g| FileSystemWatcher {
                        glob_pattern: GlobPattern::String(g),
                        kind: None,
                    })
                    .collect();
                let registration = Registration {
                    id: "verbatim/watched-files".into(),
                    method: "workspace/didChangeWatchedFiles".into(),
                    register_options: serde_json::to_value(
                        DidChangeWatchedFilesRegistrationOptions { watchers },
                    )
                    .ok(),
                };
                if let Err(e) = this.client.register_capability(vec![registration]).await {
                    tracing::warn!("client refused file watching: {e}");
                }
            }
            this.index(ticket).await;
        });
    }

    async fn shutdown(&self) -> Result<()> {
        self.shared.shutdown_requested.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        if doc.uri.scheme() == crate::db::url::INDEX_SCHEME {
            // A read-only view of an index version (`verbatim/indexDocument`): already in its
            // folder's corpus as the index's copy, not a buffer of a new document.
            return;
        }
        self.mutate("didOpen", |state| {
            state.open.open(doc.uri.clone(), &doc.text, doc.version);
            state.sync_buffer(&doc.uri);
        });
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let changes: Vec<TextChange> = params
            .content_changes
            .into_iter()
            .map(|c| TextChange {
                range: c
                    .range
                    .map(|r| (convert::line_col(r.start), convert::line_col(r.end))),
                text: c.text,
            })
            .collect();
        let version = params.text_document.version;
        let started = std::time::Instant::now();
        let mut lost = None;
        self.change("didChange", |state| {
            let enc = state.encoding;
            match state.open.change(&uri, version, &changes, enc) {
                Err(ChangeError::Edit(e)) => lost = Some(e),
                Err(e) => tracing::debug!("didChange {uri} v{version}: {e}"),
                Ok(()) => {}
            }
            state.sync_buffer(&uri);
        });
        tracing::debug!(
            "didChange {uri} v{version} applied in {:?}",
            started.elapsed()
        );
        if let Some(e) = lost {
            // The editor's text is no longer known: say so rather than drift silently.
            let message = format!(
                "verbatim: an edit to {uri} (version {version}) could not be applied ({e}); the \
                 server is out of step with this document: its diagnostics are cleared and \
                 requests on it refused until the editor sends its whole text (close and reopen \
                 the file)"
            );
            tracing::error!("{message}");
            self.client.log_message(MessageType::ERROR, message).await;
        }
        self.publish_after_edit().await;
    }

    async fn did_save(&self, _: DidSaveTextDocumentParams) {
        // The buffer already is the corpus's text; nothing to re-read.
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.mutate("didClose", |state| {
            state.open.close(&uri);
            state.revert_to_disk(&uri);
        });
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let files: Vec<PathBuf> = params
            .changes
            .iter()
            .filter_map(|c| c.uri.to_file_path().ok())
            .collect();
        self.files_changed(&files);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if !params.settings.is_null() {
            self.lock().settings = params.settings;
        }
        self.reindex();
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        if params.command != REINDEX_COMMAND {
            return Err(Error::invalid_params(format!(
                "unknown command {:?}; this server runs {REINDEX_COMMAND:?}",
                params.command
            )));
        }
        self.reindex();
        Ok(None)
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        {
            let mut state = self.lock();
            for removed in &params.event.removed {
                if let Ok(path) = removed.uri.to_file_path() {
                    state.roots.retain(|r| *r != path);
                }
            }
            for added in &params.event.added {
                if let Ok(path) = added.uri.to_file_path()
                    && !state.roots.contains(&path)
                {
                    state.roots.push(path);
                }
            }
            state.roots.sort();
        }
        self.reindex();
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        self.query(|state| {
            Ok(Self::quote_at(state, &at.text_document.uri, at.position)?
                .and_then(|(f, id, q)| features::hover(&state.folders[f], id, q, state.encoding)))
        })
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        self.query(|state| {
            state.in_step(&uri)?;
            let Some((f, id)) = state.find(&uri) else {
                return Ok(None);
            };
            let start = state.offset_in(f, id, params.range.start)?;
            let end = state.offset_in(f, id, params.range.end)?;
            let at = Span::new(start.min(end), start.max(end));
            let actions = features::code_actions(
                &state.folders[f],
                id,
                &uri,
                at,
                params.context.only.as_deref(),
                state.encoding,
            );
            Ok(Some(actions))
        })
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let at = params.text_document_position;
        self.query(|state| {
            Ok(Self::quote_at(state, &at.text_document.uri, at.position)?
                .map(|(f, id, q)| features::references(&state.folders[f], id, q, state.encoding)))
        })
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.query(|state| {
            state.in_step(&params.text_document.uri)?;
            Ok(state.find(&params.text_document.uri).map(|(f, id)| {
                DocumentSymbolResponse::Nested(features::document_symbols(
                    &state.folders[f],
                    id,
                    state.encoding,
                ))
            }))
        })
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<Vec<SymbolInformation>>> {
        self.query(|state| {
            Ok(Some(features::workspace_symbols(
                &state.folders,
                &params.query,
                500,
                state.encoding,
            )))
        })
    }
}

//! The server's state: one engine session ([`crate::host::AnalysisHost`]) per workspace folder
//! (plus one for files outside every folder), the open buffers, and the diagnostics last
//! published. The host owns the documents and their analysis; this module only turns buffers
//! and file events into the host's changes and keeps what the protocol adds (roots, line
//! indexes, versions).
//!
//! Synchronous on purpose: the server holds it under one `std::sync::Mutex` and changes it
//! before any `.await`, so edits are applied in the order the client sent them. No I/O on the
//! protocol here; reading a file from disk (when a buffer closes or a watched file changes) is
//! the only file-system access, and nothing is ever written.

use super::convert;
use super::features;
use super::store::DocumentStore;
use crate::collate::Analysis;
use crate::config::Config;
use crate::corpus::{Corpus, DocId};
use crate::db::{Lookup, Shown, Version};
use crate::document::Document;
use crate::host::{AnalysisHost, Change};
use crate::text::line_index::{Encoding, LineIndex};
use crate::workspace::{self, ArticleFilter, relative_path};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use tower_lsp::lsp_types::{Diagnostic, Position, Url};

/// One corpus: a workspace folder, or (with no root) the files open outside every folder.
/// The engine's session ([`AnalysisHost`]) holds its documents and analysis; the folder adds
/// what only the protocol needs (the root for URIs, the include filter, line indexes).
pub struct Folder {
    pub root: Option<PathBuf>,
    pub config: Config,
    filter: Option<ArticleFilter>,
    host: AnalysisHost,
    /// The line indexes of the documents changed one by one (edited buffers, files changed
    /// on disk, the shared index's copies); a document read with its folder has its index
    /// worked out when asked ([`Folder::doc`]): of a whole folder, few are ever read.
    lines: HashMap<DocId, LineIndex>,
    /// Documents collated under the keystroke bound since the last look, by path, with their
    /// story's quote count (for the one-time notice).
    bounded: Vec<(String, usize)>,
    /// The paths of the documents that are copies from the shared index (`database`), not
    /// files of the folder or open buffers (those win over an index copy of the same path),
    /// with the URI each is shown under ([`Folder::uri_of`]; none when it has none).
    remote: HashMap<String, Option<Url>>,
}

impl Folder {
    pub fn new(root: Option<PathBuf>, config: Config) -> Folder {
        let filter = ArticleFilter::new(&config).ok();
        Folder {
            root,
            host: AnalysisHost::lean(config.clone()),
            config,
            filter,
            lines: HashMap::new(),
            bounded: Vec::new(),
            remote: HashMap::new(),
        }
    }

    /// The documents, with every change applied.
    pub fn corpus(&self) -> &Corpus {
        self.host.corpus()
    }

    /// The analysis as of the last [`Folder::refresh`].
    pub fn analysis(&self) -> &Analysis {
        self.host.analysis()
    }

    /// Reads and parses article files of this folder (through the host, as the CLI does).
    pub fn read_files(&mut self, files: &[PathBuf]) -> Vec<workspace::Warning> {
        let (ids, warnings) = self.host.read_files(files, self.root.as_deref(), &|| {});
        self.forget_lines(&ids);
        warnings
    }

    /// Adds documents already read and parsed (by `workspace::read_documents`).
    pub fn add_documents(&mut self, docs: Vec<Document>) {
        for doc in &docs {
            self.remote.remove(&doc.path);
        }
        let ids: Vec<DocId> = docs.into_iter().map(|doc| self.host.add(doc)).collect();
        self.forget_lines(&ids);
    }

    /// Whether the document at `path` is a copy from the shared index.
    pub fn is_remote(&self, path: &str) -> bool {
        self.remote.contains_key(path)
    }

    /// Makes the index's copies in this folder `docs` (the last lookup's answer): the copies
    /// no longer wanted leave, the others come in or are replaced, except where the folder has
    /// a document of that path of its own (a file or an open buffer wins), each shown under the
    /// URI its [`Shown`] gives. Returns whether the corpus or a copy's URI changed; the analysis
    /// follows at the next refresh.
    pub fn place_remote(&mut self, versions: &[Version]) -> bool {
        let local = |folder: &Folder, path: &str| {
            !folder.remote.contains_key(path) && folder.corpus().id_of(path).is_some()
        };
        let wanted: HashSet<&str> = versions
            .iter()
            .map(|v| v.doc.path.as_str())
            .filter(|p| !local(self, p))
            .collect();
        let mut gone: Vec<String> = self
            .remote
            .keys()
            .filter(|p| !wanted.contains(p.as_str()))
            .cloned()
            .collect();
        gone.sort();
        let mut changed = !gone.is_empty();
        for path in gone {
            self.apply(Change::Remove { path });
        }
        for Version { doc, shown } in versions {
            if !wanted.contains(doc.path.as_str()) {
                continue;
            }
            let corpus = self.corpus();
            let same = corpus
                .id_of(&doc.path)
                .and_then(|id| corpus.get(id))
                .is_some_and(|d| d.text == doc.text);
            if !same {
                let id = self.host.add(doc.clone());
                self.index_lines(&[id]);
                changed = true;
            }
            let uri = match shown {
                Shown::File(file) => Url::from_file_path(file).ok(),
                Shown::Index(name) => Url::parse(name).ok(),
            };
            changed |= self.remote.get(&doc.path) != Some(&uri);
            self.remote.insert(doc.path.clone(), uri);
        }
        changed
    }

    /// Drops the kept line indexes of documents read in bulk (see [`Folder::doc`]).
    fn forget_lines(&mut self, ids: &[DocId]) {
        for id in ids {
            self.lines.remove(id);
        }
    }

    fn index_lines(&mut self, ids: &[DocId]) {
        for &id in ids {
            match self.host.corpus().get(id) {
                Some(doc) => self.lines.insert(id, LineIndex::new(&doc.text)),
                None => self.lines.remove(&id),
            };
        }
    }

    /// The URI a document is shown under: a copy from the shared index under its own (the file
    /// that holds its text on this machine, else its `verbatim-index://` name: never a path of
    /// the folder where there is no such file), any other under the folder's root.
    pub fn uri_of(&self, path: &str) -> Option<Url> {
        if let Some(shown) = self.remote.get(path) {
            return shown.clone();
        }
        match &self.root {
            None => Url::parse(path).ok(),
            Some(root) => Url::from_file_path(root.join(path)).ok(),
        }
    }

    /// The path and text of the copy from the shared index shown under `uri`.
    pub fn index_document(&self, uri: &Url) -> Option<(String, String)> {
        let (path, _) = self
            .remote
            .iter()
            .find(|(_, shown)| shown.as_ref() == Some(uri))?;
        let doc = self.corpus().get(self.corpus().id_of(path)?)?;
        Some((path.clone(), doc.text.clone()))
    }

    /// Reads an article of this folder from disk; `None` (logged) when it cannot be used, or
    /// when it is a link to a file outside the folder and `follow_links_outside` is off.
    pub fn read(&self, file: &Path) -> Option<String> {
        if let Some(root) = &self.root
            && !self.config.follow_links_outside
            && let Some(target) = workspace::link_outside(root, file)
        {
            tracing::warn!(
                "{}: a link to {}, outside the folder; not read (follow_links_outside)",
                file.display(),
                target.display()
            );
            return None;
        }
        read_article(file, &self.config)
    }

    /// Whether a file (by its path relative to the root) is an article of this corpus.
    pub fn includes(&self, path: &str) -> bool {
        self.filter
            .as_ref()
            .is_none_or(|f| f.matches(Path::new(path)))
    }

    /// Applies a change to the folder's session; the analysis follows at the next refresh.
    pub fn apply(&mut self, change: Change) {
        match &change {
            Change::Set { path, .. } | Change::Remove { path } => self.remote.remove(path),
        };
        if let Some(id) = self.host.apply_change(change) {
            self.index_lines(&[id]);
        }
    }

    /// Re-collates the stories of the documents changed since the last refresh (collate's
    /// incremental update: the cost follows the edited story, not the corpus), within the
    /// keystroke bound (`keystroke_quotes`): an edited document of an oversized story is
    /// collated against its closest versions only until [`Folder::refresh_whole`].
    pub fn refresh(&mut self) {
        let update = self.host.refresh_bounded();
        for (id, quotes) in update.bounded {
            if let Some(doc) = self.host.corpus().get(id) {
                self.bounded.push((doc.path.clone(), quotes));
            }
        }
    }

    /// Collates whole every story changed or left partly collated by a bounded refresh (once
    /// typing pauses, and after reading files).
    pub fn refresh_whole(&mut self) {
        self.host.refresh();
    }

    /// Whether a story waits for [`Folder::refresh_whole`].
    pub fn unsettled(&self) -> bool {
        self.host.has_deferred()
    }

    /// The text and line index of a document (the one kept, else worked out now).
    pub fn doc(&self, id: DocId) -> Option<(&Document, Cow<'_, LineIndex>)> {
        let doc = self.corpus().get(id)?;
        let lines = match self.lines.get(&id) {
            Some(lines) => Cow::Borrowed(lines),
            None => Cow::Owned(LineIndex::new(&doc.text)),
        };
        Some((doc, lines))
    }

    /// The quote whose marks (or words, without a closing mark) contain `offset`, ends
    /// included so that a cursor just after the closing mark still finds it.
    pub fn quote_at(&self, id: DocId, offset: usize) -> Option<usize> {
        let doc = self.corpus().get(id)?;
        doc.quotes.iter().position(|q| {
            let end = q.close().map_or(q.span().end, |c| c.end);
            q.open().start <= offset && offset <= end
        })
    }
}

/// Reads an article from disk under the workspace's bad-input policy; `None` (logged) when it
/// cannot be used.
pub fn read_article(file: &Path, config: &Config) -> Option<String> {
    match workspace::read_article(file, config) {
        Ok(article) => {
            for warning in &article.warnings {
                tracing::warn!("{warning}");
            }
            Some(article.text)
        }
        Err(e) => {
            if file.exists() {
                tracing::warn!("{}", e.to_warning(file));
            }
            None
        }
    }
}

/// Diagnostics ready to publish for one document.
pub struct Publish {
    pub uri: Url,
    pub version: Option<i32>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The folder of `folders` a URI belongs to (the deepest root containing it; else the first,
/// the loose files' folder) and its path there.
pub fn locate_in(folders: &[Folder], uri: &Url) -> (usize, String) {
    let file = uri.to_file_path().ok();
    let mut best: Option<(usize, usize, String)> = None;
    if let Some(file) = &file {
        for (i, folder) in folders.iter().enumerate() {
            let Some(root) = &folder.root else { continue };
            if let Some(path) = relative_path(root, file) {
                let depth = root.components().count();
                if best.as_ref().is_none_or(|b| depth > b.1) {
                    best = Some((i, depth, path));
                }
            }
        }
    }
    match best {
        Some((i, _, path)) => (i, path),
        None => (0, uri.to_string()),
    }
}

pub struct State {
    pub encoding: Encoding,
    /// The first folder is the corpus of files outside every workspace folder.
    pub folders: Vec<Folder>,
    /// The workspace folders' roots, as the client gave them.
    pub roots: Vec<PathBuf>,
    pub open: DocumentStore,
    /// What was last published per URI, and for which version.
    published: HashMap<Url, (Option<i32>, Vec<Diagnostic>)>,
    /// Diagnostics wait until the workspace folders are indexed, except for the documents in
    /// `primed`.
    pub indexed: bool,
    /// Open documents whose story was read and collated ahead of the rest of their folder
    /// (while `indexed` is false): their diagnostics are published already.
    pub primed: HashSet<Url>,
    /// Settings from the client (`initializationOptions`, `didChangeConfiguration`).
    pub settings: serde_json::Value,
    /// Documents whose oversized story was announced (once each): their URIs.
    announced: HashSet<Url>,
    /// Messages for the client's log, taken by the publisher.
    pub notices: Vec<String>,
    /// The shared index's answer to the last lookup of each folder (by root) whose
    /// configuration names a `database`: the other versions of its open documents, parsed.
    /// Empty while the database cannot be reached (the folder alone then serves).
    pub remote: HashMap<Option<PathBuf>, Vec<Version>>,
}

impl Default for State {
    fn default() -> Self {
        State {
            encoding: Encoding::Utf16,
            folders: vec![Folder::new(None, Config::default())],
            roots: Vec::new(),
            open: DocumentStore::default(),
            published: HashMap::new(),
            indexed: false,
            primed: HashSet::new(),
            settings: serde_json::Value::Null,
            announced: HashSet::new(),
            notices: Vec::new(),
            remote: HashMap::new(),
        }
    }
}

impl State {
    /// The folder a URI belongs to (the deepest root containing it) and its path there.
    pub fn locate(&self, uri: &Url) -> (usize, String) {
        locate_in(&self.folders, uri)
    }

    /// The folder and document id of a URI that is in a corpus.
    pub fn find(&self, uri: &Url) -> Option<(usize, DocId)> {
        let (f, path) = self.locate(uri);
        Some((f, self.folders[f].corpus().id_of(&path)?))
    }

    /// Puts an open buffer's text into its corpus, in place of the file's.
    pub fn sync_buffer(&mut self, uri: &Url) {
        // Out of step, the corpus keeps the buffer's last known text.
        let Some(text) = self.open.get(uri).filter(|d| d.in_sync).map(|d| d.text()) else {
            return;
        };
        let (f, path) = self.locate(uri);
        self.folders[f].apply(Change::Set { path, text });
    }

    /// Whether the lookup task has anything to do after a change: a folder names a shared index,
    /// or copies from one are still placed (a `database` setting just removed).
    pub fn uses_index(&self) -> bool {
        self.folders.iter().any(|f| f.config.database.is_some())
            || self.remote.values().any(|docs| !docs.is_empty())
    }

    /// The stored path and text of the version from the shared index shown under `uri`.
    pub fn index_document(&self, uri: &Url) -> Option<(String, String)> {
        self.folders
            .iter()
            .find_map(|folder| folder.index_document(uri))
    }

    /// The lookups the shared index is asked, one per folder whose configuration names a
    /// `database`: its root, the connection string and the other versions of its open
    /// documents (as the corpus holds them: an open buffer's text) under its story mode.
    pub fn lookups(&self) -> Vec<(Option<PathBuf>, String, Lookup)> {
        let mut out = Vec::new();
        for (f, folder) in self.folders.iter().enumerate() {
            let Some(url) = &folder.config.database else {
                continue;
            };
            let docs: Vec<&Document> = self
                .open
                .uris()
                .filter_map(|uri| {
                    let (g, path) = self.locate(uri);
                    (g == f).then_some(path)
                })
                .filter(|path| !folder.is_remote(path))
                .filter_map(|path| folder.corpus().get(folder.corpus().id_of(&path)?))
                .collect();
            let lookup = Lookup::of(&docs, folder.config.stories);
            out.push((folder.root.clone(), url.0.clone(), lookup));
        }
        out
    }

    /// Puts each folder's last answer from the shared index ([`State::remote`]) in it; a
    /// folder without a `database` holds no index copies. Returns whether a corpus changed.
    pub fn place_remote(&mut self) -> bool {
        let mut changed = false;
        for folder in &mut self.folders {
            let docs = match &folder.config.database {
                Some(_) => self.remote.get(&folder.root).map(Vec::as_slice),
                None => None,
            };
            changed |= folder.place_remote(docs.unwrap_or_default());
        }
        changed
    }

    /// After a buffer closes, the corpus goes back to the file on disk (or forgets it).
    pub fn revert_to_disk(&mut self, uri: &Url) {
        let (f, path) = self.locate(uri);
        let folder = &mut self.folders[f];
        let on_disk = match (&folder.root, uri.to_file_path()) {
            (Some(_), Ok(file)) if folder.includes(&path) => folder.read(&file),
            _ => None,
        };
        folder.apply(match on_disk {
            Some(text) => Change::Set { path, text },
            None => Change::Remove { path },
        });
    }

    /// A file changed on disk (created, modified or deleted). Open buffers win over the disk.
    /// Returns whether the corpus changed.
    pub fn disk_changed(&mut self, file: &Path) -> bool {
        let Ok(uri) = Url::from_file_path(file) else {
            return false;
        };
        if self.open.get(&uri).is_some() {
            return false;
        }
        let (f, path) = self.locate(&uri);
        let folder = &mut self.folders[f];
        if folder.root.is_none() || !folder.includes(&path) {
            return false;
        }
        match folder.read(file) {
            Some(text) => {
                let corpus = folder.corpus();
                if !folder.is_remote(&path)
                    && corpus
                        .id_of(&path)
                        .and_then(|id| corpus.get(id))
                        .is_some_and(|d| d.text == text)
                {
                    return false;
                }
                folder.apply(Change::Set { path, text });
            }
            None => {
                if folder.corpus().id_of(&path).is_none() {
                    return false;
                }
                folder.apply(Change::Remove { path });
            }
        }
        true
    }

    /// Re-collates what changed and returns the diagnostics to publish: for every open
    /// document whose diagnostics or version changed, and an empty list for documents closed
    /// since the last publication.
    pub fn recompute(&mut self) -> Vec<Publish> {
        if !self.indexed && self.primed.is_empty() {
            return Vec::new();
        }
        for folder in &mut self.folders {
            folder.refresh();
        }
        self.announce_bounded();
        let mut out = Vec::new();
        let open: Vec<Url> = self.open.uris().cloned().collect();
        for uri in &open {
            if !self.indexed && !self.primed.contains(uri) {
                continue; // its story is not read yet: no diagnostics rather than wrong ones
            }
            let version = self.open.version(uri);
            let diagnostics = match self.find(uri) {
                // Out of step with the editor, any diagnostic could point at the wrong words.
                _ if self.in_step(uri).is_err() => Vec::new(),
                Some((f, id)) => features::diagnostics(&self.folders[f], id, self.encoding),
                None => Vec::new(),
            };
            let unchanged = self
                .published
                .get(uri)
                .is_some_and(|(v, d)| *v == version && *d == diagnostics);
            if !unchanged {
                self.published
                    .insert(uri.clone(), (version, diagnostics.clone()));
                out.push(Publish {
                    uri: uri.clone(),
                    version,
                    diagnostics,
                });
            }
        }
        let open: HashSet<&Url> = open.iter().collect();
        let closed: Vec<Url> = self
            .published
            .keys()
            .filter(|u| !open.contains(u))
            .cloned()
            .collect();
        for uri in closed {
            self.published.remove(&uri);
            out.push(Publish {
                uri,
                version: None,
                diagnostics: Vec::new(),
            });
        }
        out.sort_by(|a, b| a.uri.as_str().cmp(b.uri.as_str()));
        out
    }

    /// Turns the documents collated under the keystroke bound into one notice each (per
    /// document, once per session).
    fn announce_bounded(&mut self) {
        for folder in &mut self.folders {
            for (path, quotes) in std::mem::take(&mut folder.bounded) {
                let Some(uri) = folder.uri_of(&path) else {
                    continue;
                };
                if self.announced.insert(uri) {
                    self.notices.push(format!(
                        "verbatim: the story of {path} holds {quotes} quotes, more than \
                         keystroke_quotes = {}: while you type, it is collated against its \
                         closest versions only, and whole once typing pauses",
                        folder.config.keystroke_quotes
                    ));
                }
            }
        }
    }

    /// Whether a folder has a story collated under the keystroke bound, to settle.
    pub fn unsettled(&self) -> bool {
        self.folders.iter().any(Folder::unsettled)
    }

    /// Collates whole the stories left partly collated by the keystroke bound.
    pub fn settle(&mut self) {
        for folder in &mut self.folders {
            folder.refresh_whole();
        }
    }

    /// `Err` (a message for the client) when `uri` is open but out of step with the editor
    /// (an edit could not be applied): its positions cannot be trusted.
    pub fn in_step(&self, uri: &Url) -> Result<(), String> {
        match self.open.get(uri) {
            Some(doc) if !doc.in_sync => Err(format!(
                "the server is out of step with {uri} (an edit could not be applied); close and \
                 reopen the document"
            )),
            _ => Ok(()),
        }
    }

    /// The byte offset of a request's position in a document of the corpus, or an error
    /// message for the client.
    pub fn offset_in(&self, f: usize, id: DocId, pos: Position) -> Result<usize, String> {
        let (doc, lines) = self.folders[f]
            .doc(id)
            .ok_or_else(|| "document is not in the corpus".to_string())?;
        convert::offset(&doc.text, &lines, pos, self.encoding).ok_or_else(|| {
            format!(
                "position {}:{} is past the end of the document ({} lines)",
                pos.line,
                pos.character,
                lines.line_count()
            )
        })
    }
}

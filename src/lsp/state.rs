//! The server's state: one corpus per workspace folder (plus one for files outside every
//! folder), the open buffers, and the diagnostics last published.
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
use crate::document::Document;
use crate::text::line_index::{Encoding, LineIndex};
use crate::workspace::{self, ArticleFilter};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use tower_lsp::lsp_types::{Diagnostic, Position, Url};

/// One corpus: a workspace folder, or (with no root) the files open outside every folder.
pub struct Folder {
    pub root: Option<PathBuf>,
    pub config: Config,
    filter: Option<ArticleFilter>,
    pub corpus: Corpus,
    pub analysis: Analysis,
    pub lines: HashMap<DocId, LineIndex>,
    /// Documents added, replaced or removed since the analysis was last brought up to date.
    changed: Vec<DocId>,
}

impl Folder {
    pub fn new(root: Option<PathBuf>, config: Config) -> Folder {
        let filter = ArticleFilter::new(&config).ok();
        Folder {
            root,
            corpus: Corpus::new(config.clone()),
            config: config.clone(),
            filter,
            analysis: Analysis::new(config.stories),
            lines: HashMap::new(),
            changed: Vec::new(),
        }
    }

    pub fn uri_of(&self, path: &str) -> Option<Url> {
        match &self.root {
            None => Url::parse(path).ok(),
            Some(root) => Url::from_file_path(root.join(path)).ok(),
        }
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

    pub fn upsert(&mut self, doc: Document) -> DocId {
        let lines = LineIndex::new(&doc.text);
        let id = self.corpus.upsert(doc);
        self.lines.insert(id, lines);
        self.changed.push(id);
        id
    }

    pub fn remove(&mut self, path: &str) {
        if let Some(id) = self.corpus.id_of(path) {
            self.corpus.remove(path);
            self.lines.remove(&id);
            self.changed.push(id);
        }
    }

    /// Re-collates the stories of the documents changed since the last refresh (collate's
    /// incremental update: the cost follows the edited story, not the corpus).
    pub fn refresh(&mut self) {
        if self.changed.is_empty() {
            return;
        }
        self.changed.sort_unstable();
        self.changed.dedup();
        self.analysis.update(&self.corpus, &self.changed);
        self.changed.clear();
    }

    /// The text and line index of a document.
    pub fn doc(&self, id: DocId) -> Option<(&Document, &LineIndex)> {
        Some((self.corpus.get(id)?, self.lines.get(&id)?))
    }

    /// The quote whose marks (or words, without a closing mark) contain `offset`, ends
    /// included so that a cursor just after the closing mark still finds it.
    pub fn quote_at(&self, id: DocId, offset: usize) -> Option<usize> {
        let doc = self.corpus.get(id)?;
        doc.quotes.iter().position(|q| {
            let end = q.close.map_or(q.span.end, |c| c.end);
            q.open.start <= offset && offset <= end
        })
    }
}

/// `path` relative to `root`, with `/` separators, when it lies inside it.
pub fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
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

pub struct State {
    pub encoding: Encoding,
    /// The first folder is the corpus of files outside every workspace folder.
    pub folders: Vec<Folder>,
    /// The workspace folders' roots, as the client gave them.
    pub roots: Vec<PathBuf>,
    pub open: DocumentStore,
    /// What was last published per URI, and for which version.
    published: HashMap<Url, (Option<i32>, Vec<Diagnostic>)>,
    /// Diagnostics wait until the workspace folders are indexed.
    pub indexed: bool,
    /// Settings from the client (`initializationOptions`, `didChangeConfiguration`).
    pub settings: serde_json::Value,
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
            settings: serde_json::Value::Null,
        }
    }
}

impl State {
    /// The folder a URI belongs to (the deepest root containing it) and its path there.
    pub fn locate(&self, uri: &Url) -> (usize, String) {
        let file = uri.to_file_path().ok();
        let mut best: Option<(usize, usize, String)> = None;
        if let Some(file) = &file {
            for (i, folder) in self.folders.iter().enumerate() {
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

    /// The folder and document id of a URI that is in a corpus.
    pub fn find(&self, uri: &Url) -> Option<(usize, DocId)> {
        let (f, path) = self.locate(uri);
        Some((f, self.folders[f].corpus.id_of(&path)?))
    }

    /// Puts an open buffer's text into its corpus, in place of the file's.
    pub fn sync_buffer(&mut self, uri: &Url) {
        // Out of step, the corpus keeps the buffer's last known text.
        let Some(text) = self.open.get(uri).filter(|d| d.in_sync).map(|d| d.text()) else {
            return;
        };
        let (f, path) = self.locate(uri);
        self.folders[f].upsert(Document::parse(path, text));
    }

    /// After a buffer closes, the corpus goes back to the file on disk (or forgets it).
    pub fn revert_to_disk(&mut self, uri: &Url) {
        let (f, path) = self.locate(uri);
        let folder = &mut self.folders[f];
        let on_disk = match (&folder.root, uri.to_file_path()) {
            (Some(_), Ok(file)) if folder.includes(&path) => folder.read(&file),
            _ => None,
        };
        match on_disk {
            Some(text) => {
                folder.upsert(Document::parse(path, text));
            }
            None => folder.remove(&path),
        }
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
                if folder
                    .corpus
                    .id_of(&path)
                    .and_then(|id| folder.corpus.get(id))
                    .is_some_and(|d| d.text == text)
                {
                    return false;
                }
                folder.upsert(Document::parse(path, text));
            }
            None => {
                if folder.corpus.id_of(&path).is_none() {
                    return false;
                }
                folder.remove(&path);
            }
        }
        true
    }

    /// Re-collates what changed and returns the diagnostics to publish: for every open
    /// document whose diagnostics or version changed, and an empty list for documents closed
    /// since the last publication.
    pub fn recompute(&mut self) -> Vec<Publish> {
        if !self.indexed {
            return Vec::new();
        }
        for folder in &mut self.folders {
            folder.refresh();
        }
        let mut out = Vec::new();
        let open: Vec<Url> = self.open.uris().cloned().collect();
        for uri in &open {
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
        convert::offset(&doc.text, lines, pos, self.encoding).ok_or_else(|| {
            format!(
                "position {}:{} is past the end of the document ({} lines)",
                pos.line,
                pos.character,
                lines.line_count()
            )
        })
    }
}

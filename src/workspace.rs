//! The file-system layer: finds a corpus's `verbatim.toml`, walks its folders for article files,
//! and reads them under the bad-input policy. Shared by the CLI and the language server.
//!
//! The engine (`document`, `extract`, `corpus`, `collate`, `findings`, `text`) never touches the
//! disk; everything it learns about files comes through here, as text plus [`Warning`]s. This
//! module must not depend on `cli` or `lsp`, and never panics on what it reads.
//!
//! Bad-input policy:
//! - invalid UTF-8 is decoded lossily (U+FFFD) and reported with a warning naming the file;
//! - a file holding a NUL byte is taken for binary and skipped with a warning;
//! - a file over `max_file_size` bytes is skipped with a warning;
//! - a file or folder that cannot be read is reported as an error ([`Warning::is_error`]), and
//!   the other files are still read;
//! - a FIFO, socket or device is never opened (opening a FIFO waits for a writer): inside a
//!   folder it is no article, named on the command line it is skipped with a warning;
//! - a folder walk stops after `max_files` article files, with a warning saying how to raise
//!   the cap, and never descends into the virtual file systems [`VIRTUAL_FOLDERS`];
//! - a link to a file outside the folder walked is skipped with a warning, unless
//!   `follow_links_outside` is set;
//! - a file name that is not UTF-8 is read, with a warning that its path in reports (JSON
//!   included) is shown with U+FFFD in place of the bad bytes.

use crate::config::{Config, ConfigSyntaxError, FILE_NAME};
use crate::corpus::Corpus;
use crate::document::Document;
use crate::text::line_index::{Encoding, LineIndex};
use crate::text::terminal::{escape, escape_keeping_lines};
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Serialize;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What kind of problem a [`Warning`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    /// The file is not valid UTF-8; it was decoded with replacement characters.
    InvalidUtf8,
    /// The file holds a NUL byte; it was skipped.
    NulBytes,
    /// The file is larger than `max_file_size`; it was skipped.
    TooLarge,
    /// The file or folder could not be read (missing, permissions, I/O): an error.
    Unreadable,
    /// Something in `verbatim.toml` was not understood (an unknown key, say); it was ignored.
    Config,
    /// Not a regular file (a FIFO, socket or device); skipped.
    NotAFile,
    /// A folder holds more than `max_files` article files; the walk stopped there.
    TooManyFiles,
    /// A virtual file system (`/proc`, `/sys`…) inside a folder walked; not descended into.
    VirtualFileSystem,
    /// A link to a file outside the folder walked; skipped (`follow_links_outside`).
    LinkOutside,
    /// The file name is not UTF-8; its path is shown lossily (U+FFFD) in reports.
    NonUtf8Path,
}

/// A problem with the input that did not stop the run, naming the file it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The file concerned, as shown to the user.
    pub path: Option<String>,
    pub kind: WarningKind,
    pub message: String,
}

impl Warning {
    fn new(path: Option<&Path>, kind: WarningKind, message: impl Into<String>) -> Warning {
        Warning {
            path: path.map(display_path),
            kind,
            message: message.into(),
        }
    }

    /// Whether this is an I/O error (the check could not see every file it was asked to) rather
    /// than a file deliberately skipped or repaired.
    pub fn is_error(&self) -> bool {
        self.kind == WarningKind::Unreadable
    }
}

/// For people (a terminal or an editor's log): control characters in the path or message are
/// escaped.
impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let message = escape_keeping_lines(&self.message);
        match &self.path {
            Some(path) => write!(f, "{}: {message}", escape(path)),
            None => f.write_str(&message),
        }
    }
}

/// Why `verbatim.toml` (or the globs in it) could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid configuration in {}:\n{source}", .path.display())]
    Syntax {
        path: PathBuf,
        source: ConfigSyntaxError,
    },
    #[error("{}invalid glob `{pattern}` in configuration: {}", .at.as_deref().map(|at| format!("{at}: ")).unwrap_or_default(), glob_reason(.source))]
    Glob {
        pattern: String,
        source: globset::Error,
        /// `file:line:column` of the pattern, when it came from a file.
        at: Option<String>,
    },
}

/// globset's reason without the pattern it repeats.
fn glob_reason(e: &globset::Error) -> String {
    e.kind().to_string()
}

impl ConfigError {
    /// This error, told where in `file` (whose text is `text`) the bad glob is written.
    fn located(self, file: &Path, text: &str) -> ConfigError {
        match self {
            ConfigError::Glob {
                pattern,
                source,
                at: None,
            } => {
                let found = [format!("\"{pattern}\""), format!("'{pattern}'")]
                    .iter()
                    .find_map(|quoted| text.find(quoted.as_str()));
                let at = match found {
                    Some(offset) => {
                        let pos = LineIndex::new(text).position(text, offset, Encoding::Chars);
                        format!("{}:{}:{}", file.display(), pos.line + 1, pos.col + 1)
                    }
                    None => file.display().to_string(),
                };
                ConfigError::Glob {
                    pattern,
                    source,
                    at: Some(at),
                }
            }
            other => other,
        }
    }
}

/// A configuration and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub config: Config,
    /// The `verbatim.toml` read, or `None` when none was found and the defaults apply.
    pub file: Option<PathBuf>,
    /// Unknown keys and other ignored settings, naming the file.
    pub warnings: Vec<Warning>,
}

/// The `verbatim.toml` in `start` (a folder, or a file's folder) or its nearest ancestor.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    let dir = if start.is_dir() {
        start.as_path()
    } else {
        start.parent()?
    };
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Loads the configuration for the corpus at `root`: the nearest `verbatim.toml` (see
/// [`find_config`]), or the defaults when there is none.
pub fn load_config(root: &Path) -> Result<LoadedConfig, ConfigError> {
    match find_config(root) {
        Some(file) => load_config_file(&file),
        None => Ok(LoadedConfig {
            config: Config::default(),
            file: None,
            warnings: Vec::new(),
        }),
    }
}

/// Loads the configuration file `file`. Unknown keys become warnings; a syntax error, a value
/// of the wrong type or an invalid glob is an error.
pub fn load_config_file(file: &Path) -> Result<LoadedConfig, ConfigError> {
    let text = std::fs::read_to_string(file).map_err(|source| ConfigError::Read {
        path: file.to_path_buf(),
        source,
    })?;
    let parsed = Config::parse(&text).map_err(|source| ConfigError::Syntax {
        path: file.to_path_buf(),
        source,
    })?;
    ArticleFilter::new(&parsed.config).map_err(|e| e.located(file, &text))?;
    let warnings = parsed
        .warnings
        .into_iter()
        .map(|w| Warning::new(Some(file), WarningKind::Config, w))
        .collect();
    Ok(LoadedConfig {
        config: parsed.config,
        file: Some(file.to_path_buf()),
        warnings,
    })
}

/// Which files are articles: the configuration's include globs minus its exclude globs, matched
/// against a path relative to the corpus root. `*` does not cross `/`; `**/` matches any depth,
/// including none.
#[derive(Debug, Clone)]
pub struct ArticleFilter {
    include: GlobSet,
    exclude: GlobSet,
}

impl ArticleFilter {
    pub fn new(config: &Config) -> Result<ArticleFilter, ConfigError> {
        Ok(ArticleFilter {
            include: glob_set(&config.include)?,
            exclude: glob_set(&config.exclude)?,
        })
    }

    /// Whether the file at `relative` (to the corpus root) is an article.
    pub fn matches(&self, relative: &Path) -> bool {
        self.include.is_match(relative) && !self.exclude.is_match(relative)
    }
}

fn glob_set(patterns: &[String]) -> Result<GlobSet, ConfigError> {
    let mut set = GlobSetBuilder::new();
    for pattern in patterns {
        set.add(compile(pattern)?);
    }
    set.build().map_err(|source| ConfigError::Glob {
        pattern: patterns.join(", "),
        source,
        at: None,
    })
}

fn compile(pattern: &str) -> Result<Glob, ConfigError> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|source| ConfigError::Glob {
            pattern: pattern.to_string(),
            source,
            at: None,
        })
}

/// Virtual file systems a folder walk never descends into: their "files" are the kernel's
/// state (endless, blocking, or changing as they are read), never articles. A workspace opened
/// at `/` must not read them.
pub const VIRTUAL_FOLDERS: [&str; 4] = ["/proc", "/sys", "/dev", "/run"];

fn is_virtual_folder(path: &Path) -> bool {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    VIRTUAL_FOLDERS.iter().any(|v| path == Path::new(v))
}

/// What a file that is not a regular file is, for a warning.
fn kind_of_file(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// The warning for a file that is not a regular file.
fn not_a_file(path: &Path, file_type: std::fs::FileType) -> Warning {
    Warning::new(
        Some(path),
        WarningKind::NotAFile,
        format!("not a regular file ({}); skipped", kind_of_file(file_type)),
    )
}

/// The article files under `root`, sorted by path: the walk honours `.gitignore` (inside a git
/// repository or not), `.ignore` files and skips hidden files and folders; a file is kept when
/// [`ArticleFilter`] accepts its path relative to `root`. Folders that cannot be read come back
/// as error warnings. The walk goes in file-name order and stops after `max_files` articles
/// (a warning says so); it skips [`VIRTUAL_FOLDERS`] and, unless `follow_links_outside` is
/// set, links to files outside `root` (with warnings).
pub fn discover(root: &Path, config: &Config) -> (Vec<PathBuf>, Vec<Warning>) {
    let filter = match ArticleFilter::new(config) {
        Ok(filter) => filter,
        Err(e) => {
            return (
                Vec::new(),
                vec![Warning::new(None, WarningKind::Config, e.to_string())],
            );
        }
    };
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let skipped = std::sync::Arc::new(std::sync::Mutex::new(Vec::<PathBuf>::new()));
    let walk = {
        let skipped = skipped.clone();
        ignore::WalkBuilder::new(root)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(move |entry| {
                let virtual_folder = entry.depth() > 0
                    && entry.file_type().is_some_and(|t| t.is_dir())
                    && is_virtual_folder(entry.path());
                if virtual_folder && let Ok(mut skipped) = skipped.lock() {
                    skipped.push(entry.path().to_path_buf());
                }
                !virtual_folder
            })
            .build()
    };
    for entry in walk {
        match entry {
            Ok(entry) => {
                let Some(file_type) = entry.file_type() else {
                    continue;
                };
                let linked_file = file_type.is_symlink() && entry.path().is_file();
                if !(file_type.is_file() || linked_file) {
                    continue; // folders, FIFOs, sockets, devices, dangling links
                }
                let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
                if !filter.matches(relative) {
                    continue;
                }
                if linked_file
                    && !config.follow_links_outside
                    && let Some(target) = link_outside(root, entry.path())
                {
                    warnings.push(Warning::new(
                        Some(entry.path()),
                        WarningKind::LinkOutside,
                        format!(
                            "a link to {}, outside {}; skipped (set follow_links_outside = true \
                             in verbatim.toml to follow it)",
                            display_path(&target),
                            display_path(root)
                        ),
                    ));
                    continue;
                }
                if files.len() == config.max_files {
                    warnings.push(Warning::new(
                        Some(root),
                        WarningKind::TooManyFiles,
                        format!(
                            "more than {max} article files: only the first {max} are checked \
                             (max_files = {max}); open a smaller folder, or raise max_files in \
                             verbatim.toml",
                            max = config.max_files
                        ),
                    ));
                    break;
                }
                files.push(entry.into_path());
            }
            Err(err) => {
                let path = walk_error_path(&err);
                warnings.push(Warning::new(
                    path.as_deref(),
                    WarningKind::Unreadable,
                    format!("cannot read: {}", walk_error_message(&err)),
                ));
            }
        }
    }
    let skipped = std::mem::take(&mut *skipped.lock().unwrap_or_else(|e| e.into_inner()));
    for folder in skipped {
        warnings.push(Warning::new(
            Some(&folder),
            WarningKind::VirtualFileSystem,
            "a virtual file system (the system's state, not articles); not read",
        ));
    }
    files.sort();
    (files, warnings)
}

/// Where `path` leads when it is a link (or lies under a link) to a file outside `root`;
/// `None` inside it, or when it cannot be told.
pub fn link_outside(root: &Path, path: &Path) -> Option<PathBuf> {
    let root = std::fs::canonicalize(root).ok()?;
    let target = std::fs::canonicalize(path).ok()?;
    (!target.starts_with(&root)).then_some(target)
}

fn walk_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        _ => None,
    }
}

fn walk_error_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => walk_error_message(err),
        other => other.to_string(),
    }
}

/// The files named by command-line style arguments: a folder is walked with [`discover`], a file
/// is taken as it is (even when the globs would not pick it), a missing path is an error
/// warning. Sorted by path; a file named twice (or by two spellings) is kept once.
pub fn expand_paths(paths: &[PathBuf], config: &Config) -> (Vec<PathBuf>, Vec<Warning>) {
    let mut files = BTreeSet::new();
    let mut warnings = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let (found, w) = discover(path, config);
                files.extend(found);
                warnings.extend(w);
            }
            Ok(meta) if !meta.is_file() => warnings.push(not_a_file(path, meta.file_type())),
            Ok(_) => {
                files.insert(path.clone());
            }
            Err(e) => warnings.push(Warning::new(
                Some(path),
                WarningKind::Unreadable,
                format!("cannot read: {}", io_message(&e)),
            )),
        }
    }
    // The same file reached by two spellings (`a/x.md`, `./a/../a/x.md`) is one document.
    let mut seen = BTreeSet::new();
    let files = files
        .into_iter()
        .filter(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())))
        .collect();
    (files, warnings)
}

/// An article's decoded text and what was wrong with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub text: String,
    /// At most the invalid-UTF-8 warning: the file was still read.
    pub warnings: Vec<Warning>,
}

/// Why an article file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{size} bytes is over the size limit of {limit} bytes (max_file_size); skipped")]
    TooLarge { size: u64, limit: u64 },
    #[error("contains a NUL byte at offset {offset} (binary file?); skipped")]
    NulBytes { offset: usize },
    #[error("cannot read: {}", io_message(.0))]
    Io(#[from] std::io::Error),
    #[error("not a regular file ({what}); skipped")]
    NotAFile { what: &'static str },
}

impl ReadError {
    /// The warning that reports this error about the file at `path`.
    pub fn to_warning(&self, path: &Path) -> Warning {
        let kind = match self {
            ReadError::TooLarge { .. } => WarningKind::TooLarge,
            ReadError::NulBytes { .. } => WarningKind::NulBytes,
            ReadError::Io(_) => WarningKind::Unreadable,
            ReadError::NotAFile { .. } => WarningKind::NotAFile,
        };
        Warning::new(Some(path), kind, self.to_string())
    }
}

/// Reads the article at `path` under the bad-input policy (see the module comment).
pub fn read_article(path: &Path, config: &Config) -> Result<Article, ReadError> {
    decode(path, read_bytes(path, config)?)
}

/// The bytes of the article at `path`, undecoded: never past `max_file_size`, and never from
/// anything but a regular file.
fn read_bytes(path: &Path, config: &Config) -> Result<Vec<u8>, ReadError> {
    // Opening a FIFO would wait for a writer: look before opening.
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile {
            what: kind_of_file(meta.file_type()),
        });
    }
    let file = std::fs::File::open(path)?;
    let limit = config.max_file_size;
    let size = file.metadata()?.len();
    if size > limit {
        return Err(ReadError::TooLarge { size, limit });
    }
    // The file may grow between the check and the read: never read past the limit. Sized to
    // the file, the buffer (which becomes the document's text) has no room left over.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Decodes the bytes of the article at `path` (as [`read_article`] does, without the size
/// check): for buffers that come from elsewhere than the disk.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<Article, ReadError> {
    // memchr's vector search: the whole file is read for this, before anything else.
    if let Some(offset) = memchr::memchr(0, &bytes) {
        return Err(ReadError::NulBytes { offset });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Article {
            text,
            warnings: Vec::new(),
        }),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = std::str::from_utf8(&bytes[..offset])
                .map_or(1, |valid| LineIndex::new(valid).line_count());
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let message = format!(
                "invalid UTF-8 at byte {offset} (line {line}); decoded with replacement \
                 characters (U+FFFD), so offsets after it count the decoded text"
            );
            Ok(Article {
                text,
                warnings: vec![Warning::new(Some(path), WarningKind::InvalidUtf8, message)],
            })
        }
    }
}

/// Reads and parses every file in `files` into a corpus with `config`. Files that cannot be
/// used are left out and reported; the order of `files` does not matter (the corpus orders
/// documents by path).
pub fn load_corpus(files: &[PathBuf], config: &Config) -> (Corpus, Vec<Warning>) {
    load_corpus_with(files, config, &|| {})
}

/// [`load_corpus`], calling `on_read` after each file (from any thread: files are read and
/// parsed on every core), so a front end can show progress.
pub fn load_corpus_with(
    files: &[PathBuf],
    config: &Config,
    on_read: &(dyn Fn() + Sync),
) -> (Corpus, Vec<Warning>) {
    let (docs, warnings) = read_documents(files, config, None, on_read);
    let mut corpus = Corpus::new(config.clone());
    for doc in docs {
        corpus.upsert(doc);
    }
    (corpus, warnings)
}

/// Reads and parses `files` (on every core) under the bad-input policy, in the order given,
/// calling `on_read` after each. A document's path is the file's path relative to `root`
/// (with `/` separators) when a root is given and holds it, else its [`display_path`]; a
/// file outside `root` is left out.
pub fn read_documents(
    files: &[PathBuf],
    config: &Config,
    root: Option<&Path>,
    on_read: &(dyn Fn() + Sync),
) -> (Vec<Document>, Vec<Warning>) {
    let (docs, warnings, _) = read_documents_if(files, config, root, on_read, &|_, _| true);
    (docs, warnings)
}

/// [`read_documents`], parsing only the articles for which `wanted(name, text)` is true (the
/// index skips the files it holds already); also returns the names of the others.
pub fn read_documents_if(
    files: &[PathBuf],
    config: &Config,
    root: Option<&Path>,
    on_read: &(dyn Fn() + Sync),
    wanted: &(dyn Fn(&str, &str) -> bool + Sync),
) -> (Vec<Document>, Vec<Warning>, Vec<String>) {
    let read = crate::parallel::map(files, |path| {
        let mut warnings = Vec::new();
        if path.to_str().is_none() {
            warnings.push(Warning::new(
                Some(path),
                WarningKind::NonUtf8Path,
                "the file name is not valid UTF-8: it is shown with U+FFFD in place of the bad \
                 bytes, so its path in reports (JSON included) does not name the file exactly",
            ));
        }
        let name = match root {
            Some(root) => relative_path(root, path),
            None => Some(display_path(path)),
        };
        let doc = match name.map(|name| (name, read_article(path, config))) {
            None => None,
            Some((name, Ok(article))) => {
                warnings.extend(article.warnings);
                if wanted(&name, &article.text) {
                    tracing::debug!(path = %path.display(), bytes = article.text.len(), "parsing");
                    Some(Ok(Document::parse(name, article.text)))
                } else {
                    Some(Err(name))
                }
            }
            Some((_, Err(e))) => {
                warnings.push(e.to_warning(path));
                None
            }
        };
        on_read();
        (doc, warnings)
    });
    let mut docs = Vec::with_capacity(read.len());
    let mut warnings = Vec::new();
    let mut skipped = Vec::new();
    for (doc, w) in read {
        warnings.extend(w);
        match doc {
            Some(Ok(doc)) => docs.push(doc),
            Some(Err(name)) => skipped.push(name),
            None => {}
        }
    }
    (docs, warnings, skipped)
}

/// Reads each of `files` (on every core; regular files within `max_file_size` only) and
/// applies `look` to its bytes, undecoded and not kept: a quick pass over a folder. `None` for
/// a file that cannot be read.
pub fn scan<T: Send>(
    files: &[PathBuf],
    config: &Config,
    look: &(dyn Fn(&[u8]) -> T + Sync),
) -> Vec<Option<T>> {
    crate::parallel::map(files, |path| {
        read_bytes(path, config).ok().map(|bytes| look(&bytes))
    })
}

/// `path` relative to `root`, with `/` separators, when it lies inside it (and is not `root`
/// itself): how the language server names the documents of a workspace folder.
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

/// How a path is shown to users and stored as a document's path: as given (relative paths stay
/// relative), without a leading `./`, with `/` separators.
pub fn display_path(path: &Path) -> String {
    let path = path.strip_prefix(".").unwrap_or(path);
    let shown = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        shown.into_owned()
    } else {
        shown.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(dir: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        path
    }

    fn rel(root: &Path, files: &[PathBuf]) -> Vec<String> {
        files
            .iter()
            .map(|f| display_path(f.strip_prefix(root).unwrap()))
            .collect()
    }

    #[test]
    fn discover_keeps_articles_honours_gitignore_and_sorts() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "b.txt", b"b");
        write(root, "a.md", b"a");
        write(root, "gold.json", b"{}");
        write(root, "sub/c.txt", b"c");
        write(root, "drafts/old.txt", b"old");
        write(root, "notes.rst", b"x");
        write(root, ".hidden/x.txt", b"x");
        write(root, ".gitignore", b"drafts/\n");
        let (files, warnings) = discover(root, &Config::default());
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(rel(root, &files), ["a.md", "b.txt", "sub/c.txt"]);
    }

    #[test]
    fn globs_include_and_exclude_relative_to_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "top.txt", b"x");
        write(root, "sub/deep.txt", b"x");
        write(root, "sub/skip.txt", b"x");
        let config = Config {
            include: vec!["sub/*.txt".into()],
            exclude: vec!["**/skip.*".into()],
            ..Config::default()
        };
        let (files, _) = discover(root, &config);
        assert_eq!(rel(root, &files), ["sub/deep.txt"]);
    }

    #[test]
    fn bad_bytes_follow_the_policy() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let config = Config {
            max_file_size: 20,
            ..Config::default()
        };
        let lossy = write(root, "lossy.txt", b"ok\n\xff bad");
        let article = read_article(&lossy, &config).unwrap();
        assert_eq!(article.text, "ok\n\u{FFFD} bad");
        assert_eq!(article.warnings.len(), 1);
        assert!(article.warnings[0].to_string().contains("lossy.txt"));
        assert!(article.warnings[0].message.contains("line 2"));

        let nul = write(root, "nul.txt", b"ab\0cd");
        let err = read_article(&nul, &config).unwrap_err();
        assert!(matches!(err, ReadError::NulBytes { offset: 2 }));
        assert_eq!(err.to_warning(&nul).kind, WarningKind::NulBytes);

        let big = write(root, "big.txt", &[b'a'; 21]);
        assert!(matches!(
            read_article(&big, &config),
            Err(ReadError::TooLarge {
                size: 21,
                limit: 20
            })
        ));
        let exact = write(root, "exact.txt", &[b'a'; 20]);
        assert!(read_article(&exact, &config).is_ok());

        let missing = root.join("missing.txt");
        let warning = read_article(&missing, &config)
            .unwrap_err()
            .to_warning(&missing);
        assert!(warning.is_error());
    }

    #[test]
    fn load_corpus_keeps_going_past_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let good = write(root, "good.txt", b"fine");
        let nul = write(root, "nul.txt", b"\0");
        let missing = root.join("gone.txt");
        let (corpus, warnings) = load_corpus(&[nul, missing, good], &Config::default());
        assert_eq!(corpus.len(), 1);
        assert_eq!(warnings.len(), 2);
        assert_eq!(warnings.iter().filter(|w| w.is_error()).count(), 1);
    }

    #[test]
    fn config_is_found_in_the_nearest_ancestor() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "verbatim.toml", b"max_file_size = 7\nbogus = 1\n");
        write(root, "story/a.txt", b"x");
        let loaded = load_config(&root.join("story")).unwrap();
        assert_eq!(loaded.config.max_file_size, 7);
        assert_eq!(loaded.file.as_deref(), Some(root.join(FILE_NAME).as_path()));
        assert_eq!(loaded.warnings.len(), 1);
        assert!(loaded.warnings[0].message.contains("`bogus`"));
        assert!(load_config(&root.join("story/a.txt")).is_ok());
    }

    #[test]
    fn malformed_config_and_bad_globs_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), "verbatim.toml", b"include = [\n");
        let err = load_config_file(&file).unwrap_err();
        assert!(matches!(err, ConfigError::Syntax { .. }));
        assert!(err.to_string().contains("verbatim.toml"));
        let file = write(dir.path(), "verbatim.toml", b"include = [\"a[\"]\n");
        assert!(matches!(
            load_config_file(&file),
            Err(ConfigError::Glob { .. })
        ));
    }

    #[test]
    fn display_paths_drop_the_leading_dot() {
        assert_eq!(display_path(Path::new("./a/b.md")), "a/b.md");
        assert_eq!(display_path(Path::new("a/b.md")), "a/b.md");
    }
}

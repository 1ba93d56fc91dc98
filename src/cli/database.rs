//! The command line's side of the shared quote index (`crate::db`): `verbatim index` and the
//! other versions that `check --db` and `report --db` collate the given files with. The
//! database work runs on a tokio runtime of its own, on this thread; parsing and collation stay
//! the engine's, exactly as for files on disk.

use super::progress::Progress;
use super::report::{EXIT_CLEAN, EXIT_ERROR};
use crate::config::{Config, DatabaseUrl, StoryMode};
use crate::db::record::{DocumentRecord, FileStamp, content_hash};
use crate::db::{self, Database, DbError, Lookup, StoredFile};
use crate::document::Document;
use crate::workspace::{self, Warning};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// The connection string: `--db`, else `database` in verbatim.toml (`""` turns the index off),
/// else the `VERBATIM_DATABASE_URL` environment variable (the server's order, with the editor's
/// settings in the place of `--db`).
pub fn database_url(given: Option<String>, configured: Option<&DatabaseUrl>) -> Option<String> {
    if let Some(url) = given {
        return Some(url);
    }
    match configured {
        // `database = ""` in verbatim.toml turns the index off, the variable too.
        Some(url) if url.0.trim().is_empty() => None,
        Some(url) => Some(url.0.clone()),
        None => std::env::var(db::URL_VAR)
            .ok()
            .filter(|url| !url.trim().is_empty()),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, DbError> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// The stored documents that may share a story with `docs` (read from disk, and left out of
/// the answer) under `mode`, parsed from their stored text, each shown as the file its stored
/// path names from the current folder when that file holds the same text, else under its
/// `verbatim-index://` name ([`db::parse_stored`]). Each statement is bounded by
/// [`db::CHECK_TIMEOUT`].
pub fn other_versions(
    url: &str,
    docs: &[&Document],
    mode: StoryMode,
) -> Result<Vec<db::Version>, DbError> {
    let lookup = Lookup::of(docs, mode);
    let stored = runtime()?.block_on(async {
        let db = Database::connect_for_lookups(url, db::CHECK_TIMEOUT).await?;
        lookup.run(&db).await
    })?;
    tracing::info!("{} other versions from the index", stored.len());
    Ok(db::parse_stored(
        &stored,
        url,
        Some(std::path::Path::new("")),
    ))
}

/// What one `verbatim index` run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct IndexSummary {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub quotes: usize,
}

/// `verbatim index`: reads `files` (found under `roots`), stores the new and changed ones,
/// removes the stored documents under `roots` whose files are gone. A file whose size and
/// modification time are those stored with its document is unchanged without being read; any
/// other is read, and unchanged if its hash is the stored one (its stamp then updated). Prints
/// a summary line on stdout. Exit 0, or 2 on a database error (nothing stored) or an unreadable file (the others
/// stored; its old rows kept).
pub fn index(
    url: &str,
    roots: &[PathBuf],
    files: &[PathBuf],
    config: &Config,
    mut warnings: Vec<Warning>,
    progress: &Progress,
) -> i32 {
    // File stamps are compared with the start of the run: a file modified after it, or just
    // before it, may change again unseen ([`FileStamp::of`]).
    let run = std::time::SystemTime::now();
    let result = runtime().and_then(|rt| {
        rt.block_on(async {
            let started = std::time::Instant::now();
            progress.step("connecting to the database".into());
            let mut db = Database::connect(url).await?;
            let stored = db.stored_files().await?;
            progress.counted("reading", files.len() as u64);
            let (to_read, stamps, untouched) = untouched_files(files, &stored, config, run);
            progress.advance(untouched as u64);
            tracing::debug!(
                "index: {untouched} files unchanged by size and time after {:?}",
                started.elapsed()
            );
            let unchanged = |name: &str, text: &str| {
                stored
                    .get(name)
                    .is_some_and(|file| file.hash == content_hash(text))
            };
            let (docs, read_warnings, skipped) = workspace::read_documents_if(
                &to_read,
                config,
                None,
                &|| progress.advance(1),
                &|name, text| !unchanged(name, text),
            );
            warnings.extend(read_warnings);
            let present: HashSet<String> =
                files.iter().map(|f| workspace::display_path(f)).collect();
            let removed = gone(&stored, roots, &present);
            tracing::debug!(
                "index: {} files parsed after {:?}",
                docs.len(),
                started.elapsed()
            );
            let stamp_of = |name: &str| stamps.get(name).copied().flatten();
            let records: Vec<DocumentRecord> = crate::parallel::map(&docs, |doc| {
                DocumentRecord::of(doc).stamped(stamp_of(&doc.path))
            });
            tracing::debug!("index: records made after {:?}", started.elapsed());
            // The files read and found unchanged keep their rows; their stamps are brought up
            // to date (so that the next run need not read them), when they changed.
            let read_unchanged = skipped.len();
            let restamped: Vec<(String, Option<FileStamp>)> = skipped
                .into_iter()
                .filter_map(|name| {
                    let stamp = stamp_of(&name);
                    let before = stored.get(&name).and_then(|file| file.stamp);
                    (stamp != before).then_some((name, stamp))
                })
                .collect();
            let summary = IndexSummary {
                added: records
                    .iter()
                    .filter(|r| !stored.contains_key(&r.path))
                    .count(),
                changed: records
                    .iter()
                    .filter(|r| stored.contains_key(&r.path))
                    .count(),
                unchanged: untouched + read_unchanged,
                removed: removed.len(),
                quotes: records.iter().map(|r| r.quotes.len()).sum(),
            };
            progress.step(format!("storing {} articles", records.len()));
            db.store(&records, &removed, &restamped).await?;
            Ok::<IndexSummary, DbError>(summary)
        })
    });
    progress.finish();
    for w in &warnings {
        if w.is_error() {
            tracing::error!("{w}");
        } else {
            tracing::warn!("{w}");
        }
    }
    match result {
        Ok(s) => {
            println!(
                "indexed {} new and {} changed articles ({} quotes); {} unchanged, {} removed",
                s.added, s.changed, s.quotes, s.unchanged, s.removed
            );
            if warnings.iter().any(Warning::is_error) {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            }
        }
        Err(e) => {
            tracing::error!("{e}; nothing was changed in the index");
            EXIT_ERROR
        }
    }
}

/// The stamps of `files` (their size and modification time, `stat`ed on every core), told
/// apart: those whose stamp is the one stored with their document, unchanged without reading
/// them, are only counted (the third value); the others are returned to be read (the first
/// value), with their stamps by name (the second; `None` for one that cannot be trusted,
/// [`FileStamp::of`]). A file the bad-input policy would refuse (not a regular file, too
/// large) is always read, for its warning.
fn untouched_files(
    files: &[PathBuf],
    stored: &HashMap<String, StoredFile>,
    config: &Config,
    run: std::time::SystemTime,
) -> (Vec<PathBuf>, HashMap<String, Option<FileStamp>>, usize) {
    let stamped = crate::parallel::map(files, |path| {
        let name = workspace::display_path(path);
        let stamp = std::fs::metadata(path)
            .ok()
            .filter(|meta| meta.is_file() && meta.len() <= config.max_file_size)
            .and_then(|meta| FileStamp::of(&meta, run));
        let same = stamp.is_some() && stored.get(&name).is_some_and(|s| s.stamp == stamp);
        (name, stamp, same)
    });
    let mut to_read = Vec::new();
    let mut stamps = HashMap::new();
    let mut untouched = 0;
    for (path, (name, stamp, same)) in files.iter().zip(stamped) {
        if same {
            untouched += 1;
        } else {
            to_read.push(path.clone());
            stamps.insert(name, stamp);
        }
    }
    (to_read, stamps, untouched)
}

/// The stored paths under one of `roots` (as `index` names them) with no file any more.
fn gone<V>(
    stored: &HashMap<String, V>,
    roots: &[PathBuf],
    present: &HashSet<String>,
) -> Vec<String> {
    let prefixes: Vec<String> = roots.iter().map(|r| workspace::display_path(r)).collect();
    let mut out: Vec<String> = stored
        .keys()
        .filter(|path| !present.contains(*path))
        .filter(|path| {
            prefixes.iter().any(|p| {
                p.is_empty()
                    || *path == p
                    || path
                        .strip_prefix(p.as_str())
                        .is_some_and(|rest| rest.starts_with('/') || p.ends_with('/'))
            })
        })
        .cloned()
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_under_the_roots_given_are_removed() {
        let stored: HashMap<String, Vec<u8>> = ["news/a.md", "news/b.md", "newsroom/c.md", "d.md"]
            .iter()
            .map(|p| (p.to_string(), vec![]))
            .collect();
        let present: HashSet<String> = ["news/a.md".to_string()].into();
        assert_eq!(
            gone(&stored, &[PathBuf::from("news")], &present),
            ["news/b.md"]
        );
        assert_eq!(
            gone(&stored, &[PathBuf::from("news/")], &present),
            ["news/b.md"]
        );
        assert_eq!(
            gone(&stored, &[PathBuf::from(".")], &present),
            ["d.md", "news/b.md", "newsroom/c.md"]
        );
    }
}

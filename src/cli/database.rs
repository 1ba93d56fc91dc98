//! The command line's side of the shared quote index (`crate::db`): `verbatim index` and the
//! other versions that `check --db` and `report --db` collate the given files with. The
//! database work runs on a tokio runtime of its own, on this thread; parsing and collation stay
//! the engine's, exactly as for files on disk.

use super::progress::Progress;
use super::report::{EXIT_CLEAN, EXIT_ERROR};
use crate::config::{Config, DatabaseUrl, StoryMode};
use crate::db::record::{DocumentRecord, content_hash};
use crate::db::{self, Database, DbError, Lookup};
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
/// removes the stored documents under `roots` whose files are gone. Prints a summary line on
/// stdout. Exit 0, or 2 on a database error (nothing stored) or an unreadable file (the others
/// stored; its old rows kept).
pub fn index(
    url: &str,
    roots: &[PathBuf],
    files: &[PathBuf],
    config: &Config,
    mut warnings: Vec<Warning>,
    progress: &Progress,
) -> i32 {
    let result = runtime().and_then(|rt| {
        rt.block_on(async {
            let started = std::time::Instant::now();
            progress.step("connecting to the database".into());
            let mut db = Database::connect(url).await?;
            let stored = db.stored_hashes().await?;
            progress.counted("reading", files.len() as u64);
            let unchanged = |name: &str, text: &str| {
                stored
                    .get(name)
                    .is_some_and(|hash| *hash == content_hash(text))
            };
            let (docs, read_warnings, skipped) = workspace::read_documents_if(
                files,
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
            let records: Vec<DocumentRecord> = crate::parallel::map(&docs, DocumentRecord::of);
            tracing::debug!("index: records made after {:?}", started.elapsed());
            let summary = IndexSummary {
                added: records
                    .iter()
                    .filter(|r| !stored.contains_key(&r.path))
                    .count(),
                changed: records
                    .iter()
                    .filter(|r| stored.contains_key(&r.path))
                    .count(),
                unchanged: skipped.len(),
                removed: removed.len(),
                quotes: records.iter().map(|r| r.quotes.len()).sum(),
            };
            progress.step(format!("storing {} articles", records.len()));
            db.store(&records, &removed).await?;
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

/// The stored paths under one of `roots` (as `index` names them) with no file any more.
fn gone(
    stored: &HashMap<String, Vec<u8>>,
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

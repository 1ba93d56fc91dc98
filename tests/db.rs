//! The shared quote index on a real PostgreSQL server: a throwaway cluster per test
//! (`pg_support`), started with the machine's PostgreSQL binaries. Skipped with a message when
//! there are none, unless `VERBATIM_REQUIRE_POSTGRES` is set (`.ci/run` sets it after
//! `.ci/postgres` installed them).

#[allow(dead_code)] // each test file uses a different part of it
mod pg_support;

use pg_support::{Cluster, TestCa, test_certificates};

#[test]
fn a_throwaway_cluster_starts_and_answers() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    cluster.database("answers");
    assert_eq!(cluster.psql("answers", "SELECT 40 + 2"), "42");
}

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

const BIN: &str = env!("CARGO_BIN_EXE_verbatim");

/// Runs the binary in `dir` with `args`, no database variable inherited.
fn verbatim(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("VERBATIM_DATABASE_URL")
        .env_remove("RUST_LOG")
        .env_remove("VERBATIM_LOG")
        .output()
        .expect("verbatim runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A copy of the harbour-bridge example in a temporary folder, as `story/`.
fn story_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/harbour-bridge");
    std::fs::create_dir(dir.path().join("story")).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            dir.path().join("story").join(entry.file_name()),
        )
        .unwrap();
    }
    dir
}

/// A cluster with an empty database `name` (and its URL), and a copy of an example story; `None`
/// when the tests are skipped.
fn with_story(name: &str) -> Option<(Cluster, String, tempfile::TempDir)> {
    let cluster = Cluster::start()?;
    let url = cluster.database(name);
    Some((cluster, url, story_copy()))
}

#[test]
fn index_stores_new_files_skips_unchanged_ones_and_removes_deleted_ones() {
    let Some((cluster, url, dir)) = with_story("news") else {
        return;
    };
    let index = || {
        let out = verbatim(dir.path(), &["index", "--db", &url, "story"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out).trim().to_string()
    };
    let run = |expect: &str| assert_eq!(index(), expect);
    run("indexed 4 new and 0 changed articles (23 quotes); 0 unchanged, 0 removed");
    assert_eq!(
        cluster.psql(
            "news",
            "SELECT string_agg(path, ' ' ORDER BY path) FROM documents"
        ),
        "story/draft.md story/rewrite.txt story/translation.txt story/wire.md"
    );
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM quotes"), "23");
    assert_eq!(
        cluster.psql(
            "news",
            "SELECT speaker || ': ' || array_to_string(q.words[1:4], ' ') FROM quotes q \
             JOIN documents d ON d.id = q.document \
             WHERE d.path = 'story/wire.md' AND q.text LIKE 'The main cables%'"
        ),
        "Tomas Brandt: the main cables have"
    );
    assert_eq!(
        cluster.psql(
            "news",
            "SELECT string_agg(version || ' ' || name, ', ' ORDER BY version) \
             FROM schema_migrations"
        ),
        "1 documents_quotes_prints, 2 word_frequencies, 3 rare_document_words, 4 file_stamps, \
         5 document_words_without_foreign_key"
    );

    // Nothing changed: nothing stored again.
    run("indexed 0 new and 0 changed articles (0 quotes); 4 unchanged, 0 removed");
    // One version rewritten, one deleted.
    let draft = dir.path().join("story/draft.md");
    let text = std::fs::read_to_string(&draft).unwrap();
    std::fs::write(
        &draft,
        text + "\n\u{201c}We will reopen in spring,\u{201d} said Ilse Varga.\n",
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("story/rewrite.txt")).unwrap();
    let draft_quotes: usize = cluster
        .psql(
            "news",
            "SELECT count(*) FROM quotes q JOIN documents d ON d.id = q.document \
             WHERE d.path = 'story/draft.md'",
        )
        .parse()
        .unwrap();
    let summary = index();
    assert_eq!(
        summary,
        format!(
            "indexed 0 new and 1 changed articles ({} quotes); 2 unchanged, 1 removed",
            draft_quotes + 1
        )
    );
    assert_eq!(cluster.psql("news", "SELECT count(*) FROM documents"), "3");
    assert_eq!(
        cluster.psql(
            "news",
            "SELECT count(*) FROM document_words dw \
             WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = dw.document)"
        ),
        "0"
    );
    assert_words_counted(&cluster, "news");
}

/// Sets the modification time of the file at `path`.
fn set_mtime(path: &Path, at: SystemTime) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(at).unwrap();
}

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

/// `verbatim index --db url roots…` in `dir`, which must succeed: its summary line.
fn index_in(dir: &Path, url: &str, roots: &[&str]) -> String {
    let mut args = vec!["index", "--db", url];
    args.extend(roots);
    let out = verbatim(dir, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out).trim().to_string()
}

#[test]
fn a_file_with_its_stored_size_and_time_is_not_read_again_and_a_touched_one_not_stored_again() {
    let Some((cluster, url, dir)) = with_story("stamps") else {
        return;
    };
    // Files last modified an hour ago: their size and time are trusted by the next run.
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let files: Vec<_> = std::fs::read_dir(dir.path().join("story"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for file in &files {
        set_mtime(file, hour_ago);
    }
    let index = || index_in(dir.path(), &url, &["story"]);
    assert!(index().starts_with("indexed 4 new"));
    let stamped = "SELECT count(*) FROM document_files JOIN documents USING (path)";
    assert_eq!(cluster.psql("stamps", stamped), "4");
    let wire = dir.path().join("story/wire.md");
    let id_of_wire = "SELECT id FROM documents WHERE path = 'story/wire.md'";
    let id = cluster.psql("stamps", id_of_wire);

    // Touched, the same text: read, found unchanged by its hash, not stored again; its new
    // time is stored, so that the next run does not read it.
    let half_an_hour_ago = hour_ago + Duration::from_secs(1800);
    set_mtime(&wire, half_an_hour_ago);
    let unchanged = "indexed 0 new and 0 changed articles (0 quotes); 4 unchanged, 0 removed";
    assert_eq!(index(), unchanged);
    assert_eq!(cluster.psql("stamps", id_of_wire), id);
    let since_1970 = half_an_hour_ago
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    assert_eq!(
        cluster.psql(
            "stamps",
            "SELECT mtime_ns FROM document_files WHERE path = 'story/wire.md'"
        ),
        since_1970.to_string()
    );

    // Rewritten to the same size and given back its time: taken as unchanged without being
    // read, as git takes such a file (what stays trusted is what the next test shows).
    let text = std::fs::read_to_string(&wire).unwrap();
    let same_size = text.replacen("cables", "cabled", 1);
    assert_ne!(same_size, text);
    std::fs::write(&wire, &same_size).unwrap();
    set_mtime(&wire, half_an_hour_ago);
    assert_eq!(index(), unchanged);
    let body = "SELECT count(*) FROM documents WHERE path = 'story/wire.md' \
                AND body LIKE '%cabled%'";
    assert_eq!(cluster.psql("stamps", body), "0");

    // Its time changed (the size still the same): read, and stored again.
    set_mtime(&wire, half_an_hour_ago + Duration::from_secs(1));
    assert!(
        index().starts_with("indexed 0 new and 1 changed"),
        "the rewritten file is stored"
    );
    assert_eq!(cluster.psql("stamps", body), "1");
    assert_eq!(cluster.psql("stamps", stamped), "4");
    // A removed file's stamp goes with its document.
    std::fs::remove_file(dir.path().join("story/rewrite.txt")).unwrap();
    assert!(index().ends_with("3 unchanged, 1 removed"));
    assert_eq!(
        cluster.psql("stamps", "SELECT count(*) FROM document_files"),
        "3"
    );
}

#[test]
fn a_file_rewritten_within_the_same_clock_tick_as_it_was_indexed_is_still_read_again() {
    let Some((cluster, url, dir)) = with_story("racy") else {
        return;
    };
    // Just written: modified too close to the run that reads them for their size and time to
    // say they are unchanged later (the file may be rewritten again in the same tick).
    let wire = dir.path().join("story/wire.md");
    let written = mtime(&wire);
    assert!(index_in(dir.path(), &url, &["story"]).starts_with("indexed 4 new"));
    assert_eq!(
        cluster.psql(
            "racy",
            "SELECT count(*) FROM documents WHERE path NOT IN (SELECT path FROM document_files)"
        ),
        "4"
    );
    // Rewritten to the same size with the same modification time, to the nanosecond.
    let text = std::fs::read_to_string(&wire).unwrap();
    std::fs::write(&wire, text.replacen("cables", "cabled", 1)).unwrap();
    set_mtime(&wire, written);
    assert_eq!(std::fs::metadata(&wire).unwrap().len() as usize, text.len());
    assert_eq!(mtime(&wire), written);
    assert_eq!(
        index_in(dir.path(), &url, &["story"]),
        format!(
            "indexed 0 new and 1 changed articles ({} quotes); 3 unchanged, 0 removed",
            cluster.psql(
                "racy",
                "SELECT count(*) FROM quotes q JOIN documents d ON d.id = q.document \
                 WHERE d.path = 'story/wire.md'"
            )
        )
    );
    assert_eq!(
        cluster.psql(
            "racy",
            "SELECT count(*) FROM documents WHERE path = 'story/wire.md' AND body LIKE '%cabled%'"
        ),
        "1"
    );
}

#[test]
fn a_removed_or_changed_document_takes_its_postings_with_it() {
    let Some((cluster, url, dir)) = with_story("postings") else {
        return;
    };
    index_in(dir.path(), &url, &["story"]);
    let postings_of = |path: &str| {
        cluster.psql(
            "postings",
            &format!(
                "SELECT count(*) FROM document_words dw JOIN documents d ON d.id = dw.document \
                 WHERE d.path = '{path}'"
            ),
        )
    };
    let id_of = |path: &str| {
        cluster.psql(
            "postings",
            &format!("SELECT id FROM documents WHERE path = '{path}'"),
        )
    };
    let postings_of_id = |id: &str| {
        cluster.psql(
            "postings",
            &format!("SELECT count(*) FROM document_words WHERE document = {id}"),
        )
    };
    assert_ne!(postings_of("story/rewrite.txt"), "0");
    assert_ne!(postings_of("story/draft.md"), "0");
    let (rewrite, draft) = (id_of("story/rewrite.txt"), id_of("story/draft.md"));
    std::fs::remove_file(dir.path().join("story/rewrite.txt")).unwrap();
    let draft_file = dir.path().join("story/draft.md");
    let text = std::fs::read_to_string(&draft_file).unwrap();
    std::fs::write(&draft_file, text + "\nThe Quillfeather ferry resumes.\n").unwrap();
    let summary = index_in(dir.path(), &url, &["story"]);
    assert!(
        summary.starts_with("indexed 0 new and 1 changed"),
        "{summary}"
    );
    assert!(summary.ends_with("2 unchanged, 1 removed"), "{summary}");
    assert_eq!(
        postings_of_id(&rewrite),
        "0",
        "the removed document's postings"
    );
    assert_eq!(
        postings_of_id(&draft),
        "0",
        "the changed document's old postings"
    );
    assert_ne!(postings_of("story/draft.md"), "0", "its new postings");
    assert_words_counted(&cluster, "postings");
    // No foreign key does it (migration 5): `index` deletes them itself.
    assert!(!schema_of(&cluster, "postings").contains("document_words_document_fkey"));
}

/// Writes `count` short articles numbered from `from` under `dir/notes`, two by two the
/// versions of a story (the same quote; words of their own), modified an hour ago.
fn write_notes(dir: &Path, from: usize, count: usize) {
    std::fs::create_dir_all(dir.join("notes")).unwrap();
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for i in from..from + count {
        // The story's number in letters: a name of its own.
        let mut n = i / 2;
        let mut name = String::new();
        for _ in 0..4 {
            name.push(char::from(b'a' + (n % 26) as u8));
            n /= 26;
        }
        let path = dir.join(format!("notes/n{i:05}.md"));
        std::fs::write(
            &path,
            format!(
                "Date: 2026-03-04\n\nThe {name}ton committee met about {name}ville.\n\n\
                 \u{201c}{name}port {name}berg {name}stad {name}holm,\u{201d} said Ilse Varga.\n"
            ),
        )
        .unwrap();
        set_mtime(&path, hour_ago);
    }
}

#[test]
fn only_a_change_large_against_the_index_refreshes_its_statistics() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let url = cluster.database("stats");
    let dir = tempfile::tempdir().unwrap();
    let believed = || {
        cluster.psql(
            "stats",
            "SELECT reltuples::bigint FROM pg_class WHERE oid = 'documents'::regclass",
        )
    };
    // A first load of 6,000: analyzed.
    write_notes(dir.path(), 0, 6_000);
    index_in(dir.path(), &url, &["notes"]);
    assert_eq!(believed(), "6000");
    cluster.psql(
        "stats",
        "ALTER TABLE documents SET (autovacuum_enabled = off)",
    );
    // 1,000 more, less than a fifth of the index: left to autovacuum.
    write_notes(dir.path(), 6_000, 1_000);
    assert!(index_in(dir.path(), &url, &["notes"]).starts_with("indexed 1000 new"));
    assert_eq!(believed(), "6000");
    // The lookups still find the new documents' versions.
    let doc = verbatim::document::Document::parse(
        "notes/n06000.md",
        std::fs::read_to_string(dir.path().join("notes/n06000.md")).unwrap(),
    );
    let print = verbatim::corpus::story::Print::of(&doc);
    let probe = verbatim::db::Probe {
        words: print.words,
        shingles: print.quotes,
        day: print.day,
    };
    let found = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let db = verbatim::db::Database::connect_for_lookups(&url, Duration::from_secs(30))
                .await
                .unwrap();
            db.candidates(&[probe], std::slice::from_ref(&doc.path))
                .await
                .unwrap()
        });
    let paths: Vec<&str> = found.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["notes/n06001.md"]);
    // 1,300 more, over a fifth of what the statistics describe: analyzed.
    write_notes(dir.path(), 7_000, 1_300);
    index_in(dir.path(), &url, &["notes"]);
    assert_eq!(believed(), "8300");
}

/// Asserts that `word_frequencies` counts the stored documents holding each content word, and
/// that `document_words` holds the postings of exactly the rare ones (in at most 64 documents,
/// `COMMON_WORD_LIMIT`: the only ones the candidate lookup reads).
fn assert_words_counted(cluster: &Cluster, db: &str) {
    assert_eq!(
        cluster.psql(
            db,
            "SELECT count(*) FROM (SELECT w AS word, count(*) AS n FROM documents, unnest(words) w \
             GROUP BY w) c FULL JOIN word_frequencies f USING (word) \
             WHERE c.n IS DISTINCT FROM f.documents"
        ),
        "0",
        "word frequencies"
    );
    assert_eq!(
        cluster.psql(
            db,
            "SELECT count(*) FROM (SELECT word, count(*) AS n FROM document_words GROUP BY word) c \
             FULL JOIN word_frequencies f USING (word) \
             WHERE c.n IS DISTINCT FROM (CASE WHEN f.documents <= 64 THEN f.documents END)"
        ),
        "0",
        "postings of the rare words only"
    );
}

/// The indexes and constraints of database `db`, with their options.
fn schema_of(cluster: &Cluster, db: &str) -> String {
    let indexes = cluster.psql(
        db,
        "SELECT string_agg(i.indexdef || coalesce(' ' || array_to_string(c.reloptions, ','), ''), \
         E'\\n' ORDER BY i.indexname) \
         FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname \
         WHERE i.schemaname = 'public'",
    );
    let constraints = cluster.psql(
        db,
        "SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), E'\\n' ORDER BY conname) \
         FROM pg_constraint WHERE connamespace = 'public'::regnamespace",
    );
    format!("{indexes}\n{constraints}")
}

#[test]
fn a_first_load_builds_the_indexes_the_migrations_create() {
    let Some((cluster, url, dir)) = with_story("loaded") else {
        return;
    };
    let empty_url = cluster.database("empty");
    std::fs::create_dir(dir.path().join("nothing")).unwrap();
    let out = verbatim(dir.path(), &["index", "--db", &empty_url, "nothing"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = verbatim(dir.path(), &["index", "--db", &url, "story"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let migrated = schema_of(&cluster, "empty");
    assert!(migrated.contains("documents_shingles"), "{migrated}");
    assert!(migrated.contains("fastupdate=off"), "{migrated}");
    assert!(migrated.contains("quotes_document_fkey"), "{migrated}");
    assert_eq!(schema_of(&cluster, "loaded"), migrated);
}

#[test]
fn only_rare_words_have_postings_and_a_word_that_becomes_rare_again_gets_them_back() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let url = cluster.database("rare");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("notes")).unwrap();
    // 66 articles sharing a few words: in more documents than COMMON_WORD_LIMIT (64).
    for i in 0..66 {
        std::fs::write(
            dir.path().join(format!("notes/n{i:02}.md")),
            format!(
                "The Quillfeather committee met on Tuesday about the harbour item{i}.\n\n\
                 \u{201c}We agreed on item{i},\u{201d} said Ilse Varga.\n"
            ),
        )
        .unwrap();
    }
    let index = || {
        let out = verbatim(dir.path(), &["index", "--db", &url, "notes"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    };
    index();
    let common = "SELECT count(*) FROM word_frequencies WHERE documents > 64";
    assert_ne!(cluster.psql("rare", common), "0");
    assert_words_counted(&cluster, "rare");
    // Two deleted: the shared words are in 64 documents, rare again, with their postings.
    std::fs::remove_file(dir.path().join("notes/n00.md")).unwrap();
    std::fs::remove_file(dir.path().join("notes/n01.md")).unwrap();
    index();
    assert_eq!(cluster.psql("rare", common), "0");
    assert_ne!(
        cluster.psql(
            "rare",
            "SELECT count(*) FROM word_frequencies WHERE documents = 64"
        ),
        "0"
    );
    assert_words_counted(&cluster, "rare");
    // One of them back: common again, the postings gone.
    std::fs::write(
        dir.path().join("notes/n00.md"),
        "The Quillfeather committee met on Tuesday about the harbour.\n",
    )
    .unwrap();
    index();
    assert_ne!(cluster.psql("rare", common), "0");
    assert_words_counted(&cluster, "rare");

    // An index built before migration 3 held every word's postings: the migration, applied by
    // the next `verbatim index`, keeps the rare ones only.
    cluster.psql(
        "rare",
        "DELETE FROM schema_migrations WHERE version = 3; \
         INSERT INTO document_words (word, document) \
         SELECT w, id FROM documents, unnest(words) w ON CONFLICT DO NOTHING",
    );
    assert_ne!(
        cluster.psql(
            "rare",
            "SELECT count(*) FROM document_words dw JOIN word_frequencies f USING (word) \
             WHERE f.documents > 64"
        ),
        "0"
    );
    index();
    assert_words_counted(&cluster, "rare");
}

#[test]
fn the_connection_string_may_come_from_the_environment() {
    let Some((cluster, url, dir)) = with_story("from_env") else {
        return;
    };
    let out = Command::new(BIN)
        .args(["index", "story/wire.md"])
        .current_dir(dir.path())
        .env("VERBATIM_DATABASE_URL", &url)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        cluster.psql("from_env", "SELECT path FROM documents"),
        "story/wire.md"
    );
}

/// `check` and `index` read `database` from verbatim.toml when `--db` is not given (before the
/// environment variable); `database = ""` turns the index off even with the variable set.
#[test]
fn the_connection_string_may_come_from_verbatim_toml() {
    let Some((cluster, url, dir)) = with_story("from_toml") else {
        return;
    };
    let toml = dir.path().join("verbatim.toml");
    std::fs::write(&toml, format!("database = \"{url}\"\n")).unwrap();
    let out = verbatim(dir.path(), &["index", "story"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        cluster.psql("from_toml", "SELECT count(*) FROM documents"),
        "4"
    );
    // The draft alone in a folder of its own: its other versions can only come from the index.
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    std::fs::copy(
        dir.path().join("story/draft.md"),
        dir.path().join("mine/draft.md"),
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("story/draft.md")).unwrap();
    let check = |extra_env: Option<&str>| {
        let mut cmd = Command::new(BIN);
        cmd.args(["check", "--format", "json", "mine/draft.md"])
            .current_dir(dir.path())
            .env_remove("VERBATIM_DATABASE_URL")
            .env_remove("RUST_LOG")
            .env_remove("VERBATIM_LOG");
        if let Some(url) = extra_env {
            cmd.env("VERBATIM_DATABASE_URL", url);
        }
        cmd.output().unwrap()
    };
    let through_toml = check(None);
    let through_flag = verbatim(
        dir.path(),
        &["check", "--db", &url, "--format", "json", "mine/draft.md"],
    );
    assert_eq!(stdout(&through_toml), stdout(&through_flag));
    let report: Value = serde_json::from_str(&stdout(&through_toml)).unwrap();
    assert!(
        !report["diagnostics"].as_array().unwrap().is_empty(),
        "the draft is checked against the indexed versions: {}",
        stdout(&through_toml)
    );
    // Turned off in the file: the variable is not used, and the draft has nobody to differ from.
    std::fs::write(&toml, "database = \"\"\n").unwrap();
    let off = check(Some(&url));
    assert_eq!(off.status.code(), Some(0), "{}", stderr(&off));
    let report: Value = serde_json::from_str(&stdout(&off)).unwrap();
    assert!(
        report["diagnostics"].as_array().unwrap().is_empty(),
        "{}",
        stdout(&off)
    );
}

#[test]
fn an_unreachable_database_is_a_clear_error_without_the_password() {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgresql://editor:hunter2@127.0.0.1:{port}/news");
    let dir = story_copy();
    for args in [
        vec!["index", "--db", &url, "story"],
        vec!["check", "--db", &url, "story/wire.md"],
    ] {
        let out = verbatim(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "cannot reach the database postgresql://editor:***@127.0.0.1:{port}/news"
            )),
            "{err}"
        );
        assert!(!err.contains("hunter2"), "{err}");
        assert!(stdout(&out).is_empty(), "{args:?}");
    }
    let out = verbatim(dir.path(), &["index", "story"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no database"), "{}", stderr(&out));
}

/// The JSON report's files and diagnostics whose path starts with `prefix`.
fn part(report: &Value, prefix: &str) -> (Vec<Value>, Vec<Value>) {
    let under = |key: &str| -> Vec<Value> {
        let list = report[key].as_array().unwrap().iter();
        list.filter(|v| v["path"].as_str().is_some_and(|p| p.starts_with(prefix)))
            .cloned()
            .collect()
    };
    (under("files"), under("diagnostics"))
}

/// The story folders of the examples and, when present, of the shared corpus.
fn story_folders(roots: &[&str]) -> Vec<String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for root in roots {
        let Ok(entries) = std::fs::read_dir(repo.join(root)) else {
            continue;
        };
        let mut dirs: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| format!("{root}/{}", e.file_name().to_string_lossy()))
            .collect();
        dirs.sort();
        out.extend(dirs);
    }
    out
}

#[test]
fn check_through_the_index_finds_what_the_in_memory_check_finds() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut roots = vec!["examples"];
    if repo.join("../shared/corpus").is_dir() {
        roots.push("../shared/corpus");
    } else {
        eprintln!("../shared/corpus not found: the examples only");
    }
    // Both story modes, with the examples' own setting (their README is no version).
    let configs = tempfile::tempdir().unwrap();
    let mut modes = Vec::new();
    for (mode, extra) in [("auto", ""), ("folder", "stories = \"folder\"\n")] {
        let file = configs.path().join(format!("{mode}.toml"));
        std::fs::write(&file, format!("exclude = [\"README.md\"]\n{extra}")).unwrap();
        modes.push(file.to_str().unwrap().to_string());
    }
    let mut findings = 0;
    let mut stories = 0;
    for (n, root) in roots.iter().enumerate() {
        let url = cluster.database(&format!("archive{n}"));
        let out = verbatim(repo, &["index", "--db", &url, "--config", &modes[0], root]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        for config in &modes {
            let whole = verbatim(
                repo,
                &["check", "--format", "json", "--config", config, root],
            );
            let whole: Value = serde_json::from_slice(&whole.stdout).unwrap();
            for story in story_folders(&[root]) {
                findings += same_findings(repo, &url, config, &story, &whole);
                stories += 1;
            }
        }
    }
    assert!(stories >= 4 && findings > 0);
}

/// Asserts that `check --db` on each article of `story` alone (its other versions coming from
/// the index) reports on it what the in-memory check of its whole root (`whole`) under the same
/// configuration reports; returns how many of those findings name another version.
fn same_findings(repo: &Path, url: &str, config: &str, story: &str, whole: &Value) -> usize {
    let mut files: Vec<String> = std::fs::read_dir(repo.join(story))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| format!("{story}/{}", e.file_name().to_string_lossy()))
        .filter(|f| (f.ends_with(".txt") || f.ends_with(".md")) && !f.ends_with("README.md"))
        .collect();
    files.sort();
    let mut findings = 0;
    for file in &files {
        let args = [
            "check", "--db", url, "--format", "json", "--config", config, file,
        ];
        let out = verbatim(repo, &args);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{file}: {}",
            stderr(&out)
        );
        let through_db: Value = serde_json::from_slice(&out.stdout).unwrap();
        let (reported, diagnostics) = part(&through_db, file);
        assert_eq!(
            reported.len(),
            through_db["files"].as_array().unwrap().len(),
            "{file}: only the file given is reported"
        );
        let expected = part(whole, file);
        assert_eq!(reported, expected.0, "{file}: quotes");
        assert_eq!(diagnostics, expected.1, "{file}: findings");
        // Findings that name another version: it came through the index.
        findings += diagnostics
            .iter()
            .filter(|d| {
                let related = d["related"].as_array().unwrap();
                related.iter().any(|r| r["path"] != file.as_str())
            })
            .count();
    }
    findings
}

#[test]
fn a_reader_checks_through_the_index_without_rights_to_change_it() {
    let Some((cluster, url, dir)) = with_story("shared") else {
        return;
    };
    // Never indexed: nothing to look up in, and nothing created by the lookup.
    let out = verbatim(dir.path(), &["check", "--db", &url, "story/wire.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no Verbatim index here yet: run `verbatim index` first"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        cluster.psql(
            "shared",
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ),
        "0"
    );

    let out = verbatim(dir.path(), &["index", "--db", &url, "story"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // An editor's role that may read the index and nothing more.
    cluster.psql(
        "shared",
        "CREATE ROLE reader LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader",
    );
    let reader = url.replace(&format!("{}@", pg_support::USER), "reader@");
    assert_ne!(reader, url);
    std::fs::remove_file(dir.path().join("story/rewrite.txt")).unwrap();
    let check = |url: &str| {
        let out = verbatim(
            dir.path(),
            &["check", "--db", url, "--format", "json", "story/draft.md"],
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        stdout(&out)
    };
    let as_reader = check(&reader);
    assert_eq!(as_reader, check(&url));
    assert!(as_reader.contains("story/rewrite.txt"), "{as_reader}");
}

/// The names under which the server executed each statement (by its first line) whose first
/// line contains one of `texts`, read from the server's log (`log_statement = 'all'`).
fn executions(log: &str, texts: &[&str]) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for line in log.lines() {
        let Some((_, rest)) = line.split_once("LOG:  execute ") else {
            continue;
        };
        let Some((name, statement)) = rest.split_once(": ") else {
            continue;
        };
        let statement = statement.trim();
        if texts.iter().any(|t| statement.contains(t)) {
            out.entry(statement.to_string())
                .or_default()
                .push(name.to_string());
        }
    }
    out
}

/// A connection (the server's, which asks the index at every change of the open documents)
/// prepares the lookups' statements once and executes them again on later lookups, instead of
/// preparing each statement again on every call; the answers stay the same.
#[test]
fn a_connection_prepares_its_lookup_statements_once() {
    use verbatim::config::StoryMode;
    use verbatim::db::{Database, Lookup};
    use verbatim::document::Document;
    let Some((cluster, url, dir)) = with_story("prepared") else {
        return;
    };
    let out = verbatim(dir.path(), &["index", "--db", &url, "story"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    cluster.psql(
        "postgres",
        "ALTER DATABASE prepared SET log_statement = 'all'",
    );
    let draft = std::fs::read_to_string(dir.path().join("story/draft.md")).unwrap();
    let draft = Document::parse("story/draft.md".to_string(), draft);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let answers = runtime.block_on(async {
        let db = Database::connect_for_lookups(&url, std::time::Duration::from_secs(30))
            .await
            .unwrap();
        let mut answers = Vec::new();
        for mode in [StoryMode::Auto, StoryMode::Folder] {
            for _ in 0..3 {
                let found = Lookup::of(&[&draft], mode).run(&db).await.unwrap();
                answers.push(found.into_iter().map(|d| d.path).collect::<Vec<_>>());
            }
        }
        answers
    });
    let others = [
        "story/rewrite.txt",
        "story/translation.txt",
        "story/wire.md",
    ];
    for found in &answers {
        assert_eq!(found, &others);
    }
    let log = cluster.log();
    let executed = executions(
        &log,
        &[
            "FROM word_frequencies",
            "SELECT dw.document",
            "FROM documents",
        ],
    );
    assert!(executed.len() >= 4, "{executed:#?}\n{log}");
    for (statement, names) in &executed {
        assert!(names.len() >= 3, "{statement}: {names:?}");
        let distinct: std::collections::BTreeSet<&String> = names.iter().collect();
        assert_eq!(
            distinct.len(),
            1,
            "{statement}: prepared once, executed {} times: {names:?}",
            names.len()
        );
    }
}

/// The paths of every related location of the JSON report's diagnostics.
fn related_paths(report: &Value) -> std::collections::BTreeSet<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["related"].as_array().unwrap().iter())
        .filter_map(|r| r["path"].as_str().map(str::to_string))
        .collect()
}

/// A version whose file is not on this machine (deleted, or changed since it was indexed, so
/// that its lines here are not the ones meant) is named by its `verbatim-index://` URI in every
/// format, never as a path that looks like a local file; one whose file holds the indexed text
/// is named by its path (relative as indexed, or absolute).
#[test]
fn a_version_only_the_index_holds_is_named_as_the_index_s_not_as_a_local_file() {
    let Some((cluster, url, dir)) = with_story("named") else {
        return;
    };
    let out = verbatim(dir.path(), &["index", "--db", &url, "story"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::remove_file(dir.path().join("story/rewrite.txt")).unwrap();
    let translation = dir.path().join("story/translation.txt");
    let text = std::fs::read_to_string(&translation).unwrap();
    std::fs::write(
        &translation,
        format!("{text}\nA line added after indexing.\n"),
    )
    .unwrap();
    let index = format!("verbatim-index://127.0.0.1:{}/named/story", cluster.port);

    let check = |format: &str| {
        let out = verbatim(
            dir.path(),
            &["check", "--db", &url, "--format", format, "story/draft.md"],
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        stdout(&out)
    };
    let json: Value = serde_json::from_str(&check("json")).unwrap();
    let expected: std::collections::BTreeSet<String> = [
        "story/wire.md".to_string(),
        format!("{index}/rewrite.txt"),
        format!("{index}/translation.txt"),
    ]
    .into();
    assert_eq!(related_paths(&json), expected);

    let human = check("human");
    assert!(
        human.contains(&format!("= {index}/rewrite.txt:")),
        "{human}"
    );
    assert!(human.contains("= story/wire.md:"), "{human}");
    assert!(!human.contains("= story/rewrite.txt"), "{human}");
    assert!(!human.contains("= story/translation.txt"), "{human}");

    let sarif: Value = serde_json::from_str(&check("sarif")).unwrap();
    let locations: Vec<&Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["relatedLocations"].as_array().unwrap().iter())
        .map(|l| &l["physicalLocation"]["artifactLocation"])
        .collect();
    let rewrite = locations
        .iter()
        .find(|l| {
            l["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with("rewrite.txt"))
        })
        .expect("the rewrite's location");
    assert_eq!(rewrite["uri"], format!("{index}/rewrite.txt"));
    assert!(rewrite.get("uriBaseId").is_none(), "{rewrite}");

    // Indexed under absolute paths: a file that holds the indexed text is named by its
    // absolute path, the others by their URI.
    let absolute_url = cluster.database("absolute");
    let story = dir.path().join("story");
    let story = story.to_str().unwrap();
    std::fs::write(&translation, text).unwrap();
    let out = verbatim(dir.path(), &["index", "--db", &absolute_url, story]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::remove_file(dir.path().join("story/translation.txt")).unwrap();
    let draft = format!("{story}/draft.md");
    let out = verbatim(
        dir.path(),
        &["check", "--db", &absolute_url, "--format", "json", &draft],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected: std::collections::BTreeSet<String> = [
        format!("{story}/wire.md"),
        format!(
            "verbatim-index://127.0.0.1:{}/absolute/{story}/translation.txt",
            cluster.port
        ),
    ]
    .into();
    assert_eq!(related_paths(&json), expected);
}

/// `verbatim ARGS` in `dir` with `home` as its home folder and no connection string or log
/// settings from the environment.
fn verbatim_at_home(dir: &Path, home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env_remove("VERBATIM_DATABASE_URL")
        .env_remove("RUST_LOG")
        .env_remove("VERBATIM_LOG")
        .output()
        .unwrap()
}

/// Connections follow libpq's `sslmode` (and `sslrootcert`), on a server that takes TLS
/// connections only: `require` and the default `prefer` connect encrypted without checking the
/// certificate; `verify-full` with the test CA connects, without any CA or with another one it
/// is refused with a clear message naming the server without its password; `verify-ca` checks
/// the chain but not the name (`localhost` is not in the certificate), `verify-full` both;
/// `disable` is refused by the server.
#[test]
fn connections_use_tls_as_sslmode_asks() {
    let Some((cluster, _, dir)) = with_story("secure") else {
        return;
    };
    let (ca, cert, key) = test_certificates("Verbatim test CA");
    cluster.enable_tls(&cert, &key);
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca).unwrap();
    let other_ca = dir.path().join("other-ca.pem");
    std::fs::write(&other_ca, test_certificates("Another CA").0).unwrap();
    let (ca_file, other_ca) = (ca_file.to_str().unwrap(), other_ca.to_str().unwrap());
    // No ~/.postgresql/root.crt to fall back on.
    let home = tempfile::tempdir().unwrap();
    let secret = "tls-s3cret";
    let at = |host: &str, query: &str| {
        format!(
            "postgresql://{}:{secret}@{host}:{}/secure{query}",
            pg_support::USER,
            cluster.port
        )
    };
    let run = |args: &[&str]| verbatim_at_home(dir.path(), home.path(), args);
    let check = |url: &str| run(&["check", "--db", url, "story/draft.md"]);
    let refused = |url: &str, why: &str| {
        let out = check(url);
        assert_eq!(out.status.code(), Some(2), "{url}: {}", stdout(&out));
        let err = stderr(&out);
        assert!(err.contains(&verbatim::db::url::redact(url)), "{err}");
        assert!(err.contains(why), "{url}: {err}");
        assert!(!err.contains(secret), "{err}");
    };

    let out = run(&[
        "index",
        "--db",
        &at("127.0.0.1", "?sslmode=require"),
        "story",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let encrypted = check(&at("127.0.0.1", "?sslmode=require"));
    assert_eq!(encrypted.status.code(), Some(1), "{}", stderr(&encrypted));
    assert!(stdout(&encrypted).contains("speaker-differs"));
    for url in [
        at("127.0.0.1", ""),
        at(
            "127.0.0.1",
            &format!("?sslmode=verify-full&sslrootcert={ca_file}"),
        ),
        at(
            "127.0.0.1",
            &format!("?sslmode=verify-ca&sslrootcert={ca_file}"),
        ),
        at(
            "localhost",
            &format!("?sslmode=verify-ca&sslrootcert={ca_file}"),
        ),
        format!(
            "host=127.0.0.1 port={} user={} password={secret} dbname=secure \
             sslmode=verify-full sslrootcert='{ca_file}'",
            cluster.port,
            pg_support::USER
        ),
    ] {
        let out = check(&url);
        assert_eq!(out.status.code(), Some(1), "{url}: {}", stderr(&out));
        assert_eq!(stdout(&out), stdout(&encrypted), "{url}");
    }

    refused(
        &at("127.0.0.1", "?sslmode=verify-full"),
        "sslmode=verify-full checks the server's certificate against a root certificate, \
         and none is given",
    );
    refused(
        &at(
            "127.0.0.1",
            &format!("?sslmode=verify-full&sslrootcert={other_ca}"),
        ),
        "invalid peer certificate",
    );
    refused(
        &at(
            "localhost",
            &format!("?sslmode=verify-full&sslrootcert={ca_file}"),
        ),
        "not valid for name",
    );
    refused(&at("127.0.0.1", "?sslmode=disable"), "no encryption");
    refused(&at("127.0.0.1", "?sslmode=verify_full"), "expected disable");
}

/// A server that authenticates by client certificate (`cert` in `pg_hba.conf`: the
/// certificate's common name is the user) takes the one `sslcert`/`sslkey` name, or libpq's
/// `~/.postgresql/postgresql.crt` and `postgresql.key`; without one, or with one its CA did not
/// sign, the server's refusal is said.
#[test]
fn a_client_certificate_authenticates_the_editor() {
    let Some((cluster, _, dir)) = with_story("certified") else {
        return;
    };
    let ca = TestCa::new("Verbatim test CA");
    let (cert, key) = ca.sign("127.0.0.1");
    cluster.enable_tls(&cert, &key);
    cluster.write_data_file("root.crt", &ca.pem);
    cluster.reconfigure(
        "hostssl certified all 127.0.0.1/32 cert\n\
         hostssl all all 127.0.0.1/32 trust\n\
         hostnossl all all 127.0.0.1/32 reject\n",
        &["ssl_ca_file = 'root.crt'"],
    );
    let (mine, my_key) = ca.sign(pg_support::USER);
    let (stranger, stranger_key) = TestCa::new("Another CA").sign(pg_support::USER);
    let files = dir.path().join("certs");
    std::fs::create_dir(&files).unwrap();
    for (name, text) in [
        ("ed.crt", &mine),
        ("ed.key", &my_key),
        ("stranger.crt", &stranger),
        ("stranger.key", &stranger_key),
    ] {
        std::fs::write(files.join(name), text).unwrap();
    }
    let file = |name: &str| files.join(name).display().to_string();
    let url = |query: &str| {
        format!(
            "postgresql://{}@127.0.0.1:{}/certified{query}",
            pg_support::USER,
            cluster.port
        )
    };
    let no_home = tempfile::tempdir().unwrap();
    let with_key = url(&format!(
        "?sslcert={}&sslkey={}",
        file("ed.crt"),
        file("ed.key")
    ));
    let out = verbatim_at_home(
        dir.path(),
        no_home.path(),
        &["index", "--db", &with_key, "story"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = verbatim_at_home(
        dir.path(),
        no_home.path(),
        &["check", "--db", &with_key, "story/draft.md"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("speaker-differs"), "{}", stdout(&out));

    // libpq's default files.
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".postgresql")).unwrap();
    std::fs::write(home.path().join(".postgresql/postgresql.crt"), &mine).unwrap();
    std::fs::write(home.path().join(".postgresql/postgresql.key"), &my_key).unwrap();
    let out = verbatim_at_home(
        dir.path(),
        home.path(),
        &["check", "--db", &url(""), "story/draft.md"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    for (query, why) in [
        (
            String::new(),
            "connection requires a valid client certificate",
        ),
        (
            format!(
                "?sslcert={}&sslkey={}",
                file("stranger.crt"),
                file("stranger.key")
            ),
            "UnknownCA",
        ),
    ] {
        let out = verbatim_at_home(
            dir.path(),
            no_home.path(),
            &["check", "--db", &url(&query), "story/draft.md"],
        );
        assert_eq!(out.status.code(), Some(2), "{query}: {}", stdout(&out));
        assert!(stderr(&out).contains(why), "{query}: {}", stderr(&out));
    }
}

/// `prefer` (the default) that fails over TLS tries again without it, as libpq does: a server
/// whose handshake cannot complete (no cipher both sides know), or that refuses encrypted
/// sessions in `pg_hba.conf`, is still reached unencrypted; `require` says why it is not.
#[test]
fn prefer_falls_back_to_an_unencrypted_connection_when_tls_fails() {
    let Some((cluster, _, dir)) = with_story("plain") else {
        return;
    };
    let (_, cert, key) = test_certificates("Verbatim test CA");
    cluster.enable_tls(&cert, &key);
    let home = tempfile::tempdir().unwrap();
    let url = |query: &str| {
        format!(
            "postgresql://{}@127.0.0.1:{}/plain{query}",
            pg_support::USER,
            cluster.port
        )
    };
    let run = |args: &[&str]| verbatim_at_home(dir.path(), home.path(), args);
    let out = run(&["index", "--db", &url("?sslmode=require"), "story"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let expected = stdout(&run(&["check", "--db", &url(""), "story/draft.md"]));
    assert!(expected.contains("speaker-differs"), "{expected}");

    let broken_handshake = [
        "ssl_max_protocol_version = 'TLSv1.2'",
        "ssl_ciphers = 'AES128-SHA'",
    ];
    let cases = [
        (
            "host all all 127.0.0.1/32 trust\n",
            &broken_handshake[..],
            "error performing TLS handshake",
        ),
        (
            "hostssl all all 127.0.0.1/32 reject\nhostnossl all all 127.0.0.1/32 trust\n",
            &[
                "ssl_max_protocol_version = ''",
                "ssl_ciphers = 'HIGH:MEDIUM:+3DES:!aNULL'",
            ][..],
            "pg_hba.conf rejects connection",
        ),
    ];
    for (rules, settings, why) in cases {
        cluster.reconfigure(rules, settings);
        let out = run(&["check", "--db", &url(""), "story/draft.md"]);
        assert_eq!(out.status.code(), Some(1), "{why}: {}", stderr(&out));
        assert_eq!(stdout(&out), expected, "{why}");
        let out = run(&["check", "--db", &url("?sslmode=require"), "story/draft.md"]);
        assert_eq!(out.status.code(), Some(2), "{why}: {}", stdout(&out));
        assert!(stderr(&out).contains(why), "{why}: {}", stderr(&out));
    }
}

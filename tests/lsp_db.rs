//! The language server with the shared quote index (`database`), over the real binary's stdio
//! and a throwaway PostgreSQL cluster (`pg_support`; skipped without PostgreSQL binaries unless
//! `VERBATIM_REQUIRE_POSTGRES` is set): an open document's diagnostics with its other versions
//! in the index equal those with every version in the folder; a database stopped in the
//! middle of a session leaves the server publishing from the folder (one message), and it
//! recovers when the database is back; a TLS-only cluster reached as `sslmode` asks; no
//! password in any log. Behaviour only: nothing here measures time.

mod lsp_client;
#[allow(dead_code)] // each test file uses a different part of it
mod pg_support;

use lsp_client::{LspClient, TIMEOUT, capabilities, file_uri};
use pg_support::Cluster;
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_verbatim");

/// A generous bound for what waits on the database or on retries.
const SLOW: Duration = Duration::from_secs(60);

/// The examples' own configuration (their README is no version).
const CONFIG: &str = "exclude = [\"README.md\"]\n";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `verbatim index --db url paths…` in `dir`.
fn index(dir: &Path, url: &str, config: &Path, paths: &[&str]) {
    let out = Command::new(BIN)
        .args(["index", "--db", url, "--config"])
        .arg(config)
        .args(paths)
        .current_dir(dir)
        .env_remove("VERBATIM_DATABASE_URL")
        .output()
        .expect("verbatim index runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Copies the example `story` into `dir/examples/story`.
fn copy_story(dir: &Path, story: &str) {
    let to = dir.join("examples").join(story);
    std::fs::create_dir_all(&to).unwrap();
    for entry in std::fs::read_dir(repo().join("examples").join(story)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// The example stories' articles, as `examples/<story>/<file>`, sorted.
fn example_articles() -> Vec<String> {
    let mut out = Vec::new();
    for story in std::fs::read_dir(repo().join("examples")).unwrap() {
        let story = story.unwrap();
        if !story.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(story.path()).unwrap() {
            let name = file.unwrap().file_name().to_string_lossy().into_owned();
            if (name.ends_with(".md") || name.ends_with(".txt")) && name != "README.md" {
                out.push(format!(
                    "examples/{}/{name}",
                    story.file_name().to_string_lossy()
                ));
            }
        }
    }
    out.sort();
    out
}

/// Diagnostics with the workspace root's URI and the prefix `index` of the index's URIs
/// (`verbatim-index://host:port/dbname`, where the versions only the index holds are) written
/// `ROOT`, so two workspaces compare.
fn relative(diagnostics: &[Value], root: &Path, index: &str) -> String {
    let text = serde_json::to_string_pretty(diagnostics).unwrap();
    text.replace(&file_uri(root), "ROOT").replace(index, "ROOT")
}

/// Waits for publications for `uri` at `version` until one satisfies `done`; returns it (or the
/// last one seen, for the failure message).
fn published_until(
    client: &mut LspClient,
    uri: &str,
    version: i64,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = Instant::now() + SLOW;
    let mut last = Vec::new();
    while Instant::now() < deadline {
        let left = deadline.saturating_duration_since(Instant::now());
        let Some(params) = client.next_diagnostics(uri, left) else {
            break;
        };
        if params["version"] != version {
            continue;
        }
        last = params["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if done(&last) {
            break;
        }
    }
    last
}

/// Whether a diagnostic names a version other than `own` (a path ending).
fn names_another_version(diagnostics: &[Value], own: &str) -> bool {
    diagnostics.iter().any(|d| {
        d["relatedInformation"].as_array().is_some_and(|related| {
            related.iter().any(|r| {
                r["location"]["uri"]
                    .as_str()
                    .is_some_and(|u| !u.ends_with(own))
            })
        })
    })
}

/// A server in `root` (indexed), with `options` as its initialization options.
fn server(root: &Path, options: Value, vars: &[(&str, &str)], log: Option<&Path>) -> LspClient {
    let mut client = match log {
        Some(log) => LspClient::start_logging_to(vars, log),
        None => LspClient::start_with_env(vars),
    };
    client.initialize(&[root], capabilities(false, false), options);
    client.wait_indexed();
    client
}

#[test]
fn an_open_documents_diagnostics_through_the_index_equal_the_in_memory_ones() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let url = cluster.database("archive");
    let index_uri = format!("verbatim-index://127.0.0.1:{}/archive", cluster.port);
    let relative = |d: &[Value], root: &Path| relative(d, root, &index_uri);
    let configs = tempfile::tempdir().unwrap();
    let config = configs.path().join("verbatim.toml");
    std::fs::write(&config, CONFIG).unwrap();
    index(repo(), &url, &config, &["examples"]);

    // In memory: every example in the workspace folder.
    let whole = tempfile::tempdir().unwrap();
    std::fs::write(whole.path().join("verbatim.toml"), CONFIG).unwrap();
    let articles = example_articles();
    assert!(articles.len() >= 7, "{articles:?}");
    for story in ["harbour-bridge", "school-board"] {
        copy_story(whole.path(), story);
    }
    // Through the index: an empty workspace folder, the documents open as buffers only.
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("verbatim.toml"), CONFIG).unwrap();
    let mut memory = server(whole.path(), Value::Null, &[], None);
    let mut indexed = server(empty.path(), json!({"database": url}), &[], None);

    let mut compared = 0;
    let mut from_index = 0;
    for article in &articles {
        let text = std::fs::read_to_string(repo().join(article)).unwrap();
        let uri = file_uri(&whole.path().join(article));
        memory.open(&uri, &text, 1);
        let expected = relative(&memory.diagnostics(&uri, 1), whole.path());
        let uri = format!("{}/{article}", file_uri(empty.path()));
        indexed.open(&uri, &text, 1);
        let got = published_until(&mut indexed, &uri, 1, |d| {
            relative(d, empty.path()) == expected
        });
        assert_eq!(relative(&got, empty.path()), expected, "{article}");
        compared += 1;
        let name = article.rsplit('/').next().unwrap();
        from_index += usize::from(names_another_version(&got, name));
    }
    assert_eq!(compared, articles.len());
    assert!(
        from_index >= 4,
        "{from_index} documents name another version"
    );

    assert!(memory.shutdown_and_exit().is_some_and(|s| s.success()));
    assert!(indexed.shutdown_and_exit().is_some_and(|s| s.success()));

    // A file of the folder wins over the index's copy of its path, and an unsaved buffer is
    // what counts of an open document: a version changed on disk in both folders (the index
    // keeps the old one), the draft edited in both editors.
    let wire = "examples/harbour-bridge/wire.md";
    let changed = std::fs::read_to_string(repo().join(wire))
        .unwrap()
        .replacen(
            "Repairs will take at least",
            "Repairs will need at least",
            1,
        );
    std::fs::write(whole.path().join(wire), &changed).unwrap();
    std::fs::create_dir_all(empty.path().join("examples/harbour-bridge")).unwrap();
    std::fs::write(empty.path().join(wire), &changed).unwrap();
    let mut memory = server(whole.path(), Value::Null, &[], None);
    let mut indexed = server(empty.path(), json!({"database": url}), &[], None);
    let article = "examples/harbour-bridge/draft.md";
    let text = std::fs::read_to_string(repo().join(article)).unwrap();
    let edited = text.replacen("lost more steel", "lost much more steel", 1);
    assert_ne!(edited, text);
    let change = json!([{"text": edited}]);
    let mut expected = Vec::new();
    for (client, root, exists) in [
        (&mut memory, whole.path(), true),
        (&mut indexed, empty.path(), false),
    ] {
        let uri = if exists {
            file_uri(&root.join(article))
        } else {
            format!("{}/{article}", file_uri(root))
        };
        client.open(&uri, &text, 1);
        client.change(&uri, 2, change.clone());
        if expected.is_empty() {
            expected = client.diagnostics(&uri, 2);
            assert!(relative(&expected, root).contains("ROOT/examples/harbour-bridge/wire.md"));
            continue;
        }
        let want = relative(&expected, whole.path());
        let got = published_until(client, &uri, 2, |d| relative(d, root) == want);
        assert_eq!(relative(&got, root), want);
    }
    assert!(memory.shutdown_and_exit().is_some_and(|s| s.success()));
    assert!(indexed.shutdown_and_exit().is_some_and(|s| s.success()));
}

/// A temporary archive holding the harbour-bridge example (as `examples/harbour-bridge/`),
/// indexed into the database at `url`.
fn indexed_archive(url: &str) -> tempfile::TempDir {
    let archive = tempfile::tempdir().unwrap();
    copy_story(archive.path(), "harbour-bridge");
    let config = archive.path().join("verbatim.toml");
    std::fs::write(&config, CONFIG).unwrap();
    index(archive.path(), url, &config, &["examples"]);
    archive
}

/// An editor's session on the harbour draft, its other versions in the index only.
struct Session {
    cluster: Cluster,
    client: LspClient,
    uri: String,
    text: String,
    _folders: (tempfile::TempDir, tempfile::TempDir),
}

/// A cluster with the harbour story indexed in database `name`, and a server (started with
/// `vars`) whose folder is empty but for `database`: the draft open as version 1, its
/// diagnostics already naming the index's versions. `None` when the tests are skipped.
fn draft_session(name: &str, vars: &[(&str, &str)]) -> Option<Session> {
    let cluster = Cluster::start()?;
    let url = cluster.database(name);
    let archive = indexed_archive(&url);
    let desk = tempfile::tempdir().unwrap();
    let draft = "examples/harbour-bridge/draft.md";
    let text = std::fs::read_to_string(archive.path().join(draft)).unwrap();
    std::fs::write(desk.path().join("verbatim.toml"), CONFIG).unwrap();
    let mut client = server(desk.path(), json!({"database": url}), vars, None);
    let uri = format!("{}/{draft}", file_uri(desk.path()));
    client.open(&uri, &text, 1);
    let with_index = published_until(&mut client, &uri, 1, |d| {
        names_another_version(d, "draft.md")
    });
    assert!(names_another_version(&with_index, "draft.md"));
    Some(Session {
        cluster,
        client,
        uri,
        text,
        _folders: (archive, desk),
    })
}

impl Session {
    /// Appends a paragraph (new words: a new lookup) to the draft as version `version`.
    fn append(&mut self, version: i64, line: &str) {
        self.text.push_str(&format!("\n{line}\n"));
        self.client
            .change(&self.uri, version, json!([{"text": self.text}]));
    }
}

/// Another session of database `db` takes the table of documents and holds it (until
/// [`unlock_documents`]): a lookup then waits. Returns once the lock is held.
fn lock_documents(cluster: &Cluster, db: &str) -> std::process::Child {
    let locker = cluster.psql_background(
        db,
        "BEGIN; LOCK TABLE documents IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600);",
    );
    let held = "SELECT count(*) FROM pg_locks \
                WHERE mode = 'AccessExclusiveLock' AND relation = 'documents'::regclass";
    let deadline = Instant::now() + SLOW;
    while cluster.psql(db, held) != "1" {
        assert!(Instant::now() < deadline, "the lock is taken");
        std::thread::sleep(Duration::from_millis(50));
    }
    locker
}

/// Ends the session [`lock_documents`] started: the lock goes.
fn unlock_documents(cluster: &Cluster, db: &str, locker: &mut std::process::Child) {
    cluster.psql(
        db,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()",
    );
    let _ = locker.wait();
}

/// The `window/showMessage` notifications received so far.
fn shown(client: &LspClient) -> Vec<String> {
    client
        .log
        .iter()
        .filter(|m| m["method"] == "window/showMessage")
        .map(|m| m["params"]["message"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Every message the server sent to the editor's log or screen.
fn messages(client: &LspClient) -> String {
    let list: Vec<&str> = client
        .log
        .iter()
        .filter(|m| m["method"] == "window/showMessage" || m["method"] == "window/logMessage")
        .filter_map(|m| m["params"]["message"].as_str())
        .collect();
    list.join("\n")
}

#[test]
fn a_database_stopped_mid_session_leaves_the_folder_and_the_server_recovers() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    cluster.database("news");
    // The password is never checked (trust authentication) but must never be shown.
    let secret = "Sup3r-S3cret";
    let url = format!(
        "postgresql://{}:{secret}@127.0.0.1:{}/news",
        pg_support::USER,
        cluster.port
    );
    let archive = indexed_archive(&url);

    // The editor's folder holds its draft only; the database is set in its verbatim.toml.
    let desk = tempfile::tempdir().unwrap();
    let draft = "examples/harbour-bridge/draft.md";
    std::fs::create_dir_all(desk.path().join("examples/harbour-bridge")).unwrap();
    let mut text = std::fs::read_to_string(archive.path().join(draft)).unwrap();
    std::fs::write(desk.path().join(draft), &text).unwrap();
    std::fs::write(
        desk.path().join("verbatim.toml"),
        format!("{CONFIG}database = \"{url}\"\n"),
    )
    .unwrap();
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("stderr.log");
    let vars = [
        ("VERBATIM_LOG", "debug"),
        ("VERBATIM_TEST_DB_RETRY_MAX_MS", "300"),
    ];
    let mut client = server(desk.path(), Value::Null, &vars, Some(&log));
    let uri = file_uri(&desk.path().join(draft));
    client.open(&uri, &text, 1);
    let with_index = published_until(&mut client, &uri, 1, |d| {
        names_another_version(d, "draft.md")
    });
    assert!(names_another_version(&with_index, "draft.md"));
    assert!(shown(&client).is_empty(), "{:?}", shown(&client));

    // The database stops; edits go on (each adds words, so each asks the index again).
    cluster.stop();
    for version in 2..=4 {
        text.push_str(&format!(
            "\nThe ferry timetable changes in week {version}.\n"
        ));
        client.change(&uri, version, json!([{"text": text}]));
        let alone = published_until(&mut client, &uri, version, |d| {
            !names_another_version(d, "draft.md")
        });
        assert!(
            !names_another_version(&alone, "draft.md"),
            "v{version}: the folder alone serves"
        );
    }
    let warnings = shown(&client);
    assert_eq!(
        warnings.len(),
        1,
        "one message, not one per edit: {warnings:?}"
    );
    assert!(
        warnings[0].contains("open folder") && warnings[0].contains("verbatim:***@"),
        "{}",
        warnings[0]
    );

    // Back: the server finds it again by itself and publishes the other versions again.
    cluster.restart();
    let again = published_until(&mut client, &uri, 4, |d| {
        names_another_version(d, "draft.md")
    });
    assert!(names_another_version(&again, "draft.md"));
    let said = messages(&client);
    assert!(said.contains("answers again"), "{said}");
    assert_eq!(shown(&client).len(), 1);
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));

    let stderr = std::fs::read_to_string(&log).unwrap();
    assert!(stderr.contains("verbatim:***@"), "{stderr}");
    for place in [&stderr, &said] {
        assert!(!place.contains(secret), "a password in a log:\n{place}");
    }
}

#[test]
fn an_unreachable_database_is_one_message_and_no_password_in_any_log() {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let secret = "hunter2-pw";
    let url = format!("postgresql://editor:{secret}@127.0.0.1:{port}/news");
    // From the environment, then from the editor's settings (which every message in carries:
    // the log at `trace` must not show them).
    for from_env in [true, false] {
        let desk = tempfile::tempdir().unwrap();
        copy_story(desk.path(), "harbour-bridge");
        std::fs::write(desk.path().join("verbatim.toml"), CONFIG).unwrap();
        let logs = tempfile::tempdir().unwrap();
        let log = logs.path().join("stderr.log");
        let mut vars = vec![
            // Every module at `trace`, the protocol's wire included.
            ("VERBATIM_LOG", "trace,tower_lsp=trace,verbatim=trace"),
            ("VERBATIM_TEST_DB_RETRY_MAX_MS", "100"),
        ];
        let options = if from_env {
            vars.push(("VERBATIM_DATABASE_URL", url.as_str()));
            Value::Null
        } else {
            json!({"verbatim": {"database": url}})
        };
        let mut client = server(desk.path(), options, &vars, Some(&log));
        let draft = desk.path().join("examples/harbour-bridge/draft.md");
        let uri = file_uri(&draft);
        let mut text = std::fs::read_to_string(&draft).unwrap();
        client.open(&uri, &text, 1);
        // The folder's own versions serve.
        let diagnostics = published_until(&mut client, &uri, 1, |d| {
            names_another_version(d, "draft.md")
        });
        assert!(names_another_version(&diagnostics, "draft.md"));
        client
            .wait_for(TIMEOUT, |m| m["method"] == "window/showMessage")
            .expect("a message says the database cannot be reached");
        for version in 2..=3 {
            text.push_str(&format!("\nA line added in version {version}.\n"));
            client.change(&uri, version, json!([{"text": text}]));
            client.diagnostics(&uri, version);
        }
        assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
        assert_eq!(shown(&client).len(), 1, "{:?}", shown(&client));
        let stderr = std::fs::read_to_string(&log).unwrap();
        assert!(
            stderr.contains(&format!("editor:***@127.0.0.1:{port}")),
            "{stderr}"
        );
        assert!(!stderr.contains(secret), "a password in the log:\n{stderr}");
        assert!(!messages(&client).contains(secret));
    }
}

#[test]
fn a_database_that_does_not_answer_in_time_is_left_for_the_folder_until_it_does() {
    let vars = [
        ("VERBATIM_TEST_DB_TIMEOUT_MS", "1000"),
        ("VERBATIM_TEST_DB_RETRY_MAX_MS", "300"),
    ];
    let Some(mut session) = draft_session("slow", &vars) else {
        return;
    };
    // Another session holds the documents: the lookup waits until its statement times out.
    let mut locker = lock_documents(&session.cluster, "slow");
    session.append(2, "The ferry timetable changes next week.");
    let Session {
        cluster,
        mut client,
        uri,
        ..
    } = session;
    let alone = published_until(&mut client, &uri, 2, |d| {
        !names_another_version(d, "draft.md")
    });
    assert!(!names_another_version(&alone, "draft.md"));
    let warnings = shown(&client);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("statement timeout") || warnings[0].contains("no answer"),
        "{}",
        warnings[0]
    );

    // The lock goes: the next try answers.
    unlock_documents(&cluster, "slow", &mut locker);
    let again = published_until(&mut client, &uri, 2, |d| {
        names_another_version(d, "draft.md")
    });
    assert!(names_another_version(&again, "draft.md"));
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
}

#[test]
fn requests_and_edits_are_served_while_a_lookup_waits_for_the_database() {
    // A lookup may wait as long as the test needs.
    let vars = [("VERBATIM_TEST_DB_TIMEOUT_MS", "600000")];
    let Some(mut session) = draft_session("waits", &vars) else {
        return;
    };
    let mut locker = lock_documents(&session.cluster, "waits");
    session.append(2, "The ferry timetable changes next week.");
    // The server's lookup for version 2 waits on the lock.
    let waiting = "SELECT count(*) FROM pg_stat_activity \
                   WHERE wait_event_type = 'Lock' AND query LIKE '%FROM documents%'";
    let deadline = Instant::now() + SLOW;
    while session.cluster.psql("waits", waiting) != "1" {
        assert!(Instant::now() < deadline, "the lookup waits on the lock");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Meanwhile the edit is published (with the index's versions of the last answer), requests
    // are answered, and more edits go on.
    assert!(names_another_version(
        &session.client.diagnostics(&session.uri, 2),
        "draft.md"
    ));
    let symbols = session
        .client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": &session.uri}}),
        )
        .expect("document symbols");
    assert!(
        symbols.as_array().is_some_and(|s| !s.is_empty()),
        "{symbols}"
    );
    session.append(3, "Another line while the database is busy.");
    assert!(names_another_version(
        &session.client.diagnostics(&session.uri, 3),
        "draft.md"
    ));
    assert_eq!(
        session.cluster.psql("waits", waiting),
        "1",
        "the lookup still waits"
    );

    // The lock goes: the lookup answers, no failure is reported, and the server goes on.
    unlock_documents(&session.cluster, "waits", &mut locker);
    let idle = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'";
    let deadline = Instant::now() + SLOW;
    while session.cluster.psql("waits", idle) != "0" {
        assert!(Instant::now() < deadline, "the lookup ends");
        std::thread::sleep(Duration::from_millis(50));
    }
    session.append(4, "The last line.");
    assert!(names_another_version(
        &session.client.diagnostics(&session.uri, 4),
        "draft.md"
    ));
    assert!(
        shown(&session.client).is_empty(),
        "{:?}",
        shown(&session.client)
    );
    assert!(
        session
            .client
            .shutdown_and_exit()
            .is_some_and(|s| s.success())
    );
}

/// The URIs of the related locations of `diagnostics`, but `own`'s.
fn related_uris(diagnostics: &[Value], own: &str) -> std::collections::BTreeSet<String> {
    diagnostics
        .iter()
        .filter_map(|d| d["relatedInformation"].as_array())
        .flatten()
        .filter_map(|r| r["location"]["uri"].as_str())
        .filter(|u| *u != own)
        .map(str::to_string)
        .collect()
}

/// A version that only the index holds is shown under its `verbatim-index://` URI, never as a
/// file of the workspace folder that is not there; one whose file on this machine holds the
/// indexed text (an absolute path indexed) under that file's URI, until the file changes.
#[test]
fn a_version_only_the_index_holds_is_shown_under_its_index_uri() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let url = cluster.database("named");
    let archive = indexed_archive(&url);
    let desk = tempfile::tempdir().unwrap();
    std::fs::write(desk.path().join("verbatim.toml"), CONFIG).unwrap();
    let draft = "examples/harbour-bridge/draft.md";
    let text = std::fs::read_to_string(archive.path().join(draft)).unwrap();
    let uri = format!("{}/{draft}", file_uri(desk.path()));
    let versions = ["rewrite.txt", "translation.txt", "wire.md"];
    let named = format!(
        "verbatim-index://127.0.0.1:{}/named/examples/harbour-bridge",
        cluster.port
    );
    let expected: std::collections::BTreeSet<String> =
        versions.iter().map(|v| format!("{named}/{v}")).collect();
    let mut client = server(desk.path(), json!({"database": url}), &[], None);
    client.open(&uri, &text, 1);
    let got = published_until(&mut client, &uri, 1, |d| related_uris(d, &uri) == expected);
    assert_eq!(related_uris(&got, &uri), expected);
    for u in related_uris(&got, &uri) {
        assert!(!u.starts_with(&file_uri(desk.path())), "{u}");
    }
    // An editor opens each of them (read-only) with the text the index holds.
    for v in versions {
        let answer = client
            .request(
                "verbatim/indexDocument",
                json!({"uri": format!("{named}/{v}")}),
            )
            .unwrap();
        let path = format!("examples/harbour-bridge/{v}");
        let stored = std::fs::read_to_string(archive.path().join(&path)).unwrap();
        assert_eq!(answer["text"].as_str(), Some(stored.as_str()), "{v}");
        assert_eq!(answer["path"].as_str(), Some(path.as_str()), "{v}");
    }
    let err = client
        .request(
            "verbatim/indexDocument",
            json!({"uri": format!("{named}/missing.md")}),
        )
        .unwrap_err();
    assert!(
        err["message"]
            .as_str()
            .is_some_and(|m| m.contains("is not a version this server has")),
        "{err}"
    );
    // Such a view is not a new document of the workspace.
    let view = format!("{named}/wire.md");
    client.open(&view, "Another text altogether.", 1);
    let tracked = client
        .request("verbatim/documentText", json!({"uri": view}))
        .unwrap();
    assert!(tracked.is_null(), "{tracked}");
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));

    // Indexed under absolute paths, the archive on this machine: its files are shown; the wire
    // copy, changed on disk after indexing, is the index's.
    let absolute_url = cluster.database("absolute");
    let config = archive.path().join("verbatim.toml");
    let folder = archive.path().join("examples/harbour-bridge");
    index(
        archive.path(),
        &absolute_url,
        &config,
        &[folder.to_str().unwrap()],
    );
    let wire = folder.join("wire.md");
    let changed = std::fs::read_to_string(&wire).unwrap() + "\nA line added after indexing.\n";
    std::fs::write(&wire, changed).unwrap();
    let mut expected: std::collections::BTreeSet<String> = ["rewrite.txt", "translation.txt"]
        .iter()
        .map(|v| file_uri(&folder.join(v)))
        .collect();
    expected.insert(format!(
        "verbatim-index://127.0.0.1:{}/absolute/{}",
        cluster.port,
        wire.to_str().unwrap()
    ));
    let mut client = server(desk.path(), json!({"database": absolute_url}), &[], None);
    client.open(&uri, &text, 1);
    let got = published_until(&mut client, &uri, 1, |d| {
        related_uris(d, &uri).is_superset(&expected)
    });
    // The draft's own indexed copy (under its absolute path, another path than the buffer's)
    // may be among them, as its file.
    let mut shown = related_uris(&got, &uri);
    shown.remove(&file_uri(&folder.join("draft.md")));
    assert_eq!(shown, expected);
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
}

/// The editor's lookups follow `sslmode` and `sslrootcert` as the command line's do, on a
/// cluster that takes TLS connections only (indexed with `sslmode=require`): `verify-full`
/// with the cluster's CA publishes the index's versions; with another CA's root the server
/// does not connect, and the editor gets one message saying why, without the password.
#[test]
fn the_editors_lookups_use_tls_as_sslmode_asks() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let ca = pg_support::TestCa::new("Verbatim test CA");
    let (cert, key) = ca.sign("127.0.0.1");
    cluster.enable_tls(&cert, &key);
    cluster.database("secure");
    let certs = tempfile::tempdir().unwrap();
    let ca_file = certs.path().join("ca.pem");
    std::fs::write(&ca_file, &ca.pem).unwrap();
    let other_ca = certs.path().join("other-ca.pem");
    std::fs::write(&other_ca, pg_support::TestCa::new("Another CA").pem).unwrap();
    // Trusted whatever it is, but never to be shown.
    let secret = "tls-l00kup-pw";
    let at = |query: &str| {
        format!(
            "postgresql://{}:{secret}@127.0.0.1:{}/secure?{query}",
            pg_support::USER,
            cluster.port
        )
    };
    let archive = indexed_archive(&at("sslmode=require"));
    // No ~/.postgresql/root.crt (or client certificate) to fall back on.
    let home = tempfile::tempdir().unwrap();
    let home = home.path().to_str().unwrap();
    let desk = tempfile::tempdir().unwrap();
    std::fs::write(desk.path().join("verbatim.toml"), CONFIG).unwrap();
    let draft = "examples/harbour-bridge/draft.md";
    let text = std::fs::read_to_string(archive.path().join(draft)).unwrap();
    let uri = format!("{}/{draft}", file_uri(desk.path()));
    let verify = |root: &Path| {
        at(&format!(
            "sslmode=verify-full&sslrootcert={}",
            root.to_str().unwrap()
        ))
    };

    let vars = [("HOME", home), ("VERBATIM_TEST_DB_RETRY_MAX_MS", "300")];
    let mut client = server(
        desk.path(),
        json!({"database": verify(&ca_file)}),
        &vars,
        None,
    );
    client.open(&uri, &text, 1);
    let with_index = published_until(&mut client, &uri, 1, |d| {
        names_another_version(d, "draft.md")
    });
    assert!(names_another_version(&with_index, "draft.md"));
    assert!(shown(&client).is_empty(), "{:?}", shown(&client));
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));

    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("stderr.log");
    let mut client = server(
        desk.path(),
        json!({"database": verify(&other_ca)}),
        &[("VERBATIM_LOG", "debug"), vars[0], vars[1]],
        Some(&log),
    );
    client.open(&uri, &text, 1);
    client
        .wait_for(SLOW, |m| m["method"] == "window/showMessage")
        .expect("a message says the database cannot be reached");
    // The folder alone serves: the draft has no other version there.
    assert!(!names_another_version(
        &client.diagnostics(&uri, 1),
        "draft.md"
    ));
    let mut text = text;
    text.push_str("\nThe ferry timetable changes next week.\n");
    client.change(&uri, 2, json!([{"text": text}]));
    assert!(!names_another_version(
        &client.diagnostics(&uri, 2),
        "draft.md"
    ));
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
    let warnings = shown(&client);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("invalid peer certificate"),
        "{}",
        warnings[0]
    );
    let stderr = std::fs::read_to_string(&log).unwrap();
    for place in [&stderr, &messages(&client)] {
        assert!(!place.contains(secret), "a password in a log:\n{place}");
    }
}

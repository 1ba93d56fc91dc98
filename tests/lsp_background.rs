//! The language server in a folder larger than the story being edited (issue 10), over the
//! real binary's stdio: a document opened while the folder is being indexed gets its
//! diagnostics first, from its own story, before indexing ends; shutting down in the middle
//! of indexing cancels it and the process exits; a run that replaces another in the middle of
//! the folder never leaves a request with less than the published diagnostics came from.
//! Behaviour only: nothing here measures time (`benches/lsp.rs` does).

mod lsp_client;

use lsp_client::{LspClient, TIMEOUT, capabilities, file_uri, fixtures};
use serde_json::{Value, json};

/// The harbour story's three versions, each in an outlet's folder of its own (so only their
/// words tell that they are one story), and `filler` articles of other, made-up stories.
fn newsroom(filler: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (outlet, file) in [
        ("coastline", "wire.md"),
        ("weekly", "rewrite.md"),
        ("drafts", "draft.md"),
    ] {
        let folder = dir.path().join(outlet);
        std::fs::create_dir_all(&folder).expect("outlet folder");
        std::fs::copy(fixtures().join("harbour").join(file), folder.join(file)).expect("copy");
    }
    let syllables = [
        "ka", "lo", "mi", "ren", "tor", "va", "sel", "dun", "bri", "ost",
    ];
    let word = |n: usize| -> String {
        let mut w = String::new();
        let mut n = n;
        for _ in 0..3 {
            w.push_str(syllables[n % syllables.len()]);
            n /= syllables.len();
        }
        w
    };
    let other = dir.path().join("archive");
    std::fs::create_dir_all(&other).expect("archive folder");
    for i in 0..filler {
        let mut text = format!(
            "---\nsource: Archive {i}\npublished: 2029-01-{:02}\n---\n# Story {i}\n\n",
            1 + i % 28
        );
        for p in 0..12 {
            let words: Vec<String> = (0..60).map(|k| word(i * 7 + p * 13 + k)).collect();
            text.push_str(&format!("In town, {}.\n\n", words.join(" ")));
            let quoted: Vec<String> = (0..10).map(|k| word(i * 31 + p * 3 + k * 11)).collect();
            text.push_str(&format!(
                "“{},” Officer {} said.\n\n",
                quoted.join(" "),
                word(i)
            ));
        }
        std::fs::write(other.join(format!("story-{i:04}.md")), text).expect("write filler");
    }
    dir
}

fn position_of(log: &[Value], pred: impl Fn(&Value) -> bool) -> Option<usize> {
    log.iter().position(pred)
}

/// Opens the newsroom's `weekly/rewrite.md` (version 1): its URI and text.
fn open_rewrite(client: &mut LspClient, root: &std::path::Path) -> (String, String) {
    let file = root.join("weekly/rewrite.md");
    let uri = file_uri(&file);
    let text = std::fs::read_to_string(&file).expect("read");
    client.open(&uri, &text, 1);
    (uri, text)
}

fn is_index_end(m: &Value) -> bool {
    m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
}

#[test]
fn an_opened_document_gets_its_stories_diagnostics_before_the_folder_is_indexed() {
    let dir = newsroom(400);
    let mut client = LspClient::start();
    client.initialize(&[dir.path()], capabilities(false, false), Value::Null);
    let (uri, _) = open_rewrite(&mut client, dir.path());

    let first = client.diagnostics(&uri, 1);
    assert!(
        !client.log.iter().any(is_index_end),
        "the first diagnostics come while the folder is still being indexed"
    );
    // Read from its story (the versions in the other outlets' folders), not from the document
    // alone: the reworded quote differs from the wire's.
    let codes: Vec<&str> = first.iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(codes.contains(&"quote-differs"), "{first:#?}");

    client.wait_indexed();
    let published = |log: &[Value]| {
        log.iter()
            .filter(|m| {
                m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
            })
            .count()
    };
    let end = position_of(&client.log, is_index_end).expect("indexing ends");
    let publication = position_of(&client.log, |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
    })
    .expect("published");
    assert!(publication < end, "published before indexing ended");
    // After indexing, an edit that changes nothing (a new version of the same text) shows
    // what the whole folder says: the same as the early reading.
    let before = published(&client.log);
    client.change(
        &uri,
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": ""}]),
    );
    let after_indexing = client.diagnostics(&uri, 2);
    assert_eq!(
        after_indexing, first,
        "the whole folder gives the same findings"
    );
    assert!(published(&client.log) > before);
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
}

#[test]
fn a_version_found_only_by_indexing_the_whole_folder_republishes_the_open_document() {
    let dir = newsroom(400);
    // The wire's version with two spaces between words: the early guess looks for runs of
    // quoted words as the opened document writes them, and misses it; its words still make
    // it a version of the story.
    let wire = dir.path().join("coastline/wire.md");
    let text = std::fs::read_to_string(&wire).expect("read");
    let body = text.find("\n# ").expect("a title");
    let spaced = format!("{}{}", &text[..body], text[body..].replace(' ', "  "));
    std::fs::write(&wire, spaced).expect("write");
    std::fs::remove_file(dir.path().join("drafts/draft.md")).expect("remove");
    let mut client = LspClient::start();
    client.initialize(&[dir.path()], capabilities(false, false), Value::Null);
    let (uri, _) = open_rewrite(&mut client, dir.path());

    let early = client.diagnostics(&uri, 1);
    assert!(
        !client.log.iter().any(is_index_end),
        "published before indexing ends"
    );
    assert!(!has_code(&early, "quote-differs"), "{early:#?}");
    client.wait_indexed();
    let later = client
        .next_diagnostics(&uri, TIMEOUT)
        .expect("republished once the wire's version is read");
    assert_eq!(later["version"], 1, "for the same version of the document");
    let later = later["diagnostics"].as_array().cloned().unwrap_or_default();
    assert!(has_code(&later, "quote-differs"), "{later:#?}");
}

/// A server started on a newsroom of `filler` other articles, once its indexing has begun.
fn indexing(filler: usize) -> (tempfile::TempDir, LspClient) {
    let dir = newsroom(filler);
    let mut client = LspClient::start();
    client.initialize(&[dir.path()], capabilities(false, false), Value::Null);
    client
        .wait_for(TIMEOUT, |m| {
            m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin"
        })
        .expect("indexing begins");
    (dir, client)
}

#[test]
fn shutdown_in_the_middle_of_indexing_cancels_it_and_the_server_exits() {
    let (_dir, mut client) = indexing(600);
    assert_eq!(client.request("shutdown", Value::Null), Ok(Value::Null));
    let end = client
        .wait_for(TIMEOUT, is_index_end)
        .expect("the indexing run ends after shutdown");
    assert_eq!(end["params"]["value"]["message"], "cancelled");
    client.notify("exit", Value::Null);
    let status = client
        .wait_exit(TIMEOUT)
        .expect("the process ends after exit");
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_folder_change_while_indexing_cancels_the_run_for_the_new_one() {
    let (dir, mut client) = indexing(600);
    client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [], "removed": [{"uri": file_uri(dir.path()), "name": "x"}]}}),
    );
    client.wait_index_run(1);
    client.wait_index_run(2);
    let ends: Vec<Value> = client
        .log
        .iter()
        .filter(|m| is_index_end(m))
        .map(|m| m["params"]["value"]["message"].clone())
        .collect();
    // The first run stops for the second, which finds no folder left to read.
    assert_eq!(ends, [json!("cancelled"), json!("0 files")]);
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
}

fn has_code(diagnostics: &[Value], code: &str) -> bool {
    diagnostics.iter().any(|d| d["code"] == code)
}

#[test]
fn an_oversized_story_is_bounded_while_typing_announced_once_and_collated_whole_after() {
    let harbour = fixtures().join("harbour");
    let mut client = LspClient::start();
    // A bound of one quote: every story of the fixture is over it.
    client.initialize(
        &[&harbour],
        capabilities(false, false),
        json!({"verbatim": {"keystroke_quotes": 1}}),
    );
    client.wait_indexed();
    let uri = file_uri(&harbour.join("rewrite.md"));
    let mut text = std::fs::read_to_string(harbour.join("rewrite.md")).expect("read");
    client.open(&uri, &text, 1);
    // Opening is a change like a keystroke: bounded, then whole once nothing else comes.
    let settled = client
        .wait_for(TIMEOUT, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|d| has_code(d, "quote-differs"))
        })
        .expect("the whole story's findings once typing pauses");
    assert_eq!(settled["params"]["version"], 1);

    let title_end = text.find(" said\n").expect("the title line") + " said".len();
    for version in 2..=4 {
        let at = lsp_client::position(&text, title_end, false);
        client.change(
            &uri,
            version,
            json!([{"range": {"start": at, "end": at}, "text": "!"}]),
        );
        text.insert(title_end, '!');
        // Every keystroke is answered, from the edited document and the versions within the
        // bound (none here): the reworded quote has nothing to differ from yet.
        let bounded = client.diagnostics(&uri, version);
        assert!(!has_code(&bounded, "quote-differs"), "{bounded:#?}");
    }
    let whole = client
        .wait_for(TIMEOUT, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["version"] == 4
                && m["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|d| has_code(d, "quote-differs"))
        })
        .expect("the whole story is collated when the edits pause");
    assert_eq!(whole["params"]["uri"], uri.as_str());
    let notices = client
        .log
        .iter()
        .filter(|m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.contains("keystroke_quotes = 1"))
        })
        .count();
    assert_eq!(notices, 1, "announced once for the document");
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
}

/// The hover's Markdown on the rewrite's reworded quote, `""` for none.
fn hover_on_never_let(client: &mut LspClient, uri: &str, text: &str) -> String {
    let at = text.find("never let").expect("the reworded quote");
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": lsp_client::position(text, at, false)}),
        )
        .expect("hover answered");
    hover["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[test]
fn requests_after_the_first_diagnostics_never_see_less_than_they_were_computed_from() {
    // Neovim sends `workspace/didChangeConfiguration` right after `initialized`, so a second
    // indexing run replaces the first one while the folder is being read. The pause before
    // each chunk (a test knob) holds both runs in the middle of the folder as long as this
    // test needs, whatever the machine's load.
    let dir = newsroom(400);
    let mut client = LspClient::start_with_env(&[("VERBATIM_TEST_INDEX_PAUSE_MS", "1000")]);
    client.initialize(&[dir.path()], capabilities(false, false), Value::Null);
    let (uri, text) = open_rewrite(&mut client, dir.path());
    let first = client.diagnostics(&uri, 1);
    assert!(has_code(&first, "quote-differs"), "{first:#?}");
    let hover = hover_on_never_let(&mut client, &uri, &text);
    assert!(hover.contains("Coastline Wire"), "{hover}");

    // A new run while the first is under way: until it has read its first chunk (after its
    // own priming), every hover must still show the other versions the diagnostics came from.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"verbatim": {}}}),
    );
    let second_run_read = |log: &[Value]| {
        log.iter().any(|m| {
            m["method"] == "$/progress"
                && m["params"]["token"] == "verbatim/index/2"
                && m["params"]["value"]["kind"] != "begin"
        })
    };
    let mut hovers = 0;
    while !second_run_read(&client.log) {
        let hover = hover_on_never_let(&mut client, &uri, &text);
        hovers += 1;
        assert!(
            hover.contains("not let") && hover.contains("Coastline Wire"),
            "hover {hovers} after the first diagnostics lacks the other versions' readings \
             (runs: {:?}): {hover:?}",
            client.index_runs()
        );
    }
    // And the diagnostics were never taken back meanwhile.
    let withdrawn = client.log.iter().any(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && !m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| has_code(d, "quote-differs"))
    });
    assert!(!withdrawn, "{:#?}", client.log);
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
}

//! The language server's features over the real binary's stdio, on the fictional "harbour"
//! story (three versions; Harbour Weekly's rewrite says "never" where the others say "not", with
//! an emoji and curly quotes before the quote on the same line).

mod lsp_client;

use lsp_client::{
    LspClient, TIMEOUT, apply_edits, capabilities, copy_fixture, file_uri, fixtures, offset,
    position,
};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

struct Session {
    client: LspClient,
    utf8: bool,
}

impl Session {
    fn start(root: &Path, utf8: bool) -> Session {
        let mut client = LspClient::start();
        client.initialize(&[root], capabilities(utf8, false), Value::Null);
        client.wait_indexed();
        Session { client, utf8 }
    }

    /// Opens a file of the corpus with its text on disk; returns its URI and text.
    fn open(&mut self, file: &Path) -> (String, String) {
        let uri = file_uri(file);
        let text = std::fs::read_to_string(file).expect("fixture");
        self.client.open(&uri, &text, 1);
        (uri, text)
    }

    /// The client position of the first occurrence of `needle` (plus `delta` bytes).
    fn at(&self, text: &str, needle: &str, delta: usize) -> Value {
        let i = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} in text"));
        position(text, i + delta, self.utf8)
    }

    fn hover(&mut self, uri: &str, pos: Value) -> Value {
        self.client
            .request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": pos}),
            )
            .expect("hover")
    }

    fn code_actions(&mut self, uri: &str, range: Value, only: Option<&str>) -> Vec<Value> {
        let mut context = json!({"diagnostics": []});
        if let Some(kind) = only {
            context["only"] = json!([kind]);
        }
        self.client
            .request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": range, "context": context}),
            )
            .expect("code actions")
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    fn symbols(&mut self, query: &str) -> Vec<Value> {
        self.client
            .request("workspace/symbol", json!({"query": query}))
            .expect("workspace symbols")
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str().map(String::from))
        .collect()
}

/// The byte range of an LSP range in `text`.
fn byte_range(text: &str, range: &Value, utf8: bool) -> (usize, usize) {
    (
        offset(text, &range["start"], utf8),
        offset(text, &range["end"], utf8),
    )
}

fn markdown(hover: &Value) -> String {
    hover["contents"]["value"]
        .as_str()
        .expect("markdown hover")
        .to_string()
}

#[test]
fn hover_on_a_quote_names_its_speaker_and_spans_the_marks_after_an_emoji() {
    for utf8 in [false, true] {
        let harbour = fixtures().join("harbour");
        let mut s = Session::start(&harbour, utf8);
        let (uri, text) = s.open(&harbour.join("rewrite.md"));
        let hover = s.hover(&uri, s.at(&text, "never let", 0));
        let md = markdown(&hover);
        assert!(md.contains("Marta Lindqvist"), "{md}");
        assert!(md.contains("let the storm decide our future"), "{md}");
        assert!(md.contains("Harbour Weekly (this file)"), "{md}");
        // The hover covers the quote from its opening mark: after "📣 Update: " the mark is
        // at UTF-16 column 11 (the emoji counts 2), UTF-8 column 13 (it counts 4).
        let start = &hover["range"]["start"];
        assert_eq!(start, &s.at(&text, "“We will never", 0));
        assert_eq!(start["character"], if utf8 { 13 } else { 11 });
        let end = byte_range(&text, &hover["range"], utf8).1;
        assert_eq!(&text[..end].chars().last(), &Some('”'));
    }
}

#[test]
fn hover_away_from_quotes_is_empty() {
    let harbour = fixtures().join("harbour");
    let mut s = Session::start(&harbour, false);
    let (uri, text) = s.open(&harbour.join("rewrite.md"));
    let hover = s.hover(&uri, s.at(&text, "spoke to residents", 0));
    assert!(hover.is_null(), "{hover}");
}

#[test]
fn document_symbols_group_the_quotes_by_speaker() {
    let harbour = fixtures().join("harbour");
    let mut s = Session::start(&harbour, false);
    let (uri, _) = s.open(&harbour.join("wire.md"));
    let symbols = s
        .client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .expect("symbols");
    let groups: Vec<(String, usize)> = symbols
        .as_array()
        .expect("nested symbols")
        .iter()
        .map(|g| {
            (
                g["name"].as_str().unwrap_or("").to_string(),
                g["children"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    assert_eq!(
        groups,
        vec![
            ("Marta Lindqvist".to_string(), 2),
            ("Idris Okafor".to_string(), 1)
        ]
    );
    let first = &symbols[0]["children"][0]["name"];
    assert!(
        first
            .as_str()
            .is_some_and(|n| n.contains("We will not let the storm")),
        "{first}"
    );
}

#[test]
fn workspace_symbols_find_utterances_by_words_or_speaker() {
    let harbour = fixtures().join("harbour");
    let mut s = Session::start(&harbour, false);
    let storm = s.symbols("storm future");
    assert_eq!(storm.len(), 3, "one per version: {storm:?}");
    assert!(
        storm
            .iter()
            .all(|x| x["containerName"] == "Marta Lindqvist")
    );
    let mut files: Vec<String> = storm
        .iter()
        .filter_map(|x| x["location"]["uri"].as_str())
        .map(|u| u.rsplit('/').next().unwrap_or("").to_string())
        .collect();
    files.sort();
    assert_eq!(files, ["draft.md", "rewrite.md", "wire.md"]);
    assert_eq!(s.symbols("okafor").len(), 3);
    assert!(s.symbols("lighthouse").is_empty());
}

#[test]
fn files_created_and_deleted_on_disk_join_and_leave_the_corpus() {
    let dir = copy_fixture("harbour");
    std::fs::remove_file(dir.path().join("wire.md")).unwrap();
    let mut s = Session::start(dir.path(), false);
    assert_eq!(s.symbols("storm").len(), 2);
    std::fs::copy(
        fixtures().join("harbour/wire.md"),
        dir.path().join("wire.md"),
    )
    .unwrap();
    let joined = wait_until(|| s.symbols("storm").len() == 3);
    assert!(joined, "a new file joins the corpus");
    std::fs::remove_file(dir.path().join("draft.md")).unwrap();
    let left = wait_until(|| s.symbols("storm").len() == 2);
    assert!(left, "a deleted file leaves the corpus");
}

/// Polls `f` for up to the client timeout (file-system events take a moment).
fn wait_until(mut f: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + TIMEOUT;
    while std::time::Instant::now() < deadline {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn an_open_buffer_replaces_the_file_in_the_corpus_until_it_is_closed() {
    let harbour = fixtures().join("harbour");
    let mut s = Session::start(&harbour, false);
    let (uri, text) = s.open(&harbour.join("draft.md"));
    let edited = text.replace("fishing crews", "lighthouse keepers");
    s.client.change(&uri, 2, json!([{"text": edited}]));
    assert_eq!(s.symbols("lighthouse").len(), 1);
    s.client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(s.symbols("lighthouse").is_empty());
    assert_eq!(s.symbols("fishing crews").len(), 3);
}

// ---- findings from collation -------------------------------------------------------------

/// The quote-differs diagnostic of rewrite.md's "never" quote.
fn never_finding(diagnostics: &[Value], text: &str, utf8: bool) -> Option<Value> {
    let quote_start = text.find("We will never")?;
    let quote_end = quote_start + "We will never let the storm decide our future,".len();
    diagnostics
        .iter()
        .find(|d| {
            let (a, b) = byte_range(text, &d["range"], utf8);
            d["code"] == "quote-differs" && quote_start <= a && b <= quote_end
        })
        .cloned()
}

#[test]

fn a_differing_quote_gets_a_diagnostic_at_its_utf16_range_with_related_versions_and_fixes() {
    let harbour = fixtures().join("harbour");
    let mut s = Session::start(&harbour, false);
    let (uri, text) = s.open(&harbour.join("rewrite.md"));
    let diagnostics = s.client.diagnostics(&uri, 1);
    let d = never_finding(&diagnostics, &text, false)
        .unwrap_or_else(|| panic!("quote-differs on the never quote: {diagnostics:#?}"));
    // The range covers "never", in UTF-16 columns after the emoji and the curly mark.
    let (a, b) = byte_range(&text, &d["range"], false);
    let never = text.find("never").unwrap();
    assert!(a <= never && never + 5 <= b, "{d}");
    assert_eq!(d["range"]["start"]["line"], s.at(&text, "never", 0)["line"]);
    assert_eq!(d["severity"], 2);
    assert_eq!(d["source"], "verbatim");
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .is_some_and(|h| h.ends_with("quote-differs"))
    );
    let related: Vec<&str> = d["relatedInformation"]
        .as_array()
        .expect("related information")
        .iter()
        .filter_map(|r| r["location"]["uri"].as_str())
        .collect();
    assert!(
        related.iter().any(|u| u.ends_with("/wire.md")),
        "{related:?}"
    );
    assert!(
        related.iter().any(|u| u.ends_with("/draft.md")),
        "{related:?}"
    );
    let fixes = d["data"]["fixes"].as_array().expect("fixes in data");
    assert!(fixes.iter().any(|f| f["preferred"] == true));
}

#[test]

fn hover_shows_agreement_and_every_reading_canonical_first_with_differences_marked() {
    let harbour = fixtures().join("harbour");
    let mut s = Session::start(&harbour, false);
    let (uri, text) = s.open(&harbour.join("rewrite.md"));
    let md = markdown(&s.hover(&uri, s.at(&text, "never let", 0)));
    assert!(md.contains("2 of 3 versions agree"), "{md}");
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| ")).collect();
    assert_eq!(rows.len(), 3, "header + two readings: {md}");
    assert!(
        rows[1].contains("canonical") && rows[1].contains("not let"),
        "{md}"
    );
    assert!(
        rows[1].contains("Coastline Wire") || rows[1].contains("wire.md"),
        "{md}"
    );
    assert!(rows[2].contains("**never**"), "{md}");
    insta::assert_snapshot!("hover_on_a_differing_quote", md);
}

#[test]

fn applying_use_canonical_wording_makes_the_finding_go_away() {
    let harbour = fixtures().join("harbour");
    let mut s = Session::start(&harbour, false);
    let (uri, text) = s.open(&harbour.join("rewrite.md"));
    let diagnostics = s.client.diagnostics(&uri, 1);
    let d = never_finding(&diagnostics, &text, false).expect("finding");
    let actions = s.code_actions(&uri, d["range"].clone(), None);
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    assert!(titles.contains(&"Ignore this quote"), "{titles:?}");
    let fix = actions
        .iter()
        .find(|a| a["isPreferred"] == true)
        .unwrap_or_else(|| panic!("a preferred fix: {titles:?}"));
    assert_eq!(fix["title"], "Use canonical wording");
    assert_eq!(fix["kind"], "quickfix");
    let edits = fix["edit"]["changes"][&uri].as_array().expect("edits");
    let fixed = apply_edits(&text, edits, false);
    assert!(
        fixed.contains("“We will not let the storm decide our future,”"),
        "{fixed}"
    );
    s.client.change(&uri, 2, json!([{"text": fixed}]));
    let after = s.client.diagnostics(&uri, 2);
    assert!(never_finding(&after, &fixed, false).is_none(), "{after:#?}");
    assert!(
        !codes(&after).contains(&"quote-differs".to_string()),
        "{after:#?}"
    );
}

#[test]

fn ignore_this_quote_inserts_the_comment_and_the_finding_goes_away() {
    let harbour = fixtures().join("harbour");
    ignore_this_quote(
        &harbour,
        &harbour.join("rewrite.md"),
        "<!-- verbatim: ignore -->",
    );
}

#[test]

fn ignore_this_quote_in_a_plain_text_file_inserts_the_plain_text_comment() {
    // The same story with the rewrite saved as .txt: the comment is the one `check` documents
    // for plain text, not the HTML comment of Markdown.
    let dir = copy_fixture("harbour");
    let txt = dir.path().join("rewrite.txt");
    std::fs::rename(dir.path().join("rewrite.md"), &txt).expect("rename");
    ignore_this_quote(dir.path(), &txt, "# verbatim: ignore");
}

/// "Ignore this quote" on the rewrite's differing quote inserts `comment` above it, and the
/// finding goes away.
fn ignore_this_quote(root: &Path, file: &Path, comment: &str) {
    let mut s = Session::start(root, false);
    let (uri, text) = s.open(file);
    let diagnostics = s.client.diagnostics(&uri, 1);
    let d = never_finding(&diagnostics, &text, false).expect("finding");
    let actions = s.code_actions(&uri, d["range"].clone(), Some("quickfix"));
    let ignore = actions
        .iter()
        .find(|a| a["title"] == "Ignore this quote")
        .expect("ignore action");
    let fixed = apply_edits(
        &text,
        ignore["edit"]["changes"][&uri].as_array().unwrap(),
        false,
    );
    assert!(
        fixed.contains(&format!("{comment}\n📣 Update: “We will never")),
        "{fixed}"
    );
    s.client.change(&uri, 2, json!([{"text": fixed}]));
    let after = s.client.diagnostics(&uri, 2);
    assert!(never_finding(&after, &fixed, false).is_none(), "{after:#?}");
}

#[test]

fn the_source_action_applies_canonical_wording_to_every_quote_of_the_file() {
    let harbour = fixtures().join("harbour");
    let mut s = Session::start(&harbour, false);
    let (uri, text) = s.open(&harbour.join("rewrite.md"));
    s.client.diagnostics(&uri, 1);
    let whole =
        json!({"start": {"line": 0, "character": 0}, "end": position(&text, text.len(), false)});
    let actions = s.code_actions(&uri, whole, Some("source"));
    assert!(
        actions
            .iter()
            .all(|a| a["kind"].as_str().is_some_and(|k| k.starts_with("source")))
    );
    let all = actions
        .iter()
        .find(|a| a["title"] == "Apply canonical wording to all quotes in this file")
        .expect("source action");
    let fixed = apply_edits(
        &text,
        all["edit"]["changes"][&uri].as_array().unwrap(),
        false,
    );
    s.client.change(&uri, 2, json!([{"text": fixed}]));
    let after = s.client.diagnostics(&uri, 2);
    assert!(
        !codes(&after).contains(&"quote-differs".to_string()),
        "{after:#?}"
    );
}

#[test]

fn references_list_the_same_utterance_in_every_version() {
    let harbour = fixtures().join("harbour");
    let mut s = Session::start(&harbour, false);
    let (uri, text) = s.open(&harbour.join("rewrite.md"));
    let refs = s
        .client
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri}, "position": s.at(&text, "never", 0), "context": {"includeDeclaration": true}}),
        )
        .expect("references");
    let mut files: Vec<String> = refs
        .as_array()
        .expect("locations")
        .iter()
        .filter_map(|l| l["uri"].as_str())
        .map(|u| u.rsplit('/').next().unwrap_or("").to_string())
        .collect();
    files.sort();
    assert_eq!(files, ["draft.md", "rewrite.md", "wire.md"]);
}

#[test]

fn an_edit_to_one_version_changes_the_diagnostics_of_another_open_version() {
    let harbour = fixtures().join("harbour");
    let mut s = Session::start(&harbour, false);
    let (rewrite, rewrite_text) = s.open(&harbour.join("rewrite.md"));
    let (wire, wire_text) = s.open(&harbour.join("wire.md"));
    let before = s.client.diagnostics(&rewrite, 1);
    assert!(never_finding(&before, &rewrite_text, false).is_some());
    s.client.diagnostics(&wire, 1);
    // The wire now says "never" too: two versions of three agree with the rewrite.
    let edited = wire_text.replace("We will not let", "We will never let");
    s.client.change(&wire, 2, json!([{"text": edited}]));
    s.client.diagnostics(&wire, 2);
    let republished = s
        .client
        .next_diagnostics(&rewrite, TIMEOUT)
        .expect("the other open version is republished");
    assert_eq!(republished["version"], 1, "its own version did not change");
    let after = republished["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        never_finding(&after, &rewrite_text, false).is_none(),
        "{after:#?}"
    );
}

#[test]

fn a_version_created_on_disk_changes_the_diagnostics_of_an_open_one() {
    let dir = copy_fixture("harbour");
    std::fs::remove_file(dir.path().join("wire.md")).unwrap();
    std::fs::remove_file(dir.path().join("draft.md")).unwrap();
    let mut s = Session::start(dir.path(), false);
    let (uri, text) = s.open(&dir.path().join("rewrite.md"));
    let before = s.client.diagnostics(&uri, 1);
    assert!(never_finding(&before, &text, false).is_none());
    for name in ["wire.md", "draft.md"] {
        std::fs::copy(fixtures().join("harbour").join(name), dir.path().join(name)).unwrap();
    }
    let deadline = std::time::Instant::now() + TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let published = s
            .client
            .next_diagnostics(&uri, left)
            .expect("republished after the new versions arrive");
        let diagnostics = published["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if never_finding(&diagnostics, &text, false).is_some() {
            break;
        }
    }
}

#[test]
fn each_workspace_folder_is_a_corpus_of_its_own() {
    // The rewrite alone in one folder, the two versions that disagree with it in another.
    let alone = copy_fixture("harbour");
    let others = copy_fixture("harbour");
    for name in ["wire.md", "draft.md"] {
        std::fs::remove_file(alone.path().join(name)).unwrap();
    }
    std::fs::remove_file(others.path().join("rewrite.md")).unwrap();
    let mut client = LspClient::start();
    client.initialize(
        &[alone.path(), others.path()],
        capabilities(false, false),
        Value::Null,
    );
    client.wait_indexed();
    let mut s = Session {
        client,
        utf8: false,
    };
    assert_eq!(s.symbols("storm").len(), 3, "both folders are indexed");
    let (uri, text) = s.open(&alone.path().join("rewrite.md"));
    let diagnostics = s.client.diagnostics(&uri, 1);
    assert!(
        never_finding(&diagnostics, &text, false).is_none(),
        "versions in another folder are another corpus: {diagnostics:#?}"
    );
}

#[test]
fn workspace_folders_added_and_removed_while_running_join_and_leave() {
    let first = copy_fixture("harbour");
    let second = copy_fixture("ferry");
    let mut client = LspClient::start();
    client.initialize(&[first.path()], capabilities(false, false), Value::Null);
    // Each folder change starts one indexing run, and the test waits for that run by its
    // number: the end of any other run (such as one the server's file watcher started by
    // itself, which read the folders before the change) says nothing about the change.
    client.wait_index_run(1);
    let mut s = Session {
        client,
        utf8: false,
    };
    let ferry_quotes = |s: &mut Session| {
        s.symbols("")
            .iter()
            .filter(|sym| {
                sym["location"]["uri"]
                    .as_str()
                    .is_some_and(|u| u.starts_with(&file_uri(second.path())))
            })
            .count()
    };
    assert_eq!(ferry_quotes(&mut s), 0, "not a folder yet");
    let folder = json!({"uri": file_uri(second.path()), "name": "ferry"});
    s.client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [folder.clone()], "removed": []}}),
    );
    s.client.wait_index_run(2);
    assert!(
        ferry_quotes(&mut s) > 0,
        "the added folder is indexed; runs: {:?}",
        s.client.index_runs()
    );
    s.client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [], "removed": [folder]}}),
    );
    s.client.wait_index_run(3);
    let left = ferry_quotes(&mut s);
    assert_eq!(
        left,
        0,
        "the removed folder left; runs: {:?}",
        s.client.index_runs()
    );
    // Everything the server sent, up to its exit: it indexed for the start and the two
    // changes, and never started a run by itself.
    assert!(s.client.shutdown_and_exit().is_some_and(|e| e.success()));
    s.client.wait_for(TIMEOUT, |_| false);
    let runs = s.client.index_runs();
    assert_eq!(
        runs.iter().filter(|r| r.ends_with("begin")).count(),
        3,
        "one indexing run per change: {runs:?}"
    );
}

#[test]
fn watched_file_notifications_from_the_client_update_the_corpus() {
    let dir = copy_fixture("harbour");
    std::fs::remove_file(dir.path().join("wire.md")).unwrap();
    let mut client = LspClient::start();
    // With dynamic registration the client watches files, and the server does not.
    client.initialize(&[dir.path()], capabilities(false, true), Value::Null);
    client.wait_indexed();
    let mut s = Session {
        client,
        utf8: false,
    };
    assert_eq!(s.symbols("storm").len(), 2);
    let wire = dir.path().join("wire.md");
    std::fs::copy(fixtures().join("harbour/wire.md"), &wire).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        s.symbols("storm").len(),
        2,
        "not watched by the server itself"
    );
    s.client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&wire), "type": 1}]}),
    );
    assert_eq!(s.symbols("storm").len(), 3);
    std::fs::remove_file(&wire).unwrap();
    s.client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(dir.path()).to_string() + "/wire.md", "type": 3}]}),
    );
    assert_eq!(s.symbols("storm").len(), 2);
}

/// The diagnostic of `code` whose range covers byte `at` of `text`.
fn finding_at(diagnostics: &[Value], code: &str, text: &str, at: usize) -> Option<Value> {
    diagnostics
        .iter()
        .find(|d| {
            let (a, b) = byte_range(text, &d["range"], false);
            d["code"] == code && a <= at && at < b
        })
        .cloned()
}

/// Applies the code action titled `title` (offered on `diagnostic`) and returns the new text.
fn apply_action(s: &mut Session, uri: &str, text: &str, diagnostic: &Value, title: &str) -> String {
    let actions = s.code_actions(uri, diagnostic["range"].clone(), Some("quickfix"));
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    let action = actions
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("{title:?} among {titles:?}"));
    assert_eq!(action["diagnostics"][0]["code"], diagnostic["code"]);
    apply_edits(
        text,
        action["edit"]["changes"][uri].as_array().expect("edits"),
        false,
    )
}

#[test]
fn attribute_to_and_use_spelling_fix_a_misattributed_quote_and_a_misspelt_name() {
    let ferry = fixtures().join("ferry");
    let mut s = Session::start(&ferry, false);
    let (uri, text) = s.open(&ferry.join("rewrite.md"));
    let diagnostics = s.client.diagnostics(&uri, 1);
    // Harbour Weekly gives Brennholt's words to Vantongaren.
    let quote = text.find("Nobody boards").unwrap();
    let speaker = finding_at(&diagnostics, "speaker-differs", &text, quote)
        .unwrap_or_else(|| panic!("speaker-differs: {diagnostics:#?}"));
    let fixed = apply_action(
        &mut s,
        &uri,
        &text,
        &speaker,
        "Attribute to Tomasz Brennholt",
    );
    assert!(
        fixed.contains("“Nobody boards until the rotas are fixed,” Brennholt said."),
        "{fixed}"
    );
    s.client.change(&uri, 2, json!([{"text": fixed}]));
    let after = s.client.diagnostics(&uri, 2);
    let quote = fixed.find("Nobody boards").unwrap();
    assert!(
        finding_at(&after, "speaker-differs", &fixed, quote).is_none(),
        "{after:#?}"
    );

    // ... and spells the chief executive's name differently.
    let name = fixed.find("Saoirse Vantongaren").unwrap();
    let spelling = finding_at(&after, "name-differs", &fixed, name)
        .unwrap_or_else(|| panic!("name-differs: {after:#?}"));
    let respelt = apply_action(&mut s, &uri, &fixed, &spelling, "Use “Saoirse Vantongeren”");
    assert!(
        respelt.contains("chief executive, Saoirse Vantongeren, said"),
        "{respelt}"
    );
    s.client.change(&uri, 3, json!([{"text": respelt}]));
    let last = s.client.diagnostics(&uri, 3);
    let name = respelt.find("Saoirse Vantongeren").unwrap();
    assert!(
        finding_at(&last, "name-differs", &respelt, name).is_none(),
        "{last:#?}"
    );
}

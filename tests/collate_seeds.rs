//! End to end on the seed corpus (real articles, read at run time from ../shared, never copied
//! into the repository): parse, collate, and compare with the hand annotation in gold.json.
//! Skipped when the seeds are not there.

use std::path::Path;
use verbatim::collate::{Analysis, Status};
use verbatim::config::Config;
use verbatim::corpus::Corpus;
use verbatim::document::Document;
use verbatim::findings::Code;

fn words(s: &str) -> String {
    verbatim::text::normalize::word_texts(s).join(" ")
}

#[test]
fn seeds_line_up_as_annotated() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/iran-talks");
    let Ok(gold) = std::fs::read_to_string(dir.join("gold.json")) else {
        eprintln!("seed corpus not found; skipping");
        return;
    };
    let gold: serde_json::Value = serde_json::from_str(&gold).expect("gold.json parses");
    let mut corpus = Corpus::new(Config::default());
    for f in gold["files"].as_array().unwrap() {
        let name = f.as_str().unwrap();
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        corpus.upsert(Document::parse(name, text));
    }
    let a = Analysis::of(&corpus);
    let mut wrong = Vec::new();
    let mut seen_groups = std::collections::BTreeMap::new();
    for g in gold["groups"].as_array().unwrap() {
        let mut groups = Vec::new();
        for q in g["quotes"].as_array().unwrap() {
            let file = q["file"].as_str().unwrap();
            let text = q["text"].as_str().unwrap();
            let id = corpus.id_of(file).unwrap();
            let doc = corpus.get(id).unwrap();
            let Some(qi) = doc
                .quotes
                .iter()
                .position(|x| x.span().of(&doc.text) == text)
            else {
                wrong.push(format!("{file}: quote not found: {text}"));
                continue;
            };
            let info = a.quote_info(id, qi).cloned().unwrap_or_default();
            let want = match q["status"].as_str().unwrap() {
                "agrees" => Status::Agrees,
                "differs" => Status::Differs,
                _ => Status::Unmatched,
            };
            if info.status != Some(want) {
                wrong.push(format!(
                    "{file}: {text}: status {:?}, want {want:?}",
                    info.status
                ));
            }
            if let Some(c) = g["canonical"].as_str()
                && g["quotes"].as_array().unwrap().len() > 1
                && info.canonical.as_deref().map(words) != Some(words(c))
            {
                wrong.push(format!("{file}: {text}: canonical {:?}", info.canonical));
            }
            groups.push(info.group);
        }
        if groups.windows(2).any(|w| w[0] != w[1]) {
            wrong.push(format!("group {} split: {groups:?}", g["id"]));
        }
        // Two annotated utterances never share a group.
        for id in groups.into_iter().flatten() {
            if let Some(other) = seen_groups.insert(id.clone(), g["id"].clone())
                && other != g["id"]
            {
                wrong.push(format!("{} and {} merged as {id}", other, g["id"]));
            }
        }
    }
    for v in gold["name_variants"].as_array().unwrap() {
        let id = corpus.id_of(v["file"].as_str().unwrap()).unwrap();
        let doc = corpus.get(id).unwrap();
        let flagged = a.findings(id).iter().any(|f| {
            f.code == Code::NameDiffers && f.span.of(&doc.text) == v["text"].as_str().unwrap()
        });
        if !flagged {
            wrong.push(format!("name variant not flagged: {}", v["text"]));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

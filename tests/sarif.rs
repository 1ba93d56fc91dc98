//! `verbatim check --format sarif` on every example story and every story of the shared seed
//! corpus (`../shared/corpus`, read at run time, when present), validated by two independent
//! validators that `.ci/sarif-validators` installs outside the repository:
//!
//! - Microsoft's SARIF multitool (`validate --rule-kind "Sarif;Gh"`): the official SARIF 2.1.0
//!   schema, the SARIF specification's rules and GitHub code scanning's ingestion rules. No error
//!   and no warning may remain but SARIF2005 (the tool names no `informationUri`: Verbatim has
//!   no web page to point to).
//! - Python `jsonschema` against the schema file the multitool ships: the multitool reports
//!   nothing at all for a log it cannot load (an unknown `level`, say), so the schema is checked
//!   on its own too.
//!
//! Without the validators the test says so and passes, unless `VERBATIM_REQUIRE_SARIF_VALIDATOR`
//! is set (`.ci/run` sets it after installing them). Locations: `SARIF_MULTITOOL` and
//! `SARIF_PYTHON`, else the cache `.ci/sarif-validators` fills.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_verbatim");

/// Validator warnings that are accepted, with the reason in the module comment.
const ACCEPTED_WARNINGS: [&str; 1] = ["SARIF2005"];

struct Validators {
    multitool: PathBuf,
    schema: PathBuf,
    python: PathBuf,
}

fn validators() -> Result<Validators, String> {
    let cache = std::env::var_os("VERBATIM_E2E_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/verbatim-e2e")))
        .unwrap_or_default()
        .join("sarif");
    let multitool = std::env::var_os("SARIF_MULTITOOL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            cache.join("node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool")
        });
    let schema = multitool.with_file_name("sarif-2.1.0.json");
    let python = std::env::var_os("SARIF_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| cache.join("venv/bin/python"));
    if !multitool.is_file() || !schema.is_file() {
        return Err(format!(
            "no SARIF multitool at {} (run .ci/sarif-validators)",
            multitool.display()
        ));
    }
    let has_jsonschema = Command::new(&python)
        .args(["-c", "import jsonschema"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_jsonschema {
        return Err(format!(
            "no Python with jsonschema at {} (run .ci/sarif-validators)",
            python.display()
        ));
    }
    Ok(Validators {
        multitool,
        schema,
        python,
    })
}

/// The story folders to check, relative to the crate root as a user in CI would name them:
/// every example, and every seed story when ../shared is there (their URIs are absolute).
fn stories() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for parent in ["examples", "../shared/corpus"] {
        let Ok(entries) = std::fs::read_dir(root.join(parent)) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| Path::new(parent).join(e.file_name()))
            .collect();
        dirs.sort();
        out.extend(dirs);
    }
    out
}

#[test]
fn the_sarif_of_every_example_and_seed_story_validates() {
    let v = match validators() {
        Ok(v) => v,
        Err(why) if std::env::var_os("VERBATIM_REQUIRE_SARIF_VALIDATOR").is_none() => {
            eprintln!("SKIPPED: SARIF validation: {why}");
            return;
        }
        Err(why) => panic!("VERBATIM_REQUIRE_SARIF_VALIDATOR is set but {why}"),
    };
    let dir = tempfile::tempdir().unwrap();
    let mut logs = Vec::new();
    let mut results = 0;
    for story in stories() {
        let name = story.file_name().unwrap().to_string_lossy().into_owned();
        let out = Command::new(BIN)
            .args(["check", "--format", "sarif", "--hints"])
            .arg(&story)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("RUST_LOG")
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{name}: exit {:?}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        let log: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{name}: stdout is not JSON: {e}"));
        results += log["runs"][0]["results"].as_array().map_or(0, Vec::len);
        let path = dir.path().join(format!("{name}.sarif"));
        std::fs::write(&path, &out.stdout).unwrap();
        logs.push(path);
    }
    assert!(logs.len() >= 2, "the example stories are there");
    assert!(results > 0, "the stories have findings to validate");

    // The schema, by jsonschema.
    let check = Command::new(&v.python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sarif/schema_check.py"))
        .arg(&v.schema)
        .args(&logs)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "SARIF schema violations:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );

    // The schema and the SARIF and GitHub rules, by the multitool.
    let report = dir.path().join("validation.sarif");
    let run = Command::new(&v.multitool)
        .arg("validate")
        .args(&logs)
        .args(["--rule-kind", "Sarif;Gh", "--log", "ForceOverwrite", "-o"])
        .arg(&report)
        .output()
        .unwrap();
    let console = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(run.status.success(), "multitool failed:\n{console}");
    assert!(
        console.contains(&format!("{} files scanned", logs.len())),
        "the multitool read every log:\n{console}"
    );
    let validation: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let problems: Vec<String> = validation["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| {
            // A result without a level is a warning (SARIF's default).
            let level = r["level"].as_str().unwrap_or("warning");
            let rule = r["ruleId"].as_str().unwrap_or("");
            level == "error" || (level == "warning" && !ACCEPTED_WARNINGS.contains(&rule))
        })
        .map(|r| {
            format!(
                "{} {}: {}",
                r["ruleId"].as_str().unwrap_or("?"),
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["message"]["arguments"]
            )
        })
        .collect();
    assert!(
        problems.is_empty(),
        "the SARIF validator found problems:\n{}\n{console}",
        problems.join("\n")
    );
}

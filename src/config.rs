//! Configuration: `verbatim.toml` at a corpus root, shared by the CLI and the server (editor
//! settings override it). Every setting has a documented default; unknown keys are reported.

use serde::Deserialize;
use std::collections::BTreeMap;

/// How documents are split into stories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum StoryMode {
    /// Cluster documents by shared content (default).
    #[default]
    Auto,
    /// One story per directory.
    Folder,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Globs of files that are articles (default `**/*.txt`, `**/*.md`).
    pub include: Vec<String>,
    /// Globs of files to leave out.
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are skipped with a warning (default 5 MB).
    pub max_file_size: u64,
    pub stories: StoryMode,
    /// Source weights that break ties between readings (`[sources] "Reuters" = 2.0`).
    pub sources: BTreeMap<String, f64>,
    /// Quotes whose text matches one of these patterns produce no findings.
    pub ignore: Vec<String>,
    /// Severity per finding code (`"quote-unmatched" = "off"`).
    pub severity: BTreeMap<String, String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            include: vec!["**/*.txt".into(), "**/*.md".into()],
            exclude: Vec::new(),
            max_file_size: 5_000_000,
            stories: StoryMode::Auto,
            sources: BTreeMap::new(),
            ignore: Vec::new(),
            severity: BTreeMap::new(),
        }
    }
}

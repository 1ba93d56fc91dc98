//! Configuration: `verbatim.toml` at a corpus root, shared by the CLI and the server (editor
//! settings override it). Every setting has a documented default; unknown keys are reported.
//!
//! This module parses configuration *text*; it never touches the file system (finding and reading
//! `verbatim.toml` is `workspace`'s job). It must not depend on `lsp` or `cli`.

use crate::findings::{Code, Severity};
use crate::text::line_index::{Encoding, LineIndex};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The name of the configuration file at a corpus root.
pub const FILE_NAME: &str = "verbatim.toml";

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
    /// A folder walk stops after this many article files, with a warning (default 20,000):
    /// a workspace opened at `/` or a home directory must not read the whole disk.
    pub max_files: usize,
    /// Follow links to files outside the folder being walked (default `false`: skipped with a
    /// warning).
    pub follow_links_outside: bool,
    pub stories: StoryMode,
    /// Source weights that break ties between readings (`[sources] "Reuters" = 2.0`).
    pub sources: BTreeMap<String, f64>,
    /// Quotes whose text matches one of these patterns produce no findings.
    pub ignore: Vec<String>,
    /// Severity per finding code (`"quote-unmatched" = "off"`).
    pub severity: BTreeMap<String, String>,
    /// The language server's bound on one keystroke's work (default 500): when the edited
    /// document's story holds more quotes than this, an edit collates the document only
    /// against the story's closest versions within this many quotes, and the whole story once
    /// typing pauses. `check` always collates whole stories.
    pub keystroke_quotes: usize,
    /// The shared quote index the language server, `check` and `index` take the other versions
    /// of a document from (`database = "postgresql://…"`; `""` turns it off; when absent, the
    /// `VERBATIM_DATABASE_URL` environment variable). The editor's settings and `--db` win over
    /// it.
    pub database: Option<DatabaseUrl>,
}

/// A connection string: its `Debug` form hides the password ([`crate::db::url::redact`]), so a
/// configuration printed for debugging shows none.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct DatabaseUrl(pub String);

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DatabaseUrl({:?})", crate::db::url::redact(&self.0))
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            include: vec!["**/*.txt".into(), "**/*.md".into()],
            exclude: Vec::new(),
            max_file_size: 5_000_000,
            max_files: 20_000,
            follow_links_outside: false,
            stories: StoryMode::Auto,
            sources: BTreeMap::new(),
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            keystroke_quotes: 500,
            database: None,
        }
    }
}

/// The top-level keys `verbatim.toml` understands.
pub const KEYS: [&str; 11] = [
    "include",
    "exclude",
    "max_file_size",
    "max_files",
    "follow_links_outside",
    "stories",
    "sources",
    "ignore",
    "severity",
    "keystroke_quotes",
    "database",
];

/// The values a `[severity]` entry may take.
pub const SEVERITY_VALUES: [&str; 5] = ["error", "warning", "info", "hint", "off"];

/// A configuration that parsed, with what was wrong but not fatal in it (unknown keys, unknown
/// codes in `[severity]`), as messages a user can act on.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedConfig {
    pub config: Config,
    pub warnings: Vec<String>,
}

/// Why a configuration text could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConfigSyntaxError {
    /// 1-based line and column (in characters) of the error, when known.
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// The parser's message, including the line/column and the offending line.
    pub message: String,
}

impl Config {
    /// Parses the text of a `verbatim.toml`. Unknown keys are not an error: they come back as
    /// warnings. A syntax error or a value of the wrong type is an error with its position.
    pub fn parse(text: &str) -> Result<ParsedConfig, ConfigSyntaxError> {
        let syntax_error = |e: toml::de::Error| {
            let (line, column) = match e.span() {
                Some(span) => {
                    let pos = LineIndex::new(text).position(text, span.start, Encoding::Chars);
                    (Some(pos.line + 1), Some(pos.col + 1))
                }
                None => (None, None),
            };
            ConfigSyntaxError {
                line,
                column,
                message: e.to_string().trim_end().to_string(),
            }
        };
        let table: toml::Table = toml::from_str(text).map_err(syntax_error)?;
        let config: Config = toml::from_str(text).map_err(syntax_error)?;
        let mut warnings = Vec::new();
        for key in table.keys() {
            if !KEYS.contains(&key.as_str()) {
                warnings.push(format!(
                    "unknown key `{key}` (known keys: {})",
                    KEYS.join(", ")
                ));
            }
        }
        for (code, value) in &config.severity {
            if Code::parse(code).is_none() {
                let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
                warnings.push(format!(
                    "unknown code `{code}` in [severity] (known codes: {})",
                    codes.join(", ")
                ));
            }
            if !SEVERITY_VALUES.contains(&value.as_str()) {
                warnings.push(format!(
                    "unknown severity `{value}` for `{code}` (expected one of: {})",
                    SEVERITY_VALUES.join(", ")
                ));
            }
        }
        Ok(ParsedConfig { config, warnings })
    }

    /// The severity a finding of `code` is reported at: the `[severity]` setting when there is a
    /// valid one, else `current` (what the engine gave it). `None` means the code is turned off.
    pub fn severity_of(&self, code: Code, current: Severity) -> Option<Severity> {
        match self.severity.get(code.as_str()).map(String::as_str) {
            Some("off") => None,
            Some("error") => Some(Severity::Error),
            Some("warning") => Some(Severity::Warning),
            Some("info") => Some(Severity::Info),
            Some("hint") => Some(Severity::Hint),
            _ => Some(current),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_gives_the_defaults() {
        let parsed = Config::parse("").unwrap();
        assert_eq!(parsed.config, Config::default());
        assert!(parsed.warnings.is_empty());
    }

    #[test]
    fn settings_override_defaults_and_keep_the_rest() {
        let parsed = Config::parse(
            "max_file_size = 10\nstories = \"folder\"\n[sources]\n\"Harbour Gazette\" = 2.0\n[severity]\nquote-unmatched = \"off\"\n",
        )
        .unwrap();
        let c = parsed.config;
        assert_eq!(c.max_file_size, 10);
        assert_eq!(c.stories, StoryMode::Folder);
        assert_eq!(c.sources.get("Harbour Gazette"), Some(&2.0));
        assert_eq!(c.include, Config::default().include);
        assert_eq!(c.severity_of(Code::QuoteUnmatched, Severity::Hint), None);
        assert_eq!(
            c.severity_of(Code::QuoteDiffers, Severity::Info),
            Some(Severity::Info)
        );
        assert!(parsed.warnings.is_empty());
    }

    #[test]
    fn unknown_keys_and_codes_are_warned_about() {
        let parsed = Config::parse("max_size = 3\n[severity]\nquote-differ = \"loud\"\n").unwrap();
        assert_eq!(parsed.warnings.len(), 3, "{:?}", parsed.warnings);
        assert!(parsed.warnings[0].contains("`max_size`"));
        assert!(parsed.warnings[1].contains("`quote-differ`"));
        assert!(parsed.warnings[2].contains("`loud`"));
    }

    #[test]
    fn a_database_url_is_read_and_its_password_never_printed() {
        let parsed = Config::parse("database = \"postgresql://ed:hunter2@db/news\"\n").unwrap();
        let url = parsed.config.database.clone().unwrap();
        assert_eq!(url.0, "postgresql://ed:hunter2@db/news");
        let shown = format!("{:?}", parsed.config);
        assert!(shown.contains("postgresql://ed:***@db/news"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn syntax_and_type_errors_carry_their_position() {
        let err = Config::parse("include = [\"**/*.md\"]\nmax_file_size = = 3\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.column.is_some());
        let err = Config::parse("\n\nmax_file_size = \"big\"\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("line 3"), "{}", err.message);
    }
}

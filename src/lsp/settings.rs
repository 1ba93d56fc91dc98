//! The configuration of one workspace folder: its `verbatim.toml`, overridden by the client's
//! settings (`initializationOptions`, `workspace/didChangeConfiguration`).
//!
//! Unknown keys are not ignored silently: they come back as warnings for the client's log.
//! Reads the one file it is given; never writes.
//!
//! Every key of `verbatim.toml` can be set this way (`config::KEYS`); one matters to the server
//! only: `keystroke_quotes` (default 500), the bound on one keystroke's work. When the edited
//! document's story holds more quotes than that, an edit collates the document against the
//! story's closest versions within the bound only (announced once per document in the
//! client's log), and the whole story once edits pause (`server::SETTLE_AFTER`). `database`
//! is the shared quote index the other versions of an open document also come from
//! (`lsp::database`); when neither the client nor the file sets it, the environment variable
//! `VERBATIM_DATABASE_URL` does, as for the command line (`database = ""` turns it off).

use crate::config::{Config, KEYS};
use crate::workspace::{ArticleFilter, find_config};
use serde_json::{Map, Value};
use std::path::Path;

/// A folder's configuration and what was wrong with it.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub config: Config,
    pub warnings: Vec<String>,
}

/// The client's settings for verbatim: the `verbatim` section when there is one, else the
/// object itself.
pub fn client_section(settings: &Value) -> Map<String, Value> {
    let section = settings.get("verbatim").unwrap_or(settings);
    section.as_object().cloned().unwrap_or_default()
}

/// Loads the folder's `verbatim.toml` (the nearest one, as the CLI finds it) and lays the
/// client's settings over it, key by key (tables such as `severity` merge one level deeper).
pub fn load(root: Option<&Path>, client: &Value) -> Loaded {
    let mut warnings = Vec::new();
    let mut merged = Map::new();
    if let Some(file) = root.and_then(find_config) {
        let shown = file.display().to_string();
        match std::fs::read_to_string(&file) {
            Ok(text) => match Config::parse(&text) {
                Ok(parsed) => {
                    warnings.extend(parsed.warnings.iter().map(|w| format!("{shown}: {w}")));
                    if let Ok(Value::Object(map)) = toml::from_str::<toml::Table>(&text)
                        .map_err(|e| e.to_string())
                        .and_then(|t| serde_json::to_value(t).map_err(|e| e.to_string()))
                    {
                        merged = map;
                    }
                }
                Err(e) => warnings.push(format!("{shown}: {e}")),
            },
            Err(e) => warnings.push(format!("{shown}: {e}")),
        }
    }
    let section = client_section(client);
    check_keys(&section, "client settings", &mut warnings);
    for (key, value) in section {
        match (merged.get_mut(&key), value) {
            (Some(Value::Object(base)), Value::Object(over)) => base.extend(over),
            (_, value) => {
                merged.insert(key, value);
            }
        }
    }
    merged.retain(|k, _| KEYS.contains(&k.as_str()));
    if !merged.contains_key("database")
        && let Ok(url) = std::env::var(crate::db::URL_VAR)
    {
        merged.insert("database".into(), Value::String(url));
    }
    let mut config = match serde_json::from_value::<Config>(Value::Object(merged)) {
        Ok(config) => config,
        Err(e) => {
            warnings.push(format!("configuration ignored: {e}"));
            Config::default()
        }
    };
    // `database = ""` turns the index off, even with the environment variable set.
    if config
        .database
        .as_ref()
        .is_some_and(|url| url.0.trim().is_empty())
    {
        config.database = None;
    }
    if let Err(e) = ArticleFilter::new(&config) {
        warnings.push(format!("{e}; using the default include/exclude globs"));
        let defaults = Config::default();
        config.include = defaults.include;
        config.exclude = defaults.exclude;
    }
    Loaded { config, warnings }
}

fn check_keys(map: &Map<String, Value>, origin: &str, warnings: &mut Vec<String>) {
    for key in map.keys() {
        if !KEYS.contains(&key.as_str()) {
            warnings.push(format!(
                "{origin}: unknown key `{key}` (known: {})",
                KEYS.join(", ")
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn client_settings_override_the_file_and_unknown_keys_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("verbatim.toml"),
            "exclude = [\"old/**\"]\ncolour = \"red\"\n[severity]\n\"quote-unmatched\" = \"off\"\n\"name-differs\" = \"hint\"\n",
        )
        .unwrap();
        let client = json!({"verbatim": {"severity": {"name-differs": "error"}, "speling": 1}});
        let loaded = load(Some(dir.path()), &client);
        assert_eq!(loaded.config.exclude, vec!["old/**".to_string()]);
        assert_eq!(loaded.config.severity["quote-unmatched"], "off");
        assert_eq!(loaded.config.severity["name-differs"], "error");
        assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
        assert!(loaded.warnings[0].contains("`colour`"));
        assert!(loaded.warnings[1].contains("`speling`"));
    }

    #[test]
    fn a_wrongly_typed_setting_falls_back_to_defaults_with_a_warning() {
        let loaded = load(None, &json!({"include": 3}));
        assert_eq!(loaded.config, Config::default());
        assert_eq!(loaded.warnings.len(), 1);
    }
}

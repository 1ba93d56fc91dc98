//! The configuration of one workspace folder: its `verbatim.toml`, overridden by the client's
//! settings (`initializationOptions`, `workspace/didChangeConfiguration`).
//!
//! Unknown keys are not ignored silently: they come back as warnings for the client's log.
//! Reads the one file it is given; never writes.

use crate::config::Config;
use serde_json::{Map, Value};
use std::path::Path;

/// The keys `verbatim.toml` understands (the fields of [`Config`]).
pub const KNOWN_KEYS: [&str; 7] = [
    "include",
    "exclude",
    "max_file_size",
    "stories",
    "sources",
    "ignore",
    "severity",
];

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

/// Loads `root/verbatim.toml` (when there is a root and the file exists) and lays the client's
/// settings over it, key by key (tables such as `severity` merge one level deeper).
pub fn load(root: Option<&Path>, client: &Value) -> Loaded {
    let mut warnings = Vec::new();
    let mut merged = Map::new();
    if let Some(root) = root {
        let file = root.join("verbatim.toml");
        if let Ok(text) = std::fs::read_to_string(&file) {
            match toml::from_str::<toml::Table>(&text) {
                Ok(table) => match serde_json::to_value(table) {
                    Ok(Value::Object(map)) => {
                        check_keys(&map, &file.display().to_string(), &mut warnings);
                        merged = map;
                    }
                    _ => warnings.push(format!("{}: not a table", file.display())),
                },
                Err(e) => warnings.push(format!("{}: {e}", file.display())),
            }
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
    merged.retain(|k, _| KNOWN_KEYS.contains(&k.as_str()));
    let config = match serde_json::from_value::<Config>(Value::Object(merged)) {
        Ok(config) => config,
        Err(e) => {
            warnings.push(format!("configuration ignored: {e}"));
            Config::default()
        }
    };
    Loaded { config, warnings }
}

fn check_keys(map: &Map<String, Value>, origin: &str, warnings: &mut Vec<String>) {
    for key in map.keys() {
        if !KNOWN_KEYS.contains(&key.as_str()) {
            warnings.push(format!(
                "{origin}: unknown key `{key}` (known: {})",
                KNOWN_KEYS.join(", ")
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

//! Logging for the command line: `tracing` events go to stderr as `warning: …` / `error: …`
//! lines (no timestamps), so stdout carries only the report. `VERBATIM_LOG` (set by the editor
//! integrations) overrides the level that `-v` picks, and `RUST_LOG` overrides both.

use std::fmt;
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// Installs the stderr logger: warnings and errors by default, `-v` info, `-vv` debug,
/// `-vvv` trace (for verbatim's own modules). `VERBATIM_LOG` (what the editor integrations set)
/// wins over `-v`, and `RUST_LOG` wins over both.
pub fn init(verbosity: u8) {
    let filter = EnvFilter::new(filter_spec(
        std::env::var("RUST_LOG").ok().as_deref(),
        std::env::var("VERBATIM_LOG").ok().as_deref(),
        verbosity,
    ));
    // The language server's wire carries the editor's settings, a password among them.
    let filter = match crate::lsp::WIRE_UNLOGGED.parse() {
        Ok(directive) => filter.add_directive(directive),
        Err(_) => filter,
    };
    // A second init (tests, or the server setting up its own) keeps the first logger.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .event_format(UserFormat)
        .try_init();
}

/// The `tracing` filter for these settings. A bare level in `VERBATIM_LOG` (`debug`) applies to
/// verbatim's own modules; anything else is a full filter directive.
fn filter_spec(rust_log: Option<&str>, verbatim_log: Option<&str>, verbosity: u8) -> String {
    if let Some(spec) = set_value(rust_log) {
        return spec.to_string();
    }
    if let Some(spec) = set_value(verbatim_log) {
        return match spec.to_ascii_lowercase().as_str() {
            level @ ("error" | "warn") => level.to_string(),
            level @ ("info" | "debug" | "trace") => format!("warn,verbatim={level}"),
            _ => spec.to_string(),
        };
    }
    match verbosity {
        0 => "warn",
        1 => "warn,verbatim=info",
        2 => "warn,verbatim=debug",
        _ => "warn,verbatim=trace",
    }
    .to_string()
}

fn set_value(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|v| !v.is_empty())
}

/// `level: message field=value` on one line.
struct UserFormat;

impl<S, N> FormatEvent<S, N> for UserFormat
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let label = match *event.metadata().level() {
            Level::ERROR => "error",
            Level::WARN => "warning",
            Level::INFO => "info",
            Level::DEBUG => "debug",
            Level::TRACE => "trace",
        };
        write!(writer, "{label}: ")?;
        ctx.field_format().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::filter_spec;

    #[test]
    fn verbatim_log_sets_the_level_of_verbatim_modules_and_rust_log_wins() {
        assert_eq!(filter_spec(None, None, 0), "warn");
        assert_eq!(filter_spec(None, None, 2), "warn,verbatim=debug");
        assert_eq!(filter_spec(None, Some("debug"), 0), "warn,verbatim=debug");
        assert_eq!(
            filter_spec(None, Some("verbatim::lsp=trace"), 1),
            "verbatim::lsp=trace"
        );
        assert_eq!(filter_spec(Some("info"), Some("debug"), 0), "info");
        assert_eq!(filter_spec(Some(" "), Some(""), 1), "warn,verbatim=info");
    }
}

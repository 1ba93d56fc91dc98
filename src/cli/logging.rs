//! Logging for the command line: `tracing` events go to stderr as `warning: …` / `error: …`
//! lines (no timestamps), so stdout carries only the report. `RUST_LOG` overrides the level that
//! `-v` picks.

use std::fmt;
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// Installs the stderr logger: warnings and errors by default, `-v` info, `-vv` debug,
/// `-vvv` trace (for verbatim's own modules); `RUST_LOG` wins when set.
pub fn init(verbosity: u8) {
    let filter = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => EnvFilter::new(spec),
        _ => EnvFilter::new(match verbosity {
            0 => "warn",
            1 => "warn,verbatim=info",
            2 => "warn,verbatim=debug",
            _ => "warn,verbatim=trace",
        }),
    };
    // A second init (tests, or the server setting up its own) keeps the first logger.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .event_format(UserFormat)
        .try_init();
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

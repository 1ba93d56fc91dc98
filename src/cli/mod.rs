//! The command line: `verbatim check`, `verbatim explain`, `verbatim lsp`. A thin view over the
//! engine: it asks `workspace` for files and configuration, reads them into an engine session
//! (`host::AnalysisHost`, the one the language server uses), takes its snapshot, and
//! renders the [`report::Report`] as text for people ([`human`]), JSON for tools ([`json`]),
//! SARIF for code-scanning services ([`sarif`]) or annotations for GitHub Actions ([`github`]).
//!
//! stdout carries only the report; warnings, errors and logs go to stderr through `tracing`.
//! Exit codes: 0 nothing found, 1 a finding at warning level or above, 2 a usage, configuration
//! or I/O error (the report for the readable files is still printed).

pub mod alignment;
pub mod database;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod logging;
pub mod progress;
pub mod report;
pub mod sarif;

use crate::config::Config;
use crate::corpus::DocId;
use crate::document::Document;
use crate::findings::Code;
use crate::host::{AnalysisHost, Snapshot};
use crate::workspace::{self, LoadedConfig};
use clap::{Args, Parser, Subcommand, ValueEnum};
use progress::Progress;
use report::{EXIT_CLEAN, EXIT_ERROR, Report};
use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "verbatim",
    version,
    about = "Catches misquotes across the versions of a news story"
)]
struct Cli {
    /// More logging on stderr (-v info, -vv debug, -vvv trace); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check the versions of a story (or a whole folder of stories) and report what differs.
    Check(CheckArgs),
    /// Write one self-contained HTML page showing how the versions of each story compare.
    Report(ReportArgs),
    /// Store articles in a shared PostgreSQL quote index (new and changed files only; files
    /// gone from the folders given are removed), for `check --db`.
    Index(IndexArgs),
    /// Explain a finding code (`verbatim explain quote-differs`); without a code, list them.
    Explain {
        /// The finding code.
        code: Option<String>,
    },
    /// Run the language server on stdin/stdout.
    Lsp {
        /// Speak LSP over stdio (the default and only transport; accepted for editor clients).
        #[arg(long)]
        stdio: bool,
    },
}

/// What `check` and `report` read.
#[derive(Debug, Args)]
struct InputArgs {
    /// Files and folders to check (folders are walked, honouring .gitignore). Default: `.`.
    paths: Vec<PathBuf>,
    /// Configuration file (default: verbatim.toml in the first PATH or its nearest ancestor).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Skip files larger than this many bytes (overrides max_file_size; default 5000000).
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<u64>,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Never colour the output (also: the NO_COLOR environment variable).
    #[arg(long)]
    no_color: bool,
    /// Also show hint-level findings (quote-unmatched) in the human, SARIF and GitHub formats.
    #[arg(long)]
    hints: bool,
    /// Collate the files with their other versions from this PostgreSQL index (built by
    /// `verbatim index`); default: `database` in verbatim.toml, else $VERBATIM_DATABASE_URL.
    #[arg(long, value_name = "URL")]
    db: Option<String>,
}

#[derive(Debug, Args)]
struct IndexArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The PostgreSQL database (postgresql://user@host:port/name or `host=… dbname=…`);
    /// default: `database` in verbatim.toml, else $VERBATIM_DATABASE_URL.
    #[arg(long, value_name = "URL")]
    db: Option<String>,
}

#[derive(Debug, Args)]
struct ReportArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Write the page to this file (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For people: rustc-style findings with the source line and a summary.
    Human,
    /// For tools: one JSON object (see the README for its shape).
    Json,
    /// For code-scanning services: a SARIF 2.1.0 log.
    Sarif,
    /// For GitHub Actions: workflow commands that annotate the lines of a pull request.
    Github,
}

/// Runs the command line with the process arguments; returns the exit code. The process's last
/// call: `check` leaves the memory of what it read to the system instead of freeing it.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; usage errors exit 2.
            let _ = e.print();
            return if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
        }
    };
    logging::init(cli.verbose);
    match cli.command {
        Command::Check(args) => check(args, cli.verbose),
        Command::Report(args) => report_page(args, cli.verbose),
        Command::Index(args) => index(args, cli.verbose),
        Command::Explain { code } => explain(code.as_deref()),
        Command::Lsp { stdio: _ } => match crate::lsp::serve_stdio() {
            Ok(()) => EXIT_CLEAN,
            Err(e) => {
                tracing::error!("{e:#}");
                EXIT_ERROR
            }
        },
    }
}

/// A corpus read and collated (the session's snapshot), with every warning met (already
/// logged on stderr).
struct Loaded {
    snapshot: Snapshot,
    warnings: Vec<workspace::Warning>,
    /// With `--db`: the documents read from the paths given (the others came from the index).
    shown: Option<HashSet<DocId>>,
    /// With `--db`: the names of the versions only the index holds, by their stored path
    /// (`db::Shown::Index`); the others are shown under their path.
    names: HashMap<String, String>,
}

impl Loaded {
    /// The report on the documents read from the paths given.
    fn report(&self) -> Report<'_> {
        let report = Report::new(
            self.snapshot.corpus(),
            self.snapshot.analysis(),
            self.warnings.clone(),
        );
        match &self.shown {
            Some(shown) => report
                .only(|id| shown.contains(&id))
                .named(self.names.clone()),
            None => report,
        }
    }
}

/// The article files to read and the configuration to read them with.
struct Inputs {
    paths: Vec<PathBuf>,
    files: Vec<PathBuf>,
    config: Config,
    /// The configuration's warnings, then those met finding the files.
    warnings: Vec<workspace::Warning>,
}

/// Loads the configuration and expands the paths. `Err` is the exit code of a configuration
/// error (logged).
fn inputs(input: InputArgs, progress: &Progress) -> Result<Inputs, i32> {
    let paths = if input.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        input.paths
    };
    let loaded = match &input.config {
        Some(file) => workspace::load_config_file(file),
        None => workspace::load_config(&paths[0]),
    };
    let LoadedConfig {
        mut config,
        file,
        warnings: config_warnings,
    } = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            tracing::error!("{e}");
            return Err(EXIT_ERROR);
        }
    };
    if let Some(file) = &file {
        tracing::info!("configuration: {}", file.display());
    }
    if let Some(limit) = input.max_file_size {
        config.max_file_size = limit;
    }
    progress.step("finding articles".into());
    let (files, warnings) = workspace::expand_paths(&paths, &config);
    tracing::info!("{} article files", files.len());
    if files.is_empty() && !warnings.iter().any(|w| w.is_error()) {
        let shown: Vec<String> = paths.iter().map(|p| workspace::display_path(p)).collect();
        let mut globs = format!("include: {}", config.include.join(", "));
        if !config.exclude.is_empty() {
            globs += &format!("; exclude: {}", config.exclude.join(", "));
        }
        tracing::warn!("no article files in {} ({globs})", shown.join(", "));
    }
    let mut all_warnings = config_warnings;
    all_warnings.extend(warnings);
    Ok(Inputs {
        paths,
        files,
        config,
        warnings: all_warnings,
    })
}

/// Loads the configuration, expands the paths, reads the articles and collates them (with
/// their other versions from the index `db` names for the configuration, if any), showing each
/// step on `progress`.
/// `Err` is the exit code of a configuration or database error (logged). Without `utterances`
/// the analysis keeps only the findings and quote infos (less memory; see
/// [`crate::collate::Analysis::results_only`]).
fn load(
    input: InputArgs,
    db: impl FnOnce(&Config) -> Option<String>,
    progress: &Progress,
    utterances: bool,
) -> Result<Loaded, i32> {
    let Inputs {
        files,
        config,
        warnings: mut all_warnings,
        ..
    } = inputs(input, progress)?;
    let db = db(&config);
    // Read and parsed on every core; workspace keeps the reading policy.
    progress.counted("reading", files.len() as u64);
    let mut host = if utterances {
        AnalysisHost::new(config)
    } else {
        AnalysisHost::results_only(config)
    };
    let (ids, read_warnings) = host.read_files(&files, None, &|| progress.advance(1));
    all_warnings.extend(read_warnings);
    let mut names = HashMap::new();
    let shown = match db.as_deref() {
        None => None,
        Some(url) => {
            progress.step("looking up other versions in the index".into());
            let docs: Vec<&Document> = ids.iter().filter_map(|&id| host.corpus().get(id)).collect();
            match database::other_versions(url, &docs, host.config().stories) {
                Ok(others) => {
                    for version in others {
                        if let crate::db::Shown::Index(name) = version.shown {
                            names.insert(version.doc.path.clone(), name);
                        }
                        host.add(version.doc);
                    }
                }
                Err(e) => {
                    progress.suspend(|| tracing::error!("{e}"));
                    return Err(EXIT_ERROR);
                }
            }
            Some(ids.into_iter().collect())
        }
    };
    progress.step(format!("collating {} articles", host.corpus().len()));
    let snapshot = host.snapshot();

    progress.suspend(|| {
        for w in &all_warnings {
            if w.is_error() {
                tracing::error!("{w}");
            } else {
                tracing::warn!("{w}");
            }
        }
    });
    Ok(Loaded {
        snapshot,
        warnings: all_warnings,
        shown,
        names,
    })
}

/// Writes `text` to stdout; a closed pipe (`verbatim check | head`) is an error, not a panic.
fn write_stdout(text: &str) -> Result<(), i32> {
    stream_stdout(|out| out.write_all(text.as_bytes()))
}

/// Writes to stdout through `write`, buffered, as [`write_stdout`] does.
fn stream_stdout(
    write: impl FnOnce(&mut std::io::BufWriter<std::io::StdoutLock>) -> std::io::Result<()>,
) -> Result<(), i32> {
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    write(&mut stdout)
        .and_then(|()| stdout.flush())
        .map_err(|e| {
            tracing::error!("cannot write the report: {e}");
            EXIT_ERROR
        })
}

/// The progress display of a run whose report is for people (`machine_output`: JSON, SARIF or
/// GitHub annotations).
fn progress_for(machine_output: bool, verbose: u8) -> Progress {
    if progress::wanted(
        std::io::stdout().is_terminal(),
        std::io::stderr().is_terminal(),
        machine_output,
        verbose,
    ) {
        Progress::on_stderr()
    } else {
        Progress::off()
    }
}

fn check(args: CheckArgs, verbose: u8) -> i32 {
    let progress = progress_for(args.format != Format::Human, verbose);
    let db = |config: &Config| database::database_url(args.db, config.database.as_ref());
    let loaded = match load(args.input, db, &progress, false) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    progress.step("writing the report".into());
    let report = loaded.report();
    let text = match args.format {
        // Streamed: the JSON of a large corpus can be many times its size.
        Format::Json => None,
        Format::Sarif => Some(sarif::render(&report, sarif::Options { hints: args.hints })),
        Format::Github => Some(github::render(
            &report,
            github::Options { hints: args.hints },
        )),
        Format::Human => {
            let color = !args.no_color
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal();
            Some(human::render(
                &report,
                human::Options {
                    color,
                    hints: args.hints,
                },
            ))
        }
    };
    progress.finish();
    let written = match text {
        Some(text) => write_stdout(&text),
        None => stream_stdout(|out| json::write(&report, out)),
    };
    let code = match written {
        Ok(()) => report.exit_code(),
        Err(code) => code,
    };
    // The process ends with this answer: the system takes the corpus's memory back at once,
    // while freeing it piece by piece would cost a large check tens of milliseconds (nothing
    // here does I/O when dropped).
    std::mem::forget(report);
    std::mem::forget(loaded);
    code
}

/// `verbatim report`: the HTML page, to the file given or stdout. Exit 0 when written, 2 on a
/// configuration error, an unreadable article (the page still shows the others) or a page that
/// could not be written. Findings do not change the exit code: the page is the product.
fn report_page(args: ReportArgs, verbose: u8) -> i32 {
    let progress = progress_for(false, verbose);
    let loaded = match load(args.input, |_| None, &progress, true) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    progress.step("writing the page".into());
    let report = loaded.report();
    let page = html::render(&report, loaded.snapshot.analysis());
    progress.finish();
    let written = match &args.output {
        Some(path) => std::fs::write(path, page.as_bytes()).map_err(|e| {
            tracing::error!("cannot write {}: {e}", path.display());
            EXIT_ERROR
        }),
        None => write_stdout(&page),
    };
    if let Err(code) = written {
        return code;
    }
    if report.warnings.iter().any(workspace::Warning::is_error) {
        EXIT_ERROR
    } else {
        EXIT_CLEAN
    }
}

/// `verbatim index`: see [`database::index`].
fn index(args: IndexArgs, verbose: u8) -> i32 {
    let progress = progress_for(false, verbose);
    let inputs = match inputs(args.input, &progress) {
        Ok(inputs) => inputs,
        Err(code) => return code,
    };
    let Some(url) = database::database_url(args.db, inputs.config.database.as_ref()) else {
        tracing::error!(
            "no database: give --db postgresql://user@host/name, set database in verbatim.toml \
             or set {}",
            crate::db::URL_VAR
        );
        return EXIT_ERROR;
    };
    database::index(
        &url,
        &inputs.paths,
        &inputs.files,
        &inputs.config,
        inputs.warnings,
        &progress,
    )
}

fn explain(code: Option<&str>) -> i32 {
    let list = || {
        Code::ALL
            .iter()
            .map(|c| format!("  {:<20} {}", c.as_str(), c.default_severity().as_str()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    match code {
        None => {
            println!("Finding codes (default severity):\n{}", list());
            EXIT_CLEAN
        }
        Some(name) => match Code::parse(name) {
            Some(code) => {
                print!("{}", code.explanation());
                if !code.explanation().ends_with('\n') {
                    println!();
                }
                EXIT_CLEAN
            }
            None => {
                tracing::error!("unknown code `{name}`; the codes are:\n{}", list());
                EXIT_ERROR
            }
        },
    }
}

#[cfg(test)]
mod tests;

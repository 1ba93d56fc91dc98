//! A check's result, ready to render: per document (in path order) its quotes with what
//! collation says of them and its findings (severities as configured, in text order), plus the
//! warnings met while reading. Decides the exit code.

use crate::collate::{Analysis, QuoteInfo};
use crate::config::Config;
use crate::corpus::{Corpus, DocId};
use crate::document::Document;
use crate::findings::{Code, Finding, Severity};
use crate::text::line_index::{Encoding, LineIndex};
use crate::workspace::Warning;
use std::borrow::Cow;
use std::collections::HashMap;

/// Exit code: nothing found.
pub const EXIT_CLEAN: i32 = 0;
/// Exit code: at least one finding at warning level or above.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: a usage, configuration or I/O error.
pub const EXIT_ERROR: i32 = 2;

/// One document's part of a report.
pub struct FileReport<'a> {
    pub id: DocId,
    pub doc: &'a Document,
    pub lines: LineIndex,
    /// One entry per quote of `doc`, in the same order (the analysis's own list, borrowed).
    pub quotes: Cow<'a, [QuoteInfo]>,
    /// In text order; severities as configured; codes turned off are gone. The analysis's own
    /// list, borrowed, unless the configuration changed or turned off a code there: a report
    /// of a large corpus holds no list per document of its own (issue 10: the report was a
    /// tenth of `check`'s peak memory).
    pub findings: Cow<'a, [Finding]>,
}

/// A 1-based line and column (in characters) range, as reports show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range1 {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl FileReport<'_> {
    /// The 1-based range of the byte span `start..end` of this document.
    pub fn range(&self, start: usize, end: usize) -> Range1 {
        range_in(&self.lines, &self.doc.text, start, end)
    }
}

/// The 1-based range, columns in characters, of the byte span `start..end` of `text`.
pub fn range_in(lines: &LineIndex, text: &str, start: usize, end: usize) -> Range1 {
    range_with(lines, text, start, end, Encoding::Chars)
}

/// The 1-based range of the byte span `start..end` of `text`, columns counted in `enc`
/// (SARIF counts UTF-16 code units).
pub fn range_with(
    lines: &LineIndex,
    text: &str,
    start: usize,
    end: usize,
    enc: Encoding,
) -> Range1 {
    let s = lines.position(text, start, enc);
    let e = lines.position(text, end, enc);
    Range1 {
        line: s.line + 1,
        column: s.col + 1,
        end_line: e.line + 1,
        end_column: e.col + 1,
    }
}

/// Everything a renderer needs.
pub struct Report<'a> {
    pub corpus: &'a Corpus,
    /// The documents reported on.
    pub files: Vec<FileReport<'a>>,
    /// Documents collated with them but not reported on (with `--db`, the other versions the
    /// index gave): related locations point into them.
    pub context: Vec<FileReport<'a>>,
    pub warnings: Vec<Warning>,
    /// Index into `files` (`false`) or `context` (`true`) by document path (for related
    /// locations).
    by_path: HashMap<&'a str, (bool, usize)>,
    /// The names of documents shown under another name than their path, by path: the
    /// versions only the shared index holds (`verbatim-index://…`, see `db::Shown`).
    names: HashMap<String, String>,
}

impl<'a> Report<'a> {
    /// The report of `corpus` as `analysis` collated it.
    pub fn new(corpus: &'a Corpus, analysis: &'a Analysis, warnings: Vec<Warning>) -> Report<'a> {
        Report::from_parts(
            corpus,
            |id| Cow::Borrowed(analysis.quote_infos(id)),
            |id| Cow::Borrowed(analysis.findings(id)),
            warnings,
        )
    }

    /// The report of `corpus` with each document's quote infos and findings from the given
    /// functions (tests build findings by hand this way). A document given fewer quote infos
    /// than it has quotes gets the default info for the others.
    pub fn from_parts(
        corpus: &'a Corpus,
        quote_infos: impl Fn(DocId) -> Cow<'a, [QuoteInfo]>,
        findings: impl Fn(DocId) -> Cow<'a, [Finding]>,
        warnings: Vec<Warning>,
    ) -> Report<'a> {
        let files = corpus
            .documents()
            .map(|(id, doc)| {
                let mut quotes = quote_infos(id);
                if quotes.len() < doc.quotes.len() {
                    let mut all = quotes.into_owned();
                    all.resize(doc.quotes.len(), QuoteInfo::default());
                    quotes = Cow::Owned(all);
                }
                FileReport {
                    id,
                    doc,
                    lines: LineIndex::new(&doc.text),
                    quotes,
                    findings: as_configured(&corpus.config, findings(id)),
                }
            })
            .collect::<Vec<FileReport<'a>>>();
        let mut report = Report {
            corpus,
            files,
            context: Vec::new(),
            warnings,
            by_path: HashMap::new(),
            names: HashMap::new(),
        };
        report.index_paths();
        report
    }

    fn index_paths(&mut self) {
        let files = self.files.iter().map(|f| (f, false));
        let context = self.context.iter().map(|f| (f, true));
        let mut counts = [0usize; 2];
        self.by_path = files
            .chain(context)
            .map(|(f, in_context)| {
                let slot = &mut counts[usize::from(in_context)];
                *slot += 1;
                (f.doc.path.as_str(), (in_context, *slot - 1))
            })
            .collect();
    }

    /// The report on the documents `shown` only; the corpus's other documents stay as context
    /// (what `check --db` prints: the files given, collated with the versions from the index).
    pub fn only(mut self, shown: impl Fn(DocId) -> bool) -> Report<'a> {
        let (files, context): (Vec<_>, Vec<_>) = std::mem::take(&mut self.files)
            .into_iter()
            .partition(|f| shown(f.id));
        self.files = files;
        self.context = context;
        self.index_paths();
        self
    }

    /// The report with the documents at the paths of `names` shown under their names.
    pub fn named(mut self, names: HashMap<String, String>) -> Report<'a> {
        self.names = names;
        self
    }

    /// The name a document's path is shown under: its path, unless [`Report::named`] gave it
    /// another.
    pub fn name<'p>(&'p self, path: &'p str) -> &'p str {
        self.names.get(path).map_or(path, String::as_str)
    }

    pub fn findings(&self) -> impl Iterator<Item = (&FileReport<'a>, &Finding)> {
        self.files
            .iter()
            .flat_map(|file| file.findings.iter().map(move |f| (file, f)))
    }

    /// 2 when a file could not be read, else 1 when a finding is at warning level or above,
    /// else 0.
    pub fn exit_code(&self) -> i32 {
        if self.warnings.iter().any(Warning::is_error) {
            EXIT_ERROR
        } else if self
            .findings()
            .any(|(_, f)| f.severity <= Severity::Warning)
        {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        }
    }

    /// A document of the corpus by its path, with its line index (for related locations).
    pub fn file(&self, path: &str) -> Option<&FileReport<'a>> {
        self.by_path.get(path).map(|&(context, i)| {
            if context {
                &self.context[i]
            } else {
                &self.files[i]
            }
        })
    }
}

/// A document's findings with the severities `config` gives their codes (those turned off
/// gone), in text order: the list itself when that changes nothing (as with the default
/// configuration), else a copy.
fn as_configured<'a>(config: &Config, found: Cow<'a, [Finding]>) -> Cow<'a, [Finding]> {
    let key = |f: &Finding| (f.span.start, f.span.end, f.code);
    let unchanged = found
        .iter()
        .all(|f| config.severity_of(f.code, f.severity) == Some(f.severity))
        && found.is_sorted_by_key(key);
    if unchanged {
        return found;
    }
    let mut found: Vec<Finding> = found
        .into_owned()
        .into_iter()
        .filter_map(|mut f| {
            f.severity = config.severity_of(f.code, f.severity)?;
            Some(f)
        })
        .collect();
    found.sort_by_key(key);
    Cow::Owned(found)
}

/// What a finding code means, in one paragraph on one line: the paragraph under
/// `## What it means` of its explanation (`docs/rules/<code>.md`).
pub fn what_it_means(code: Code) -> String {
    code.explanation()
        .lines()
        .skip_while(|l| l.trim() != "## What it means")
        .skip(1)
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

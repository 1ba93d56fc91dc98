//! The shared quote index on PostgreSQL (issue 13): what `verbatim index` stores of each
//! article and how `verbatim check --db` finds the other versions of the files it checks.
//!
//! A thin API over `tokio-postgres`: [`Database::connect`] (and the schema migrations of
//! `migrations/`, [`schema`]), [`Database::stored_files`], [`Database::store`] (one
//! transaction: removed and changed documents deleted, new rows loaded with binary `COPY`), and
//! [`Database::candidates`] (the documents a story could hold, by shared quote shingles and
//! rare content words, within the story rules' date window). What a document becomes in the
//! database is computed by the pure [`record`] module; collation never runs here: the callers
//! parse the stored texts and collate them in-process exactly as for files.
//!
//! Every message names the database through [`url::redact`]: no password is ever printed.
//! Async (tokio); the engine modules never depend on this one.

pub mod record;
pub mod schema;
pub mod tls;
pub mod url;

use crate::config::StoryMode;
use crate::corpus::story::{
    COMMON_WORD_LIMIT, MAX_DAYS_APART, MIN_SHARED_DISTINCTIVE, Print, folder,
};
use crate::document::Document;
use record::{DocumentRecord, FileStamp};
use std::collections::{BTreeSet, HashMap};
use std::time::Duration;
use tokio::sync::OnceCell;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::tls::{MakeTlsConnect, TlsConnect};
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, NoTls, Socket, Statement, Transaction};

/// The environment variable read for the connection string when `--db` is not given.
pub const URL_VAR: &str = "VERBATIM_DATABASE_URL";

/// How long to wait for the server when the connection string sets no `connect_timeout`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How many rounds of "the candidates' candidates" a lookup follows (a story is a connected
/// component of links, so a version may be reached only through another).
const CANDIDATE_ROUNDS: usize = 4;

/// A store of at least this many documents refreshes the planner's statistics when it is
/// large against the index too ([`analyze_after`]).
const ANALYZE_AFTER: usize = 1_000;

/// A store changing at least this share of the documents the statistics describe refreshes
/// them ([`analyze_after`]).
const ANALYZE_SHARE: f64 = 0.2;

/// Whether a store that added, changed or removed `changed` documents, into an index whose
/// statistics describe `believed` documents, runs `ANALYZE` itself: a first load or a change of
/// at least [`ANALYZE_SHARE`] of them, and at least [`ANALYZE_AFTER`] documents. A smaller one
/// is left to autovacuum (by default after a tenth of a table's rows changed): the lookups keep
/// off sequential scans, so slightly stale estimates cost them little, and `ANALYZE` of an
/// index of 110,000 articles took 0.6–0.8 s, a tenth of the time of adding 10,000 to it.
fn analyze_after(changed: usize, believed: f64, first_load: bool) -> bool {
    changed >= ANALYZE_AFTER && (first_load || changed as f64 >= ANALYZE_SHARE * believed)
}

/// At most this many documents come back from one lookup.
const MAX_CANDIDATES: usize = 5_000;

/// The indexes a first load into an empty index builds after its `COPY` rather than
/// maintaining them row by row, and the foreign key of `quotes` it checks once, by a join,
/// rather than by a trigger per row (`document_words` has none: migration 5): as the
/// migrations create them ([`CREATE_LOAD_INDEXES`] gives
/// them back exactly; a test compares the schema after a first load with the migrations').
const DROP_LOAD_INDEXES: &str = "DROP INDEX documents_shingles;
     ALTER TABLE document_words DROP CONSTRAINT document_words_pkey;
     DROP INDEX document_words_document;
     ALTER TABLE quotes DROP CONSTRAINT quotes_document_fkey;";

/// Builds the indexes [`DROP_LOAD_INDEXES`] dropped.
const CREATE_LOAD_INDEXES: &str =
    "CREATE INDEX documents_shingles ON documents USING gin (shingles) WITH (fastupdate = off);
     ALTER TABLE document_words ADD CONSTRAINT document_words_pkey PRIMARY KEY (word, document);
     CREATE INDEX document_words_document ON document_words (document);
     ALTER TABLE quotes ADD CONSTRAINT quotes_document_fkey
         FOREIGN KEY (document) REFERENCES documents (id) ON DELETE CASCADE;";

/// A database problem, with the server named without its password.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("invalid database connection string {url}: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("cannot reach the database {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("cannot connect to the database {url} over TLS: {reason}")]
    Tls { url: String, reason: String },
    #[error("database {url}: {reason}")]
    Query { url: String, reason: String },
    #[error("database {url}: no answer to {what} within {} s", after.as_secs_f64())]
    Timeout {
        url: String,
        what: &'static str,
        after: Duration,
    },
    #[error("cannot start the database client's runtime: {0}")]
    Runtime(#[from] std::io::Error),
}

/// An open connection to the index.
pub struct Database {
    client: Client,
    /// The connection string, redacted: for messages.
    shown: String,
    /// The bound on one lookup (client side; the server's `statement_timeout` is the same).
    timeout: Option<Duration>,
    /// The lookups' statements, prepared on this connection by its first lookup and reused
    /// by every later one (a statement prepared per call costs a round trip and a parse).
    lookups: OnceCell<Lookups>,
}

/// The statements of [`Database::candidates`] and [`Database::folder_members`], prepared once
/// per connection ([`Lookups::prepare`]).
struct Lookups {
    /// The rare words among some: `(words bigint[], limit bigint) -> word`.
    rare_words: Statement,
    /// The ids of the documents sharing enough rare words with a probe or a quote shingle with
    /// any: `(probe int[], word bigint[], shared bigint, shingles bigint[]) -> id`.
    candidate_ids: Statement,
    /// Those documents' prints, the excluded paths left out:
    /// `(ids bigint[], exclude text[]) -> id, words, shingles, day`.
    prints: Statement,
    /// The texts of documents: `(ids bigint[]) -> path, body`.
    texts: Statement,
    /// The documents of some folders, the excluded paths left out:
    /// `(folders text[], exclude text[]) -> path, body`, in path order.
    folder_members: Statement,
}

impl Lookups {
    /// Prepares the statements on `client`. The connection then plans without sequential
    /// scans: PostgreSQL estimates `shingles && $4` (array overlap) poorly, a fifth of the
    /// table on the generated corpus, and then scans the whole table instead of the GIN index,
    /// so that the lookup grew with the index. A connection that looks up only looks up.
    async fn prepare(client: &Client) -> Result<Lookups, tokio_postgres::Error> {
        client.batch_execute("SET enable_seqscan = off").await?;
        let rare_words = client
            .prepare_typed(
                "SELECT word FROM word_frequencies WHERE word = ANY($1) AND documents <= $2",
                &[Type::INT8_ARRAY, Type::INT8],
            )
            .await?;
        let candidate_ids = client
            .prepare_typed(
                "SELECT dw.document
                 FROM unnest($1::int[], $2::bigint[]) p (probe, word)
                 JOIN document_words dw ON dw.word = p.word
                 GROUP BY p.probe, dw.document HAVING count(*) >= $3
                 UNION
                 SELECT id FROM documents WHERE shingles && $4",
                &[
                    Type::INT4_ARRAY,
                    Type::INT8_ARRAY,
                    Type::INT8,
                    Type::INT8_ARRAY,
                ],
            )
            .await?;
        let prints = client
            .prepare_typed(
                "SELECT id, words, shingles, day FROM documents
                 WHERE id = ANY($1) AND NOT path = ANY($2)",
                &[Type::INT8_ARRAY, Type::TEXT_ARRAY],
            )
            .await?;
        let texts = client
            .prepare_typed(
                "SELECT path, body FROM documents WHERE id = ANY($1)",
                &[Type::INT8_ARRAY],
            )
            .await?;
        let folder_members = client
            .prepare_typed(
                "SELECT path, body FROM documents
                 WHERE (CASE WHEN path ~ '[/\\\\]'
                        THEN regexp_replace(path, '[/\\\\][^/\\\\]*$', '') ELSE '' END) = ANY($1)
                   AND NOT path = ANY($2)
                 ORDER BY path",
                &[Type::TEXT_ARRAY, Type::TEXT_ARRAY],
            )
            .await?;
        Ok(Lookups {
            rare_words,
            candidate_ids,
            prints,
            texts,
            folder_members,
        })
    }
}

/// The bound on one lookup of `check --db` ([`Database::connect_for_lookups`]).
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(30);

/// What `verbatim index` needs of a stored document to tell whether its file changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// SHA-256 of the stored text ([`record::content_hash`]).
    pub hash: Vec<u8>,
    /// The file's size and modification time when it was read, if they can be trusted.
    pub stamp: Option<FileStamp>,
}

/// A stored document as a lookup returns it.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    pub path: String,
    pub body: String,
}

/// What [`Database::candidates`] starts from: one checked document's print, as the engine
/// computes it ([`crate::corpus::story::Print`]).
#[derive(Debug, Clone, Default)]
pub struct Probe {
    pub words: Vec<u64>,
    pub shingles: Vec<u64>,
    pub day: Option<i64>,
}

/// What one lookup asks the index: the other versions of some documents (being checked, or
/// open in an editor), under a story mode. Pure; [`Lookup::run`] asks.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    pub mode: StoryMode,
    probes: Vec<ProbeKey>,
    /// The documents' own paths, left out of the answer.
    exclude: Vec<String>,
    /// Their folders ([`crate::corpus::story::folder`]), for `stories = "folder"`.
    folders: Vec<String>,
}

/// A [`Probe`] in a form that can be compared (a lookup is not repeated for the same question).
type ProbeKey = (Vec<u64>, Vec<u64>, Option<i64>);

impl Lookup {
    /// The lookup for `docs` under `mode`: their story prints (as the engine computes them),
    /// paths and folders.
    pub fn of(docs: &[&Document], mode: StoryMode) -> Lookup {
        let probes = docs
            .iter()
            .map(|doc| {
                let print = Print::of(doc);
                (print.words, print.quotes, print.day)
            })
            .collect();
        let exclude: Vec<String> = docs.iter().map(|d| d.path.clone()).collect();
        let mut folders: Vec<String> = docs.iter().map(|d| folder(&d.path).to_string()).collect();
        folders.sort();
        folders.dedup();
        Lookup {
            mode,
            probes,
            exclude,
            folders,
        }
    }

    /// Whether the lookup is for no document at all (nothing to ask).
    pub fn is_empty(&self) -> bool {
        self.exclude.is_empty()
    }

    /// Asks `db`: the stored documents that may share a story with the lookup's documents.
    pub async fn run(&self, db: &Database) -> Result<Vec<StoredDocument>, DbError> {
        match self.mode {
            StoryMode::Auto => {
                let probes: Vec<Probe> = self
                    .probes
                    .iter()
                    .map(|(words, shingles, day)| Probe {
                        words: words.clone(),
                        shingles: shingles.clone(),
                        day: *day,
                    })
                    .collect();
                db.candidates(&probes, &self.exclude).await
            }
            StoryMode::Folder => db.folder_members(&self.folders, &self.exclude).await,
        }
    }
}

/// A stored version, parsed, and where the user is shown it.
#[derive(Debug, Clone)]
pub struct Version {
    /// The document, under its stored path (the path stories and the folder's own files are
    /// matched by).
    pub doc: Document,
    pub shown: Shown,
}

/// Where a version from the index is shown: the file on this machine that holds the same text,
/// or, when none does, a name that says it comes from the index and no file is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// The file at the stored path (an absolute one as it is, a relative one under the base the
    /// lookup was made from), which holds exactly the stored text.
    File(std::path::PathBuf),
    /// A version only the index holds (its file is elsewhere, gone, or changed since it was
    /// indexed, so that no line of it here would be the one meant): [`url::index_uri`].
    Index(String),
}

/// Stored documents parsed from their stored text (on every core), as files on disk are, each
/// with where it is shown: the file at its stored path (absolute, or relative to `base`; with
/// no `base`, only an absolute one) when that file holds the stored text, else its
/// [`url::index_uri`] in the database `url` names.
pub fn parse_stored(
    stored: &[StoredDocument],
    url: &str,
    base: Option<&std::path::Path>,
) -> Vec<Version> {
    crate::parallel::map(stored, |s| Version {
        doc: Document::parse(s.path.clone(), s.body.clone()),
        shown: match same_file(s, base) {
            Some(file) => Shown::File(file),
            None => Shown::Index(url::index_uri(url, &s.path)),
        },
    })
}

/// The file at the stored path of `stored` (see [`parse_stored`]) when it holds the stored
/// text, read as `verbatim index` reads it (invalid UTF-8 decoded with replacement characters).
fn same_file(
    stored: &StoredDocument,
    base: Option<&std::path::Path>,
) -> Option<std::path::PathBuf> {
    let path = std::path::Path::new(&stored.path);
    let file = match base {
        _ if path.is_absolute() => path.to_path_buf(),
        Some(base) => base.join(path),
        None => return None,
    };
    let meta = std::fs::metadata(&file).ok()?;
    // Decoding never shortens the text: a longer file is another text (and is not read).
    if !meta.is_file() || meta.len() > stored.body.len() as u64 {
        return None;
    }
    let bytes = std::fs::read(&file).ok()?;
    (String::from_utf8_lossy(&bytes) == stored.body.as_str()).then_some(file)
}

/// One row's values for [`copy_in`].
type Row<'a> = Vec<&'a (dyn ToSql + Sync)>;

/// Loads `rows` with a binary `COPY … FROM STDIN BINARY` statement whose columns have `types`.
async fn copy_in<'a>(
    tx: &Transaction<'_>,
    statement: &str,
    types: &[Type],
    rows: impl Iterator<Item = Row<'a>>,
) -> Result<(), tokio_postgres::Error> {
    let sink = tx.copy_in(statement).await?;
    let writer = BinaryCopyInWriter::new(sink, types);
    let mut writer = std::pin::pin!(writer);
    for row in rows {
        writer.as_mut().write(&row).await?;
    }
    writer.finish().await?;
    Ok(())
}

/// Connects with `config` through `tls` and runs the connection on a task of its own; the
/// client. Errors name the database as `shown`.
async fn start<T>(config: &tokio_postgres::Config, tls: T, shown: &str) -> Result<Client, DbError>
where
    T: MakeTlsConnect<Socket>,
    T::Stream: Send + 'static,
    T::TlsConnect: Send,
    <T::TlsConnect as TlsConnect<Socket>>::Future: Send,
{
    connect(config, tls, shown)
        .await
        .map_err(|e| unreachable(shown, &e))
}

/// [`start`], the driver's error as it is.
async fn connect<T>(
    config: &tokio_postgres::Config,
    tls: T,
    shown: &str,
) -> Result<Client, tokio_postgres::Error>
where
    T: MakeTlsConnect<Socket>,
    T::Stream: Send + 'static,
    T::TlsConnect: Send,
    <T::TlsConnect as TlsConnect<Socket>>::Future: Send,
{
    let (client, connection) = config.connect(tls).await?;
    let for_log = shown.to_string();
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::error!("database {for_log}: {}", reason(&e));
        }
    });
    Ok(client)
}

fn unreachable(shown: &str, e: &tokio_postgres::Error) -> DbError {
    DbError::Unreachable {
        url: shown.to_string(),
        reason: reason(e),
    }
}

/// Whether a connection that failed with `e` reached the server and failed in its TLS session
/// (the handshake, the server refusing the client's certificate or what came over it), so that
/// `prefer` may try again without TLS; not when the server could not be reached at all or did
/// not answer in time (trying again would only wait as long once more).
fn failed_over_tls(e: &tokio_postgres::Error) -> bool {
    // The driver's kinds of error are private: they are known by their text.
    let text = e.to_string();
    ![
        "error connecting to server",
        "timeout waiting for server",
        "invalid configuration",
    ]
    .iter()
    .any(|kind| text.starts_with(kind))
}

/// Turns a driver error met while doing `what` on the database `shown` into a [`DbError`].
fn failed(shown: &str, what: &'static str) -> impl Fn(tokio_postgres::Error) -> DbError + use<> {
    let shown = shown.to_string();
    move |e| DbError::Query {
        url: shown.clone(),
        reason: format!("{what}: {}", reason(&e)),
    }
}

/// `future`, or [`DbError::Timeout`] when it takes longer than `after`.
async fn bounded<T>(
    shown: &str,
    what: &'static str,
    after: Duration,
    future: impl std::future::Future<Output = T>,
) -> Result<T, DbError> {
    tokio::time::timeout(after, future)
        .await
        .map_err(|_| DbError::Timeout {
            url: shown.to_string(),
            what,
            after,
        })
}

/// The text of a driver error: the server's own message when it sent one.
fn reason(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{}: {}", db.severity(), db.message());
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

/// Brings `word_frequencies` up to date in `tx` after documents holding `removed` (each
/// document's words once) were deleted and before `added` are loaded, and keeps
/// `document_words` holding the postings of the rare words only (document frequency at most
/// [`COMMON_WORD_LIMIT`], the only ones a lookup reads) among the stored documents: a word that
/// becomes common loses its postings, one that becomes rare again gets them back from
/// `documents.words`. Returns the new frequency of every word of `removed` and `added`.
async fn count_words(
    tx: &Transaction<'_>,
    removed: &[i64],
    added: &[DocumentRecord],
) -> Result<HashMap<i64, i32>, tokio_postgres::Error> {
    let mut change: HashMap<i64, i32> = HashMap::new();
    for &w in removed {
        *change.entry(w).or_default() -= 1;
    }
    for &w in added.iter().flat_map(|r| r.words.iter()) {
        *change.entry(w).or_default() += 1;
    }
    let (words, changes): (Vec<i64>, Vec<i32>) = change.iter().map(|(w, c)| (*w, *c)).unzip();
    let now: HashMap<i64, i32> = tx
        .query(
            "INSERT INTO word_frequencies AS f (word, documents)
             SELECT * FROM unnest($1::bigint[], $2::int[])
             ON CONFLICT (word) DO UPDATE SET documents = f.documents + excluded.documents
             RETURNING word, documents",
            &[&words, &changes],
        )
        .await?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    let limit = i32::try_from(COMMON_WORD_LIMIT).unwrap_or(i32::MAX);
    let (mut gone, mut common, mut rare) = (Vec::new(), Vec::new(), Vec::new());
    for (&word, &after) in &now {
        let before = after - change.get(&word).copied().unwrap_or(0);
        if after <= 0 {
            gone.push(word);
        }
        if before > 0 && before <= limit && after > limit {
            common.push(word);
        } else if before > limit && after > 0 && after <= limit {
            rare.push(word);
        }
    }
    tx.execute(
        "DELETE FROM word_frequencies WHERE word = ANY($1)",
        &[&gone],
    )
    .await?;
    tx.execute(
        "DELETE FROM document_words WHERE word = ANY($1)",
        &[&common],
    )
    .await?;
    if !rare.is_empty() {
        // Only the stored documents: the new ones are loaded after this.
        tx.execute(
            "INSERT INTO document_words (word, document)
             SELECT w, d.id FROM documents d CROSS JOIN LATERAL unnest(d.words) w
             WHERE d.words && $1 AND w = ANY($1)",
            &[&rare],
        )
        .await?;
    }
    Ok(now)
}

impl Database {
    /// Connects for lookups (within `timeout`), without touching the schema (a reader's
    /// rights are enough; an index not created yet or older than this program is an error
    /// that says to run `verbatim index`), then every statement
    /// of this session is bounded by `timeout` on the server (`statement_timeout`: its clear
    /// error comes first), and each lookup by twice that here, for a server or network that
    /// does not answer at all ([`DbError::Timeout`]; the connection should then be dropped).
    pub async fn connect_for_lookups(url: &str, timeout: Duration) -> Result<Database, DbError> {
        let shown = url::redact(url);
        let mut db = bounded(
            &shown,
            "connecting",
            timeout,
            Database::open_for_reading(url),
        )
        .await??;
        let millis = timeout.as_millis();
        bounded(
            &shown,
            "setting the statement timeout",
            timeout,
            db.client
                .batch_execute(&format!("SET statement_timeout = {millis}")),
        )
        .await?
        .map_err(failed(&shown, "setting the statement timeout"))?;
        db.timeout = Some(timeout.saturating_mul(2));
        Ok(db)
    }

    /// `future` (a lookup on this connection), bounded by the connection's timeout.
    async fn timed<T>(
        &self,
        what: &'static str,
        future: impl std::future::Future<Output = Result<T, DbError>>,
    ) -> Result<T, DbError> {
        match self.timeout {
            Some(after) => bounded(&self.shown, what, after, future).await?,
            None => future.await,
        }
    }

    /// Connects (a URL `postgresql://user@host:port/db` or key–value `host=… dbname=…`) and
    /// brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Database, DbError> {
        let mut db = Database::open(url).await?;
        let applied = schema::migrate(&mut db.client)
            .await
            .map_err(failed(&db.shown, "applying the schema migrations"))?;
        if applied > 0 {
            tracing::info!(
                "database {}: {applied} schema migration(s) applied",
                db.shown
            );
        }
        Ok(db)
    }

    /// Connects without touching the schema: the connection of a lookup, which may belong to
    /// a user allowed to read only. The schema must be there already (`verbatim index` creates
    /// it), at least as new as this program's.
    async fn open_for_reading(url: &str) -> Result<Database, DbError> {
        let db = Database::open(url).await?;
        let version = db
            .client
            .query_one("SELECT max(version) FROM schema_migrations", &[])
            .await
            .map(|row| row.get::<_, Option<i32>>(0).unwrap_or(0));
        let missing = |e: &tokio_postgres::Error| {
            e.code() == Some(&tokio_postgres::error::SqlState::UNDEFINED_TABLE)
        };
        let version = match version {
            Ok(version) => version,
            Err(e) if missing(&e) => 0,
            Err(e) => return Err(failed(&db.shown, "reading the schema version")(e)),
        };
        let needed = schema::MIGRATIONS.last().map_or(0, |m| m.0);
        if version < needed {
            return Err(DbError::Query {
                url: db.shown,
                reason: if version == 0 {
                    "no Verbatim index here yet: run `verbatim index` first".into()
                } else {
                    format!(
                        "the index's schema is version {version}, this verbatim reads version \
                         {needed}: run `verbatim index` to upgrade it"
                    )
                },
            });
        }
        Ok(db)
    }

    /// Opens a connection (with [`CONNECT_TIMEOUT`] unless the string sets one), over TLS as
    /// its `sslmode` asks ([`tls`]); the schema is left as it is.
    async fn open(url: &str) -> Result<Database, DbError> {
        let shown = url::redact(url);
        let bad = |reason: String| DbError::BadUrl {
            url: shown.clone(),
            reason,
        };
        let (rest, tls) = tls::split(url).map_err(bad)?;
        let mut config: tokio_postgres::Config = rest
            .parse()
            .map_err(|e: tokio_postgres::Error| bad(reason(&e)))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.ssl_mode(tls.mode.driver());
        let client = match tls.connector().map_err(|reason| DbError::Tls {
            url: shown.clone(),
            reason,
        })? {
            None => start(&config, NoTls, &shown).await?,
            Some(rustls) => {
                let connector = tokio_postgres_rustls::MakeRustlsConnect::new(rustls);
                match connect(&config, connector, &shown).await {
                    Ok(client) => client,
                    // libpq's `prefer`: what fails over TLS is tried once more without it.
                    Err(e) if tls.mode == tls::Mode::Prefer && failed_over_tls(&e) => {
                        let over_tls = reason(&e);
                        tracing::debug!(
                            "database {shown}: over TLS: {over_tls}; trying without TLS"
                        );
                        let mut plain = config.clone();
                        plain.ssl_mode(tokio_postgres::config::SslMode::Disable);
                        connect(&plain, NoTls, &shown)
                            .await
                            .map_err(|e| DbError::Unreachable {
                                url: shown.clone(),
                                reason: format!("{} (and over TLS: {over_tls})", reason(&e)),
                            })?
                    }
                    Err(e) => return Err(unreachable(&shown, &e)),
                }
            }
        };
        Ok(Database {
            client,
            shown,
            timeout: None,
            lookups: OnceCell::new(),
        })
    }

    /// The lookups' statements, prepared by the first lookup of this connection.
    async fn lookups(&self) -> Result<&Lookups, tokio_postgres::Error> {
        self.lookups
            .get_or_try_init(|| Lookups::prepare(&self.client))
            .await
    }

    /// Every stored document's path, content hash and file stamp.
    pub async fn stored_files(&self) -> Result<HashMap<String, StoredFile>, DbError> {
        let rows = self
            .client
            .query(
                "SELECT d.path, d.hash, f.size, f.mtime_ns
                 FROM documents d LEFT JOIN document_files f USING (path)",
                &[],
            )
            .await
            .map_err(failed(&self.shown, "reading the stored hashes"))?;
        Ok(rows
            .iter()
            .map(|r| {
                let stamp = match (r.get(2), r.get(3)) {
                    (Some(size), Some(mtime_ns)) => Some(FileStamp { size, mtime_ns }),
                    _ => None,
                };
                let file = StoredFile {
                    hash: r.get(1),
                    stamp,
                };
                (r.get(0), file)
            })
            .collect())
    }

    /// In one transaction: deletes the documents at `removed` and at the paths of `records`
    /// (with their quotes and postings), then loads `records` (documents, quotes, rare content
    /// words: see `count_words`) with binary `COPY`, and sets the file stamps of the unchanged
    /// documents in `stamps`; into an empty index, the indexes are built and the foreign key
    /// checked after it (`DROP_LOAD_INDEXES`). On any error nothing changes. The planner's
    /// statistics are refreshed after a change that is large against the index
    /// ([`analyze_after`]).
    pub async fn store(
        &mut self,
        records: &[DocumentRecord],
        removed: &[String],
        stamps: &[(String, Option<FileStamp>)],
    ) -> Result<(), DbError> {
        let shown = self.shown.clone();
        let failed = |what| failed(&shown, what);
        let started = std::time::Instant::now();
        let step = |what: &str| tracing::debug!("store: {what} after {:?}", started.elapsed());
        let tx = self
            .client
            .transaction()
            .await
            .map_err(failed("starting a transaction"))?;
        // How many documents the planner believes the index holds (as the last `ANALYZE`,
        // `VACUUM` or index build counted them; none before any): whether the change is large
        // against what its statistics describe. Counting the rows would read the whole table.
        let believed: f64 = tx
            .query_one(
                "SELECT greatest(reltuples, 0)::float8 FROM pg_class \
                 WHERE oid = 'documents'::regclass",
                &[],
            )
            .await
            .map_err(failed("reading the table's statistics"))?
            .get(0);
        let mut gone: Vec<&str> = removed.iter().map(String::as_str).collect();
        gone.extend(records.iter().map(|r| r.path.as_str()));
        // The deleted documents' content words (each document's once): their frequencies drop.
        let deleted = tx
            .query(
                "DELETE FROM documents WHERE path = ANY($1) RETURNING id, words",
                &[&gone],
            )
            .await
            .map_err(failed("deleting old rows"))?;
        // Their postings: no foreign key deletes them (migration 5).
        let ids: Vec<i64> = deleted.iter().map(|row| row.get(0)).collect();
        tx.execute(
            "DELETE FROM document_words WHERE document = ANY($1)",
            &[&ids],
        )
        .await
        .map_err(failed("deleting old postings"))?;
        let touched: Vec<i64> = deleted
            .iter()
            .flat_map(|row| row.get::<_, Vec<i64>>(1))
            .collect();
        let frequencies = count_words(&tx, &touched, records)
            .await
            .map_err(failed("counting content words"))?;
        let limit = i32::try_from(COMMON_WORD_LIMIT).unwrap_or(i32::MAX);
        step("word frequencies counted");
        // A first load into an empty index: the indexes of the loaded rows are built after the
        // `COPY`, by a sort, rather than maintained row by row.
        let first_load: bool = tx
            .query_one("SELECT NOT EXISTS (SELECT 1 FROM documents)", &[])
            .await
            .map_err(failed("counting stored documents"))?
            .get(0);
        let first_load = first_load && !records.is_empty();
        if first_load {
            tx.batch_execute(DROP_LOAD_INDEXES)
                .await
                .map_err(failed("dropping the indexes before a first load"))?;
        }
        let count = i64::try_from(records.len()).unwrap_or(i64::MAX);
        let ids: Vec<i64> = tx
            .query(
                "SELECT nextval('documents_id_seq') FROM generate_series(1, $1::bigint)",
                &[&count],
            )
            .await
            .map_err(failed("allocating document ids"))?
            .iter()
            .map(|r| r.get(0))
            .collect();

        let documents = ids.iter().zip(records).map(|(id, r)| -> Row<'_> {
            vec![
                id,
                &r.path,
                &r.hash,
                &r.source,
                &r.date,
                &r.day,
                &r.body,
                &r.words,
                &r.shingles,
                &r.speakers,
            ]
        });
        copy_in(
            &tx,
            "COPY documents (id, path, hash, source, date, day, body, words, shingles, speakers) \
             FROM STDIN BINARY",
            &[
                Type::INT8,
                Type::TEXT,
                Type::BYTEA,
                Type::TEXT,
                Type::TEXT,
                Type::INT4,
                Type::TEXT,
                Type::INT8_ARRAY,
                Type::INT8_ARRAY,
                Type::INT8_ARRAY,
            ],
            documents,
        )
        .await
        .map_err(failed("loading documents"))?;
        step("documents loaded");
        let quotes = ids.iter().zip(records).flat_map(|(id, r)| {
            r.quotes.iter().map(move |q| -> Row<'_> {
                vec![
                    id, &q.ordinal, &q.start, &q.end, &q.kind, &q.speaker, &q.text, &q.words,
                ]
            })
        });
        copy_in(
            &tx,
            "COPY quotes (document, ordinal, start_byte, end_byte, kind, speaker, text, words) \
             FROM STDIN BINARY",
            &[
                Type::INT8,
                Type::INT4,
                Type::INT4,
                Type::INT4,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT,
                Type::TEXT_ARRAY,
            ],
            quotes,
        )
        .await
        .map_err(failed("loading quotes"))?;
        step("quotes loaded");
        let words = ids.iter().zip(records).flat_map(|(id, r)| {
            r.words
                .iter()
                .filter(|w| frequencies.get(w).is_some_and(|&n| n <= limit))
                .map(move |w| -> Row<'_> { vec![w, id] })
        });
        copy_in(
            &tx,
            "COPY document_words (word, document) FROM STDIN BINARY",
            &[Type::INT8, Type::INT8],
            words,
        )
        .await
        .map_err(failed("loading content words"))?;
        step("rare content words loaded");
        if first_load {
            tx.batch_execute(CREATE_LOAD_INDEXES)
                .await
                .map_err(failed("building the indexes after a first load"))?;
            step("indexes built");
        }
        // The files' stamps: those of the documents deleted and of the files read and found
        // unchanged replaced by the new ones, if they can be trusted.
        gone.extend(stamps.iter().map(|(path, _)| path.as_str()));
        tx.execute("DELETE FROM document_files WHERE path = ANY($1)", &[&gone])
            .await
            .map_err(failed("deleting old file stamps"))?;
        let loaded = records.iter().map(|r| (&r.path, &r.stamp));
        let files = loaded
            .chain(stamps.iter().map(|(path, stamp)| (path, stamp)))
            .filter_map(|(path, stamp)| {
                let stamp = stamp.as_ref()?;
                Some(vec![
                    path as &(dyn ToSql + Sync),
                    &stamp.size,
                    &stamp.mtime_ns,
                ])
            });
        copy_in(
            &tx,
            "COPY document_files (path, size, mtime_ns) FROM STDIN BINARY",
            &[Type::TEXT, Type::INT8, Type::INT8],
            files,
        )
        .await
        .map_err(failed("loading file stamps"))?;
        step("file stamps loaded");
        tx.commit()
            .await
            .map_err(failed("committing the transaction"))?;
        step("committed");
        // After a bulk load the planner's statistics are stale until autovacuum comes by: a
        // lookup planned on them scans whole tables. A smaller change is left to autovacuum.
        if analyze_after(records.len() + removed.len(), believed, first_load) {
            self.client
                .batch_execute("ANALYZE documents, document_words, word_frequencies")
                .await
                .map_err(failed("analyzing the tables"))?;
            step("analyzed");
        }
        Ok(())
    }

    /// The stored documents that may share a story with `probes` (documents being checked),
    /// `exclude` (their paths) left out: those quoting the same words (a shared quote
    /// shingle) or sharing [`MIN_SHARED_DISTINCTIVE`] rare content words (held by at most
    /// [`COMMON_WORD_LIMIT`] documents), not more than [`MAX_DAYS_APART`] days apart when both
    /// have a date; then their own candidates, for [`CANDIDATE_ROUNDS`] rounds (a story is a
    /// connected component). In path order.
    pub async fn candidates(
        &self,
        probes: &[Probe],
        exclude: &[String],
    ) -> Result<Vec<StoredDocument>, DbError> {
        self.timed(
            "looking up candidate versions",
            self.candidates_unbounded(probes, exclude),
        )
        .await
    }

    async fn candidates_unbounded(
        &self,
        probes: &[Probe],
        exclude: &[String],
    ) -> Result<Vec<StoredDocument>, DbError> {
        let failed = failed(&self.shown, "looking up candidate versions");
        let limit = i64::try_from(COMMON_WORD_LIMIT).unwrap_or(i64::MAX);
        let shared = i64::try_from(MIN_SHARED_DISTINCTIVE).unwrap_or(i64::MAX);
        let statements = self.lookups().await.map_err(&failed)?;
        // Each round is three statements whatever the frontier's size, each reading postings
        // and index entries of the frontier's words and shingles only: the candidates' ids
        // first, then their prints by primary key (joining the ids to `documents` in one
        // statement was planned, on the poor estimate above, as a scan of every document).
        // The texts are read once, at the end.
        let mut seen: BTreeSet<i64> = BTreeSet::new();
        let mut frontier: Vec<Probe> = probes.to_vec();
        for _ in 0..CANDIDATE_ROUNDS {
            if frontier.is_empty() || seen.len() >= MAX_CANDIDATES {
                break;
            }
            // The frontier's rare words: one primary-key probe per word.
            let mut words: Vec<i64> = frontier
                .iter()
                .flat_map(|p| p.words.iter().map(|&w| record::as_bigint(w)))
                .collect();
            words.sort_unstable();
            words.dedup();
            let rare: BTreeSet<i64> = self
                .client
                .query(&statements.rare_words, &[&words, &limit])
                .await
                .map_err(&failed)?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let rare_of = |p: &Probe| -> Vec<i64> {
                p.words
                    .iter()
                    .map(|&w| record::as_bigint(w))
                    .filter(|w| rare.contains(w))
                    .collect()
            };
            let (mut which, mut rare_words): (Vec<i32>, Vec<i64>) = (Vec::new(), Vec::new());
            for (i, probe) in frontier.iter().enumerate() {
                let i = i32::try_from(i).unwrap_or(i32::MAX);
                for w in rare_of(probe) {
                    which.push(i);
                    rare_words.push(w);
                }
            }
            let mut shingles: Vec<i64> = frontier
                .iter()
                .flat_map(|p| p.shingles.iter().map(|&s| record::as_bigint(s)))
                .collect();
            shingles.sort_unstable();
            shingles.dedup();
            let ids: Vec<i64> = self
                .client
                .query(
                    &statements.candidate_ids,
                    &[&which, &rare_words, &shared, &shingles],
                )
                .await
                .map_err(&failed)?
                .iter()
                .map(|r| r.get(0))
                .filter(|id| !seen.contains(id))
                .collect();
            let rows = self
                .client
                .query(&statements.prints, &[&ids, &exclude])
                .await
                .map_err(&failed)?;
            // Which candidate came through which frontier document, within the date window:
            // a candidate shares two rare words or a quote shingle with one of them, not more
            // than MAX_DAYS_APART days away.
            let keys: Vec<(Vec<i64>, BTreeSet<i64>, Option<i64>)> = frontier
                .iter()
                .map(|p| {
                    let shingles = p.shingles.iter().map(|&s| record::as_bigint(s)).collect();
                    (rare_of(p), shingles, p.day)
                })
                .collect();
            let mut next = Vec::new();
            for row in rows {
                let id: i64 = row.get(0);
                let words: Vec<i64> = row.get(1);
                let shingles: Vec<i64> = row.get(2);
                let day: Option<i64> = row.get::<_, Option<i32>>(3).map(i64::from);
                let close = |other: Option<i64>| match (day, other) {
                    (Some(a), Some(b)) => (a - b).abs() <= MAX_DAYS_APART,
                    _ => true,
                };
                let held: BTreeSet<i64> = words.iter().copied().collect();
                let found = keys.iter().any(|(rare, quoted, at)| {
                    close(*at)
                        && (rare.iter().filter(|w| held.contains(w)).count()
                            >= MIN_SHARED_DISTINCTIVE
                            || shingles.iter().any(|s| quoted.contains(s)))
                });
                if found && seen.insert(id) {
                    next.push(Probe {
                        words: words.into_iter().map(record::as_hash).collect(),
                        shingles: shingles.into_iter().map(record::as_hash).collect(),
                        day,
                    });
                }
            }
            frontier = next;
        }
        let ids: Vec<i64> = seen.into_iter().collect();
        let rows = self
            .client
            .query(&statements.texts, &[&ids])
            .await
            .map_err(&failed)?;
        let mut found: Vec<StoredDocument> = rows
            .iter()
            .map(|r| StoredDocument {
                path: r.get(0),
                body: r.get(1),
            })
            .collect();
        // In path order as Rust compares strings, whatever the database's collation.
        found.sort_by(|a, b| a.path.cmp(&b.path));
        found.truncate(MAX_CANDIDATES);
        Ok(found)
    }

    /// The stored documents in one of `folders` (as [`crate::corpus::story::folder`] names
    /// them), `exclude` left out: a story with `stories = "folder"`. In path order.
    pub async fn folder_members(
        &self,
        folders: &[String],
        exclude: &[String],
    ) -> Result<Vec<StoredDocument>, DbError> {
        let what = "looking up the folders' versions";
        let rows = self
            .timed(what, async {
                let statements = self.lookups().await.map_err(failed(&self.shown, what))?;
                self.client
                    .query(&statements.folder_members, &[&folders, &exclude])
                    .await
                    .map_err(failed(&self.shown, what))
            })
            .await?;
        Ok(rows
            .iter()
            .map(|r| StoredDocument {
                path: r.get(0),
                body: r.get(1),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_change_large_against_the_index_analyzes_it() {
        // A first load, or a fifth of the index, and never fewer than ANALYZE_AFTER documents.
        assert!(analyze_after(ANALYZE_AFTER, 0.0, true));
        assert!(!analyze_after(ANALYZE_AFTER - 1, 0.0, true));
        assert!(analyze_after(20_000, 100_000.0, false));
        assert!(!analyze_after(10_000, 100_000.0, false));
        assert!(analyze_after(10_000, 100_000.0, true));
        assert!(!analyze_after(999, 1_000.0, false));
    }

    #[tokio::test]
    async fn a_lookup_without_an_answer_in_time_is_a_timeout_naming_the_server_without_its_password()
     {
        let never = std::future::pending::<()>();
        let shown = url::redact("postgresql://ed:hunter2@db/news");
        let err = bounded(&shown, "looking up", Duration::from_millis(1), never)
            .await
            .unwrap_err();
        assert!(matches!(err, DbError::Timeout { .. }));
        let message = err.to_string();
        assert!(message.contains("postgresql://ed:***@db/news"), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
    }
}

//! Schema migrations: the SQL files of `migrations/` (compiled in), applied in order, each in
//! the transaction that records it in `schema_migrations`. An advisory lock keeps two indexers
//! that start together from applying the same migration twice.

use tokio_postgres::Client;

/// `(version, name, sql)` of every migration, in order. A migration once released is never
/// edited: a change to the schema is a new file here.
pub const MIGRATIONS: &[(i32, &str, &str)] = &[
    (
        1,
        "documents_quotes_prints",
        include_str!("../../migrations/0001_documents_quotes_prints.sql"),
    ),
    (
        2,
        "word_frequencies",
        include_str!("../../migrations/0002_word_frequencies.sql"),
    ),
    (
        3,
        "rare_document_words",
        include_str!("../../migrations/0003_rare_document_words.sql"),
    ),
    (
        4,
        "file_stamps",
        include_str!("../../migrations/0004_file_stamps.sql"),
    ),
    (
        5,
        "document_words_without_foreign_key",
        include_str!("../../migrations/0005_document_words_without_foreign_key.sql"),
    ),
];

/// An arbitrary key for `pg_advisory_xact_lock`, the same in every Verbatim.
const LOCK_KEY: i64 = 0x7665_7262_6174_696d; // "verbatim"

/// Applies the migrations the database lacks; returns how many were applied.
pub async fn migrate(client: &mut Client) -> Result<usize, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    integer PRIMARY KEY,
             name       text NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now()
         )",
    )
    .await?;
    let applied: Vec<i32> = tx
        .query("SELECT version FROM schema_migrations", &[])
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let mut count = 0;
    for (version, name, sql) in MIGRATIONS {
        if applied.contains(version) {
            continue;
        }
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            &[version, name],
        )
        .await?;
        count += 1;
    }
    tx.commit().await?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_rare_words_migration_uses_the_common_word_limit() {
        let limit = crate::corpus::story::COMMON_WORD_LIMIT;
        let sql = super::MIGRATIONS[2].2;
        assert!(sql.contains(&format!("f.documents > {limit};")), "{sql}");
    }

    #[test]
    fn migrations_are_numbered_in_order_and_named_as_their_files() {
        for (i, (version, name, sql)) in super::MIGRATIONS.iter().enumerate() {
            assert_eq!(*version as usize, i + 1);
            let file = format!("migrations/{version:04}_{name}.sql");
            let on_disk = std::fs::read_to_string(
                concat!(env!("CARGO_MANIFEST_DIR"), "/").to_string() + &file,
            )
            .expect("the migration's file");
            assert_eq!(&on_disk, sql, "{file}");
        }
    }
}

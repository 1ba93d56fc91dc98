-- The file each document was read from, as `stat` saw it just before `verbatim index` read it:
-- its size in bytes and its modification time in nanoseconds since 1970-01-01 UTC. A later run
-- takes a file whose size and modification time are both the stored ones as unchanged without
-- reading it (as git's index does). No row, for documents stored before this migration and for
-- a file modified too close to the run that read it to be sure of ("racy": it could change
-- again within the same clock tick), means the file is read and its hash compared, as before.
-- A table of its own, narrow: a run stamps every file it read and found unchanged, and
-- updating the wide rows of documents (a new version of each, with its GIN entries) took 5.4 s
-- for 65,000 of them. Kept by `verbatim index` (src/db/mod.rs, `Database::store`), no foreign
-- key: a row goes with the document of its path.
CREATE TABLE document_files (
    path     text PRIMARY KEY,
    size     bigint NOT NULL,
    mtime_ns bigint NOT NULL
);

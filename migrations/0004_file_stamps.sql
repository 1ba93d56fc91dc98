-- The file each document was read from, as `stat` saw it just before `verbatim index` read it:
-- its size in bytes and its modification time in nanoseconds since 1970-01-01 UTC. A later run
-- takes a file whose size and modification time are both the stored ones as unchanged without
-- reading it (as git's index does). NULL, in rows stored before this migration and for a file
-- modified too close to the run that read it to be sure of ("racy": it could change again
-- within the same clock tick), means the file is read and its hash compared, as before.
ALTER TABLE documents ADD COLUMN file_size bigint, ADD COLUMN file_mtime_ns bigint;

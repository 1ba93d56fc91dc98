-- The shared quote index, first version: one row per article, its quotes, and the inverted
-- index of its story print's content words. Applied by `verbatim index` and `verbatim check
-- --db` (src/db/schema.rs), recorded in schema_migrations. Never edit an applied migration:
-- add the next file.

CREATE SEQUENCE documents_id_seq;

CREATE TABLE documents (
    id       bigint PRIMARY KEY DEFAULT nextval('documents_id_seq'),
    -- The document's path as `verbatim index` was given it (relative paths stay relative).
    path     text NOT NULL UNIQUE,
    -- SHA-256 of the text as read (after the bad-input policy): unchanged files are skipped.
    hash     bytea NOT NULL,
    source   text,
    -- The date as the article gives it, and its day number (days since 1970-01-01) when it
    -- parses: stories never link documents more than three days apart.
    date     text,
    day      integer,
    -- The whole text, so an editor's machine collates the other versions without their files.
    body     text NOT NULL,
    -- The story print (src/corpus/story.rs): content-word hashes, quote shingles, speakers'
    -- family-name hashes; 64-bit FNV-1a values stored as bigint.
    words    bigint[] NOT NULL,
    shingles bigint[] NOT NULL,
    speakers bigint[] NOT NULL
);
ALTER SEQUENCE documents_id_seq OWNED BY documents.id;
CREATE INDEX documents_shingles ON documents USING gin (shingles);

CREATE TABLE quotes (
    document   bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal    integer NOT NULL,
    -- Byte offsets of the words between the marks in documents.body.
    start_byte integer NOT NULL,
    end_byte   integer NOT NULL,
    kind       text NOT NULL,
    speaker    text,
    text       text NOT NULL,
    -- The quote's words in the comparison form (case, quote style and accents folded).
    words      text[] NOT NULL,
    PRIMARY KEY (document, ordinal)
);

-- Which documents hold a content word: document frequencies, and the candidates that share a
-- document's rare words.
CREATE TABLE document_words (
    word     bigint NOT NULL,
    document bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (word, document)
);
CREATE INDEX document_words_document ON document_words (document);

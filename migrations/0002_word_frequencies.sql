-- Document frequencies of content words, kept by `verbatim index` in the transaction that
-- changes document_words: the candidate lookup of `check --db` picks a document's rare words
-- with one primary-key probe per word instead of counting postings (which, for a word in every
-- other article, means reading tens of thousands of rows per lookup).

CREATE TABLE word_frequencies (
    word      bigint PRIMARY KEY,
    documents integer NOT NULL
);

INSERT INTO word_frequencies (word, documents)
SELECT word, count(*) FROM document_words GROUP BY word;

-- Quote shingles are searched right after a bulk load: no pending list to scan on every search.
ALTER INDEX documents_shingles SET (fastupdate = off);

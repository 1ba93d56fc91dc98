-- document_words keeps the postings of rare content words only: those in at most 64 documents
-- (COMMON_WORD_LIMIT in src/corpus/story.rs), the only ones the candidate lookup reads. The
-- common ones were most of the table's rows and most of the time of a bulk load; their counts
-- stay in word_frequencies, and `verbatim index` adds a word's postings back from
-- documents.words when deletions make it rare again.
DELETE FROM document_words dw
USING word_frequencies f
WHERE f.word = dw.word AND f.documents > 64;

-- No foreign key from document_words to documents: its trigger, fired once per row, was half
-- of the time of loading a batch's postings into a non-empty index. `verbatim index` deletes a
-- document's postings itself, in the transaction that deletes the document (src/db/mod.rs,
-- `Database::store`), and is the only writer. quotes keeps its key (a cheaper load).
ALTER TABLE document_words DROP CONSTRAINT document_words_document_fkey;

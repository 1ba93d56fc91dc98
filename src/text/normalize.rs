//! Normalisation for comparing quotes: case, curly/straight marks, dashes, NFKC, contractions,
//! punctuation. The user always sees the original text; only comparisons use this form.

//! The one place where byte offsets become line/column positions and back, in UTF-8 or UTF-16
//! code units (the LSP position encodings). Every other module speaks byte offsets.

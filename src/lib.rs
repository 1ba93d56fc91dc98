//! Verbatim finds every direct quotation in several versions of a news story, lines up the same
//! utterance across the versions, and reports where a version's wording or attribution differs.
//!
//! The engine (`document`, `extract`, `corpus`, `collate`, `findings`, `text`) is pure Rust on
//! owned data, and its session (`host::AnalysisHost`: changes in, snapshots out) belongs to it;
//! `cli` and `lsp` are thin views over it. See ARCHITECTURE.md.

pub mod cli;
pub mod collate;
pub mod config;
pub mod corpus;
pub mod db;
pub mod document;
pub mod extract;
pub mod findings;
pub mod host;
pub mod lsp;
pub mod memory;
pub mod parallel;
pub mod text;
pub mod workspace;

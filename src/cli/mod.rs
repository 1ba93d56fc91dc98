//! The command line: `verbatim check` and its renderers. A thin view over the engine.

/// Runs the command line with the process arguments; returns the exit code.
pub fn main() -> i32 {
    0
}

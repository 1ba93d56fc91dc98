//! Text utilities shared by every layer: position conversion and line breaks, comparison
//! normalisation, and what a terminal may be shown.

pub mod line_index;
pub mod normalize;
pub mod terminal;

//! Text utilities shared by every layer: position conversion and comparison normalisation.

pub mod line_index;
pub mod normalize;

//! Proper names in a document: people and organisations, their fullest forms ("Trump" ->
//! "Donald Trump"), and the titles the document gives them ("Iran's foreign minister" ->
//! "Abbas Araghchi").

use crate::document::NameMention;

/// The names of one document.
#[derive(Debug, Clone, Default)]
pub struct NameTable {
    mentions: Vec<NameMention>,
}

impl NameTable {
    pub fn build(_text: &str, _body_start: usize) -> NameTable {
        NameTable::default()
    }

    /// Every name mention, in text order.
    pub fn mentions(&self) -> Vec<NameMention> {
        self.mentions.clone()
    }
}

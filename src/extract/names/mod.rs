//! Proper names in a document: people and organisations, their fullest forms ("Trump" ->
//! "Donald Trump"), the titles the document gives them ("Iranian Foreign Minister Abbas
//! Araghchi"), the roles that stand for them ("the US president"), their gender as the text
//! shows it, what each pronoun refers to, and the subject of each sentence.
//!
//! [`NameTable::build`] runs the passes in order, each in a file of its own and each linear in
//! the document's length:
//! 1. [`sequences`]: headline paragraphs (no names are collected from them);
//! 2. [`sequences`]: runs of capitalised words that may be names;
//! 3. [`candidates`]: each run read as an organisation, a person with titles, or a thing;
//! 4. [`entities`]: each candidate a mention of an entity under its fullest form, with the
//!    titles and roles written with it;
//! 5. [`entities`]: entities only ever named inside quotes set aside;
//! 6. [`roles`]: role descriptions ("the mayor") bound to the person given that role;
//!    [`traits`]: descriptions by age, nationality, party or place ("the 52-year-old
//!    Norwegian", "the Wisconsin Republican") bound to the person the text gave those traits;
//! 7. [`references`]: sentence subjects, gender, pronoun referents.
//!
//! Reads the tokens of [`super::words`]; knows nothing of quotes' speakers (that is
//! [`super::attribution`]).

mod candidates;
mod entities;
mod references;
mod roles;
mod sequences;
mod traits;

pub(crate) use references::{is_age_word, preceded_by_preposition};
pub(crate) use roles::is_role_noun;

use super::words::Words;
use crate::document::{NameKind, NameMention, Span};
use roles::Role;
use traits::Traits;

/// A person, organisation or place the document names, under its fullest form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// The fullest form in the document, whitespace normalised.
    pub name: String,
    pub kind: NameKind,
    /// `Some(true)` male, `Some(false)` female, when the text shows it.
    pub gender: Option<bool>,
    /// The gender comes from the person ("Mr.", "spokeswoman"), not from a pronoun.
    gender_from_title: bool,
    /// Titles given to this entity, as written ("Iranian Foreign Minister").
    pub titles: Vec<String>,
    roles: Vec<Role>,
    /// Age, nationality, party and home place, when the text gives them next to the name.
    traits: Traits,
}

/// One occurrence of a name in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The name proper, without a leading title.
    pub span: Span,
    /// The title written before the name ("President"), if any.
    pub title: Option<Span>,
    /// First token (title included) and last token (inclusive) of the mention.
    pub first_tok: usize,
    pub last_tok: usize,
    pub entity: usize,
    pub quoted: bool,
    /// The name carries a possessive ("Netanyahu’s").
    pub possessive: bool,
    /// A lower-case role written right before the name ("ferry operator").
    pub described_as: Option<Span>,
}

/// What a sentence's subject is and how it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    pub entity: usize,
    pub first_tok: usize,
    pub last_tok: usize,
    pub via: Via,
}

/// How a reference in the text reaches its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Name,
    Pronoun,
    Title,
}

/// The names of one document.
#[derive(Debug, Clone, Default)]
pub struct NameTable {
    pub entities: Vec<Entity>,
    pub mentions: Vec<Mention>,
    /// Per token: the mention it belongs to.
    by_token: Vec<Option<usize>>,
    /// Pronoun token -> entity.
    pronouns: Vec<Option<usize>>,
    /// Role description: head token -> (first token, entity).
    roles: Vec<Option<(usize, usize)>>,
    /// Per sentence: its subject, when it names or refers to an entity.
    subjects: Vec<Option<Subject>>,
    /// Per paragraph: it reads as a headline, byline or navigation (mostly capitalised words).
    pub headline: Vec<bool>,
}

impl NameTable {
    /// Finds the names in the tokenised document.
    pub fn build(words: &Words) -> NameTable {
        let mut table = NameTable {
            by_token: vec![None; words.tokens.len()],
            pronouns: vec![None; words.tokens.len()],
            roles: vec![None; words.tokens.len()],
            subjects: vec![None; words.sentences.len()],
            ..NameTable::default()
        };
        let headline = sequences::headline_paragraphs(words);
        let seqs = sequences::capitalised_sequences(words, &headline);
        let candidates = candidates::candidates(words, seqs);
        table.add_mentions(words, candidates);
        table.find_roles(words, &headline);
        table.find_descriptions(words, &headline);
        table.resolve_references(words);
        table.headline = headline;
        table
    }

    /// Every name mention, in text order.
    pub fn mentions(&self) -> Vec<NameMention> {
        self.mentions
            .iter()
            .filter(|m| {
                matches!(
                    self.entities[m.entity].kind,
                    NameKind::Person | NameKind::Organisation
                )
            })
            .filter_map(|m| NameMention::new(m.span, self.entities[m.entity].kind))
            .collect()
    }

    pub fn mention_at(&self, tok: usize) -> Option<&Mention> {
        self.by_token
            .get(tok)
            .copied()
            .flatten()
            .map(|i| &self.mentions[i])
    }

    pub fn pronoun_at(&self, tok: usize) -> Option<usize> {
        self.pronouns.get(tok).copied().flatten()
    }

    /// A role description ("the US president") whose head is token `tok`: its first token and
    /// the entity it stands for.
    pub fn role_at(&self, tok: usize) -> Option<(usize, usize)> {
        self.roles.get(tok).copied().flatten()
    }

    pub fn subject(&self, sentence: usize) -> Option<Subject> {
        self.subjects.get(sentence).copied().flatten()
    }

    pub fn entity(&self, e: usize) -> &Entity {
        &self.entities[e]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::marks::paragraphs;
    use crate::extract::words::Words;

    fn table(text: &str) -> (NameTable, Vec<String>) {
        let paras = paragraphs(text, 0);
        let w = Words::new(text, &paras, &[]);
        let t = NameTable::build(&w);
        let names = t
            .mentions
            .iter()
            .map(|m| {
                format!(
                    "{}:{:?}",
                    t.entities[m.entity].name, t.entities[m.entity].kind
                )
            })
            .collect();
        (t, names)
    }

    #[test]
    fn a_nickname_in_quotes_inside_a_name_is_skipped() {
        let text = "Goalkeeper Jonah “The Wall” Okafor saved two penalties. Okafor was mobbed.";
        let paras = paragraphs(text, 0);
        let spans = crate::extract::marks::scan(text, 0);
        let w = Words::new(text, &paras, &spans);
        let t = NameTable::build(&w);
        let names: Vec<&str> = t
            .mentions
            .iter()
            .map(|m| t.entities[m.entity].name.as_str())
            .collect();
        assert_eq!(names, ["Jonah Okafor", "Jonah Okafor"]);
    }

    #[test]
    fn titles_are_stripped_and_short_forms_resolve() {
        let (t, names) = table(
            "Valdorian Foreign Minister Petra Lindqvist met President Oskar Brandt. \
             Later, Lindqvist said the talks went well, and Brandt agreed.",
        );
        assert_eq!(
            names,
            [
                "Petra Lindqvist:Person",
                "Oskar Brandt:Person",
                "Petra Lindqvist:Person",
                "Oskar Brandt:Person"
            ]
        );
        assert_eq!(t.entities[0].titles, ["Valdorian Foreign Minister"]);
    }

    #[test]
    fn organisations_keep_connectors_and_people_do_not() {
        let (_, names) = table(
            "The report was written by Ilse Marr of the Harlow Institute for Coastal Studies, \
             and the Kestrel Prime Minister’s Office (KPMO) welcomed it.",
        );
        assert_eq!(
            names,
            [
                "Ilse Marr:Person",
                "Harlow Institute for Coastal Studies:Organisation",
                "Kestrel Prime Minister’s Office:Organisation",
                "Kestrel Prime Minister’s Office:Organisation"
            ]
        );
    }

    #[test]
    fn sentence_initial_capitals_are_not_names() {
        let (_, names) =
            table("Analysts expect little. Those talks failed. Meanwhile Orla Quinn left.");
        assert_eq!(names, ["Orla Quinn:Person"]);
    }

    #[test]
    fn pronouns_follow_gender() {
        let text = "Mayor Ruth Okafor met Chief Daniel Pike. She said little. His reply was short.";
        let paras = paragraphs(text, 0);
        let w = Words::new(text, &paras, &[]);
        let t = NameTable::build(&w);
        let she = (0..w.tokens.len()).find(|&i| w.str(i) == "She").unwrap();
        let his = (0..w.tokens.len()).find(|&i| w.str(i) == "His").unwrap();
        assert_eq!(t.entities[t.pronoun_at(she).unwrap()].name, "Ruth Okafor");
        assert_eq!(t.entities[t.pronoun_at(his).unwrap()].name, "Daniel Pike");
    }

    #[test]
    fn roles_resolve_to_the_titled_person() {
        let text = "Brenish President Alma Ruiz met Corvanese President Tomas Egg. \
                    The Corvanese president later left.";
        let paras = paragraphs(text, 0);
        let w = Words::new(text, &paras, &[]);
        let t = NameTable::build(&w);
        let head = (0..w.tokens.len())
            .rfind(|&i| w.str(i) == "president")
            .unwrap();
        let (_, e) = t.role_at(head).unwrap();
        assert_eq!(t.entities[e].name, "Tomas Egg");
    }
}

//! Collation on parsed fixture stories (`tests/fixtures/collation/<pattern>/`), one per rule of
//! how quotes line up into utterances (docs/collation.md): a remark quoted twice or cut into
//! excerpts by one version, short quotes, remarks that share a phrase, reworded readings, a
//! reworded reading joined by its place in the story, readings that tie, and remarks that share
//! one word while their other words only look alike. The whole engine runs on the real files; each story's quotes and findings
//! are snapshotted, and the assertions name the behaviour the fixture is there for.

mod parsed_support;

use parsed_support::{codes_at, quote, render};
use std::sync::Arc;
use verbatim::collate::{Analysis, Status};
use verbatim::corpus::Corpus;
use verbatim::findings::Code;

fn story(name: &str) -> (Corpus, Analysis) {
    parsed_support::story("collation", name)
}

/// The utterance of the quote of `path` that starts with `start`.
fn group(c: &Corpus, a: &Analysis, path: &str, start: &str) -> Option<Arc<str>> {
    let (qi, _, _) = quote(c, a, path, start);
    a.quote_info(c.id_of(path)?, qi)?.group.clone()
}

#[test]
fn a_remark_quoted_twice_or_in_excerpts_by_one_version_is_one_utterance() {
    let (c, a) = story("repeated-remark");
    insta::assert_snapshot!(render(&c, &a));
    let remark = group(&c, &a, "repeated-remark/wire.txt", "A year of detours");
    assert!(remark.is_some());
    // The headline and the body of the Gazette quote the same words: both join.
    for start in ["A year of detours", "A year of detours is a small"] {
        let (qi, _, status) = quote(&c, &a, "repeated-remark/gazette.md", start);
        assert_eq!(status, Some(Status::Agrees));
        let id = c.id_of("repeated-remark/gazette.md").unwrap();
        assert_eq!(a.quote_info(id, qi).unwrap().group, remark);
    }
    // Radio cuts the first sentence into two excerpts: both are parts of it and agree.
    let first = group(&c, &a, "repeated-remark/wire.txt", "The bridge has carried");
    for start in ["has carried walkers", "not let it fall"] {
        assert_eq!(group(&c, &a, "repeated-remark/radio.txt", start), first);
        let (_, _, status) = quote(&c, &a, "repeated-remark/radio.txt", start);
        assert_eq!(status, Some(Status::Agrees));
    }
}

#[test]
fn short_quotes_join_their_words_when_the_speakers_can_be_one() {
    let (c, a) = story("short-quotes");
    insta::assert_snapshot!(render(&c, &a));
    // Unattributed one-word quotes in two versions are one utterance each.
    for word in ["borrow", "read", "return"] {
        let w = group(&c, &a, "short-quotes/wire.txt", word);
        assert!(w.is_some());
        assert_eq!(group(&c, &a, "short-quotes/courier.txt", word), w);
        let (_, _, status) = quote(&c, &a, "short-quotes/courier.txt", word);
        assert_eq!(status, Some(Status::Agrees));
    }
    // A plural is a near form of the words: it joins, and differs.
    assert_eq!(
        group(&c, &a, "short-quotes/courier.txt", "crimes of violence"),
        group(&c, &a, "short-quotes/wire.txt", "crime of violence")
    );
    let (_, _, status) = quote(&c, &a, "short-quotes/courier.txt", "crimes of violence");
    assert_eq!(status, Some(Status::Differs));
    // An excerpt of a quote, unattributed in the digest, joins it and agrees.
    let lind = group(&c, &a, "short-quotes/wire.txt", "relieved and grateful");
    assert_eq!(group(&c, &a, "short-quotes/digest.md", "relieved"), lind);
    assert_eq!(
        group(&c, &a, "short-quotes/courier.txt", "relieved and grateful,"),
        lind
    );
    // The museum director's "relieved and grateful" is the same phrase in another mouth.
    let courier = c.id_of("short-quotes/courier.txt").unwrap();
    let doc = c.get(courier).unwrap();
    let director_quote = doc
        .quotes
        .iter()
        .position(|q| q.speaker().is_some_and(|s| s.contains("Stenberg")))
        .expect("the director's quote");
    let director_group = a.quote_info(courier, director_quote).unwrap().group.clone();
    assert!(director_group.is_some());
    assert_ne!(director_group, lind);
}

#[test]
fn two_answers_sharing_a_phrase_stay_two_utterances() {
    let (c, a) = story("no-chain");
    insta::assert_snapshot!(render(&c, &a));
    let first = group(&c, &a, "no-chain/wire.txt", "They have been told");
    let second = group(&c, &a, "no-chain/wire.txt", "I signed for three years");
    assert!(first.is_some() && second.is_some());
    assert_ne!(first, second);
    assert_eq!(
        group(&c, &a, "no-chain/sports.txt", "They have been told"),
        first
    );
    // Radio splits the second answer around its cue: both halves join it.
    for start in ["I signed for three years", "We will not back down"] {
        assert_eq!(group(&c, &a, "no-chain/radio.txt", start), second);
    }
    // The blog splices the two answers into one quote: it is a misquote of one of them.
    let (_, _, status) = quote(&c, &a, "no-chain/blog.md", "They know that");
    assert_eq!(status, Some(Status::Differs));
}

#[test]
fn reworded_and_spun_readings_join_and_differ() {
    let (c, a) = story("reworded");
    insta::assert_snapshot!(render(&c, &a));
    let lie = group(&c, &a, "reworded/wire.txt", "These limits");
    assert!(lie.is_some());
    for path in ["reworded/rewrite.txt", "reworded/spun.txt"] {
        let start = if path.contains("spun") {
            "These caps"
        } else {
            "These quotas"
        };
        assert_eq!(group(&c, &a, path, start), lie, "{path}");
        let (qi, _, status) = quote(&c, &a, path, start);
        assert_eq!(status, Some(Status::Differs), "{path}");
        assert!(codes_at(&c, &a, path, qi).contains(&Code::QuoteDiffers));
    }
    // The spinner's "reduction" for "cut" is a difference too; the rewrite kept the words.
    let (_, _, status) = quote(&c, &a, "reworded/spun.txt", "Without a reduction");
    assert_eq!(status, Some(Status::Differs));
    let (_, _, status) = quote(&c, &a, "reworded/rewrite.txt", "Without a cut");
    assert_eq!(status, Some(Status::Agrees));
}

#[test]
fn without_a_canonical_reading_only_a_part_of_another_reading_agrees() {
    let (c, a) = story("tied-readings");
    insta::assert_snapshot!(render(&c, &a));
    let rask = group(&c, &a, "tied-readings/wire.txt", "We cannot open");
    assert_eq!(
        group(&c, &a, "tied-readings/paper.txt", "We cannot open"),
        rask
    );
    // Two wordings, each carried by three versions: the wire or the paper in full, the brief's
    // excerpt that both contain, and an excerpt only one of them contains. No reading is
    // canonical; every excerpt is a part of another version's reading and agrees, and the two
    // full wordings differ.
    for (path, start) in [
        ("tied-readings/brief.md", "we cannot open the dome"),
        ("tied-readings/digest.txt", "until the motor is replaced"),
        ("tied-readings/radio.txt", "before the motor is repaired"),
    ] {
        assert_eq!(group(&c, &a, path, start), rask, "{path}");
        let (_, _, status) = quote(&c, &a, path, start);
        assert_eq!(status, Some(Status::Agrees), "{path}");
    }
    for path in ["tied-readings/wire.txt", "tied-readings/paper.txt"] {
        let (_, _, status) = quote(&c, &a, path, "We cannot open");
        assert_eq!(status, Some(Status::Differs), "{path}");
    }
}

#[test]
fn a_reworded_quote_joins_by_its_place_between_shared_remarks() {
    let (c, a) = story("same-place");
    insta::assert_snapshot!(render(&c, &a));
    // The mayor's apology, re-translated with few of its words, stands between the two remarks
    // all versions share: it joins the wire's wording and differs.
    let apology = group(&c, &a, "same-place/wire.txt", "We owe this valley");
    assert!(apology.is_some());
    assert_eq!(
        group(
            &c,
            &a,
            "same-place/translated.txt",
            "People living in the valley"
        ),
        apology
    );
    for (path, start) in [
        ("same-place/wire.txt", "We owe this valley"),
        ("same-place/translated.txt", "People living in the valley"),
    ] {
        let (qi, _, status) = quote(&c, &a, path, start);
        assert_eq!(status, Some(Status::Differs), "{path}");
        assert!(codes_at(&c, &a, path, qi).contains(&Code::QuoteDiffers));
    }
    // In the same place: a councillor's remark on the same spillway (another speaker), and the
    // mayor's own words that share none of the apology's, stay unmatched.
    for (path, start) in [
        ("same-place/translated.txt", "The valley was never given"),
        ("same-place/radio.txt", "Nobody here will be left"),
    ] {
        let (_, _, status) = quote(&c, &a, path, start);
        assert_eq!(status, Some(Status::Unmatched), "{path}");
        assert_ne!(group(&c, &a, path, start), apology, "{path}");
    }
}

#[test]
fn quotes_sharing_one_word_stay_apart_and_a_rewording_still_differs() {
    let (c, a) = story("one-shared-word");
    insta::assert_snapshot!(render(&c, &a));
    // Three people's remarks share "ferry", two of them also words that only look alike
    // (workers / worked, generous / generally, contracts / contrary): three remarks, none
    // reported as differing from another.
    let strand = group(&c, &a, "one-shared-word/wire.txt", "The ferry workers");
    let quill = group(&c, &a, "one-shared-word/gazette.txt", "The ferry worked");
    let oyelaran = group(&c, &a, "one-shared-word/radio.txt", "Our ferry has");
    assert!(strand.is_some() && quill.is_some() && oyelaran.is_some());
    assert_ne!(strand, quill);
    assert_ne!(strand, oyelaran);
    assert_ne!(quill, oyelaran);
    for (path, start) in [
        ("one-shared-word/gazette.txt", "The ferry worked"),
        ("one-shared-word/radio.txt", "Our ferry has"),
    ] {
        let (qi, _, status) = quote(&c, &a, path, start);
        assert_eq!(status, Some(Status::Unmatched), "{path}");
        let codes = codes_at(&c, &a, path, qi);
        assert!(!codes.contains(&Code::QuoteDiffers), "{path}: {codes:?}");
        assert!(!codes.contains(&Code::SpeakerDiffers), "{path}: {codes:?}");
    }
    // Strand's own words, with one changed in the digest (in guillemets), are one remark that
    // differs; so are the harbourmaster's, reworded in one version and reworded and cut short in
    // another.
    assert_eq!(
        group(&c, &a, "one-shared-word/digest.md", "The ferry workers"),
        strand
    );
    let corrow = group(&c, &a, "one-shared-word/wire.txt", "Nobody on this island");
    assert!(corrow.is_some());
    for (path, start) in [
        ("one-shared-word/digest.md", "The ferry workers"),
        ("one-shared-word/digest.md", "Nobody here wants"),
        ("one-shared-word/gazette.txt", "Nobody on this island"),
    ] {
        let (qi, _, status) = quote(&c, &a, path, start);
        assert_eq!(status, Some(Status::Differs), "{path}: {start}");
        assert!(codes_at(&c, &a, path, qi).contains(&Code::QuoteDiffers));
    }
    for path in ["one-shared-word/digest.md", "one-shared-word/gazette.txt"] {
        let start = if path.contains("digest") {
            "Nobody here wants"
        } else {
            "Nobody on this island"
        };
        assert_eq!(group(&c, &a, path, start), corrow, "{path}");
    }
}

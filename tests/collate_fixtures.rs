//! Collation over the fixture stories (tests/fixtures/stories), with documents built by hand
//! from each article's `.quotes` sidecar so these tests do not depend on extraction. One
//! snapshot per story shows every quote's status and every finding; the assertions beside it
//! name the behaviour each fixture is there for.

mod collate_support;

use collate_support::{fixture_config, fixture_dir, hand_corpus, render};
use verbatim::collate::{Analysis, Status};
use verbatim::config::Config;
use verbatim::corpus::Corpus;
use verbatim::findings::{Code, Severity};

fn story(name: &str) -> (Corpus, Analysis) {
    let corpus = hand_corpus(&[name], fixture_config(&fixture_dir(name)));
    let analysis = Analysis::of(&corpus);
    (corpus, analysis)
}

fn status_of(corpus: &Corpus, a: &Analysis, path: &str, quote: usize) -> Option<Status> {
    a.quote_info(corpus.id_of(path)?, quote)?.status
}

fn codes(corpus: &Corpus, a: &Analysis, path: &str) -> Vec<Code> {
    corpus
        .id_of(path)
        .map(|id| a.findings(id).iter().map(|f| f.code).collect())
        .unwrap_or_default()
}

#[test]
fn seawall_paraphrase_and_excerpt() {
    let (corpus, a) = story("seawall");
    insta::assert_snapshot!(render(&corpus, &a));
    // The reworded quote differs; the excerpt agrees with the full quote it is part of.
    assert_eq!(
        status_of(&corpus, &a, "seawall/alder-gazette.txt", 0),
        Some(Status::Differs)
    );
    assert_eq!(
        status_of(&corpus, &a, "seawall/alder-gazette.txt", 1),
        Some(Status::Agrees)
    );
    assert_eq!(
        status_of(&corpus, &a, "seawall/coastline-daily.md", 1),
        Some(Status::Differs)
    );
    // The mention is never collated.
    assert_eq!(status_of(&corpus, &a, "seawall/harbor-wire.md", 5), None);
    // A short rendering with no word in common ("had to happen" / "painful but necessary")
    // joins through its place in the sentence, next to a quote the versions share.
    let g = |p: &str, q| {
        a.quote_info(corpus.id_of(p).unwrap(), q)
            .unwrap()
            .group
            .clone()
    };
    assert_eq!(
        g("seawall/alder-gazette.txt", 2),
        g("seawall/harbor-wire.md", 3)
    );
    assert_eq!(
        status_of(&corpus, &a, "seawall/alder-gazette.txt", 2),
        Some(Status::Differs)
    );
    let gazette = corpus.id_of("seawall/alder-gazette.txt").unwrap();
    let f = &a.findings(gazette)[0];
    assert_eq!(f.code, Code::QuoteDiffers);
    assert!(
        f.message.starts_with(
            "differs from 2 of 3 versions: If [we don't→the council doesn’t] fund the repairs"
        ),
        "{}",
        f.message
    );
    let fix = f
        .fixes
        .iter()
        .find(|x| x.preferred)
        .expect("a preferred fix");
    assert_eq!(fix.title, "Use canonical wording");
}

#[test]
fn ferry_strike_two_remarks_of_one_speaker_stay_apart() {
    let (corpus, a) = story("ferry-strike");
    insta::assert_snapshot!(render(&corpus, &a));
    let sound = corpus.id_of("ferry-strike/sound-news.md").unwrap();
    let g = |doc, q| a.quote_info(doc, q).and_then(|i| i.group.clone());
    assert_ne!(g(sound, 0), g(sound, 1));
    assert_ne!(g(sound, 1), g(sound, 2));
    let strait = corpus.id_of("ferry-strike/strait-times.md").unwrap();
    let radio = corpus.id_of("ferry-strike/island-radio.md").unwrap();
    assert_eq!(g(sound, 0), g(strait, 0));
    assert_eq!(g(sound, 1), g(radio, 0));
    assert_eq!(
        status_of(&corpus, &a, "ferry-strike/sound-news.md", 2),
        Some(Status::Unmatched)
    );
}

#[test]
fn two_games_of_one_coach_are_two_stories() {
    let (corpus, a) = story("two-games");
    insta::assert_snapshot!(render(&corpus, &a));
    let id = |p: &str| corpus.id_of(&format!("two-games/{p}")).unwrap();
    assert_eq!(a.story(id("falcons-miners-ledger.md")).len(), 2);
    assert_eq!(a.story(id("falcons-pikes-ledger.md")).len(), 2);
    assert!(
        !a.story(id("falcons-miners-ledger.md"))
            .contains(&id("falcons-pikes-sport.md"))
    );
    // "We stayed patient and the goals came" is never compared with "... but the goals never
    // came": both agree within their own game, and no finding points into the other game.
    for p in ["falcons-miners-ledger.md", "falcons-pikes-ledger.md"] {
        assert_eq!(
            status_of(&corpus, &a, &format!("two-games/{p}"), 0),
            Some(Status::Agrees)
        );
    }
    for (doc, d) in corpus.documents() {
        let game = d.path.split('-').nth(2).unwrap();
        for f in a.findings(doc) {
            assert!(
                f.related
                    .iter()
                    .all(|r| r.path.split('-').nth(2) == Some(game))
            );
        }
    }
}

#[test]
fn mill_fire_syndicated_copy_counts_once() {
    let (corpus, a) = story("mill-fire");
    insta::assert_snapshot!(render(&corpus, &a));
    // Two copies of the wire story against two independent rewrites: the rewrites' reading
    // wins 2 to 1, because the copies are one unit of evidence.
    assert_eq!(
        status_of(&corpus, &a, "mill-fire/northern-ledger.md", 0),
        Some(Status::Agrees)
    );
    assert_eq!(
        status_of(&corpus, &a, "mill-fire/valley-wire.md", 0),
        Some(Status::Differs)
    );
    assert_eq!(
        status_of(&corpus, &a, "mill-fire/riverside-post.md", 0),
        Some(Status::Differs)
    );
}

#[test]
fn crossing_walkout_copies_that_disagree_follow_most_of_them() {
    let (corpus, a) = story("crossing-walkout");
    insta::assert_snapshot!(render(&corpus, &a));
    // Four reprints of one wire story are one unit of evidence; one of them added a word to
    // the organiser's quote. The unit backs what three of its four copies print, so that is
    // the canonical reading and only the altered copy differs.
    let daily = corpus.id_of("crossing-walkout/island-daily.md").unwrap();
    let info = a.quote_info(daily, 0).unwrap();
    assert_eq!(info.status, Some(Status::Differs));
    assert!(info.canonical.is_some());
    for path in ["harbour-post.md", "marra-courier.md", "sound-wire.md"] {
        let path = format!("crossing-walkout/{path}");
        assert_eq!(
            status_of(&corpus, &a, &path, 0),
            Some(Status::Agrees),
            "{path}"
        );
        assert!(codes(&corpus, &a, &path).is_empty(), "{path}");
    }
    assert_eq!(
        codes(&corpus, &a, "crossing-walkout/island-daily.md"),
        [Code::QuoteDiffers]
    );
}

#[test]
fn school_budget_tie_has_no_canonical_reading() {
    let (corpus, a) = story("school-budget");
    insta::assert_snapshot!(render(&corpus, &a));
    let id = corpus.id_of("school-budget/lakeside-herald.md").unwrap();
    assert_eq!(a.quote_info(id, 0).unwrap().canonical, None);
    assert_eq!(a.quote_info(id, 0).unwrap().status, Some(Status::Differs));
    let f = &a.findings(id)[0];
    assert!(f.message.contains("readings:"), "{}", f.message);
    assert!(f.fixes.iter().all(|x| !x.preferred));
}

#[test]
fn school_budget_source_weight_breaks_the_tie() {
    let mut config = Config::default();
    config.sources.insert("Valley Courier".into(), 2.0);
    let corpus = hand_corpus(&["school-budget"], config);
    let a = Analysis::of(&corpus);
    let herald = corpus.id_of("school-budget/lakeside-herald.md").unwrap();
    let courier = corpus.id_of("school-budget/valley-courier.md").unwrap();
    assert_eq!(
        a.quote_info(courier, 0).unwrap().status,
        Some(Status::Agrees)
    );
    assert_eq!(
        a.quote_info(herald, 0).unwrap().status,
        Some(Status::Differs)
    );
    let c = a.quote_info(herald, 0).unwrap().canonical.clone().unwrap();
    assert!(c.starts_with("We will keep every teaching job"));
}

#[test]
fn museum_theft_misattributed_and_unattributed() {
    let (corpus, a) = story("museum-theft");
    insta::assert_snapshot!(render(&corpus, &a));
    let star = codes(&corpus, &a, "museum-theft/evening-star.md");
    assert!(star.contains(&Code::SpeakerDiffers), "{star:?}");
    let desk = codes(&corpus, &a, "museum-theft/night-desk.txt");
    assert_eq!(desk, vec![Code::UnattributedQuote]);
    let star_id = corpus.id_of("museum-theft/evening-star.md").unwrap();
    let f = a
        .findings(star_id)
        .iter()
        .find(|f| f.code == Code::SpeakerDiffers)
        .unwrap();
    assert!(
        f.message.contains("to Paulina Voss in 2 other versions"),
        "{}",
        f.message
    );
    assert_eq!(f.fixes[0].title, "Attribute to Paulina Voss");
    // Wording agrees everywhere: no quote-differs.
    for (id, _) in corpus.documents() {
        assert!(a.findings(id).iter().all(|f| f.code != Code::QuoteDiffers));
    }
}

#[test]
fn coastal_institute_name_spelled_differently() {
    let (corpus, a) = story("coastal-institute");
    insta::assert_snapshot!(render(&corpus, &a));
    let green = corpus.id_of("coastal-institute/green-wire.txt").unwrap();
    let names: Vec<_> = a
        .findings(green)
        .iter()
        .filter(|f| f.code == Code::NameDiffers)
        .collect();
    assert_eq!(names.len(), 2, "{names:#?}");
    assert!(
        names
            .iter()
            .any(|f| f.fixes[0].replacement == "Halvorsen Institute for Coastal Studies")
    );
    assert!(
        names
            .iter()
            .any(|f| f.fixes[0].replacement == "Mattias Lund")
    );
    for p in [
        "coastal-institute/tidewater-news.md",
        "coastal-institute/coast-review.md",
    ] {
        assert!(codes(&corpus, &a, p).is_empty(), "{p}");
    }
}

#[test]
fn library_hours_suppressions_and_severities() {
    let (corpus, a) = story("library-hours");
    insta::assert_snapshot!(render(&corpus, &a));
    let notes = corpus.id_of("library-hours/weekly-notes.md").unwrap();
    // The reworded "Families ..." quote has an ignore comment above it.
    assert_eq!(
        a.quote_info(notes, 0).unwrap().status,
        Some(Status::Differs)
    );
    assert!(
        a.findings(notes)
            .iter()
            .all(|f| f.span != corpus.get(notes).unwrap().quotes[0].span())
    );
    // speaker-differs is raised to an error by verbatim.toml.
    let sd = a
        .findings(notes)
        .iter()
        .find(|f| f.code == Code::SpeakerDiffers)
        .unwrap();
    assert_eq!(sd.severity, Severity::Error);
    // The "bequest" quotes differ but match an ignore pattern.
    let post = corpus.id_of("library-hours/fenwick-post.md").unwrap();
    let bequest = corpus.get(post).unwrap().quotes[2].span();
    assert_eq!(a.quote_info(post, 2).unwrap().status, Some(Status::Differs));
    assert!(a.findings(post).iter().all(|f| f.span != bequest));
}

#[test]
fn every_fixture_story_is_found_in_one_mixed_corpus() {
    let names = collate_support::fixture_stories();
    let all: Vec<&str> = names.iter().map(String::as_str).collect();
    let corpus = hand_corpus(&all, Config::default());
    let a = Analysis::of(&corpus);
    for (id, doc) in corpus.documents() {
        let folder = doc.path.split('/').next().unwrap();
        let story: Vec<&str> = a
            .story(id)
            .iter()
            .map(|&s| corpus.get(s).unwrap().path.as_str())
            .collect();
        assert!(
            story.iter().all(|p| p.starts_with(folder)),
            "{}: {story:?}",
            doc.path
        );
        let expected = std::fs::read_dir(collate_support::fixture_dir(folder))
            .unwrap()
            .flatten()
            .filter(|e| {
                let n = e.file_name().to_string_lossy().to_string();
                (n.ends_with(".md") || n.ends_with(".txt"))
                    && (folder != "two-games"
                        || n.split('-').nth(1)
                            == doc.path.split('/').nth(1).and_then(|p| p.split('-').nth(1)))
            })
            .count();
        assert_eq!(story.len(), expected, "{}: {story:?}", doc.path);
    }
}

#[test]
fn folder_mode_makes_one_story_per_directory() {
    let config = Config {
        stories: verbatim::config::StoryMode::Folder,
        ..Config::default()
    };
    let corpus = hand_corpus(&["two-games", "seawall"], config);
    let a = Analysis::of(&corpus);
    let game = corpus.id_of("two-games/falcons-miners-ledger.md").unwrap();
    // Both games are one story now: the coach's two "We stayed patient ..." remarks are
    // compared with each other.
    assert_eq!(a.story(game).len(), 4);
    let sea = corpus.id_of("seawall/harbor-wire.md").unwrap();
    assert_eq!(a.story(sea).len(), 3);
}

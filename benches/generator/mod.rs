//! A deterministic generator of fictional newsroom corpora for benchmarks: stories of 3–6
//! versions, each version a short article with quotes attributed with ordinary cues, some quotes
//! reworded, trimmed or dropped in some versions, a shared background vocabulary (so common
//! words are common) and story-specific names and topic words.
//!
//! Nothing here is real text: every word is made of generated syllables.

/// xorshift64*: small, fast and the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const ONSETS: [&str; 16] = [
    "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st",
];
const VOWELS: [&str; 6] = ["a", "e", "i", "o", "u", "ai"];
const CODAS: [&str; 6] = ["", "n", "r", "l", "s", "th"];

fn word(rng: &mut Rng, syllables: usize) -> String {
    let mut w = String::new();
    for _ in 0..syllables {
        w.push_str(ONSETS[rng.below(ONSETS.len())]);
        w.push_str(VOWELS[rng.below(VOWELS.len())]);
        w.push_str(CODAS[rng.below(CODAS.len())]);
    }
    w
}

fn capitalised(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

const FUNCTION: [&str; 16] = [
    "the", "a", "of", "to", "and", "in", "that", "for", "on", "with", "as", "was", "is", "by",
    "it", "from",
];
const OUTLETS: [&str; 12] = [
    "Harbor Wire",
    "Coastline Daily",
    "Alder Gazette",
    "Valley Courier",
    "Strait Times",
    "Island Radio",
    "Evening Star",
    "Night Desk",
    "Sound News",
    "Green Wire",
    "Town Crier",
    "Weekly Notes",
];

/// One generated article: a path and its text.
pub struct Article {
    pub path: String,
    pub text: String,
}

fn sentence(rng: &mut Rng, common: &[String], topic: &[String], len: usize) -> Vec<String> {
    (0..len)
        .map(|_| {
            if rng.chance(30) {
                FUNCTION[rng.below(FUNCTION.len())].to_string()
            } else if rng.chance(35) {
                rng.pick(topic).clone()
            } else {
                rng.pick(common).clone()
            }
        })
        .collect()
}

fn prose(words: &[String]) -> String {
    let mut s = words.join(" ");
    if let Some(first) = s.get(..1) {
        s = first.to_uppercase() + &s[1..];
    }
    s
}

/// `articles` articles in stories of 3–6 versions, deterministic for a given `seed`.
pub fn generate(seed: u64, articles: usize) -> Vec<Article> {
    let mut rng = Rng::new(seed);
    let common: Vec<String> = (0..2500).map(|i| word(&mut rng, 2 + i % 2)).collect();
    let mut out = Vec::with_capacity(articles);
    let mut story = 0;
    while out.len() < articles {
        story += 1;
        let versions = 3 + rng.below(4);
        let topic: Vec<String> = (0..24).map(|_| word(&mut rng, 3)).collect();
        let people: Vec<String> = (0..3)
            .map(|_| {
                format!(
                    "{} {}",
                    capitalised(&word(&mut rng, 2)),
                    capitalised(&word(&mut rng, 3))
                )
            })
            .collect();
        let place = capitalised(&word(&mut rng, 3));
        let background: Vec<Vec<String>> = (0..12)
            .map(|_| {
                let n = 14 + rng.below(12);
                sentence(&mut rng, &common, &topic, n)
            })
            .collect();
        let quotes: Vec<(usize, Vec<String>)> = (0..4)
            .map(|_| {
                let n = 6 + rng.below(14);
                (
                    rng.below(people.len()),
                    sentence(&mut rng, &common, &topic, n),
                )
            })
            .collect();
        for v in 0..versions {
            if out.len() >= articles {
                break;
            }
            let outlet = OUTLETS[(story + v) % OUTLETS.len()];
            let mut text = format!(
                "---\nsource: {outlet}\npublished: 2026-{:02}-{:02}\n---\n# {} {}\n\n",
                1 + story % 12,
                1 + story % 28,
                place,
                prose(&background[0][..4])
            );
            for (i, b) in background.iter().enumerate() {
                if v > 0 && rng.chance(25) {
                    continue; // a rewrite drops some background
                }
                let mut b = b.clone();
                if v > 0 && rng.chance(50) {
                    let k = rng.below(b.len());
                    b[k] = rng.pick(&common).clone();
                }
                text.push_str(&format!("{} in {place}.\n\n", prose(&b)));
                if let Some((who, q)) = quotes.get(i / 2).filter(|_| i % 2 == 1) {
                    if v > 0 && rng.chance(15) {
                        continue; // this version leaves the quote out
                    }
                    let mut q = q.clone();
                    if v > 0 && rng.chance(25) {
                        // Reworded: one or two words changed.
                        for _ in 0..1 + rng.below(2) {
                            let k = rng.below(q.len());
                            q[k] = rng.pick(&common).clone();
                        }
                    }
                    if v > 0 && rng.chance(10) {
                        q.drain(..q.len() / 2); // an excerpt
                    }
                    let name = &people[*who];
                    let surname = name.rsplit(' ').next().unwrap_or(name);
                    if rng.chance(50) {
                        text.push_str(&format!("“{},” {name} said.\n\n", prose(&q)));
                    } else {
                        text.push_str(&format!("{surname} said: “{}.”\n\n", prose(&q)));
                    }
                }
            }
            out.push(Article {
                path: format!(
                    "s{story:05}/v{v}-{}.md",
                    outlet.replace(' ', "-").to_lowercase()
                ),
                text,
            });
        }
    }
    out
}

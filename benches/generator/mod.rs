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

// ---------------------------------------------------------------------------------------------
// Versions of one article, as real copy varies (used on real text and on the Zipf articles)

/// The byte range of the words of the first quote of a paragraph, curly or straight.
fn first_quote(paragraph: &str) -> Option<(usize, usize)> {
    let curly = paragraph.find('“').and_then(|open| {
        let from = open + '“'.len_utf8();
        paragraph[from..]
            .find('”')
            .map(|close| (from, from + close))
    });
    curly.or_else(|| {
        let open = paragraph.find('"')? + 1;
        paragraph[open..]
            .find('"')
            .map(|close| (open, open + close))
    })
}

/// Swaps two neighbouring words of one quote: a reworded quote, as a later version has it.
fn reword_a_quote(paragraphs: &mut [String], rng: &mut Rng) {
    let quoted: Vec<usize> = (0..paragraphs.len())
        .filter(|&i| first_quote(&paragraphs[i]).is_some_and(|(s, e)| e > s))
        .collect();
    if quoted.is_empty() {
        return;
    }
    let i = *rng.pick(&quoted);
    let Some((start, end)) = first_quote(&paragraphs[i]) else {
        return;
    };
    let mut words: Vec<&str> = paragraphs[i][start..end].split_whitespace().collect();
    if words.len() < 2 {
        return;
    }
    // Not the last word, which carries the quote's closing punctuation.
    let w = rng.below(words.len().saturating_sub(2).max(1));
    words.swap(w, w + 1);
    let reworded = words.join(" ");
    paragraphs[i].replace_range(start..end, &reworded);
}

/// Curly quote marks become straight ones, or straight ones curly (opening and closing in turn
/// within each paragraph).
fn switch_quote_style(paragraphs: &mut [String]) {
    let curly = paragraphs.iter().any(|p| p.contains('“'));
    for p in paragraphs.iter_mut() {
        if curly {
            *p = p.replace(['“', '”'], "\"");
        } else {
            let mut open = true;
            *p = p
                .chars()
                .map(|c| match c {
                    '"' => {
                        open = !open;
                        if open { '”' } else { '“' }
                    }
                    c => c,
                })
                .collect();
        }
    }
}

/// K versions of one article: the first as published, each later one with one to four of the
/// edits real copy shows.
pub fn versions(article: &str, k: usize, rng: &mut Rng) -> Vec<String> {
    let original: Vec<String> = article
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    let mut out = vec![original.join("\n\n") + "\n"];
    for _ in 1..k {
        let mut paragraphs = original.clone();
        let mut edits = [
            rng.chance(50),
            rng.chance(50),
            rng.chance(50),
            rng.chance(50),
        ];
        if !edits.contains(&true) {
            edits[rng.below(4)] = true;
        }
        if edits[1] {
            reword_a_quote(&mut paragraphs, rng);
        }
        if edits[0] && paragraphs.len() > 3 {
            // Never the headline.
            let i = 1 + rng.below(paragraphs.len() - 1);
            paragraphs.remove(i);
        }
        if edits[3] && paragraphs.len() > 3 {
            let i = 1 + rng.below(paragraphs.len() - 2);
            paragraphs.swap(i, i + 1);
        }
        if edits[2] {
            switch_quote_style(&mut paragraphs);
        }
        out.push(paragraphs.join("\n\n") + "\n");
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Articles of 800–1,500 words over a Zipf vocabulary

/// Words drawn by rank with Zipf's law (exponent 1): the word of rank r comes with probability
/// proportional to 1 / r, as in real text, so a few words are in every article and most are
/// rare. The first ranks are function words.
pub struct Zipf {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Zipf {
    pub fn new(rng: &mut Rng, size: usize) -> Zipf {
        let mut seen: std::collections::HashSet<String> =
            FUNCTION.iter().map(|w| w.to_string()).collect();
        let mut words: Vec<String> = FUNCTION.iter().map(|w| w.to_string()).collect();
        while words.len() < size {
            let syllables = 1 + rng.below(3);
            let w = word(rng, syllables);
            if w.len() >= 3 && seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|r| {
                total += 1.0 / r as f64;
                total
            })
            .collect();
        Zipf { words, cumulative }
    }

    pub fn draw(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let i = self.cumulative.partition_point(|&c| c < u);
        &self.words[i.min(self.words.len() - 1)]
    }
}

/// One story's article over `zipf`: a headline, then paragraphs of two to four sentences
/// (Zipf words, one in eight of the story's own topic words), `quotes` quote paragraphs spread
/// among them (10 to 25 words, attributed to one of the story's three people with an ordinary
/// cue before or after), about `words` words in all. Deterministic for a given `rng`.
pub fn zipf_article(rng: &mut Rng, zipf: &Zipf, words: usize, quotes: usize) -> String {
    let topic: Vec<String> = (0..30).map(|_| word(rng, 3)).collect();
    let people: Vec<String> = (0..3)
        .map(|_| {
            format!(
                "{} {}",
                capitalised(&word(rng, 2)),
                capitalised(&word(rng, 3))
            )
        })
        .collect();
    let pick = |rng: &mut Rng| -> String {
        if rng.chance(12) {
            rng.pick(&topic).clone()
        } else {
            zipf.draw(rng).to_string()
        }
    };
    let headline: Vec<String> = (0..6 + rng.below(5))
        .map(|_| capitalised(&pick(rng)))
        .collect();
    let mut paragraphs = vec![headline.join(" ")];
    let mut count = 0;
    let body_paragraphs = (words / 60).max(quotes + 1);
    let mut quoted = 0;
    for p in 0..body_paragraphs {
        let mut sentences = Vec::new();
        for _ in 0..2 + rng.below(3) {
            let n = 10 + rng.below(12);
            let s: Vec<String> = (0..n).map(|_| pick(rng)).collect();
            count += n;
            let mut s = prose(&s);
            if rng.chance(20) {
                s = format!("{s}, {} added", rng.pick(&people));
            }
            sentences.push(s + ".");
        }
        paragraphs.push(sentences.join(" "));
        // The quotes spread evenly over the body.
        while quoted < quotes && quoted * body_paragraphs <= p * quotes {
            let n = 10 + rng.below(16);
            let q: Vec<String> = (0..n).map(|_| pick(rng)).collect();
            count += n + 2;
            let person = rng.pick(&people);
            let family = person.rsplit(' ').next().unwrap_or(person);
            paragraphs.push(match rng.below(3) {
                0 => format!("“{},” {person} said.", prose(&q)),
                1 => format!("“{},” said {family}.", prose(&q)),
                _ => format!("{person} said: “{}.”", prose(&q)),
            });
            quoted += 1;
        }
        if count >= words && quoted >= quotes {
            break;
        }
    }
    paragraphs.join("\n\n") + "\n"
}

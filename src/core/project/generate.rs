//! Large, realistic test projects for benchmarks: a long article with thousands of claims, and
//! a corpus of many articles coded by several annotators.
//!
//! Text is recombined from the bundled seed articles' sentences (with their boilerplate lines),
//! so segmentation, boilerplate rules and suggestions meet the same kind of text as in real
//! use. Everything is a pure function of the seed: the same `--seed` writes the same bytes.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};

use crate::core::model::annotation::{
    Anchor, AnnotationFile, Claim, CodebookRef, Origin, SpeakerRef, Status,
};
use crate::core::model::codebook::Codebook;
use crate::core::project::layout;
use crate::core::storage::store;
use crate::core::text::corpus::Article;
use crate::core::text::segment;

/// Annotator names of a generated corpus, in order; more than five get numbered names.
const ANNOTATORS: [&str; 5] = ["amira", "jonas", "lena", "tomas", "yuki"];

/// A small deterministic generator (SplitMix64): no random-number crate, stable across
/// platforms and versions, which is what makes `--seed` reproducible.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    #[allow(clippy::cast_possible_truncation)] // the result is below n, a usize
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A random element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// Sentences of the seed articles, split into those worth coding and boilerplate lines.
#[derive(Clone, Debug)]
pub struct SentencePool {
    /// Codable sentences, each on one line.
    pub sentences: Vec<String>,
    /// Boilerplate lines ("Advertisement", captions, newsletter lines).
    pub boilerplate: Vec<String>,
}

impl SentencePool {
    /// The pool of the bundled seed articles, segmented with `codebook`'s rules.
    pub fn from_seeds(codebook: &Codebook) -> Self {
        let mut sentences = Vec::new();
        let mut boilerplate = Vec::new();
        for text in crate::core::project::sample::seed_texts() {
            let seg = segment::segment(text, &codebook.boilerplate);
            for s in &seg.sentences {
                let t = text[s.range.clone()].trim();
                if t.is_empty() || t.contains('\n') {
                    continue;
                }
                if s.skip.is_some() {
                    boilerplate.push(t.to_owned());
                } else if t.len() > 20 {
                    // Very short pieces are bylines and headings; they make poor claims.
                    sentences.push(t.to_owned());
                }
            }
        }
        boilerplate.sort();
        boilerplate.dedup();
        Self {
            sentences,
            boilerplate,
        }
    }

    /// An article of at least `min_bytes` bytes: a title line, then paragraphs of one to four
    /// recombined sentences, with about one paragraph in five a boilerplate line (web text).
    pub fn article(&self, title: &str, min_bytes: usize, rng: &mut Rng) -> String {
        let mut text = String::with_capacity(min_bytes + 1024);
        text.push_str(title);
        text.push_str("\n\n");
        while text.len() < min_bytes {
            if rng.chance(20)
                && let Some(line) = rng.pick(&self.boilerplate)
            {
                text.push_str(line);
            } else {
                let n = 1 + rng.below(4);
                for k in 0..n {
                    if k > 0 {
                        text.push(' ');
                    }
                    if let Some(s) = rng.pick(&self.sentences) {
                        text.push_str(s);
                    }
                }
            }
            text.push_str("\n\n");
        }
        text
    }
}

/// The fixed time generated files carry, so output does not depend on the clock.
fn base_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

/// `n` as minutes for a time offset (saturating: generated files are far smaller).
fn minutes(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX / 120_000)
}

/// A claim id (10 characters of Crockford base32) from the generator.
fn claim_id(rng: &mut Rng) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
    (0..10)
        .map(|_| char::from(ALPHABET[rng.below(32)]))
        .collect()
}

/// What one claim says, apart from where it is.
#[derive(Clone, Debug, PartialEq)]
struct Coding {
    speaker: Option<SpeakerRef>,
    stances: BTreeMap<String, String>,
    source: Option<String>,
    unsure: bool,
    suggested: bool,
}

impl Coding {
    /// A random coding with realistic proportions: most claims have a registry speaker, a
    /// source type and a stance on at least one target.
    fn random(codebook: &Codebook, rng: &mut Rng) -> Self {
        let mut c = Self {
            speaker: None,
            stances: BTreeMap::new(),
            source: None,
            unsure: rng.chance(5),
            suggested: rng.chance(20),
        };
        c.reroll_speaker(codebook, rng);
        for t in &codebook.targets {
            if rng.chance(55)
                && let Some(s) = rng.pick(&codebook.stances)
            {
                c.stances.insert(t.id.clone(), s.id.clone());
            }
        }
        c.reroll_source(codebook, rng);
        c
    }

    fn reroll_speaker(&mut self, codebook: &Codebook, rng: &mut Rng) {
        self.speaker = match rng.below(10) {
            0 | 1 => None,
            2 => Some(SpeakerRef::New(format!("Analyst {}", rng.below(20) + 1))),
            _ => rng
                .pick(&codebook.speakers)
                .map(|s| SpeakerRef::Registry(s.id.clone())),
        };
    }

    fn reroll_source(&mut self, codebook: &Codebook, rng: &mut Rng) {
        self.source = if rng.chance(85) {
            rng.pick(&codebook.source_types).map(|l| l.id.clone())
        } else {
            None
        };
    }

    /// The same coding as another coder might give it: each field differs now and then.
    fn varied(&self, codebook: &Codebook, rng: &mut Rng) -> Self {
        let mut c = self.clone();
        if rng.chance(12) {
            c.reroll_speaker(codebook, rng);
        }
        for t in &codebook.targets {
            if rng.chance(15) {
                match rng.pick(&codebook.stances) {
                    Some(s) if rng.chance(70) => {
                        c.stances.insert(t.id.clone(), s.id.clone());
                    }
                    _ => {
                        c.stances.remove(&t.id);
                    }
                }
            }
        }
        if rng.chance(12) {
            c.reroll_source(codebook, rng);
        }
        c.unsure = rng.chance(5);
        c.suggested = rng.chance(20);
        c
    }

    fn claim(&self, article: &Article, sentence: u32, id: String, minute: i64) -> Option<Claim> {
        let range = article.sentences.get(sentence as usize)?.range.clone();
        let t = base_time() + chrono::Duration::minutes(minute);
        Some(Claim {
            id,
            anchor: Anchor::new(&article.text, sentence, sentence, range.start, range.end),
            speaker: self.speaker.clone(),
            cue: None,
            stances: self.stances.clone(),
            source: self.source.clone(),
            unsure: self.unsure,
            note: if self.unsure {
                "generated: check the speaker".to_owned()
            } else {
                String::new()
            },
            origin: if self.suggested {
                Origin::Suggested {
                    reasons: "generated suggestion".to_owned(),
                }
            } else {
                Origin::Manual
            },
            created: t,
            modified: t,
        })
    }
}

/// Sentences that are not boilerplate.
fn codable(article: &Article) -> Vec<u32> {
    (0..article.sentences.len() as u32)
        .filter(|&i| article.sentences[i as usize].skip.is_none())
        .collect()
}

/// `n` distinct items of `items` (all of them if there are fewer), in their original order.
fn choose(items: &[u32], n: usize, rng: &mut Rng) -> Vec<u32> {
    let mut v = items.to_vec();
    let n = n.min(v.len());
    for i in 0..n {
        let j = i + rng.below(v.len() - i);
        v.swap(i, j);
    }
    v.truncate(n);
    v.sort_unstable();
    v
}

/// An annotation file for `annotator` with one claim per coding, in text order.
fn file_with(
    article: &Article,
    codebook: &Codebook,
    annotator: &str,
    status: Status,
    codings: &[(u32, Coding)],
    rng: &mut Rng,
) -> AnnotationFile {
    let mut file = AnnotationFile::new(
        article.reference(),
        CodebookRef {
            id: codebook.id.clone(),
            version: codebook.version,
        },
        annotator,
    );
    file.status = status;
    file.created = base_time();
    let mut ids = std::collections::HashSet::new();
    for (k, (sentence, coding)) in codings.iter().enumerate() {
        let mut id = claim_id(rng);
        while !ids.insert(id.clone()) {
            id = claim_id(rng);
        }
        if let Some(c) = coding.claim(article, *sentence, id, minutes(k)) {
            file.claims.push(c);
        }
    }
    file.modified = base_time() + chrono::Duration::minutes(minutes(codings.len()));
    file.sort_claims();
    file
}

/// An annotation file with `claims` random claims (one sentence each) on `article`.
pub fn claims_file(
    article: &Article,
    codebook: &Codebook,
    annotator: &str,
    claims: usize,
    seed: u64,
) -> AnnotationFile {
    let mut rng = Rng::new(seed ^ 0x00c1_a135);
    let codings: Vec<(u32, Coding)> = choose(&codable(article), claims, &mut rng)
        .into_iter()
        .map(|i| (i, Coding::random(codebook, &mut rng)))
        .collect();
    file_with(
        article,
        codebook,
        annotator,
        Status::InProgress,
        &codings,
        &mut rng,
    )
}

/// Every annotator's file on one corpus article: a shared "true" set of claims on about a
/// quarter of the codable sentences, which each coder mostly finds (85%) and codes mostly
/// alike, plus a few claims of their own; nine files in ten are marked done.
pub fn corpus_files(
    article: &Article,
    codebook: &Codebook,
    annotators: &[String],
    rng: &mut Rng,
) -> Vec<AnnotationFile> {
    let codable = codable(article);
    let truth: Vec<(u32, Coding)> = choose(&codable, codable.len() / 4, rng)
        .into_iter()
        .map(|i| (i, Coding::random(codebook, rng)))
        .collect();
    annotators
        .iter()
        .map(|name| {
            let mut codings: Vec<(u32, Coding)> = Vec::new();
            let mut t = truth.iter().peekable();
            for &i in &codable {
                if let Some((_, coding)) = t.next_if(|(j, _)| *j == i) {
                    if rng.chance(85) {
                        codings.push((i, coding.varied(codebook, rng)));
                    }
                } else if rng.chance(3) {
                    codings.push((i, Coding::random(codebook, rng)));
                }
            }
            let status = if rng.chance(90) {
                Status::Done
            } else {
                Status::InProgress
            };
            file_with(article, codebook, name, status, &codings, rng)
        })
        .collect()
}

/// The names of `n` generated annotators.
pub fn annotator_names(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| match ANNOTATORS.get(i) {
            Some(name) => (*name).to_owned(),
            None => format!("coder{}", i + 1),
        })
        .collect()
}

/// What a generator wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Article files.
    pub articles: usize,
    /// Annotation files.
    pub annotation_files: usize,
    /// Claims over all annotation files.
    pub claims: usize,
    /// Bytes of article text.
    pub article_bytes: usize,
}

/// Writes one article file and its annotation files into the project at `root`.
///
/// Plain writes, not the atomic, fsynced save the window uses: a generated project is
/// scratch data, and 10,000 fsyncs would make generating it take minutes.
fn write_article(root: &Path, article: &Article, files: &[AnnotationFile]) -> io::Result<usize> {
    fs::write(&article.path, article.text.as_bytes())?;
    let dir = layout::annotation_dir(root, &article.id);
    if !files.is_empty() {
        fs::create_dir_all(&dir)?;
        crate::core::project::walk::ensure_gitignore(root);
    }
    let mut claims = 0;
    for f in files {
        let text = store::to_ron(f).map_err(io::Error::other)?;
        fs::write(dir.join(layout::annotation_file_name(&f.annotator)), text)?;
        claims += f.claims.len();
    }
    Ok(claims)
}

fn article_at(root: &Path, id: &str, text: &str, codebook: &Codebook) -> Article {
    let path: PathBuf = layout::article_path(root, id);
    Article::new(id.to_owned(), path, text, &codebook.boilerplate)
}

/// Writes a project with one long article (`bytes` of text) and one annotator's file with
/// `claims` claims on it.
pub fn write_long(
    root: &Path,
    codebook: &Codebook,
    bytes: usize,
    claims: usize,
    seed: u64,
) -> io::Result<Written> {
    fs::create_dir_all(layout::articles_dir(root))?;
    let pool = SentencePool::from_seeds(codebook);
    let mut rng = Rng::new(seed);
    let text = pool.article(
        "Long article: a generated transcript of the Moscow visit",
        bytes,
        &mut rng,
    );
    let article = article_at(root, "long", &text, codebook);
    let file = claims_file(&article, codebook, ANNOTATORS[0], claims, seed);
    let claims = write_article(root, &article, std::slice::from_ref(&file))?;
    Ok(Written {
        articles: 1,
        annotation_files: 1,
        claims,
        article_bytes: text.len(),
    })
}

/// Writes a corpus of `articles` seed-sized articles, each coded by `annotators` coders,
/// into the project at `root`. `progress(done, total)` is called after each article.
pub fn write_corpus(
    root: &Path,
    codebook: &Codebook,
    articles: usize,
    annotators: usize,
    seed: u64,
    progress: &mut dyn FnMut(usize, usize),
) -> io::Result<Written> {
    fs::create_dir_all(layout::articles_dir(root))?;
    let pool = SentencePool::from_seeds(codebook);
    let names = annotator_names(annotators);
    let mut rng = Rng::new(seed);
    let mut written = Written::default();
    let width = articles.saturating_sub(1).to_string().len().max(4);
    for n in 0..articles {
        let id = format!("a{n:0width$}");
        // Seed articles are 5–7 KB; generated ones vary around that.
        let bytes = 3_000 + rng.below(5_000);
        let text = pool.article(&format!("Generated article {}", n + 1), bytes, &mut rng);
        let article = article_at(root, &id, &text, codebook);
        let files = corpus_files(&article, codebook, &names, &mut rng);
        written.claims += write_article(root, &article, &files)?;
        written.articles += 1;
        written.annotation_files += files.len();
        written.article_bytes += text.len();
        progress(n + 1, articles);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_in_range() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let xs: Vec<usize> = (0..100).map(|_| a.below(10)).collect();
        let ys: Vec<usize> = (0..100).map(|_| b.below(10)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().all(|&x| x < 10));
        assert!(xs.iter().any(|&x| x != xs[0]));
    }

    #[test]
    fn pool_has_codable_sentences_and_boilerplate() {
        let pool = SentencePool::from_seeds(&Codebook::default_codebook());
        assert!(pool.sentences.len() > 100, "{}", pool.sentences.len());
        assert!(
            pool.boilerplate
                .iter()
                .any(|l| l.eq_ignore_ascii_case("advertisement")),
            "{:?}",
            pool.boilerplate
        );
    }

    #[test]
    fn claims_file_has_the_claims_asked_for_in_text_order() {
        let cb = Codebook::default_codebook();
        let pool = SentencePool::from_seeds(&cb);
        let text = pool.article("Title", 20_000, &mut Rng::new(3));
        let article = article_at(Path::new("/nowhere"), "x", &text, &cb);
        let f = claims_file(&article, &cb, "amira", 40, 3);
        assert_eq!(f.claims.len(), 40);
        assert!(
            f.claims
                .windows(2)
                .all(|w| w[0].anchor.start < w[1].anchor.start)
        );
        for c in &f.claims {
            assert_eq!(
                &article.text[c.anchor.start..c.anchor.end],
                c.anchor.quote.as_str()
            );
            assert!(article.sentences[c.anchor.first as usize].skip.is_none());
        }
        assert_eq!(f, claims_file(&article, &cb, "amira", 40, 3));
    }

    #[test]
    fn corpus_coders_overlap_but_differ() {
        let cb = Codebook::default_codebook();
        let pool = SentencePool::from_seeds(&cb);
        let mut rng = Rng::new(11);
        let text = pool.article("Title", 30_000, &mut rng);
        let article = article_at(Path::new("/nowhere"), "x", &text, &cb);
        let files = corpus_files(&article, &cb, &annotator_names(2), &mut rng);
        let sentences = |f: &AnnotationFile| -> std::collections::BTreeSet<u32> {
            f.claims.iter().map(|c| c.anchor.first).collect()
        };
        let (a, b) = (sentences(&files[0]), sentences(&files[1]));
        let both = a.intersection(&b).count();
        assert!(both * 2 > a.len().min(b.len()), "{both} of {a:?} {b:?}");
        assert_ne!(a, b);
    }
}

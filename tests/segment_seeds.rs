//! Segmentation of the five seed articles: real web text with captions, bylines, quotes,
//! abbreviations and boilerplate, segmented with the default codebook's rules.

use std::collections::BTreeMap;
use std::path::PathBuf;

use stance::core::model::codebook::{Boilerplate, Codebook};
use stance::core::text::segment::{Segmentation, segment, split_check};

const SEEDS: [&str; 5] = [
    "000_fb0db49d048a0ffe",
    "001_f199504f34c41cb7",
    "002_d65207c423398da4",
    "003_cb7437eb45da7ccb",
    "004_856d1f34f02ed973",
];

fn read_seed(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(format!("{name}.txt"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A seed's text and its segmentation with the default codebook, invariants checked.
struct Seed {
    text: String,
    seg: Segmentation,
}

impl Seed {
    fn load(name: &str) -> Self {
        let text = read_seed(name);
        let seg = segment(&text, &Codebook::default_codebook().boilerplate);
        if let Err(e) = split_check(&text, &seg) {
            panic!("{name}: {e}");
        }
        Self { text, seg }
    }

    fn texts(&self) -> Vec<&str> {
        self.seg
            .sentences
            .iter()
            .map(|s| &self.text[s.range.clone()])
            .collect()
    }

    /// Skip reasons of every sentence whose text is exactly `sentence`, in text order.
    fn reasons(&self, sentence: &str) -> Vec<Option<&str>> {
        self.seg
            .sentences
            .iter()
            .filter(|s| &self.text[s.range.clone()] == sentence)
            .map(|s| s.skip.as_deref())
            .collect()
    }

    /// How many sentences each skip reason marks, by reason.
    fn tally(&self) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for reason in self.seg.sentences.iter().filter_map(|s| s.skip.as_deref()) {
            *counts.entry(reason).or_default() += 1;
        }
        counts
    }

    /// Asserts `sentence` is exactly one sentence (not skipped) and returns its index.
    fn has(&self, sentence: &str) -> usize {
        let i = self.find(sentence);
        assert_eq!(self.seg.sentences[i].skip, None, "{sentence:?}");
        i
    }

    /// Asserts `sentence` is exactly one sentence, skipped or not, and returns its index.
    fn find(&self, sentence: &str) -> usize {
        let found: Vec<usize> = self
            .texts()
            .iter()
            .enumerate()
            .filter(|(_, t)| **t == sentence)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "expected one sentence {sentence:?}; sentences are:\n{:#?}",
            self.texts()
        );
        found[0]
    }

    /// Asserts sentence `i + 1` directly follows sentence `i` in the same paragraph.
    fn next_text(&self, i: usize) -> &str {
        let (a, b) = (&self.seg.sentences[i], &self.seg.sentences[i + 1]);
        assert_eq!(a.paragraph, b.paragraph);
        &self.text[b.range.clone()]
    }
}

#[test]
fn every_seed_satisfies_the_invariants_with_a_plausible_sentence_count() {
    for name in SEEDS {
        let seed = Seed::load(name);
        let lines = seed.text.lines().filter(|l| !l.trim().is_empty()).count();
        let terminators = seed.text.matches(['.', '?', '!']).count();
        let n = seed.seg.sentences.len();
        // Every non-blank line is at least one sentence; a sentence needs a line break or a
        // terminator to end, and merging only ever removes splits.
        assert!(
            (lines..=lines + terminators).contains(&n),
            "{name}: {n} sentences for {lines} lines and {terminators} terminators"
        );
        // News prose: a few dozen sentences of roughly 40 to 250 bytes each.
        let bytes = seed.text.trim().len();
        assert!(
            (bytes / 250..=bytes / 40).contains(&n),
            "{name}: {n} sentences in {bytes} bytes"
        );
        assert!(!seed.seg.paragraphs.is_empty(), "{name}");
        // Skipped sentences stay in the list and keep their text.
        for s in seed.seg.sentences.iter().filter(|s| s.skip.is_some()) {
            assert!(!seed.text[s.range.clone()].trim().is_empty(), "{name}");
        }
    }
}

#[test]
fn seed_000_captions_acronyms_and_repeated_titles() {
    let seed = Seed::load(SEEDS[0]);
    seed.has(
        "Chinese President Xi Jinping (left) holds talks with Russian President Vladimir Putin \
         in Moscow, Russia, Mar. 20, 2023",
    );
    // The photo credit under it is skipped; the caption itself describes the event and stays.
    assert_eq!(
        seed.reasons("Credit: Russian Presidential Press and Information Office"),
        [Some("credit-line")]
    );
    let i = seed.has(
        "The U.S. strategic community should reflect on why China-U.S. relations have been on a \
         yoyo string over the last decade.",
    );
    assert_eq!(
        seed.next_text(i),
        "The 1980s were a kind of honeymoon; China and the U.S. then cooperated in \
         counterterrorism in the 2000s and during the international financial crisis in 2008."
    );
    seed.has(
        "The two countries were describes as “stakeholders” in the 2010s, but now Sino-U.S. \
         relations are so bad there’s even talk of potential and unthinkable armed conflict.",
    );
    // A quote ending in `.”` ends the sentence, and the quote mark stays with it.
    let i = seed
        .has("It is unreasonable to think that Xi’s visit to Russia is about “choosing sides.”");
    assert!(
        seed.next_text(i)
            .starts_with("His visit is a normal exchange")
    );
    seed.has(
        "This has spurred a joke on the Chinese internet mocking the U.S. plea to China: \
         “Please help me contain Russia so that I can better contain you in the future.”",
    );
    assert_eq!(
        seed.reasons("Why China’s Xi Jinping Is Visiting Russia"),
        [None, Some("repeated-line"), Some("repeated-line")]
    );
    // Similar but different lines are not repeats (the seed has no-break spaces here); both
    // are the site's section labels.
    assert_eq!(seed.reasons("The Debate"), [Some("section-label")]);
    assert_eq!(
        seed.reasons("The Debate\u{a0}|\u{a0}Opinion"),
        [Some("section-label")]
    );
    assert_eq!(seed.reasons("Recent Features"), [Some("recent-features")]);
    assert_eq!(
        seed.tally(),
        BTreeMap::from([
            ("credit-line", 1),
            ("recent-features", 1),
            ("repeated-line", 2),
            ("section-label", 2),
        ])
    );
}

#[test]
fn seed_001_dateline_photo_credit_and_quotes() {
    let seed = Seed::load(SEEDS[1]);
    // The headline above the dateline is kept.
    let i = seed.has(
        "Xi’s visit to Russia conveys great significance, injects certainty and positive energy",
    );
    assert_eq!(seed.next_text(i), "Published: Mar 19, 2023 11:43 PM");
    assert_eq!(
        seed.reasons("Published: Mar 19, 2023 11:43 PM"),
        [Some("dateline")]
    );
    // A photo credit is skipped by its pattern wherever it stands, also where it repeats.
    assert_eq!(
        seed.reasons("China-Russia Photo: VCG"),
        [Some("photo-credit"), Some("photo-credit")]
    );
    let i = seed.has(
        "John Kirby, spokesperson for the US National Security Council, told reporters ahead of \
         Xi's planned trip to Russia, that \"We don't support calls for a ceasefire right now.\"",
    );
    assert!(
        seed.next_text(i)
            .starts_with("He said a proposal from China")
    );
    // A quote spanning two sentences is split inside it, each part keeping its marks.
    let i = seed.has(
        "\"So to bring Kiev to the table one would need not to mediate but to press it into the \
         talks.",
    );
    assert!(
        seed.next_text(i)
            .starts_with("Or the situation has to change")
    );
    // A title line without final punctuation is its own sentence.
    seed.has("Smear campaign");
    assert_eq!(
        seed.tally(),
        BTreeMap::from([("dateline", 1), ("photo-credit", 2)])
    );
}

#[test]
fn seed_002_byline_newsletter_and_question_inside_a_quote() {
    let seed = Seed::load(SEEDS[2]);
    assert_eq!(seed.reasons("Photo: Xinhuanet"), [Some("photo-credit")]);
    assert_eq!(seed.reasons("By: Marián Šeliga"), [Some("byline")]);
    seed.has("Xi Jinping is set to visit Russia from March 20 to 22");
    assert_eq!(
        seed.reasons(
            "Subscribe and receive a weekly in-depth analysis on top international issues."
        ),
        [Some("newsletter")]
    );
    let i = seed.has(
        "When asked why Xi is going to Moscow on his first foreign trip, Andrey Ostrovsky, chief \
         researcher at the Institute of Oriental Studies of the Russian Academy of Sciences, asks \
         a counter-question, “What should China do if America has actually declared war on \
         China?",
    );
    assert_eq!(
        seed.next_text(i),
        "And not only economically, but even militarily."
    );
    let i = seed.has("China and Russia now have the closest relationship.");
    assert_eq!(
        seed.next_text(i),
        "Therefore, his arrival in Moscow is natural.”"
    );
    seed.has(
        "On the other hand, apart from geopolitics, the Kremlin stated that during the visit of \
         Xi some “important bilateral documents will be signed”.",
    );
    assert_eq!(
        seed.tally(),
        BTreeMap::from([("byline", 1), ("newsletter", 1), ("photo-credit", 1)])
    );
}

#[test]
fn seed_003_amounts_doubled_captions_and_newsletter() {
    let seed = Seed::load(SEEDS[3]);
    seed.has(
        "Their economic ties have made rapid progress in recent years, with bilateral trade \
         reaching $190 billion in 2022.",
    );
    seed.has("Resentment Over U.S. Dominance");
    seed.has(
        "So Beijing would prefer to keep Moscow on its side rather than face the U.S. and the \
         West alone.",
    );
    // A caption line: the sentence, then the photo credit in brackets.
    let i =
        seed.has("Last year, Xi and Putin declared there were \"no limits\" to their partnership.");
    assert_eq!(seed.next_text(i), "(Image Credit: Russian Presidency)");
    assert_eq!(
        seed.reasons("(Image Credit: Russian Presidency)"),
        [Some("credit-line")]
    );
    for doubled in [
        "Prigozhin challenges Putin Prigozhin challenges Putin",
        "Can China broker Ukraine peace talks Can China broker Ukraine peace talks",
        "Volodymyr Zelensky Volodymyr Zelensky",
        "Vladimir Putin and Yevgeny Prigozhin Vladimir Putin and Yevgeny Prigozhin",
    ] {
        assert_eq!(seed.reasons(doubled), [Some("doubled-line")], "{doubled}");
    }
    // An all-lowercase doubled caption is alt text first: the pattern's reason wins over the
    // line rule's.
    assert_eq!(
        seed.reasons(
            "when will ukraine war end putin zelensky when will ukraine war end putin zelensky"
        ),
        [Some("alt-text")]
    );
    // The headline under each doubled caption is kept (no-break space as in the seed).
    seed.has("How Yevgeny Prigozhin Could Threaten Putin From the\u{a0}Right");
    assert_eq!(
        seed.reasons("Subscribe to Our Newsletter"),
        [Some("newsletter"), Some("newsletter")]
    );
    assert_eq!(
        seed.reasons("By submitting your info, you agree to our terms of use."),
        [Some("terms-of-use"), Some("terms-of-use")]
    );
    assert_eq!(
        seed.reasons("By submitting your information, you are agreeing to our terms of use."),
        [Some("terms-of-use")]
    );
    // The republication notice and the "Written By" label are skipped; the author's
    // biography after the label is a sentence and stays.
    assert_eq!(
        seed.reasons(
            "This article is republished from The Conversation under a Creative Commons license."
        ),
        [Some("republished")]
    );
    assert_eq!(
        seed.reasons("Read the original article."),
        [Some("read-original")]
    );
    let i = seed.find("Written By");
    assert_eq!(seed.seg.sentences[i].skip.as_deref(), Some("written-by"));
    seed.has(
        "Jingdong Yuan is an associate professor of Asia-Pacific security at the University of \
         Sydney.",
    );
    assert_eq!(
        seed.tally(),
        BTreeMap::from([
            ("alt-text", 2),
            ("connect-with-us", 1),
            ("credit-line", 1),
            ("doubled-line", 7),
            ("newsletter", 2),
            ("read-original", 1),
            ("republished", 1),
            ("terms-of-use", 3),
            ("written-by", 1),
        ])
    );
}

#[test]
fn seed_004_quotes_advertisements_and_repeated_caption() {
    let seed = Seed::load(SEEDS[4]);
    seed.has(
        "“I am confident the visit will be fruitful and give new momentum to the healthy and \
         stable development of Chinese-Russian relations,” Xi told reporters as he landed at \
         Moscow’s Vnukovo International Airport on Monday afternoon.",
    );
    seed.has(
        "“Exhaustive explanations will be given by President Putin, so that [Chinese] President \
         Xi Jinping can get a first-hand view of the current situation from the Russian side,” \
         Kremlin spokesperson Dmitry Peskov told reporters on Monday ahead of Xi’s arrival.",
    );
    seed.has(
        "Western countries, particularly the U.S., have expressed skepticism of the political \
         settlement China has suggested.",
    );
    seed.has(
        "They’re also usually on the same page when it comes to key strategic issues being \
         discussed within international organizations such as the U.N.",
    );
    assert_eq!(seed.reasons("Advertisement"), [Some("advertisement"); 5]);
    // The caption is two sentences (the words, then the photo credit) on one line written
    // twice: the words are kept the first time and skipped as a repeat the second; the photo
    // credit is skipped both times by its own pattern, which takes precedence.
    let caption = "CHINESE PRESIDENT XI JINPING LANDED IN MOSCOW FOR A MEETING WITH HIS RUSSIAN \
                   COUNTERPART VLADIMIR PUTIN.";
    assert_eq!(seed.reasons(caption), [None, Some("repeated-line")]);
    assert_eq!(
        seed.reasons("PHOTO: SERGIO LIMA/AFP"),
        [Some("photo-credit"), Some("photo-credit")]
    );
    assert_eq!(seed.reasons("News"), [Some("section-label")]);
    assert_eq!(
        seed.reasons("Follow Rachel Cheung on Twitter and Instagram."),
        [Some("follow-social")]
    );
    assert_eq!(
        seed.tally(),
        BTreeMap::from([
            ("advertisement", 5),
            ("follow-social", 1),
            ("photo-credit", 2),
            ("repeated-line", 1),
            ("section-label", 1),
        ])
    );
}

#[test]
fn paragraphs_follow_blank_lines_and_lines_within_them_are_sentences() {
    let seed = Seed::load(SEEDS[3]);
    // "xi putin china russia summit" is alt text on the line before its caption, with no
    // blank line between: same paragraph, separate sentences (the alt text skipped).
    let i = seed.find("xi putin china russia summit");
    assert_eq!(seed.seg.sentences[i].skip.as_deref(), Some("alt-text"));
    assert_eq!(
        seed.next_text(i),
        "Last year, Xi and Putin declared there were \"no limits\" to their partnership."
    );
    let p = &seed.seg.paragraphs[seed.seg.sentences[i].paragraph as usize];
    assert_eq!(p.sentences.len(), 3);
    assert!(seed.text[p.range.clone()].ends_with("(Image Credit: Russian Presidency)"));
    // "Connect with us" is followed by blank lines: a paragraph of its own.
    let first = &seed.seg.paragraphs[0];
    assert_eq!(&seed.text[first.range.clone()], "Connect with us");
}

#[test]
fn segmentation_without_boilerplate_rules_skips_nothing() {
    for name in SEEDS {
        let text = read_seed(name);
        let seg = segment(&text, &Boilerplate::default());
        assert_eq!(split_check(&text, &seg), Ok(()), "{name}");
        assert!(seg.sentences.iter().all(|s| s.skip.is_none()), "{name}");
        // The rules only mark sentences; the cuts are the same either way.
        let with_rules = segment(&text, &Codebook::default_codebook().boilerplate);
        let ranges =
            |s: &Segmentation| -> Vec<_> { s.sentences.iter().map(|x| x.range.clone()).collect() };
        assert_eq!(ranges(&seg), ranges(&with_rules), "{name}");
        assert_eq!(seg.paragraphs, with_rules.paragraphs, "{name}");
    }
}

#[test]
fn crlf_copies_of_the_seeds_segment_the_same_way() {
    let cb = Codebook::default_codebook();
    for name in SEEDS {
        let text = read_seed(name);
        let crlf = text.replace('\n', "\r\n");
        let seg = segment(&text, &cb.boilerplate);
        let seg_crlf = segment(&crlf, &cb.boilerplate);
        assert_eq!(split_check(&crlf, &seg_crlf), Ok(()), "{name}");
        let texts = |t: &str, s: &Segmentation| -> Vec<(String, Option<String>)> {
            s.sentences
                .iter()
                .map(|x| (t[x.range.clone()].to_owned(), x.skip.clone()))
                .collect()
        };
        assert_eq!(texts(&text, &seg), texts(&crlf, &seg_crlf), "{name}");
    }
}

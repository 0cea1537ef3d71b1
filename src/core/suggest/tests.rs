//! Suggestions on sentences of the seed articles, checked against what the codebook's own
//! examples and the pilot coders say they are.

use std::path::PathBuf;

use super::*;
use crate::core::model::annotation::Origin;

const SEED_000: &str = include_str!("../../../seeds/000_fb0db49d048a0ffe.txt");
const SEED_001: &str = include_str!("../../../seeds/001_f199504f34c41cb7.txt");
const SEED_003: &str = include_str!("../../../seeds/003_cb7437eb45da7ccb.txt");
const SEED_004: &str = include_str!("../../../seeds/004_856d1f34f02ed973.txt");

fn article(id: &str, text: &str) -> Article {
    let cb = Codebook::default_codebook();
    Article::new(id.into(), PathBuf::from(id), text, &cb.boilerplate)
}

/// The suggestion covering the sentence that holds `phrase`.
fn suggestion_at(article: &Article, phrase: &str) -> Suggestion {
    let at = article.text.find(phrase).unwrap();
    let i = article.sentence_at(at).unwrap();
    let all = suggest(article, &Codebook::default_codebook());
    all.into_iter()
        .find(|s| s.covers(i))
        .unwrap_or_else(|| panic!("no suggestion covers s{i}: {phrase}"))
}

#[allow(clippy::unnecessary_wraps)] // compared with the `Option` fields of suggestions
fn registry(id: &str) -> Option<SpeakerRef> {
    Some(SpeakerRef::Registry(id.into()))
}

#[test]
fn kirby_quote_is_an_official_statement_told_reporters() {
    let a = article("001", SEED_001);
    let s = suggestion_at(&a, "We don't support calls for a ceasefire right now.");
    assert_eq!((s.first, s.last), (13, 13));
    assert_eq!(s.targets, ["ceasefire"]);
    assert_eq!(s.speaker, registry("john-kirby"));
    // Official precedes direct quote in the codebook's order.
    assert_eq!(s.source.as_deref(), Some("official"));
    let cue = s.cue.as_ref().unwrap();
    assert_eq!(cue.text, "told reporters");
    assert_eq!(&a.text[cue.start..cue.end], "told reporters");
    assert!(
        s.reasons
            .contains(&"quote + 'told reporters' + name 'John Kirby'".to_owned()),
        "{}",
        s.explain()
    );
    assert!(s.reasons.contains(&"mentions 'ceasefire'".to_owned()));
}

#[test]
fn he_said_after_kirby_is_kirby_and_the_cnn_report_makes_it_media() {
    let a = article("001", SEED_001);
    let s = suggestion_at(&a, "He said a proposal from China could include");
    assert_eq!(s.speaker, registry("john-kirby"));
    assert_eq!(s.source.as_deref(), Some("media"));
    assert_eq!(s.cue.as_ref().unwrap().text, "said");
    assert!(s.explain().contains("'He' -> John Kirby (named in s13)"));
}

#[test]
fn lukin_quote_over_two_sentences_is_lukin_through_he() {
    let a = article("001", SEED_001);
    let s = suggestion_at(&a, "So to bring Kiev to the table");
    // The quotation opens in s22 and closes in s23 with "he said".
    assert_eq!((s.first, s.last), (22, 23));
    assert_eq!(s.speaker, registry("alexander-lukin"));
    assert_eq!(s.source.as_deref(), Some("expert"));
    assert_eq!(s.cue.as_ref().unwrap().text, "said");
    assert_eq!(s.targets, ["mediation"]);
    let why = s.explain();
    assert!(why.contains("quotation runs from s22 to s23"), "{why}");
    assert!(
        why.contains("'he' -> Alexander Lukin (named in s21)"),
        "{why}"
    );
    assert_eq!(s.start, a.sentences[22].range.start);
    assert_eq!(s.end, a.sentences[23].range.end);
}

#[test]
fn attribution_at_the_end_of_a_paragraph_covers_it() {
    let a = article("001", SEED_001);
    // "… China could hardly play a mediating role, Alexander Lukin, director of …, told the
    // Global Times." ends a paragraph of three sentences.
    let s = suggestion_at(&a, "Russia will certainly trust China");
    assert_eq!((s.first, s.last), (17, 19));
    assert_eq!(s.speaker, registry("alexander-lukin"));
    assert_eq!(s.cue.as_ref().unwrap().text, "told the Global Times");
    // Hosting an interview does not make the outlet the source.
    assert_eq!(s.source.as_deref(), Some("expert"));
    assert!(
        s.explain()
            .contains("the attribution ending s20 covers s18–s19")
    );
}

#[test]
fn vague_sources_are_anonymous_in_their_own_words() {
    let a = article("001", SEED_001);
    let s = suggestion_at(&a, "Some Chinese and Russian observers believe");
    assert_eq!(
        s.speaker,
        Some(SpeakerRef::New("some Chinese and Russian observers".into()))
    );
    assert_eq!(s.source.as_deref(), Some("anonymous"));
    assert_eq!(s.cue.as_ref().unwrap().text, "believe");
    let s = suggestion_at(&a, "are expecting China to play a bigger role in mediating");
    assert_eq!(s.speaker, Some(SpeakerRef::New("some experts".into())));
    assert_eq!(s.source.as_deref(), Some("anonymous"));
}

#[test]
fn putin_wrote_is_putin_through_he() {
    let a = article("004", SEED_004);
    let s = suggestion_at(&a, "We welcome China’s willingness");
    assert_eq!(s.speaker, registry("vladimir-putin"));
    assert_eq!(s.source.as_deref(), Some("official"));
    assert_eq!(s.cue.as_ref().unwrap().text, "wrote");
    assert_eq!(s.targets, ["mediation"]);
    assert!(
        s.explain()
            .contains("quote + 'wrote' + 'he' -> Vladimir Putin")
    );
    assert!(
        s.explain()
            .contains("mentions 'constructive role' (mediation)")
    );
}

#[test]
fn appositives_and_surnames_find_the_speaker() {
    let a = article("004", SEED_004);
    let s = suggestion_at(&a, "any peace plan must be predicated");
    assert_eq!(s.speaker, registry("oleksiy-danilov"));
    assert_eq!(s.cue.as_ref().unwrap().text, "stressed");
    assert_eq!(s.source.as_deref(), Some("official"));
    let s = suggestion_at(&a, "Rudolf said Beijing lacked experience");
    assert_eq!(s.speaker, registry("moritz-rudolf"));
    assert_eq!(s.source.as_deref(), Some("expert"));
    let s = suggestion_at(&a, "reserving a seat at the table");
    assert_eq!(s.speaker, registry("moritz-rudolf"));
}

#[test]
fn author_voice_has_no_cue() {
    let a = article("003", SEED_003);
    let s = suggestion_at(&a, "little room for China to play an honest mediator");
    assert_eq!(s.speaker, registry("author"));
    assert_eq!(s.source.as_deref(), Some("author"));
    assert_eq!(s.cue, None);
    assert_eq!(s.targets, ["ceasefire", "mediation"]);
    assert!(
        s.explain()
            .contains("no attribution cue -> author's own voice")
    );
    let a = article("000", SEED_000);
    let s = suggestion_at(
        &a,
        "It is the most practical and effective peace plan at present.",
    );
    assert_eq!(s.speaker, registry("author"));
    assert_eq!(s.source.as_deref(), Some("author"));
}

#[test]
fn sentences_without_terms_and_boilerplate_are_not_suggested() {
    let cb = Codebook::default_codebook();
    for (id, text) in [
        ("000", SEED_000),
        ("001", SEED_001),
        ("003", SEED_003),
        ("004", SEED_004),
    ] {
        let a = article(id, text);
        let all = suggest(&a, &cb);
        assert!(!all.is_empty(), "{id}");
        for s in &all {
            for i in s.first..=s.last {
                assert!(a.sentences[i as usize].skip.is_none(), "{id} s{i}");
            }
            assert!(!s.targets.is_empty());
            assert!(s.first <= s.last && s.start < s.end);
            assert_eq!(a.sentences_range(s.first, s.last), Some(s.start..s.end));
        }
        // In text order, not overlapping.
        for w in all.windows(2) {
            assert!(w[0].last < w[1].first, "{id}: {w:?}");
        }
    }
    let a = article("001", SEED_001);
    let all = suggest(&a, &cb);
    // "At the invitation of Russian President Vladimir Putin, President Xi will pay a state
    // visit …" mentions no target.
    assert!(!all.iter().any(|s| s.covers(8)));
}

#[test]
fn suggestions_are_deterministic() {
    let a = article("004", SEED_004);
    let cb = Codebook::default_codebook();
    assert_eq!(suggest(&a, &cb), suggest(&a, &cb));
}

#[test]
fn accepting_makes_a_claim_with_provenance_and_no_stances() {
    let a = article("001", SEED_001);
    let s = suggestion_at(&a, "We don't support calls for a ceasefire right now.");
    let c = accept(&s, &a);
    assert_eq!(c.anchor.quote, &a.text[s.start..s.end]);
    assert_eq!((c.anchor.first, c.anchor.last), (13, 13));
    assert_eq!(c.speaker, registry("john-kirby"));
    assert_eq!(c.source.as_deref(), Some("official"));
    assert_eq!(c.cue, s.cue);
    assert!(c.stances.is_empty(), "stances are the coder's call");
    assert_eq!(
        c.origin,
        Origin::Suggested {
            reasons: s.explain()
        }
    );
    // A suggestion from another text falls back to the sentences instead of panicking.
    let mut wrong = s.clone();
    wrong.end = a.text.len() + 10;
    let c = accept(&wrong, &a);
    assert_eq!(c.anchor.end, a.sentences[13].range.end);
}

#[test]
fn a_codebook_without_terms_suggests_nothing() {
    let mut cb = Codebook::default_codebook();
    for t in &mut cb.targets {
        t.terms.clear();
    }
    assert!(suggest(&article("001", SEED_001), &cb).is_empty());
}

#[test]
fn weak_cues_need_a_speaker() {
    let a = article("000", SEED_000);
    // "hope" attributes when a source stands before it …
    let s = suggestion_at(
        &a,
        "Some Western media hope that China will play a constructive role.",
    );
    assert_eq!(
        s.speaker,
        Some(SpeakerRef::New("some Western media".into()))
    );
    assert_eq!(s.source.as_deref(), Some("media"));
    assert_eq!(s.cue.as_ref().unwrap().text, "hope");
    assert!(
        s.explain()
            .contains("'some Western media' are media -> media")
    );
    // … but not in "the West hope to resolve": no speaker, so no cue. The pull quote is left
    // to the author, with a warning.
    let s = suggestion_at(&a, "If the United States and the West hope to resolve");
    assert_eq!(s.cue, None);
    assert_eq!(s.speaker, registry("author"));
    assert!(s.explain().contains("quotation without a cue"));
}

/// Suggestions for a made-up text under the default codebook.
fn suggest_text(text: &str) -> Vec<Suggestion> {
    suggest(&article("made-up", text), &Codebook::default_codebook())
}

#[test]
fn a_bare_surname_refers_back_to_the_person_named_before() {
    // "Wang" alone is ambiguous in the registry (Wang Yi, Wang Yiwei); the text named one.
    let all = suggest_text(
        "Wang Yiwei, director of an institute, told the Global Times on Sunday.\n\n\
         A ceasefire is the only way forward, Wang said.",
    );
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].speaker, registry("wang-yiwei"));
    assert!(
        all[0]
            .explain()
            .contains("surname 'Wang' -> Wang Yiwei (named in s0)")
    );
}

#[test]
fn colon_and_according_to_attribute() {
    let all = suggest_text(
        "Kirby: “We do not support a ceasefire at this point in time.”\n\n\
         The peace plan is dead, according to the Kremlin.\n\n\
         The truce will hold, said Andrew Small, a fellow.",
    );
    assert_eq!(all.len(), 3, "{all:#?}");
    assert_eq!(all[0].speaker, registry("john-kirby"));
    assert_eq!(all[0].cue.as_ref().unwrap().text, ":");
    assert_eq!(all[1].speaker, registry("kremlin"));
    assert_eq!(all[1].cue.as_ref().unwrap().text, "according to");
    assert_eq!(all[1].source.as_deref(), Some("official"));
    assert_eq!(all[2].speaker, registry("andrew-small"));
    assert_eq!(all[2].source.as_deref(), Some("expert"));
}

#[test]
fn a_quotation_reopened_in_the_next_paragraph_keeps_its_speaker() {
    let all = suggest_text(
        "“We will talk about everything,” Peskov told reporters.\n\n\
         “A ceasefire is not on the table today, and nobody should expect one.”",
    );
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].first, 1);
    assert_eq!(all[0].speaker, registry("dmitry-peskov"));
    assert_eq!(all[0].cue.as_ref().unwrap().text, "told reporters");
    assert!(
        all[0]
            .explain()
            .contains("quotation continues the one in s0")
    );
}

#[test]
fn an_unresolved_pronoun_gives_no_speaker_rather_than_a_guess() {
    let all = suggest_text("The ceasefire is a trick, he said.");
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].speaker, None);
    assert_eq!(all[0].cue.as_ref().unwrap().text, "said");
    assert_eq!(all[0].source.as_deref(), Some("paraphrase"));
    assert!(
        all[0]
            .explain()
            .contains("'he' but no person named just before")
    );
}

#[test]
fn names_after_said_are_not_speakers_unless_the_claim_came_first() {
    // "a statement said Beijing …": Beijing is what was said about, not who said it.
    let all = suggest_text("A statement issued yesterday said Beijing wants a ceasefire.");
    assert_eq!(all[0].speaker, None);
    assert_eq!(all[0].cue.as_ref().unwrap().text, "said");
}

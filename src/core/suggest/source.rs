//! The source type from the form of a claim and its speaker, in the codebook's order of
//! precedence: media, then anonymous, then official and expert, then direct quote and
//! paraphrase; a claim with no attribution at all is the author's own voice.

use super::attribution::Who;
use crate::core::model::codebook::{Codebook, Speaker, SpeakerKind};

/// Source type ids this module can suggest. Each is suggested only when the codebook has it,
/// so a project codebook without, say, `expert` simply gets the next rule.
pub(super) const MEDIA: &str = "media";
pub(super) const ANONYMOUS: &str = "anonymous";
pub(super) const OFFICIAL: &str = "official";
pub(super) const EXPERT: &str = "expert";
pub(super) const DIRECT_QUOTE: &str = "direct-quote";
pub(super) const PARAPHRASE: &str = "paraphrase";
pub(super) const AUTHOR: &str = "author";

/// Words in a registry affiliation that make a person an official speaking in office.
const OFFICIAL_WORDS: &[&str] = &[
    "president",
    "minister",
    "ministry",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "ambassador",
    "envoy",
    "secretary",
    "adviser",
    "advisor",
    "diplomat",
    "government",
    "chancellor",
    "premier",
    "senator",
    "governor",
    "mayor",
    "official",
];

/// Words in a registry affiliation that make a person an expert or analyst.
const EXPERT_WORDS: &[&str] = &[
    "fellow",
    "research",
    "researcher",
    "professor",
    "lecturer",
    "scholar",
    "analyst",
    "academy",
    "institute",
    "university",
    "studies",
    "orientalist",
    "economist",
    "historian",
    "expert",
];

/// Whether `affiliation` has one of `words` as a word.
fn has_word(affiliation: &str, words: &[&str]) -> Option<String> {
    affiliation
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .find(|w| words.contains(&w.as_str()))
}

/// What the form of a claim says about its source.
pub(super) struct Form<'a> {
    /// The speaker found, if any.
    pub who: Option<&'a Who>,
    /// An outlet's report carries the claim, in words for the reason ("reported by CNN").
    pub report: Option<String>,
    /// The claim has a quotation long enough to be someone's words.
    pub quoted: bool,
    /// The claim has an attribution cue.
    pub cued: bool,
}

/// The suggested source type and the reason for it.
pub(super) fn source_type(codebook: &Codebook, form: &Form<'_>) -> (Option<String>, String) {
    let has = |id: &str| codebook.source_type(id).is_some();
    let speaker = |s: usize| codebook.speakers.get(s);
    if let Some(report) = &form.report
        && has(MEDIA)
    {
        return (Some(MEDIA.into()), format!("{report} -> media"));
    }
    match form.who {
        Some(Who::Vague { media: true, words }) if has(MEDIA) => {
            return (Some(MEDIA.into()), format!("'{words}' are media -> media"));
        }
        Some(Who::Vague { words, .. }) if has(ANONYMOUS) => {
            return (
                Some(ANONYMOUS.into()),
                format!("vague source '{words}' -> anonymous"),
            );
        }
        Some(Who::Registry(s)) => {
            if let Some(choice) = speaker(*s).and_then(|sp| by_speaker(sp, &has)) {
                return choice;
            }
        }
        _ => {}
    }
    if !form.cued {
        return if has(AUTHOR) {
            (
                Some(AUTHOR.into()),
                "no attribution cue -> author's own voice".into(),
            )
        } else {
            (None, "no attribution cue".into())
        };
    }
    let (id, why) = if form.quoted {
        (DIRECT_QUOTE, "quotation + cue -> direct quote")
    } else {
        (PARAPHRASE, "cue without quotation -> paraphrase")
    };
    if has(id) {
        (Some(id.into()), why.into())
    } else {
        (None, why.into())
    }
}

/// The source type a registry speaker implies by its kind or affiliation, if any.
fn by_speaker(sp: &Speaker, has: &dyn Fn(&str) -> bool) -> Option<(Option<String>, String)> {
    let pick = |id: &str, why: String| has(id).then(|| (Some(id.to_owned()), why));
    match sp.kind {
        SpeakerKind::MediaOutlet => pick(MEDIA, format!("{} is a media outlet -> media", sp.name)),
        SpeakerKind::GovernmentBody => pick(
            OFFICIAL,
            format!("{} is an official body -> official", sp.name),
        ),
        SpeakerKind::Author => pick(AUTHOR, "the author -> author's own voice".into()),
        SpeakerKind::Person => {
            if let Some(w) = has_word(&sp.affiliation, OFFICIAL_WORDS) {
                pick(
                    OFFICIAL,
                    format!("{}: '{}' ({w}) -> official", sp.name, sp.affiliation),
                )
            } else if let Some(w) = has_word(&sp.affiliation, EXPERT_WORDS) {
                pick(
                    EXPERT,
                    format!("{}: '{}' ({w}) -> expert", sp.name, sp.affiliation),
                )
            } else {
                None
            }
        }
        SpeakerKind::Organization => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(cb: &Codebook, id: &str) -> usize {
        cb.speakers.iter().position(|s| s.id == id).unwrap()
    }

    fn source(cb: &Codebook, who: Option<&Who>, quoted: bool, cued: bool) -> Option<String> {
        let form = Form {
            who,
            report: None,
            quoted,
            cued,
        };
        source_type(cb, &form).0
    }

    #[test]
    fn affiliations_make_officials_and_experts() {
        let cb = Codebook::default_codebook();
        let kind = |id: &str| source(&cb, Some(&Who::Registry(index(&cb, id))), true, true);
        assert_eq!(kind("john-kirby").as_deref(), Some(OFFICIAL));
        assert_eq!(kind("vladimir-putin").as_deref(), Some(OFFICIAL));
        assert_eq!(kind("yury-ushakov").as_deref(), Some(OFFICIAL));
        assert_eq!(kind("alexander-lukin").as_deref(), Some(EXPERT));
        assert_eq!(kind("zhang-hong").as_deref(), Some(EXPERT));
        assert_eq!(kind("andrew-small").as_deref(), Some(EXPERT));
        assert_eq!(kind("kremlin").as_deref(), Some(OFFICIAL));
        assert_eq!(kind("cnn").as_deref(), Some(MEDIA));
        // A court is neither: the form decides.
        assert_eq!(kind("icc").as_deref(), Some(DIRECT_QUOTE));
    }

    #[test]
    fn form_decides_for_unknown_speakers() {
        let cb = Codebook::default_codebook();
        let new = Who::Unregistered("Jane Doe".into());
        assert_eq!(
            source(&cb, Some(&new), true, true).as_deref(),
            Some(DIRECT_QUOTE)
        );
        assert_eq!(
            source(&cb, Some(&new), false, true).as_deref(),
            Some(PARAPHRASE)
        );
        assert_eq!(source(&cb, None, false, false).as_deref(), Some(AUTHOR));
        let vague = Who::Vague {
            words: "some experts".into(),
            media: false,
        };
        assert_eq!(
            source(&cb, Some(&vague), true, true).as_deref(),
            Some(ANONYMOUS)
        );
    }

    #[test]
    fn a_report_wins_over_the_speaker() {
        let cb = Codebook::default_codebook();
        let kirby = Who::Registry(index(&cb, "john-kirby"));
        let form = Form {
            who: Some(&kirby),
            report: Some("reported by CNN".into()),
            quoted: false,
            cued: true,
        };
        let (id, why) = source_type(&cb, &form);
        assert_eq!(id.as_deref(), Some(MEDIA));
        assert_eq!(why, "reported by CNN -> media");
    }

    #[test]
    fn missing_source_types_are_not_suggested() {
        let mut cb = Codebook::default_codebook();
        cb.source_types
            .retain(|l| l.id != OFFICIAL && l.id != DIRECT_QUOTE);
        let kirby = Who::Registry(index(&cb, "john-kirby"));
        assert_eq!(source(&cb, Some(&kirby), true, true), None);
        assert_eq!(
            source(&cb, Some(&kirby), false, true).as_deref(),
            Some(PARAPHRASE)
        );
    }
}

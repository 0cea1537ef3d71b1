//! Three-way merge of annotation files by claim id: what `stance merge` does as a git merge
//! driver.
//!
//! Each claim is merged field by field against the common ancestor: a field changed on one
//! side only takes that side's value, so edits to different claims (or different fields of
//! one claim) merge cleanly. A real conflict — the same field changed both ways — keeps OURS's
//! value in the field, appends a marker line to the claim's note and sets `unsure`:
//!
//! ```text
//! <<merge conflict>> stance ceasefire: ours=favor theirs=against
//! ```
//!
//! The result is still an ordinary annotation file (it loads, checks and exports), and
//! [`conflicts_in`] finds the markers again so the window can list them for adjudication.
//! Markers in the note rather than git's `<<<<<<<` lines, because those would make the file
//! unreadable RON and stop the coder's window from opening it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::core::annotation::{Anchor, AnnotationFile, Claim, Cue, SpeakerRef, Status};
use crate::core::coding_time::CodingTime;

/// The prefix of a conflict marker line in a claim's note.
pub const MARKER: &str = "<<merge conflict>>";

/// One field changed both ways. `ours` and `theirs` are the values as written in the marker:
/// labels and numbers bare, free text in double quotes with escapes, `(none)` for no value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeConflict {
    /// The claim, or `None` for a field of the file's header (reported by [`merge`], not
    /// written into the file, which has no place for it).
    pub claim: Option<String>,
    /// The field (`stance ceasefire`, `speaker`, `note`, `claim` for changed-versus-deleted).
    pub field: String,
    /// OURS's value (the one kept in the field).
    pub ours: String,
    /// THEIRS's value.
    pub theirs: String,
}

impl MergeConflict {
    /// The marker line written into the claim's note.
    pub fn marker(&self) -> String {
        format!(
            "{MARKER} {}: ours={} theirs={}",
            self.field, self.ours, self.theirs
        )
    }
}

impl fmt::Display for MergeConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.claim {
            Some(id) => write!(f, "claim {id}: ")?,
            None => f.write_str("file: ")?,
        }
        write!(
            f,
            "{}: ours={} theirs={}",
            self.field, self.ours, self.theirs
        )
    }
}

/// The merged file and the conflicts left in it.
#[derive(Clone, Debug, PartialEq)]
pub struct MergeOutcome {
    /// The merged file.
    pub merged: AnnotationFile,
    /// Every conflict, claim conflicts in claim order, then header conflicts.
    pub conflicts: Vec<MergeConflict>,
}

impl MergeOutcome {
    /// Whether the merge needs no one's attention.
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }
}

/// A label or number, bare.
fn bare(s: impl fmt::Display) -> String {
    s.to_string()
}

/// Free text, always quoted (so a one-word note is not mistaken for a label).
fn text(s: &str) -> String {
    format!("{s:?}")
}

/// An optional value: shown, or `(none)`.
fn or_none<T>(v: Option<&T>, show: impl Fn(&T) -> String) -> String {
    v.map_or_else(|| "(none)".to_owned(), show)
}

fn show_anchor(a: &Anchor) -> String {
    format!("{}..{}", a.start, a.end)
}

fn show_speaker(s: &SpeakerRef) -> String {
    match s {
        SpeakerRef::Registry(id) => bare(id),
        SpeakerRef::New(name) => text(name),
    }
}

fn show_cue(c: &Cue) -> String {
    text(&c.text)
}

/// The three-way choice for one field: `Ok` with the merged value, `Err` with OURS's value
/// when both sides changed it differently. `base` is `None` when the claim is new on both
/// sides (then any difference is a conflict).
fn three_way<T: PartialEq + Clone>(base: Option<&T>, ours: &T, theirs: &T) -> Result<T, T> {
    if ours == theirs || base == Some(theirs) {
        Ok(ours.clone())
    } else if base == Some(ours) {
        Ok(theirs.clone())
    } else {
        Err(ours.clone())
    }
}

/// Merges one claim present on both sides.
fn merge_claim(base: Option<&Claim>, ours: &Claim, theirs: &Claim) -> (Claim, Vec<MergeConflict>) {
    let mut conflicts = Vec::new();
    let id = ours.id.clone();
    let mut conflict = |field: &str, ours: String, theirs: String| {
        conflicts.push(MergeConflict {
            claim: Some(id.clone()),
            field: field.to_owned(),
            ours,
            theirs,
        });
    };

    let anchor =
        three_way(base.map(|b| &b.anchor), &ours.anchor, &theirs.anchor).unwrap_or_else(|kept| {
            conflict(
                "anchor",
                show_anchor(&ours.anchor),
                show_anchor(&theirs.anchor),
            );
            kept
        });
    let speaker = three_way(base.map(|b| &b.speaker), &ours.speaker, &theirs.speaker)
        .unwrap_or_else(|kept| {
            conflict(
                "speaker",
                or_none(ours.speaker.as_ref(), show_speaker),
                or_none(theirs.speaker.as_ref(), show_speaker),
            );
            kept
        });
    let cue = three_way(base.map(|b| &b.cue), &ours.cue, &theirs.cue).unwrap_or_else(|kept| {
        conflict(
            "cue",
            or_none(ours.cue.as_ref(), show_cue),
            or_none(theirs.cue.as_ref(), show_cue),
        );
        kept
    });
    let targets: BTreeSet<&String> = ours.stances.keys().chain(theirs.stances.keys()).collect();
    let mut stances = BTreeMap::new();
    for t in targets {
        let (o, th) = (ours.stances.get(t).cloned(), theirs.stances.get(t).cloned());
        let b = base.map(|b| b.stances.get(t).cloned());
        let merged = three_way(b.as_ref(), &o, &th).unwrap_or_else(|kept| {
            conflict(
                &format!("stance {t}"),
                or_none(o.as_ref(), String::clone),
                or_none(th.as_ref(), String::clone),
            );
            kept
        });
        if let Some(s) = merged {
            stances.insert(t.clone(), s);
        }
    }
    let source =
        three_way(base.map(|b| &b.source), &ours.source, &theirs.source).unwrap_or_else(|kept| {
            conflict(
                "source",
                or_none(ours.source.as_ref(), String::clone),
                or_none(theirs.source.as_ref(), String::clone),
            );
            kept
        });
    let note = three_way(base.map(|b| &b.note), &ours.note, &theirs.note).unwrap_or_else(|kept| {
        conflict("note", text(&ours.note), text(&theirs.note));
        kept
    });
    // A flag set on one side and cleared on the other cannot happen against a base; without
    // one, "unsure" is the careful answer.
    let unsure = three_way(base.map(|b| &b.unsure), &ours.unsure, &theirs.unsure).unwrap_or(true);
    // Times are facts, not opinions: the claim was created at the earliest and last changed
    // at the latest time either side knows.
    let created = three_way(base.map(|b| &b.created), &ours.created, &theirs.created)
        .unwrap_or_else(|_| ours.created.min(theirs.created));
    let modified = ours.modified.max(theirs.modified);

    let mut claim = Claim {
        id: ours.id.clone(),
        anchor,
        speaker,
        cue,
        stances,
        source,
        unsure,
        note,
        // Provenance is how the claim began, which an edit on either side does not change.
        origin: ours.origin.clone(),
        created,
        modified,
    };
    mark(&mut claim, &conflicts);
    (claim, conflicts)
}

/// Writes the conflicts' marker lines into the claim's note and marks it unsure.
fn mark(claim: &mut Claim, conflicts: &[MergeConflict]) {
    if conflicts.is_empty() {
        return;
    }
    let mut lines: Vec<String> = Vec::new();
    if !claim.note.is_empty() {
        lines.push(claim.note.clone());
    }
    lines.extend(conflicts.iter().map(MergeConflict::marker));
    claim.note = lines.join("\n");
    claim.unsure = true;
}

/// A claim one side deleted and the other changed: kept as changed, with a marker.
fn keep_changed(claim: &Claim, ours_deleted: bool) -> (Claim, MergeConflict) {
    let (ours, theirs) = if ours_deleted {
        ("deleted", "changed")
    } else {
        ("changed", "deleted")
    };
    let c = MergeConflict {
        claim: Some(claim.id.clone()),
        field: "claim".to_owned(),
        ours: ours.to_owned(),
        theirs: theirs.to_owned(),
    };
    let mut kept = claim.clone();
    mark(&mut kept, std::slice::from_ref(&c));
    (kept, c)
}

fn by_id(f: &AnnotationFile) -> BTreeMap<&str, &Claim> {
    f.claims.iter().map(|c| (c.id.as_str(), c)).collect()
}

/// Three-way merge of two versions of an annotation file against their common ancestor
/// (`None` when there is none, e.g. the file was added on both branches).
///
/// Claims are matched by id. A claim added on one side is kept; deleted on one side and
/// unchanged on the other, it is dropped; deleted on one side and changed on the other, it is
/// kept with a `claim: ours=deleted theirs=changed` marker. Header: `created` is the earlier,
/// `modified` the later time, `status` merges three-way and falls back to `InProgress`; other
/// header fields merge three-way and a conflict keeps OURS's value. Claims come out in text
/// order, so the output is the same whichever order git runs things in.
pub fn merge(
    base: Option<&AnnotationFile>,
    ours: &AnnotationFile,
    theirs: &AnnotationFile,
) -> MergeOutcome {
    let mut conflicts = Vec::new();
    let mut header_conflicts = Vec::new();
    let mut header = |field: &str, o: String, t: String| {
        header_conflicts.push(MergeConflict {
            claim: None,
            field: field.to_owned(),
            ours: o,
            theirs: t,
        });
    };
    let mut merged = ours.clone();
    if three_way(base.map(|b| &b.format), &ours.format, &theirs.format).is_err() {
        header("format", bare(ours.format), bare(theirs.format));
    }
    if three_way(base.map(|b| &b.offsets), &ours.offsets, &theirs.offsets).is_err() {
        header("offsets", text(&ours.offsets), text(&theirs.offsets));
    }
    merged.article = three_way(base.map(|b| &b.article), &ours.article, &theirs.article)
        .unwrap_or_else(|kept| {
            header(
                "article",
                text(&ours.article.fingerprint),
                text(&theirs.article.fingerprint),
            );
            kept
        });
    merged.codebook = three_way(base.map(|b| &b.codebook), &ours.codebook, &theirs.codebook)
        .unwrap_or_else(|kept| {
            let show = |f: &AnnotationFile| format!("{}@{}", f.codebook.id, f.codebook.version);
            header("codebook", show(ours), show(theirs));
            kept
        });
    merged.annotator = three_way(
        base.map(|b| &b.annotator),
        &ours.annotator,
        &theirs.annotator,
    )
    .unwrap_or_else(|kept| {
        header("annotator", text(&ours.annotator), text(&theirs.annotator));
        kept
    });
    merged.status = three_way(base.map(|b| &b.status), &ours.status, &theirs.status)
        .unwrap_or(Status::InProgress);
    merged.created = ours.created.min(theirs.created);
    merged.modified = ours.modified.max(theirs.modified);

    let (b, o, t) = (
        base.map(by_id).unwrap_or_default(),
        by_id(ours),
        by_id(theirs),
    );
    let ids: BTreeSet<&str> = o.keys().chain(t.keys()).copied().collect();
    let mut claims = Vec::new();
    for id in ids {
        let base_claim = b.get(id).copied();
        match (o.get(id).copied(), t.get(id).copied()) {
            (Some(oc), Some(tc)) => {
                let (claim, found) = merge_claim(base_claim, oc, tc);
                claims.push(claim);
                conflicts.extend(found);
            }
            (Some(only), None) | (None, Some(only)) => {
                let ours_has = o.contains_key(id);
                match base_claim {
                    // Added on one side.
                    None => claims.push(only.clone()),
                    // Deleted on the other side, unchanged here: the deletion wins.
                    Some(bc) if bc == only => {}
                    Some(_) => {
                        let (kept, c) = keep_changed(only, !ours_has);
                        claims.push(kept);
                        conflicts.push(c);
                    }
                }
            }
            (None, None) => {}
        }
    }
    merged.claims = claims;
    merged.sort_claims();
    // Time spent on either machine is real work: both sides' time since the base is kept.
    let keep: BTreeSet<&str> = merged.claims.iter().map(|c| c.id.as_str()).collect();
    merged.time = CodingTime::merge(base.map(|b| &b.time), &ours.time, &theirs.time, &keep);
    // Claim conflicts in the order the claims now stand.
    let order: BTreeMap<&str, usize> = merged
        .claims
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    conflicts.sort_by_key(|c| c.claim.as_deref().and_then(|id| order.get(id)).copied());
    conflicts.extend(header_conflicts);
    MergeOutcome { merged, conflicts }
}

/// Every conflict marker left in the claims' notes, in claim order.
pub fn conflicts_in(file: &AnnotationFile) -> Vec<MergeConflict> {
    file.claims
        .iter()
        .flat_map(|c| {
            c.note
                .lines()
                .filter_map(|line| parse_marker(&c.id, line))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// One marker line: `<<merge conflict>> FIELD: ours=VALUE theirs=VALUE`.
fn parse_marker(claim: &str, line: &str) -> Option<MergeConflict> {
    let rest = line.strip_prefix(MARKER)?.strip_prefix(' ')?;
    let (field, rest) = rest.split_once(": ours=")?;
    let (ours, rest) = token(rest)?;
    let theirs_part = rest.strip_prefix(" theirs=")?;
    let (theirs, tail) = token(theirs_part)?;
    tail.is_empty().then(|| MergeConflict {
        claim: Some(claim.to_owned()),
        field: field.to_owned(),
        ours: ours.to_owned(),
        theirs: theirs.to_owned(),
    })
}

/// Splits one value off the front of `s`: a double-quoted string (with backslash escapes)
/// or a run of non-space characters.
fn token(s: &str) -> Option<(&str, &str)> {
    if s.starts_with('"') {
        let mut escaped = false;
        for (i, ch) in s.char_indices().skip(1) {
            match ch {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => return Some(s.split_at(i + 1)),
                _ => {}
            }
        }
        None
    } else {
        let end = s.find(' ').unwrap_or(s.len());
        (end > 0).then(|| s.split_at(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::annotation::{ArticleRef, CodebookRef};
    use chrono::{DateTime, Utc};

    const TEXT: &str = "Title\n\nOne says peace. Two says war. Three.\n";

    fn claim(id: &str, sentence: u32) -> Claim {
        let needle = ["Title", "One", "Two", "Three"][sentence as usize];
        let start = TEXT.find(needle).unwrap();
        let end = start + TEXT[start..].find(['.', '\n']).unwrap();
        Claim {
            id: id.into(),
            anchor: Anchor::new(TEXT, sentence, sentence, start, end),
            speaker: Some(SpeakerRef::Registry("author".into())),
            cue: None,
            stances: [("ceasefire".to_owned(), "favor".to_owned())].into(),
            source: Some("author".into()),
            unsure: false,
            note: String::new(),
            origin: crate::core::annotation::Origin::Manual,
            created: "2024-01-01T00:00:00Z".parse().unwrap(),
            modified: "2024-01-01T00:00:00Z".parse().unwrap(),
        }
    }

    fn base() -> AnnotationFile {
        let mut f = AnnotationFile::new(
            ArticleRef {
                id: "a".into(),
                fingerprint: "sha256:0".into(),
            },
            CodebookRef {
                id: "cb".into(),
                version: 1,
            },
            "amira",
        );
        f.created = "2024-01-01T00:00:00Z".parse().unwrap();
        f.modified = f.created;
        f.claims = vec![claim("c1", 1), claim("c2", 2)];
        f
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn edits_to_different_claims_merge_cleanly() {
        let b = base();
        let mut o = b.clone();
        o.claims[0]
            .stances
            .insert("ceasefire".into(), "against".into());
        o.modified = at("2024-01-02T00:00:00Z");
        let mut t = b.clone();
        t.claims[1].source = Some("official".into());
        t.claims.push(claim("c3", 3));
        t.status = Status::Done;
        t.modified = at("2024-01-03T00:00:00Z");
        let out = merge(Some(&b), &o, &t);
        assert!(out.is_clean(), "{:?}", out.conflicts);
        let m = &out.merged;
        assert_eq!(m.claims.len(), 3);
        assert_eq!(m.claims[0].stances["ceasefire"], "against");
        assert_eq!(m.claims[1].source.as_deref(), Some("official"));
        assert_eq!(m.status, Status::Done);
        assert_eq!(m.modified, at("2024-01-03T00:00:00Z"));
        // The same result whichever side is "ours".
        let swapped = merge(Some(&b), &t, &o);
        assert_eq!(swapped.merged.claims, m.claims);
    }

    #[test]
    fn coding_time_from_both_machines_is_kept_and_never_a_conflict() {
        let mut b = base();
        b.time.article = 100;
        b.time.claims.insert("c1".into(), 40);
        let mut o = b.clone();
        o.time.article = 160;
        o.time.claims.insert("c1".into(), 70);
        let mut t = b.clone();
        t.time.article = 120;
        t.time.claims.insert("c1".into(), 50);
        let out = merge(Some(&b), &o, &t);
        assert!(out.is_clean(), "{:?}", out.conflicts);
        assert_eq!(out.merged.time.article, 180);
        assert_eq!(out.merged.time.claim("c1"), 80);
        // A claim deleted on one side takes its time line with it.
        let mut t = b.clone();
        t.claims.retain(|c| c.id != "c1");
        let out = merge(Some(&b), &b, &t);
        assert!(out.merged.claim("c1").is_none());
        assert_eq!(out.merged.time.claim("c1"), 0);
        assert!(!out.merged.time.claims.contains_key("c1"));
    }

    #[test]
    fn a_real_conflict_keeps_ours_and_leaves_a_marker() {
        let b = base();
        let mut o = b.clone();
        o.claims[0]
            .stances
            .insert("ceasefire".into(), "favor".into());
        o.claims[0]
            .stances
            .insert("mediation".into(), "neutral".into());
        o.claims[0].note = "my note".into();
        let mut t = b.clone();
        t.claims[0]
            .stances
            .insert("ceasefire".into(), "against".into());
        t.claims[0]
            .stances
            .insert("mediation".into(), "favor".into());
        t.claims[0].note = "their \"note\"".into();
        o.claims[0]
            .stances
            .insert("ceasefire".into(), "unclear".into());
        let out = merge(Some(&b), &o, &t);
        let c = &out.merged.claims[0];
        assert_eq!(c.stances["ceasefire"], "unclear");
        assert!(c.unsure);
        assert_eq!(
            c.note,
            "my note\n\
             <<merge conflict>> stance ceasefire: ours=unclear theirs=against\n\
             <<merge conflict>> stance mediation: ours=neutral theirs=favor\n\
             <<merge conflict>> note: ours=\"my note\" theirs=\"their \\\"note\\\"\""
        );
        assert_eq!(out.conflicts.len(), 3);
        assert_eq!(conflicts_in(&out.merged), out.conflicts);
        assert_eq!(out.conflicts[2].theirs, "\"their \\\"note\\\"\"");
    }

    #[test]
    fn changed_versus_deleted_keeps_the_claim() {
        let b = base();
        let mut o = b.clone();
        o.claims.remove(0);
        o.claims.remove(0); // c2 deleted, unchanged on the other side
        let mut t = b.clone();
        t.claims[0].speaker = Some(SpeakerRef::New("A Minister".into()));
        let out = merge(Some(&b), &o, &t);
        assert_eq!(out.merged.claims.len(), 1);
        assert_eq!(out.merged.claims[0].id, "c1");
        assert_eq!(
            out.conflicts,
            vec![MergeConflict {
                claim: Some("c1".into()),
                field: "claim".into(),
                ours: "deleted".into(),
                theirs: "changed".into(),
            }]
        );
        assert_eq!(conflicts_in(&out.merged), out.conflicts);
    }

    #[test]
    fn without_a_base_differences_conflict_and_status_is_careful() {
        let mut o = base();
        o.status = Status::Done;
        let mut t = base();
        t.claims[1].speaker = Some(SpeakerRef::New("Kim".into()));
        let out = merge(None, &o, &t);
        assert_eq!(out.merged.status, Status::InProgress);
        assert_eq!(out.conflicts.len(), 1);
        assert_eq!(
            out.conflicts[0].to_string(),
            "claim c2: speaker: ours=author theirs=\"Kim\""
        );
    }

    #[test]
    fn header_conflicts_are_reported_not_written() {
        let b = base();
        let mut o = b.clone();
        o.article.fingerprint = "sha256:1".into();
        let mut t = b.clone();
        t.article.fingerprint = "sha256:2".into();
        let out = merge(Some(&b), &o, &t);
        assert_eq!(out.merged.article.fingerprint, "sha256:1");
        assert_eq!(out.conflicts.len(), 1);
        assert_eq!(out.conflicts[0].claim, None);
        assert!(conflicts_in(&out.merged).is_empty());
    }

    #[test]
    fn marker_tokens_parse() {
        assert_eq!(token("favor theirs=x"), Some(("favor", " theirs=x")));
        assert_eq!(token("\"a \\\" b\" rest"), Some(("\"a \\\" b\"", " rest")));
        assert_eq!(token("\"open"), None);
        assert_eq!(
            parse_marker("c", "<<merge conflict>> source: ours=(none) theirs=media")
                .map(|c| c.ours),
            Some("(none)".to_owned())
        );
        assert_eq!(parse_marker("c", "a coder's note"), None);
    }
}

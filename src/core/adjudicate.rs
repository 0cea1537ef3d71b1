//! Adjudication: a gold annotation file built from the coders' files of one article.
//!
//! First an automatic merge by a [`Strategy`] decides every field the coders agree on well
//! enough; what remains is a list of [`Dispute`]s (a claim group, a field, each coder's value)
//! that an editor resolves by picking one coder's value or typing their own. [`Adjudication::
//! to_gold`] then writes an ordinary annotation file with annotator `gold`: it validates,
//! exports and counts in agreement like any other.
//!
//! **Provenance lives in each gold claim's `note`**, one line per field, such as
//! `gold: stance ceasefire from jonas, chosen by ed`. Not in a sidecar file, because the note
//! travels with the claim wherever the gold file goes — through `stance export`, `stance diff`,
//! a git merge or a hand edit — while a sidecar would silently go stale the first time the
//! gold file changes without it, and a claim would then claim an origin it no longer has.
//! [`provenance`] reads the lines back so a window can show who chose what.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::core::annotation::{
    Anchor, AnnotationFile, ArticleRef, Claim, CodebookRef, SpeakerRef, Status, new_claim_id,
};
use crate::core::codebook::Codebook;
use crate::core::names::{self, NameError};
use crate::core::project;
use crate::core::review::{ClaimGroup, GOLD, align, sentence_label, speaker_text};

/// How the automatic merge decides a field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Strategy {
    /// A field is decided only when every coder who made a claim there agrees; a claim is in
    /// gold only when every coder made one.
    Unanimous,
    /// A value is decided when its share of the coders is at least `threshold` (in `(0, 1]`)
    /// and no other value is as common. For the claim itself the share is of all coders (so a
    /// majority can also decide there is no claim); for its fields, of the coders who made it.
    Majority {
        /// The share of coders needed.
        threshold: f64,
    },
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unanimous => f.write_str("unanimous"),
            Self::Majority { threshold } => write!(f, "majority {threshold}"),
        }
    }
}

/// A field of a claim that coders can disagree on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// Whether there is a claim here at all.
    Claim,
    /// The stretch of text the claim covers.
    Anchor,
    /// Who makes the claim.
    Speaker,
    /// The stance on one target.
    Stance(String),
    /// The source type.
    Source,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Claim => f.write_str("claim"),
            Self::Anchor => f.write_str("anchor"),
            Self::Speaker => f.write_str("speaker"),
            Self::Stance(t) => write!(f, "stance {t}"),
            Self::Source => f.write_str("source"),
        }
    }
}

/// One coder's (or the editor's) value of a [`Field`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// For [`Field::Claim`]: whether there is a claim.
    Present(bool),
    /// For [`Field::Anchor`].
    Anchor(Anchor),
    /// For [`Field::Speaker`].
    Speaker(Option<SpeakerRef>),
    /// For [`Field::Stance`]: the stance label, `None` when the target is not addressed.
    Stance(Option<String>),
    /// For [`Field::Source`].
    Source(Option<String>),
}

impl Value {
    /// Whether this value can fill `field`.
    pub fn fits(&self, field: &Field) -> bool {
        matches!(
            (self, field),
            (Self::Present(_), Field::Claim)
                | (Self::Anchor(_), Field::Anchor)
                | (Self::Speaker(_), Field::Speaker)
                | (Self::Stance(_), Field::Stance(_))
                | (Self::Source(_), Field::Source)
        )
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Present(true) => f.write_str("claim"),
            Self::Present(false) => f.write_str("no claim"),
            Self::Anchor(a) => write!(
                f,
                "{} bytes {}..{}",
                sentence_label(a.first, a.last),
                a.start,
                a.end
            ),
            Self::Speaker(s) => f.write_str(&speaker_text(s.as_ref())),
            Self::Stance(s) => f.write_str(s.as_deref().unwrap_or("not coded")),
            Self::Source(s) => f.write_str(s.as_deref().unwrap_or("none")),
        }
    }
}

/// Where a gold field's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The automatic merge: these coders agreed, under this strategy (as displayed).
    Agreed {
        /// The coders whose value it is.
        annotators: Vec<String>,
        /// The strategy, as [`Strategy`] displays it.
        strategy: String,
    },
    /// The editor picked this coder's value.
    Picked {
        /// Whose value.
        annotator: String,
        /// The editor.
        editor: String,
    },
    /// The editor typed the value.
    Typed {
        /// The editor.
        editor: String,
    },
    /// Not decided yet: the gold claim holds a placeholder and is marked unsure.
    Undecided,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Agreed {
                annotators,
                strategy,
            } => write!(f, "agreed by {} ({strategy})", annotators.join(", ")),
            Self::Picked { annotator, editor } => {
                write!(f, "from {annotator}, chosen by {editor}")
            }
            Self::Typed { editor } => write!(f, "typed by {editor}"),
            Self::Undecided => f.write_str("undecided"),
        }
    }
}

/// A decided field: the value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The value gold gets.
    pub value: Value,
    /// Who decided it.
    pub origin: Origin,
}

/// A field the automatic merge left open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dispute {
    /// Index of the claim group in [`Adjudication::groups`].
    pub group: usize,
    /// Which field.
    pub field: Field,
    /// Each coder's value (for [`Field::Claim`], every coder; otherwise the coders who made
    /// the claim).
    pub values: BTreeMap<String, Value>,
    /// The editor's decision, once made.
    pub resolution: Option<Decision>,
}

/// Why an adjudication cannot start or a resolution is refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum AdjudicateError {
    /// No coder files to adjudicate.
    #[error("there are no coders' files to adjudicate")]
    NoFiles,
    /// The files are about different articles.
    #[error("the files are about different articles (`{0}` and `{1}`)")]
    MixedArticles(String, String),
    /// A majority threshold outside `(0, 1]`.
    #[error("the majority threshold must be above 0 and at most 1, not {0}")]
    BadThreshold(f64),
    /// No dispute with that index.
    #[error("there is no dispute number {0}")]
    NoDispute(usize),
    /// Picking a coder who has no value for the field.
    #[error("{0} has no value for this field; pick one of {1}")]
    NoSuchValue(String, String),
    /// A typed value of the wrong kind or with a label the codebook lacks.
    #[error("{0}")]
    BadValue(String),
    /// The editor's name cannot be used.
    #[error("the editor name is not usable: {0}")]
    BadEditor(NameError),
}

/// An adjudication in progress for one article.
#[derive(Clone, Debug)]
pub struct Adjudication {
    /// The article (from the first coder's file).
    pub article: ArticleRef,
    /// The codebook (from the first coder's file).
    pub codebook: CodebookRef,
    /// The coders, sorted.
    pub coders: Vec<String>,
    /// The strategy of the automatic merge.
    pub strategy: Strategy,
    /// The aligned claim groups.
    pub groups: Vec<ClaimGroup>,
    /// Per group, the fields the automatic merge decided.
    pub decided: Vec<BTreeMap<Field, Decision>>,
    /// The fields left to the editor, in group then field order.
    pub disputes: Vec<Dispute>,
}

/// The value that `strategy` decides among `values`, with who holds it.
fn decide(values: &BTreeMap<String, Value>, strategy: Strategy) -> Option<(Value, Vec<String>)> {
    let mut counts: Vec<(&Value, Vec<String>)> = Vec::new();
    for (who, v) in values {
        match counts.iter_mut().find(|(c, _)| *c == v) {
            Some((_, holders)) => holders.push(who.clone()),
            None => counts.push((v, vec![who.clone()])),
        }
    }
    counts.sort_by_key(|(_, holders)| std::cmp::Reverse(holders.len()));
    let (top, holders) = counts.first()?;
    let decided = match strategy {
        Strategy::Unanimous => counts.len() == 1,
        Strategy::Majority { threshold } => {
            let unique_top = counts.get(1).is_none_or(|(_, h)| h.len() < holders.len());
            unique_top && holders.len() as f64 / values.len() as f64 >= threshold
        }
    };
    decided.then(|| ((*top).clone(), holders.clone()))
}

/// Each claim-level field of a group and every present coder's value of it.
fn field_values(group: &ClaimGroup) -> Vec<(Field, BTreeMap<String, Value>)> {
    let per = |f: &dyn Fn(&Claim) -> Value| -> BTreeMap<String, Value> {
        group
            .claims
            .iter()
            .map(|(who, c)| (who.clone(), f(c)))
            .collect()
    };
    let mut out = vec![
        (Field::Anchor, per(&|c| Value::Anchor(c.anchor.clone()))),
        (Field::Speaker, per(&|c| Value::Speaker(c.speaker.clone()))),
    ];
    let targets: BTreeSet<&String> = group
        .claims
        .values()
        .flat_map(|c| c.stances.keys())
        .collect();
    for t in targets {
        out.push((
            Field::Stance(t.clone()),
            per(&|c| Value::Stance(c.stances.get(t).cloned())),
        ));
    }
    out.push((Field::Source, per(&|c| Value::Source(c.source.clone()))));
    out
}

impl Adjudication {
    /// Aligns the coders' files of one article and runs the automatic merge. Files of the
    /// `gold` annotator are ignored: gold is the result, not a coder.
    pub fn new(files: &[AnnotationFile], strategy: Strategy) -> Result<Self, AdjudicateError> {
        if let Strategy::Majority { threshold } = strategy
            && !(threshold > 0.0 && threshold <= 1.0)
        {
            return Err(AdjudicateError::BadThreshold(threshold));
        }
        let mut coders: Vec<AnnotationFile> = files
            .iter()
            .filter(|f| f.annotator != GOLD)
            .cloned()
            .collect();
        coders.sort_by(|a, b| a.annotator.cmp(&b.annotator));
        let first = coders.first().ok_or(AdjudicateError::NoFiles)?;
        if let Some(other) = coders.iter().find(|f| f.article.id != first.article.id) {
            return Err(AdjudicateError::MixedArticles(
                first.article.id.clone(),
                other.article.id.clone(),
            ));
        }
        let names: Vec<String> = coders.iter().map(|f| f.annotator.clone()).collect();
        let groups = align(&coders);
        let agreed = |holders: Vec<String>| Origin::Agreed {
            annotators: holders,
            strategy: strategy.to_string(),
        };
        let mut decided = Vec::with_capacity(groups.len());
        let mut disputes = Vec::new();
        for (g, group) in groups.iter().enumerate() {
            let mut fields = BTreeMap::new();
            let presence: BTreeMap<String, Value> = names
                .iter()
                .map(|n| (n.clone(), Value::Present(group.claims.contains_key(n))))
                .collect();
            let mut all = vec![(Field::Claim, presence)];
            all.extend(field_values(group));
            for (field, values) in all {
                if let Some((value, holders)) = decide(&values, strategy) {
                    let absent = value == Value::Present(false);
                    fields.insert(
                        field,
                        Decision {
                            value,
                            origin: agreed(holders),
                        },
                    );
                    if absent {
                        break; // no claim: its fields are moot
                    }
                } else {
                    disputes.push(Dispute {
                        group: g,
                        field,
                        values,
                        resolution: None,
                    });
                }
            }
            decided.push(fields);
        }
        Ok(Self {
            article: first.article.clone(),
            codebook: first.codebook.clone(),
            coders: names,
            strategy,
            groups,
            decided,
            disputes,
        })
    }

    /// The decision for a field of a group: automatic, else the editor's, else none.
    pub fn decision(&self, group: usize, field: &Field) -> Option<&Decision> {
        self.decided
            .get(group)
            .and_then(|d| d.get(field))
            .or_else(|| {
                self.disputes
                    .iter()
                    .find(|d| d.group == group && d.field == *field)
                    .and_then(|d| d.resolution.as_ref())
            })
    }

    /// Whether group `group` has been decided to hold no claim.
    fn excluded(&self, group: usize) -> bool {
        self.decision(group, &Field::Claim)
            .is_some_and(|d| d.value == Value::Present(false))
    }

    /// The disputes still waiting for the editor, with their indices, skipping fields of
    /// groups decided to hold no claim.
    pub fn open_disputes(&self) -> Vec<(usize, &Dispute)> {
        self.disputes
            .iter()
            .enumerate()
            .filter(|(_, d)| d.resolution.is_none())
            .filter(|(_, d)| d.field == Field::Claim || !self.excluded(d.group))
            .collect()
    }

    /// Resolves dispute `index` with `annotator`'s value, chosen by `editor`.
    pub fn pick(
        &mut self,
        index: usize,
        annotator: &str,
        editor: &str,
    ) -> Result<(), AdjudicateError> {
        names::validate_person(editor).map_err(AdjudicateError::BadEditor)?;
        let dispute = self
            .disputes
            .get_mut(index)
            .ok_or(AdjudicateError::NoDispute(index))?;
        let Some(value) = dispute.values.get(annotator) else {
            let who: Vec<&str> = dispute.values.keys().map(String::as_str).collect();
            return Err(AdjudicateError::NoSuchValue(
                annotator.to_owned(),
                who.join(", "),
            ));
        };
        dispute.resolution = Some(Decision {
            value: value.clone(),
            origin: Origin::Picked {
                annotator: annotator.to_owned(),
                editor: editor.to_owned(),
            },
        });
        Ok(())
    }

    /// Resolves dispute `index` with a value the editor typed, after checking it fits the
    /// field and its labels are in `codebook` (so the gold file loads).
    pub fn type_value(
        &mut self,
        index: usize,
        value: Value,
        editor: &str,
        codebook: &Codebook,
    ) -> Result<(), AdjudicateError> {
        names::validate_person(editor).map_err(AdjudicateError::BadEditor)?;
        let dispute = self
            .disputes
            .get_mut(index)
            .ok_or(AdjudicateError::NoDispute(index))?;
        if !value.fits(&dispute.field) {
            return Err(AdjudicateError::BadValue(format!(
                "`{value}` is not a value for the {} field",
                dispute.field
            )));
        }
        let unknown = match &value {
            Value::Stance(Some(s)) if codebook.stance(s).is_none() => {
                Some(format!("unknown stance label `{s}`"))
            }
            Value::Source(Some(s)) if codebook.source_type(s).is_none() => {
                Some(format!("unknown source type `{s}`"))
            }
            Value::Speaker(Some(SpeakerRef::Registry(s))) if codebook.speaker(s).is_none() => {
                Some(format!("speaker `{s}` is not in the registry"))
            }
            _ => None,
        };
        if let Some(message) = unknown {
            return Err(AdjudicateError::BadValue(message));
        }
        dispute.resolution = Some(Decision {
            value,
            origin: Origin::Typed {
                editor: editor.to_owned(),
            },
        });
        Ok(())
    }

    /// Takes up the editor's decisions recorded in an earlier `gold` of this article, so a
    /// rebuilt adjudication resumes where the last "Save gold" left it; returns how many.
    ///
    /// A gold claim keeps the id of a coder's claim in its group, which finds the group; each
    /// field its provenance says was picked or typed by an editor, and whose dispute is still
    /// open, gets the gold claim's value back. A claim decided not to exist leaves nothing in
    /// gold, so that question is asked again.
    pub fn resume(&mut self, gold: &AnnotationFile) -> usize {
        let mut taken = 0;
        for claim in &gold.claims {
            let Some(group) = self
                .groups
                .iter()
                .position(|g| g.claims.values().any(|c| c.id == claim.id))
            else {
                continue;
            };
            for (field, origin) in provenance(claim) {
                if !matches!(origin, Origin::Picked { .. } | Origin::Typed { .. }) {
                    continue;
                }
                let value = match &field {
                    Field::Claim => Value::Present(true),
                    Field::Anchor => Value::Anchor(claim.anchor.clone()),
                    Field::Speaker => Value::Speaker(claim.speaker.clone()),
                    Field::Stance(target) => Value::Stance(claim.stances.get(target).cloned()),
                    Field::Source => Value::Source(claim.source.clone()),
                };
                if let Some(dispute) = self
                    .disputes
                    .iter_mut()
                    .find(|d| d.group == group && d.field == field && d.resolution.is_none())
                {
                    dispute.resolution = Some(Decision { value, origin });
                    taken += 1;
                }
            }
        }
        taken
    }

    /// Takes back the editor's decision on dispute `index`; whether there was one.
    pub fn unresolve(&mut self, index: usize) -> bool {
        self.disputes
            .get_mut(index)
            .and_then(|d| d.resolution.take())
            .is_some()
    }

    /// The gold file as decided so far, with `time` as its times.
    ///
    /// A group whose claim is not (yet) decided to exist is left out. A gold claim with an
    /// undecided field gets a placeholder (the first coder's anchor; no speaker, stance or
    /// source) and `unsure = true`. The file is `Done` when no dispute is open.
    ///
    /// Each gold claim keeps the id of the first coder's claim in its group, so
    /// `stance diff ana.ron gold.ron` lines up the claims gold took over from that coder.
    pub fn to_gold(&self, time: DateTime<Utc>) -> AnnotationFile {
        let mut gold = AnnotationFile::new(self.article.clone(), self.codebook.clone(), GOLD);
        gold.created = time;
        gold.modified = time;
        gold.status = if self.open_disputes().is_empty() {
            Status::Done
        } else {
            Status::InProgress
        };
        let mut used = BTreeSet::new();
        for (g, group) in self.groups.iter().enumerate() {
            let Some(Decision {
                value: Value::Present(true),
                ..
            }) = self.decision(g, &Field::Claim)
            else {
                continue;
            };
            if let Some(claim) = self.gold_claim(g, group, time, &mut used) {
                gold.claims.push(claim);
            }
        }
        gold.sort_claims();
        gold
    }

    /// The gold claim of one group, with its provenance in the note.
    fn gold_claim(
        &self,
        g: usize,
        group: &ClaimGroup,
        time: DateTime<Utc>,
        used: &mut BTreeSet<String>,
    ) -> Option<Claim> {
        let base = group.claims.values().next()?;
        let mut lines = Vec::new();
        let mut undecided = false;
        let mut get = |field: Field| -> Option<Value> {
            let d = self.decision(g, &field);
            let origin = d.map_or(Origin::Undecided, |d| d.origin.clone());
            undecided |= d.is_none();
            lines.push(format!("gold: {field} {origin}"));
            d.map(|d| d.value.clone())
        };
        get(Field::Claim);
        let anchor = match get(Field::Anchor) {
            Some(Value::Anchor(a)) => a,
            _ => base.anchor.clone(),
        };
        let speaker = match get(Field::Speaker) {
            Some(Value::Speaker(s)) => s,
            _ => None,
        };
        let targets: BTreeSet<String> = group
            .claims
            .values()
            .flat_map(|c| c.stances.keys().cloned())
            .collect();
        let mut stances = BTreeMap::new();
        for t in targets {
            if let Some(Value::Stance(Some(s))) = get(Field::Stance(t.clone())) {
                stances.insert(t, s);
            }
        }
        let source = match get(Field::Source) {
            Some(Value::Source(s)) => s,
            _ => None,
        };
        // The cue belongs to the text the anchor was taken from.
        let cue = group
            .claims
            .values()
            .find(|c| c.anchor == anchor)
            .and_then(|c| c.cue.clone());
        let id = group
            .claims
            .values()
            .map(|c| c.id.clone())
            .find(|id| !used.contains(id))
            .unwrap_or_else(new_claim_id);
        used.insert(id.clone());
        Some(Claim {
            id,
            anchor,
            speaker,
            cue,
            stances,
            source,
            unsure: undecided,
            note: lines.join("\n"),
            // Gold is the editor's decision, whatever the coders' claims started as.
            origin: crate::core::annotation::Origin::Manual,
            created: time,
            modified: time,
        })
    }
}

/// `root/annotations/<article>/gold.ron`.
pub fn gold_path(root: &Path, article: &str) -> Result<PathBuf, NameError> {
    project::annotation_path(root, article, GOLD)
}

/// The provenance lines of a gold claim's note, read back: which field, and where its value
/// came from. Lines that are not provenance are ignored.
pub fn provenance(claim: &Claim) -> Vec<(Field, Origin)> {
    claim.note.lines().filter_map(parse_provenance).collect()
}

/// One `gold: <field> <origin>` line.
fn parse_provenance(line: &str) -> Option<(Field, Origin)> {
    let rest = line.strip_prefix("gold: ")?;
    let (field, rest) = if let Some(r) = rest.strip_prefix("stance ") {
        let (target, r) = r.split_once(' ')?;
        (Field::Stance(target.to_owned()), r)
    } else {
        let (name, r) = rest.split_once(' ')?;
        let field = match name {
            "claim" => Field::Claim,
            "anchor" => Field::Anchor,
            "speaker" => Field::Speaker,
            "source" => Field::Source,
            _ => return None,
        };
        (field, r)
    };
    let origin = if rest == "undecided" {
        Origin::Undecided
    } else if let Some(editor) = rest.strip_prefix("typed by ") {
        Origin::Typed {
            editor: editor.to_owned(),
        }
    } else if let Some(r) = rest.strip_prefix("from ") {
        let (annotator, editor) = r.split_once(", chosen by ")?;
        Origin::Picked {
            annotator: annotator.to_owned(),
            editor: editor.to_owned(),
        }
    } else {
        let r = rest.strip_prefix("agreed by ")?;
        let (who, strategy) = r.strip_suffix(')')?.rsplit_once(" (")?;
        Origin::Agreed {
            annotators: who.split(", ").map(str::to_owned).collect(),
            strategy: strategy.to_owned(),
        }
    };
    Some((field, origin))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testkit::{claim, file, t};

    /// Three coders: all agree on s1; two of three on s2's stance; only one made s3.
    fn three() -> Vec<AnnotationFile> {
        vec![
            file(
                "amira",
                vec![
                    claim("a1", 1, "author", "favor"),
                    claim("a2", 2, "kremlin", "against"),
                    claim("a3", 3, "author", "neutral"),
                ],
            ),
            file(
                "ben",
                vec![
                    claim("b1", 1, "author", "favor"),
                    claim("b2", 2, "kremlin", "against"),
                ],
            ),
            file(
                "jonas",
                vec![
                    claim("j1", 1, "author", "favor"),
                    claim("j2", 2, "kremlin", "favor"),
                ],
            ),
        ]
    }

    #[test]
    fn unanimous_decides_only_full_agreement() {
        let adj = Adjudication::new(&three(), Strategy::Unanimous).unwrap();
        assert_eq!(adj.groups.len(), 3);
        let open: Vec<(usize, Field)> = adj
            .open_disputes()
            .iter()
            .map(|(_, d)| (d.group, d.field.clone()))
            .collect();
        assert_eq!(
            open,
            vec![(1, Field::Stance("ceasefire".into())), (2, Field::Claim)]
        );
        let gold = adj.to_gold(t("2024-03-01T00:00:00Z"));
        // s3 is not in gold until the editor decides; s2 is, marked unsure.
        assert_eq!(gold.claims.len(), 2);
        assert_eq!(gold.status, Status::InProgress);
        assert_eq!(gold.claims[0].id, "a1");
        assert!(!gold.claims[0].unsure);
        assert!(gold.claims[1].unsure);
        assert!(!gold.claims[1].stances.contains_key("ceasefire"));
        assert!(
            gold.claims[1]
                .note
                .contains("gold: stance ceasefire undecided"),
            "{}",
            gold.claims[1].note
        );
    }

    #[test]
    fn majority_decides_two_of_three_and_absence() {
        let adj = Adjudication::new(&three(), Strategy::Majority { threshold: 0.6 }).unwrap();
        assert!(adj.open_disputes().is_empty(), "{:?}", adj.open_disputes());
        let gold = adj.to_gold(t("2024-03-01T00:00:00Z"));
        assert_eq!(gold.status, Status::Done);
        // s3 (one coder of three) is decided away; s2's stance goes to the two who agree.
        assert_eq!(gold.claims.len(), 2);
        assert_eq!(gold.claims[1].stances["ceasefire"], "against");
        let prov = provenance(&gold.claims[1]);
        assert!(prov.contains(&(
            Field::Stance("ceasefire".into()),
            Origin::Agreed {
                annotators: vec!["amira".into(), "ben".into()],
                strategy: "majority 0.6".into(),
            }
        )));
        // A higher bar leaves the 2-of-3 split open.
        let strict = Adjudication::new(&three(), Strategy::Majority { threshold: 0.7 }).unwrap();
        assert_eq!(strict.open_disputes().len(), 2);
    }

    #[test]
    fn a_tie_is_never_a_majority() {
        let files = [
            file("amira", vec![claim("a1", 1, "author", "favor")]),
            file("jonas", vec![claim("j1", 1, "author", "against")]),
        ];
        let adj = Adjudication::new(&files, Strategy::Majority { threshold: 0.5 }).unwrap();
        let open = adj.open_disputes();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].1.field, Field::Stance("ceasefire".into()));
        assert_eq!(
            Adjudication::new(&files, Strategy::Majority { threshold: 0.0 }).unwrap_err(),
            AdjudicateError::BadThreshold(0.0)
        );
        assert_eq!(
            Adjudication::new(&[], Strategy::Unanimous).unwrap_err(),
            AdjudicateError::NoFiles
        );
    }

    #[test]
    fn the_editor_picks_and_types_and_provenance_says_so() {
        let cb = Codebook::default_codebook();
        let mut adj = Adjudication::new(&three(), Strategy::Unanimous).unwrap();
        let stance = adj.open_disputes()[0].0;
        let exists = adj.open_disputes()[1].0;
        assert!(matches!(
            adj.pick(stance, "nobody", "ed"),
            Err(AdjudicateError::NoSuchValue(..))
        ));
        adj.pick(stance, "jonas", "ed").unwrap();
        assert!(
            adj.type_value(exists, Value::Stance(Some("favor".into())), "ed", &cb)
                .is_err()
        );
        assert!(
            adj.type_value(stance, Value::Stance(Some("maybe".into())), "ed", &cb)
                .is_err()
        );
        adj.type_value(exists, Value::Present(true), "ed", &cb)
            .unwrap();
        // The new claim from amira alone: its fields are hers by unanimity of one.
        let gold = adj.to_gold(t("2024-03-01T00:00:00Z"));
        assert_eq!(gold.status, Status::Done);
        assert_eq!(gold.claims.len(), 3);
        assert_eq!(gold.claims[1].stances["ceasefire"], "favor");
        assert!(!gold.claims[1].unsure);
        assert_eq!(
            provenance(&gold.claims[1])
                .into_iter()
                .find(|(f, _)| *f == Field::Stance("ceasefire".into())),
            Some((
                Field::Stance("ceasefire".into()),
                Origin::Picked {
                    annotator: "jonas".into(),
                    editor: "ed".into()
                }
            ))
        );
        assert_eq!(
            provenance(&gold.claims[2])[0],
            (
                Field::Claim,
                Origin::Typed {
                    editor: "ed".into()
                }
            )
        );
        assert!(adj.unresolve(stance));
        assert!(!adj.unresolve(stance));
        assert_eq!(adj.open_disputes().len(), 1);
    }

    #[test]
    fn rejecting_a_claim_drops_its_field_disputes() {
        let files = [
            file("amira", vec![claim("a1", 1, "author", "favor")]),
            file("jonas", vec![]),
        ];
        let cb = Codebook::default_codebook();
        let mut adj = Adjudication::new(&files, Strategy::Unanimous).unwrap();
        assert_eq!(adj.open_disputes().len(), 1);
        adj.pick(0, "jonas", "ed").unwrap();
        assert!(adj.open_disputes().is_empty());
        assert!(adj.to_gold(t("2024-03-01T00:00:00Z")).claims.is_empty());
        adj.type_value(0, Value::Present(true), "ed", &cb).unwrap();
        assert_eq!(adj.to_gold(t("2024-03-01T00:00:00Z")).claims.len(), 1);
    }

    #[test]
    fn provenance_lines_round_trip() {
        for line in [
            "gold: claim agreed by amira, jonas (unanimous)",
            "gold: stance ceasefire from Ana Maria, chosen by ed",
            "gold: source typed by ed",
            "gold: anchor undecided",
        ] {
            let (field, origin) = parse_provenance(line).unwrap();
            assert_eq!(format!("gold: {field} {origin}"), line);
        }
        assert_eq!(parse_provenance("a coder's note"), None);
    }
}

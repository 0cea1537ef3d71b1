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

use crate::core::compare::review::{ClaimGroup, GOLD, align, sentence_label, speaker_text};
use crate::core::model::annotation::{
    Anchor, AnnotationFile, ArticleRef, Claim, CodebookRef, SpeakerRef, Status, new_claim_id,
};
use crate::core::model::codebook::Codebook;
use crate::core::model::names::{self, NameError};
use crate::core::project;

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
pub enum GoldSource {
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
    /// Settled by a decision on a neighbouring claim group over the same text (see
    /// [`Adjudication::decision`]): keeping a claim there leaves this group's anchor only the
    /// extents that do not take that claim's text in; an anchor there that takes in this
    /// group's text leaves no claim here.
    Follows {
        /// The field decided there: [`Field::Claim`] (the claim was kept) or
        /// [`Field::Anchor`] (its anchor takes this group's text in).
        field: Field,
        /// The id of a coder's claim in that group, by which the window and the gold file
        /// (whose claims keep coders' ids) name it; no sentence numbers, which go stale.
        claim: String,
    },
}

impl fmt::Display for GoldSource {
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
            Self::Follows {
                field: Field::Claim,
                claim,
            } => write!(f, "follows from keeping claim {claim}"),
            Self::Follows { field, claim } => {
                write!(f, "follows from the {field} of claim {claim}")
            }
        }
    }
}

/// A decided field: the value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The value gold gets.
    pub value: Value,
    /// Who decided it.
    pub origin: GoldSource,
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
    /// Pairs of groups over the same text whose decisions depend on each other.
    links: Vec<Link>,
}

/// Two claim groups that one coder saw as one claim and another as two.
///
/// Amira made one claim over sentences 41–42; Jonas made one over 41 and one over 42.
/// Alignment pairs Amira's claim with Jonas's 42 (the `anchor` group: which extent?) and
/// leaves his 41 alone (the `claim` group: is there a claim?). Both questions are about the
/// same text, and answered independently they could put two gold claims over sentence 41:
/// Jonas's 41 kept *and* Amira's 41–42 extent. So one answer settles the other: an extent
/// that takes in the claim group's text leaves no claim there, and keeping that claim leaves
/// only the extents that do not take it in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Link {
    /// The group whose claim some coders did not make (their extent elsewhere covers it).
    claim: usize,
    /// The group whose extents differ over whether they take that text in.
    anchor: usize,
}

/// Whether two anchors cover the same bytes (their quotes and context then agree too).
fn same_extent(a: &Anchor, b: &Anchor) -> bool {
    (a.start, a.end) == (b.start, b.end)
}

/// Whether `anchor` shares a byte with one of `group`'s claims.
fn takes_in(anchor: &Anchor, group: &ClaimGroup) -> bool {
    group
        .claims
        .values()
        .any(|c| anchor.start < c.anchor.end && c.anchor.start < anchor.end)
}

/// The groups that one coder's single claim and another coder's two claims split between
/// them (see [`Link`]).
fn links(groups: &[ClaimGroup]) -> Vec<Link> {
    let mut out = Vec::new();
    for (a, anchor_group) in groups.iter().enumerate() {
        if anchor_group.claims.len() < 2 {
            continue; // one extent: nothing to choose between
        }
        for (c, claim_group) in groups.iter().enumerate() {
            if a == c
                || claim_group.first > anchor_group.last
                || anchor_group.first > claim_group.last
            {
                continue;
            }
            // A coder with no claim in the claim group whose extent takes its text in,
            // against another coder's extent that leaves it out.
            let absorbs = anchor_group.claims.iter().any(|(who, x)| {
                !claim_group.claims.contains_key(who) && takes_in(&x.anchor, claim_group)
            });
            let leaves = anchor_group
                .claims
                .values()
                .any(|x| !takes_in(&x.anchor, claim_group));
            if absorbs && leaves {
                out.push(Link {
                    claim: c,
                    anchor: a,
                });
            }
        }
    }
    out
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
        // Where a claim sits, not what it was once coded on: two coders on the same bytes
        // agree on the extent even if one of them attached an orphan there.
        (
            Field::Anchor,
            per(&|c| {
                Value::Anchor(Anchor {
                    was: None,
                    ..c.anchor.clone()
                })
            }),
        ),
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
        let agreed = |holders: Vec<String>| GoldSource::Agreed {
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
        let links = links(&groups);
        Ok(Self {
            article: first.article.clone(),
            codebook: first.codebook.clone(),
            coders: names,
            strategy,
            groups,
            decided,
            disputes,
            links,
        })
    }

    /// The decision for a field of a group: automatic, else the editor's, else one that
    /// follows from a decision on a linked group over the same text (see [`Link`]), else none.
    pub fn decision(&self, group: usize, field: &Field) -> Option<Decision> {
        self.direct_decision(group, field)
            .cloned()
            .or_else(|| self.following(group, field))
    }

    /// Whether dispute `index` needs no editor: it is resolved, or follows from another.
    pub fn settled(&self, index: usize) -> bool {
        self.disputes
            .get(index)
            .is_some_and(|d| d.resolution.is_some() || self.following(d.group, &d.field).is_some())
    }

    /// The automatic decision or the editor's, not one that follows from elsewhere.
    fn direct_decision(&self, group: usize, field: &Field) -> Option<&Decision> {
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

    /// The id of a claim of `group`, by which a following decision names it.
    fn claim_id(&self, group: usize) -> String {
        self.groups[group]
            .claims
            .values()
            .next()
            .map(|c| c.id.clone())
            .unwrap_or_default()
    }

    /// The decision that follows for an undecided field from a direct decision on a linked
    /// group: no claim where a chosen extent takes the text in; the one extent left where a
    /// claim was kept (several left: still the editor's choice).
    fn following(&self, group: usize, field: &Field) -> Option<Decision> {
        if self.direct_decision(group, field).is_some() {
            return None;
        }
        match field {
            Field::Claim => self
                .links
                .iter()
                .filter(|l| l.claim == group)
                .find_map(|l| match self.direct_decision(l.anchor, &Field::Anchor) {
                    Some(Decision {
                        value: Value::Anchor(a),
                        ..
                    }) if takes_in(a, &self.groups[group]) => Some(Decision {
                        value: Value::Present(false),
                        origin: GoldSource::Follows {
                            field: Field::Anchor,
                            claim: self.claim_id(l.anchor),
                        },
                    }),
                    _ => None,
                }),
            Field::Anchor => {
                let kept: Vec<usize> = self
                    .links
                    .iter()
                    .filter(|l| l.anchor == group && self.kept(l.claim))
                    .map(|l| l.claim)
                    .collect();
                let first = *kept.first()?;
                let mut left: Vec<&Anchor> = Vec::new();
                for c in self.groups[group].claims.values() {
                    let free = kept.iter().all(|&k| !takes_in(&c.anchor, &self.groups[k]));
                    if free && !left.iter().any(|a| same_extent(a, &c.anchor)) {
                        left.push(&c.anchor);
                    }
                }
                match left.as_slice() {
                    [only] => Some(Decision {
                        value: Value::Anchor((*only).clone()),
                        origin: GoldSource::Follows {
                            field: Field::Claim,
                            claim: self.claim_id(first),
                        },
                    }),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Whether group `group`'s claim is kept by a direct decision.
    fn kept(&self, group: usize) -> bool {
        self.direct_decision(group, &Field::Claim)
            .is_some_and(|d| d.value == Value::Present(true))
    }

    /// The direct decisions that `value` for dispute `index` would contradict, through a
    /// link: `(dispute index, or None for an automatic decision)`.
    fn contradicted(&self, index: usize, value: &Value) -> Vec<Option<usize>> {
        let Some(d) = self.disputes.get(index) else {
            return Vec::new();
        };
        let find = |group: usize, field: &Field| {
            self.disputes
                .iter()
                .position(|x| x.group == group && x.field == *field)
        };
        let mut out = Vec::new();
        for l in &self.links {
            let other = match (&d.field, value) {
                (Field::Anchor, Value::Anchor(a))
                    if l.anchor == d.group
                        && takes_in(a, &self.groups[l.claim])
                        && self.kept(l.claim) =>
                {
                    (l.claim, Field::Claim)
                }
                (Field::Claim, Value::Present(true)) if l.claim == d.group => {
                    match self.direct_decision(l.anchor, &Field::Anchor) {
                        Some(Decision {
                            value: Value::Anchor(a),
                            ..
                        }) if takes_in(a, &self.groups[d.group]) => (l.anchor, Field::Anchor),
                        _ => continue,
                    }
                }
                _ => continue,
            };
            let automatic = self
                .decided
                .get(other.0)
                .is_some_and(|m| m.contains_key(&other.1));
            out.push(if automatic {
                None
            } else {
                find(other.0, &other.1)
            });
        }
        out
    }

    /// Records the editor's `decision` on dispute `index`, taking back the editor's earlier
    /// decisions on linked groups that it contradicts (the latest word wins, so the two are
    /// decided together); refused when it contradicts an automatic decision. Returns the
    /// disputes taken back.
    fn resolve(&mut self, index: usize, decision: Decision) -> Result<Vec<usize>, AdjudicateError> {
        let contradicted = self.contradicted(index, &decision.value);
        if contradicted.contains(&None) {
            return Err(AdjudicateError::BadValue(format!(
                "`{}` contradicts what the automatic merge decided for the claim next to it (they cover the same text)",
                decision.value
            )));
        }
        let taken: Vec<usize> = contradicted.into_iter().flatten().collect();
        for &i in &taken {
            self.disputes[i].resolution = None;
        }
        self.disputes[index].resolution = Some(decision);
        Ok(taken)
    }

    /// Whether group `group` has been decided to hold no claim (or that follows).
    fn excluded(&self, group: usize) -> bool {
        self.decision(group, &Field::Claim)
            .is_some_and(|d| d.value == Value::Present(false))
    }

    /// The disputes still waiting for the editor, with their indices, skipping fields of
    /// groups decided to hold no claim and disputes whose answer follows from another.
    pub fn open_disputes(&self) -> Vec<(usize, &Dispute)> {
        self.disputes
            .iter()
            .enumerate()
            .filter(|&(i, _)| !self.settled(i))
            .filter(|(_, d)| d.field == Field::Claim || !self.excluded(d.group))
            .collect()
    }

    /// Resolves dispute `index` with `annotator`'s value, chosen by `editor`. Returns the
    /// disputes whose earlier decisions were taken back because this one contradicts them
    /// (a linked group over the same text, see [`Link`]).
    pub fn pick(
        &mut self,
        index: usize,
        annotator: &str,
        editor: &str,
    ) -> Result<Vec<usize>, AdjudicateError> {
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
        let decision = Decision {
            value: value.clone(),
            origin: GoldSource::Picked {
                annotator: annotator.to_owned(),
                editor: editor.to_owned(),
            },
        };
        self.resolve(index, decision)
    }

    /// Resolves dispute `index` with a value the editor typed, after checking it fits the
    /// field and its labels are in `codebook` (so the gold file loads). Returns the disputes
    /// taken back, as [`Self::pick`] does.
    pub fn type_value(
        &mut self,
        index: usize,
        value: Value,
        editor: &str,
        codebook: &Codebook,
    ) -> Result<Vec<usize>, AdjudicateError> {
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
        let decision = Decision {
            value,
            origin: GoldSource::Typed {
                editor: editor.to_owned(),
            },
        };
        self.resolve(index, decision)
    }

    /// Takes up the editor's decisions recorded in an earlier `gold` of this article, so a
    /// rebuilt adjudication resumes where the last "Save gold" left it; returns how many.
    ///
    /// A gold claim keeps the id of a coder's claim in its group, which finds the group; each
    /// field its provenance says was picked or typed by an editor, and whose dispute is still
    /// open, gets the gold claim's value back. A claim decided not to exist leaves nothing in
    /// gold, so that question is asked again (unless it follows from an extent taken up).
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
                if !matches!(origin, GoldSource::Picked { .. } | GoldSource::Typed { .. }) {
                    continue;
                }
                let value = match &field {
                    Field::Claim => Value::Present(true),
                    Field::Anchor => Value::Anchor(claim.anchor.clone()),
                    Field::Speaker => Value::Speaker(claim.speaker.clone()),
                    Field::Stance(target) => Value::Stance(claim.stances.get(target).cloned()),
                    Field::Source => Value::Source(claim.source.clone()),
                };
                let Some(i) = self
                    .disputes
                    .iter()
                    .position(|d| d.group == group && d.field == field && d.resolution.is_none())
                else {
                    continue;
                };
                // A gold written before linked groups were decided together can hold both
                // a kept claim and an extent over it: the first one stands, the other is
                // asked again (or follows).
                if self.contradicted(i, &value).is_empty() {
                    self.disputes[i].resolution = Some(Decision { value, origin });
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
            let origin = d
                .as_ref()
                .map_or(GoldSource::Undecided, |d| d.origin.clone());
            undecided |= d.is_none();
            lines.push(format!("gold: {field} {origin}"));
            d.map(|d| d.value)
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
            .find(|c| same_extent(&c.anchor, &anchor))
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
            origin: crate::core::model::annotation::Origin::Manual,
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
pub fn provenance(claim: &Claim) -> Vec<(Field, GoldSource)> {
    claim.note.lines().filter_map(parse_provenance).collect()
}

/// A field as [`Field`] displays it.
fn parse_field(text: &str) -> Option<Field> {
    Some(match text {
        "claim" => Field::Claim,
        "anchor" => Field::Anchor,
        "speaker" => Field::Speaker,
        "source" => Field::Source,
        _ => Field::Stance(text.strip_prefix("stance ")?.to_owned()),
    })
}

/// One `gold: <field> <origin>` line.
fn parse_provenance(line: &str) -> Option<(Field, GoldSource)> {
    let rest = line.strip_prefix("gold: ")?;
    // A stance field is two words (`stance ceasefire`), every other field one.
    let words = if rest.starts_with("stance ") { 2 } else { 1 };
    let split = rest.match_indices(' ').nth(words - 1)?.0;
    let (field, rest) = (parse_field(&rest[..split])?, &rest[split + 1..]);
    let origin = if rest == "undecided" {
        GoldSource::Undecided
    } else if let Some(claim) = rest.strip_prefix("follows from keeping claim ") {
        GoldSource::Follows {
            field: Field::Claim,
            claim: claim.to_owned(),
        }
    } else if let Some(r) = rest.strip_prefix("follows from the ") {
        let (field, claim) = r.rsplit_once(" of claim ")?;
        GoldSource::Follows {
            field: parse_field(field)?,
            claim: claim.to_owned(),
        }
    } else if let Some(editor) = rest.strip_prefix("typed by ") {
        GoldSource::Typed {
            editor: editor.to_owned(),
        }
    } else if let Some(r) = rest.strip_prefix("from ") {
        let (annotator, editor) = r.split_once(", chosen by ")?;
        GoldSource::Picked {
            annotator: annotator.to_owned(),
            editor: editor.to_owned(),
        }
    } else {
        let r = rest.strip_prefix("agreed by ")?;
        let (who, strategy) = r.strip_suffix(')')?.rsplit_once(" (")?;
        GoldSource::Agreed {
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
            GoldSource::Agreed {
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
                GoldSource::Picked {
                    annotator: "jonas".into(),
                    editor: "ed".into()
                }
            ))
        );
        assert_eq!(
            provenance(&gold.claims[2])[0],
            (
                Field::Claim,
                GoldSource::Typed {
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

    /// Amira made one claim over sentences 1–2; Jonas made one on 1 and one on 2.
    fn split_claim() -> Vec<AnnotationFile> {
        let mut both = claim("a12", 1, "author", "favor");
        let end = claim("x", 2, "author", "favor").anchor.end;
        both.anchor = Anchor::new(crate::core::testkit::TEXT, 1, 2, both.anchor.start, end);
        vec![
            file("amira", vec![both]),
            file(
                "jonas",
                vec![
                    claim("j1", 1, "author", "favor"),
                    claim("j2", 2, "author", "favor"),
                ],
            ),
        ]
    }

    /// Whether two gold claims share a byte.
    fn overlapping(gold: &AnnotationFile) -> bool {
        gold.claims.iter().enumerate().any(|(i, a)| {
            gold.claims[i + 1..]
                .iter()
                .any(|b| a.anchor.start < b.anchor.end && b.anchor.start < a.anchor.end)
        })
    }

    #[test]
    fn an_extent_and_a_claim_over_the_same_text_are_decided_together() {
        let cb = Codebook::default_codebook();
        let mut adj = Adjudication::new(&split_claim(), Strategy::Unanimous).unwrap();
        // Amira's 1–2 pairs with Jonas's 1 (which extent?); his 2 stands alone (a claim?).
        let fields: Vec<(usize, Field)> = adj
            .open_disputes()
            .iter()
            .map(|(_, d)| (d.group, d.field.clone()))
            .collect();
        assert_eq!(fields, vec![(0, Field::Anchor), (1, Field::Claim)]);
        let (extent, lone) = (adj.open_disputes()[0].0, adj.open_disputes()[1].0);

        // Keeping Jonas's claim on 2 leaves his extent on 1 as the only one that fits.
        assert_eq!(adj.pick(lone, "jonas", "ed").unwrap(), Vec::<usize>::new());
        assert!(adj.open_disputes().is_empty());
        assert!(adj.settled(extent));
        let follows = adj.decision(0, &Field::Anchor).unwrap();
        assert_eq!(
            follows.origin,
            GoldSource::Follows {
                field: Field::Claim,
                claim: "j2".into()
            }
        );
        let gold = adj.to_gold(t("2024-03-01T00:00:00Z"));
        assert_eq!(gold.claims.len(), 2);
        assert!(!overlapping(&gold), "{:?}", gold.claims);
        assert_eq!(gold.status, Status::Done);
        assert!(
            gold.claims[0]
                .note
                .contains("gold: anchor follows from keeping claim j2"),
            "{}",
            gold.claims[0].note
        );

        // Then Amira's 1–2 after all: the latest word wins, the claim on 2 follows.
        assert_eq!(adj.pick(extent, "amira", "ed").unwrap(), vec![lone]);
        assert_eq!(
            adj.decision(1, &Field::Claim).unwrap(),
            Decision {
                value: Value::Present(false),
                origin: GoldSource::Follows {
                    field: Field::Anchor,
                    claim: "a12".into()
                }
            }
        );
        let gold = adj.to_gold(t("2024-03-01T00:00:00Z"));
        assert_eq!(gold.claims.len(), 1);
        assert_eq!(
            (gold.claims[0].anchor.first, gold.claims[0].anchor.last),
            (1, 2)
        );

        // Saying "yes" to the claim on 2 again takes the extent back, by typing too.
        assert_eq!(
            adj.type_value(lone, Value::Present(true), "ed", &cb)
                .unwrap(),
            vec![extent]
        );
        assert!(!overlapping(&adj.to_gold(t("2024-03-01T00:00:00Z"))));
        // "No claim" on 2 leaves the extent open: Jonas's 1 alone is still a choice.
        assert!(adj.unresolve(lone));
        adj.pick(lone, "amira", "ed").unwrap();
        assert_eq!(adj.open_disputes().len(), 1);
        assert_eq!(adj.open_disputes()[0].0, extent);
    }

    #[test]
    fn a_gold_with_both_decisions_resumes_only_the_first() {
        // What building gold wrote before linked groups were decided together: Jonas's claim
        // on 2 kept and Amira's 1–2 extent, two gold claims over sentence 2.
        let files = split_claim();
        let mut adj = Adjudication::new(&files, Strategy::Unanimous).unwrap();
        adj.pick(1, "jonas", "ed").unwrap();
        let mut old = adj.to_gold(t("2024-03-01T00:00:00Z"));
        old.claims[0].anchor = files[0].claims[0].anchor.clone();
        old.claims[0].note = old.claims[0].note.replace(
            "anchor follows from keeping claim j2",
            "anchor from amira, chosen by ed",
        );
        assert!(overlapping(&old));

        let mut again = Adjudication::new(&files, Strategy::Unanimous).unwrap();
        assert_eq!(again.resume(&old), 1);
        assert!(again.open_disputes().is_empty());
        assert!(!overlapping(&again.to_gold(t("2024-03-01T00:00:00Z"))));
    }

    #[test]
    fn a_second_claim_inside_an_agreed_extent_is_not_linked() {
        // Jonas made two claims on sentence 1 (the sentence, and "peace" in it), Amira one:
        // two gold claims on one sentence are fine when the extents agree.
        let text = crate::core::testkit::TEXT;
        let mut peace = claim("j1b", 1, "author", "against");
        let at = text.find("peace").unwrap();
        peace.anchor = Anchor::new(text, 1, 1, at, at + "peace".len());
        let files = [
            file("amira", vec![claim("a1", 1, "author", "favor")]),
            file("jonas", vec![claim("j1", 1, "author", "favor"), peace]),
        ];
        let mut adj = Adjudication::new(&files, Strategy::Unanimous).unwrap();
        assert!(adj.links.is_empty());
        let open = adj.open_disputes();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].1.field, Field::Claim);
        let lone = open[0].0;
        adj.pick(lone, "jonas", "ed").unwrap();
        assert_eq!(adj.to_gold(t("2024-03-01T00:00:00Z")).claims.len(), 2);
        // The three coders of `three()` agree on every extent: nothing is linked.
        assert!(
            Adjudication::new(&three(), Strategy::Unanimous)
                .unwrap()
                .links
                .is_empty()
        );
    }

    #[test]
    fn provenance_lines_round_trip() {
        for line in [
            "gold: claim agreed by amira, jonas (unanimous)",
            "gold: stance ceasefire from Ana Maria, chosen by ed",
            "gold: source typed by ed",
            "gold: anchor undecided",
            "gold: anchor follows from keeping claim j2",
            "gold: claim follows from the anchor of claim a12",
            "gold: stance ceasefire follows from the stance ceasefire of claim x y",
        ] {
            let (field, origin) = parse_provenance(line).unwrap();
            assert_eq!(format!("gold: {field} {origin}"), line);
        }
        assert_eq!(parse_provenance("a coder's note"), None);
    }
}

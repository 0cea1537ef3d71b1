//! The editor's walk through an adjudication: the automatic merge has run, and the fields it
//! left open are visited one at a time — pick coder N's value, type your own, move on, go
//! back — until "Save gold" writes `annotations/<article>/gold.ron`.
//!
//! Every decision is made here, not in the window, so the walk is tested headless; the window
//! only draws [`GoldSession`] and turns keys into calls.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::core::compare::adjudicate::{
    Adjudication, Decision, Dispute, Field, GoldSource, Strategy, Value, gold_path, provenance,
};
use crate::core::compare::review::sentence_label;
use crate::core::model::annotation::{AnnotationFile, SpeakerRef, now};
use crate::core::model::codebook::Codebook;
use crate::core::project::Project;
use crate::core::storage::store;

/// One editor's adjudication of one article, with a position among the disputes.
#[derive(Debug)]
pub struct GoldSession {
    /// The automatic merge and the editor's decisions so far.
    pub adjudication: Adjudication,
    /// Who decides (recorded in every picked or typed field's provenance).
    pub editor: String,
    /// The project's codebook: typed labels are checked against it so gold loads.
    codebook: Codebook,
    /// Where gold is saved.
    pub path: PathBuf,
    /// Index into `adjudication.disputes` of the dispute shown.
    position: usize,
    /// What the last action refused or did, for the status line.
    pub message: Option<String>,
    /// Decisions made since the last save (gold is written only by [`Self::save`]).
    pub dirty: bool,
}

/// A gold claim as the window shows it: where it is and who chose each field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoldRow {
    /// `s4`, `s5-6`: sentences numbered from 1, as the window shows them.
    pub label: String,
    /// The claim's id in gold.
    pub claim: String,
    /// `speaker from ana, chosen by ed`, one line per field.
    pub provenance: Vec<String>,
}

impl GoldSession {
    /// Runs the automatic merge of `files` (the coders' files of `article`) by `strategy`.
    pub fn build(
        project: &Project,
        article: &str,
        files: &[AnnotationFile],
        strategy: Strategy,
        editor: &str,
    ) -> Result<Self, String> {
        let path = gold_path(&project.root, article).map_err(|e| e.to_string())?;
        crate::core::project::walk::check_file_read(&path).map_err(|e| e.to_string())?;
        let mut adjudication = Adjudication::new(files, strategy).map_err(|e| e.to_string())?;
        // Decisions saved earlier are taken up again, not asked a second time.
        let message = if path.exists() {
            match store::load_annotation(&path, &project.codebook) {
                Ok(gold) => {
                    let taken = adjudication.resume(&gold);
                    (taken > 0).then(|| {
                        format!(
                            "resumed {taken} decision{} from {}",
                            if taken == 1 { "" } else { "s" },
                            path.display()
                        )
                    })
                }
                Err(e) => Some(format!(
                    "{} cannot be read, so no earlier decisions were taken up ({e}); Save gold would replace it",
                    path.display()
                )),
            }
        } else {
            None
        };
        let mut walk = Self {
            adjudication,
            editor: editor.to_owned(),
            codebook: project.codebook.clone(),
            path,
            position: 0,
            message,
            dirty: false,
        };
        // The first dispute still open, else the first one.
        walk.position = walk
            .adjudication
            .open_disputes()
            .first()
            .map(|&(i, _)| i)
            .or_else(|| walk.relevant().first().copied())
            .unwrap_or(0);
        Ok(walk)
    }

    /// The disputes the editor has to settle, by index: every dispute except the fields of
    /// claims already decided not to exist (their values would never reach gold).
    pub fn relevant(&self) -> Vec<usize> {
        let adj = &self.adjudication;
        adj.disputes
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                d.field == Field::Claim
                    || adj
                        .decision(d.group, &Field::Claim)
                        .is_none_or(|c| c.value != Value::Present(false))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// `(resolved, total)` over the relevant disputes; one whose answer follows from another
    /// decision counts as resolved.
    pub fn progress(&self) -> (usize, usize) {
        let relevant = self.relevant();
        let resolved = relevant
            .iter()
            .filter(|&&i| self.adjudication.settled(i))
            .count();
        (resolved, relevant.len())
    }

    /// `3 of 7 disputes resolved`.
    pub fn progress_text(&self) -> String {
        let (done, total) = self.progress();
        format!("{done} of {total} disputes resolved")
    }

    /// The index of the dispute shown: the current position if it is still relevant, else
    /// the nearest relevant one after it, else before it; `None` when nothing is disputed.
    pub fn current_index(&self) -> Option<usize> {
        let relevant = self.relevant();
        relevant
            .iter()
            .find(|&&i| i >= self.position)
            .or_else(|| relevant.last())
            .copied()
    }

    /// The dispute shown.
    pub fn current(&self) -> Option<&Dispute> {
        self.current_index()
            .and_then(|i| self.adjudication.disputes.get(i))
    }

    /// The position of the shown dispute among the relevant ones, 1-based, and their count.
    pub fn place(&self) -> Option<(usize, usize)> {
        let relevant = self.relevant();
        let i = self.current_index()?;
        let at = relevant.iter().position(|&r| r == i)?;
        Some((at + 1, relevant.len()))
    }

    /// Moves to the next relevant dispute; whether it moved.
    pub fn next_dispute(&mut self) -> bool {
        let Some(cur) = self.current_index() else {
            return false;
        };
        match self.relevant().into_iter().find(|&i| i > cur) {
            Some(i) => {
                self.position = i;
                true
            }
            None => false,
        }
    }

    /// Moves to the previous relevant dispute; whether it moved.
    pub fn previous_dispute(&mut self) -> bool {
        let Some(cur) = self.current_index() else {
            return false;
        };
        match self.relevant().into_iter().rev().find(|&i| i < cur) {
            Some(i) => {
                self.position = i;
                true
            }
            None => false,
        }
    }

    /// Moves to the first relevant dispute on the group holding `annotator`'s claim `claim`
    /// (where a merge conflict or a finding points); whether there is one.
    pub fn go_to_claim(&mut self, annotator: &str, claim: &str) -> bool {
        let adj = &self.adjudication;
        let Some(group) = adj
            .groups
            .iter()
            .position(|g| g.claims.get(annotator).is_some_and(|c| c.id == claim))
        else {
            return false;
        };
        let found = self
            .relevant()
            .into_iter()
            .find(|&i| adj.disputes[i].group == group);
        if let Some(i) = found {
            self.position = i;
        }
        found.is_some()
    }

    /// Moves to the first relevant dispute still open; whether there is one.
    pub fn next_open(&mut self) -> bool {
        let relevant = self.relevant();
        let open = |i: &&usize| !self.adjudication.settled(**i);
        let cur = self.current_index().unwrap_or(0);
        let found = relevant
            .iter()
            .filter(open)
            .find(|&&i| i > cur)
            .or_else(|| relevant.iter().find(open))
            .copied();
        if let Some(i) = found {
            self.position = i;
        }
        found.is_some()
    }

    /// Picks coder number `n` (1-based, in the sorted coder list the window numbers) for
    /// the shown dispute. A coder who has no value there is refused with a message.
    pub fn pick(&mut self, n: usize) -> bool {
        let Some(index) = self.current_index() else {
            return false;
        };
        let Some(coder) = n
            .checked_sub(1)
            .and_then(|i| self.adjudication.coders.get(i))
            .cloned()
        else {
            self.message = Some(format!("there is no coder number {n}"));
            return false;
        };
        let result = self.adjudication.pick(index, &coder, &self.editor);
        self.report(result, format!("picked {coder}'s value"))
    }

    /// Resolves the shown dispute with a value the editor typed: for the claim `yes`/`no`;
    /// for a speaker a registry id or a new name (`none` for no speaker); for a stance or a
    /// source type a codebook label id (`none` to leave it out). The anchor cannot be
    /// typed: pick a coder's.
    pub fn type_own(&mut self, text: &str) -> bool {
        let Some(index) = self.current_index() else {
            return false;
        };
        let field = self.adjudication.disputes[index].field.clone();
        let value = match parse_value(&field, text.trim(), &self.codebook) {
            Ok(v) => v,
            Err(e) => {
                self.message = Some(e);
                return false;
            }
        };
        let result = self
            .adjudication
            .type_value(index, value, &self.editor, &self.codebook);
        self.report(result, format!("typed `{}`", text.trim()))
    }

    /// Takes back the decision on the shown dispute. One that follows from another decision
    /// is taken back there (the message says where).
    pub fn undecide(&mut self) -> bool {
        let Some(i) = self.current_index() else {
            return false;
        };
        let undone = self.adjudication.unresolve(i);
        if !undone
            && let Some(d) = self.decision(&self.adjudication.disputes[i])
            && matches!(d.origin, GoldSource::Follows { .. })
        {
            self.message = Some(format!(
                "this {}: take that decision back instead",
                self.origin_text(&d.origin)
            ));
        }
        self.dirty |= undone;
        undone
    }

    fn report(
        &mut self,
        result: Result<Vec<usize>, crate::core::compare::adjudicate::AdjudicateError>,
        done: String,
    ) -> bool {
        match result {
            Ok(taken_back) => {
                let mut message = done;
                for i in taken_back {
                    let d = &self.adjudication.disputes[i];
                    let _ = write!(
                        message,
                        "; took back the decision on {}, which this one contradicts",
                        self.describe(d)
                    );
                }
                self.message = Some(message);
                self.dirty = true;
                true
            }
            Err(e) => {
                self.message = Some(e.to_string());
                false
            }
        }
    }

    /// The decision on a dispute as it stands: the editor's, or one that follows from a
    /// decision on a linked group over the same text.
    pub fn decision(&self, d: &Dispute) -> Option<Decision> {
        self.adjudication.decision(d.group, &d.field)
    }

    /// A value as the window shows it: an extent by its sentences numbered from 1 and the
    /// start of its quote; other values as the core writes them.
    pub fn value_text(&self, value: &Value) -> String {
        match value {
            Value::Anchor(a) => format!(
                "{} “{}”",
                window_label(a.first, a.last),
                shortened(&a.quote, QUOTE_CHARS)
            ),
            other => other.to_string(),
        }
    }

    /// Where a decision came from, as the window shows it: a decision that follows from a
    /// linked group names that group by its sentences (numbered from 1).
    pub fn origin_text(&self, origin: &GoldSource) -> String {
        let GoldSource::Follows { field, claim } = origin else {
            return origin.to_string();
        };
        let groups = &self.adjudication.groups;
        let Some(g) = groups
            .iter()
            .find(|g| g.claims.values().any(|c| c.id == *claim))
        else {
            return origin.to_string();
        };
        let label = window_label(g.first, g.last);
        match field {
            Field::Claim => format!("follows from keeping the claim on {label}"),
            other => format!("follows from the {other} chosen on {label}"),
        }
    }

    /// A line naming a dispute: `s5 stance ceasefire` (sentences numbered from 1, as the
    /// window numbers them everywhere).
    pub fn describe(&self, d: &Dispute) -> String {
        let group = &self.adjudication.groups[d.group];
        format!("{} {}", window_label(group.first, group.last), d.field)
    }

    /// Each coder, numbered from 1, with their value for `d` (`None`: no value there).
    pub fn choices(&self, d: &Dispute) -> Vec<(usize, String, Option<Value>)> {
        self.adjudication
            .coders
            .iter()
            .enumerate()
            .map(|(i, c)| (i + 1, c.clone(), d.values.get(c).cloned()))
            .collect()
    }

    /// The gold file as decided now.
    pub fn gold(&self) -> AnnotationFile {
        self.adjudication.to_gold(now())
    }

    /// Every gold claim with who chose each field, for the window.
    pub fn rows(&self) -> Vec<GoldRow> {
        self.gold()
            .claims
            .iter()
            .map(|c| GoldRow {
                label: window_label(c.anchor.first, c.anchor.last),
                claim: c.id.clone(),
                provenance: provenance(c)
                    .into_iter()
                    .map(|(f, o)| format!("{f} {}", self.origin_text(&o)))
                    .collect(),
            })
            .collect()
    }

    /// Writes gold (atomically, through the core's annotation writer). Open disputes are
    /// allowed: their claims are saved marked unsure and the file stays in progress.
    pub fn save(&mut self) -> Result<PathBuf, String> {
        let gold = self.gold();
        let result = crate::core::project::walk::prepare_file_write(&self.path)
            .map_err(|e| std::io::Error::other(e.to_string()))
            .and_then(|()| store::save_annotation(&self.path, &gold));
        match result {
            Ok(()) => {
                self.dirty = false;
                self.message = Some(format!(
                    "gold saved to {} ({})",
                    self.path.display(),
                    self.progress_text()
                ));
                Ok(self.path.clone())
            }
            Err(e) => {
                let m = format!("could not save {}: {e}", self.path.display());
                self.message = Some(m.clone());
                Err(m)
            }
        }
    }
}

/// The sentence label of the window (numbered from 1, like the core's).
fn window_label(first: u32, last: u32) -> String {
    sentence_label(first, last)
}

/// How much of an extent's quote a choice shows: enough to tell two extents apart.
const QUOTE_CHARS: usize = 60;

/// `text` cut to `n` characters with an ellipsis.
fn shortened(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// The value typed for `field`.
fn parse_value(field: &Field, text: &str, codebook: &Codebook) -> Result<Value, String> {
    let none = text.is_empty() || text.eq_ignore_ascii_case("none");
    Ok(match field {
        Field::Claim => match text.to_ascii_lowercase().as_str() {
            "yes" | "y" | "claim" => Value::Present(true),
            "no" | "n" | "no claim" => Value::Present(false),
            _ => return Err(format!("type yes or no for the claim, not `{text}`")),
        },
        Field::Anchor => {
            return Err("an extent cannot be typed: pick a coder's with 1..9".to_owned());
        }
        Field::Speaker if none => Value::Speaker(None),
        Field::Speaker => Value::Speaker(Some(if codebook.speaker(text).is_some() {
            SpeakerRef::Registry(text.to_owned())
        } else {
            SpeakerRef::New(text.to_owned())
        })),
        Field::Stance(_) if none => Value::Stance(None),
        Field::Stance(_) => Value::Stance(Some(text.to_owned())),
        Field::Source if none => Value::Source(None),
        Field::Source => Value::Source(Some(text.to_owned())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::compare::adjudicate::GoldSource;
    use crate::core::compare::review::load_article_files;

    use crate::session::fixture::review_project as fixture;

    fn walk(project: &Project, strategy: Strategy) -> GoldSession {
        let (files, failed) = load_article_files(project, "talks", false);
        assert!(failed.is_empty(), "{failed:?}");
        GoldSession::build(project, "talks", &files, strategy, "ed").unwrap()
    }

    #[test]
    fn unanimous_leaves_speaker_stance_and_a_lone_claim() {
        let (_dir, project) = fixture();
        let w = walk(&project, Strategy::Unanimous);
        let fields: Vec<String> = w
            .relevant()
            .iter()
            .map(|&i| w.describe(&w.adjudication.disputes[i]))
            .collect();
        assert_eq!(
            fields,
            ["s4 speaker", "s5 stance ceasefire", "s6 claim"],
            "{fields:?}"
        );
        assert_eq!(w.progress(), (0, 3));
        assert_eq!(w.progress_text(), "0 of 3 disputes resolved");
        assert_eq!(w.place(), Some((1, 3)));
    }

    #[test]
    fn next_and_previous_stop_at_the_ends() {
        let (_dir, project) = fixture();
        let mut w = walk(&project, Strategy::Unanimous);
        assert!(!w.previous_dispute());
        assert!(w.next_dispute());
        assert_eq!(w.place(), Some((2, 3)));
        assert!(w.next_dispute());
        assert!(!w.next_dispute());
        assert_eq!(w.place(), Some((3, 3)));
        assert!(w.previous_dispute());
        assert_eq!(
            w.describe(w.current().unwrap()),
            "s5 stance ceasefire".to_owned()
        );
    }

    #[test]
    fn picking_coder_n_resolves_with_provenance_and_counts() {
        let (_dir, project) = fixture();
        let mut w = walk(&project, Strategy::Unanimous);
        w.next_dispute(); // s5 stance ceasefire: ana against, ben neutral
        assert!(w.pick(2));
        assert_eq!(w.progress(), (1, 3));
        let d = w.current().unwrap();
        assert_eq!(
            d.resolution.as_ref().unwrap().value,
            Value::Stance(Some("neutral".into()))
        );
        assert_eq!(
            d.resolution.as_ref().unwrap().origin,
            GoldSource::Picked {
                annotator: "ben".into(),
                editor: "ed".into()
            }
        );
        assert!(!w.pick(3), "there are two coders");
        assert_eq!(w.message.as_deref(), Some("there is no coder number 3"));
        // A lone claim's coder-absent value cannot be picked for its fields, but for the
        // claim itself both coders have a value: ben's is "no claim".
        w.next_dispute();
        assert!(w.pick(2));
        assert_eq!(w.progress(), (2, 3));
        let gold = w.gold();
        assert_eq!(
            gold.claims.len(),
            3,
            "the lone claim on s6 is left out of gold"
        );
        assert!(w.undecide());
        assert_eq!(w.progress(), (1, 3));
    }

    #[test]
    fn typing_own_values_checks_the_codebook() {
        let (_dir, project) = fixture();
        let mut w = walk(&project, Strategy::Unanimous);
        assert!(w.type_own("wang-yi"));
        assert_eq!(
            w.current().unwrap().resolution.as_ref().unwrap().value,
            Value::Speaker(Some(SpeakerRef::Registry("wang-yi".into())))
        );
        w.next_dispute();
        assert!(!w.type_own("maybe"));
        assert!(
            w.message.as_deref().unwrap().contains("maybe"),
            "{:?}",
            w.message
        );
        assert!(w.type_own("unclear"));
        w.next_dispute();
        assert!(!w.type_own("perhaps"));
        assert!(w.type_own("yes"));
        assert_eq!(w.progress(), (3, 3));
        assert!(!w.next_open());
        let rows = w.rows();
        assert_eq!(rows.len(), 4);
        assert!(
            rows[1]
                .provenance
                .contains(&"speaker typed by ed".to_owned()),
            "{rows:?}"
        );
    }

    #[test]
    fn next_open_skips_resolved_disputes_and_save_writes_a_loadable_gold() {
        let (dir, project) = fixture();
        let mut w = walk(&project, Strategy::Unanimous);
        assert!(w.pick(1));
        assert!(w.next_open());
        assert_eq!(w.place(), Some((2, 3)));
        assert!(w.pick(1));
        assert!(w.dirty);
        let path = w.save().unwrap();
        assert!(!w.dirty);
        assert_eq!(path, dir.path().join("annotations/talks/gold.ron"));
        let gold = store::load_annotation(&path, &project.codebook).unwrap();
        assert_eq!(gold.annotator, "gold");
        assert_eq!(
            gold.claims.len(),
            3,
            "the lone claim on s6 is undecided and left out"
        );
        assert_eq!(gold.claims[2].stances["ceasefire"], "against");
        assert!(
            gold.claims[2]
                .note
                .contains("gold: stance ceasefire from ana, chosen by ed"),
            "{}",
            gold.claims[2].note
        );
    }

    #[test]
    fn a_rebuilt_walk_resumes_the_decisions_saved_in_gold() {
        let (_dir, project) = fixture();
        let mut w = walk(&project, Strategy::Unanimous);
        assert!(w.pick(1));
        assert!(w.next_open());
        assert!(w.type_own("against"));
        w.save().unwrap();
        let saved = w.adjudication.disputes.clone();

        let again = walk(&project, Strategy::Unanimous);
        assert_eq!(again.progress(), (2, 3));
        assert_eq!(
            again.adjudication.disputes, saved,
            "same values, same origins"
        );
        assert_eq!(
            again
                .message
                .as_deref()
                .map(|m| m.starts_with("resumed 2 decisions")),
            Some(true),
            "{:?}",
            again.message
        );
        assert!(!again.dirty);
        assert_eq!(
            again.describe(again.current().unwrap()),
            "s6 claim",
            "starts at the open one"
        );
    }

    #[test]
    fn go_to_claim_finds_the_dispute_of_a_coders_claim() {
        let (_dir, project) = fixture();
        let mut w = walk(&project, Strategy::Unanimous);
        assert!(w.go_to_claim("ben", "ben0000003"));
        assert_eq!(w.describe(w.current().unwrap()), "s5 stance ceasefire");
        assert!(!w.go_to_claim("ben", "ben0000001"), "s3 is not disputed");
        assert!(!w.go_to_claim("ben", "nope"));
        assert_eq!(w.place(), Some((2, 3)), "a miss does not move");
    }

    #[test]
    fn majority_of_two_decides_nothing_disputed() {
        let (_dir, project) = fixture();
        let w = walk(&project, Strategy::Majority { threshold: 0.5 });
        // Two coders who differ tie, and a tie is never a majority.
        assert_eq!(w.progress(), (0, 3));
    }
}

//! Reliability data from a project's annotation files: sentences are the units, annotators the
//! coders, and each field a separate rating matrix.
//!
//! Fields: `claim` (is the sentence inside a claim of this coder: yes/no), `speaker`,
//! `stance:<target>` (the stance, or `not-addressed`, for each target) and `source`. A coder
//! whose file for an article is missing or not marked done has not read it: every field is
//! missing there, not "no claim". Speaker, stance and source are rated only on sentences the
//! coder put inside a claim. Boilerplate sentences are not units.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::core::agreement::{
    AgreementReport, Categories, DataError, RatingMatrix, ReportOptions, agreement_report,
};
use crate::core::model::annotation::{AnnotationFile, Claim, SpeakerRef, Status};
use crate::core::project::Project;
use crate::core::project::{layout, walk};
use crate::core::storage::store::{self, LoadError};

/// One annotator's file on an article as read: `(annotator, file or why not)`.
type Loaded = (String, Result<AnnotationFile, LoadError>);

/// One thing coders rate about a sentence.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// Is the sentence inside a claim?
    Claim,
    /// Who speaks.
    Speaker,
    /// The stance toward a target (its id).
    Stance(String),
    /// The source type.
    Source,
}

impl Field {
    /// Every field of a codebook, in report order.
    pub fn all(project: &Project) -> Vec<Self> {
        let mut v = vec![Self::Claim, Self::Speaker];
        v.extend(
            project
                .codebook
                .targets
                .iter()
                .map(|t| Self::Stance(t.id.clone())),
        );
        v.push(Self::Source);
        v
    }

    /// The name used on the command line and in reports (`stance:ceasefire`).
    pub fn name(&self) -> String {
        match self {
            Self::Claim => "claim".into(),
            Self::Speaker => "speaker".into(),
            Self::Stance(t) => format!("stance:{t}"),
            Self::Source => "source".into(),
        }
    }

    /// Parses a field name; `stance` alone or a bare target id mean that target's stance.
    pub fn parse(s: &str, project: &Project) -> Result<Self, String> {
        let s = s.trim();
        let target = s.strip_prefix("stance:").unwrap_or(s);
        match s {
            "claim" => Ok(Self::Claim),
            "speaker" => Ok(Self::Speaker),
            "source" => Ok(Self::Source),
            _ if project.codebook.target(target).is_some() => Ok(Self::Stance(target.to_owned())),
            _ => {
                let names: Vec<String> = Self::all(project).iter().map(Self::name).collect();
                Err(format!(
                    "unknown field `{s}`; the fields are {}",
                    names.join(", ")
                ))
            }
        }
    }

    /// The value a claim gives this field.
    fn value_of(&self, claim: &Claim) -> String {
        match self {
            Self::Claim => "yes".into(),
            Self::Speaker => match &claim.speaker {
                Some(SpeakerRef::Registry(id)) => id.clone(),
                Some(SpeakerRef::New(name)) => format!("new:{}", name.trim().to_lowercase()),
                None => "(none)".into(),
            },
            Self::Stance(t) => claim
                .stances
                .get(t)
                .cloned()
                .unwrap_or_else(|| "not-addressed".into()),
            Self::Source => claim.source.clone().unwrap_or_else(|| "(none)".into()),
        }
    }
}

/// A unit: one sentence of one article.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitRef {
    /// The article id.
    pub article: String,
    /// The sentence index.
    pub sentence: u32,
}

/// What to include.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Only these articles (all when empty).
    pub articles: Vec<String>,
    /// Only these annotators (all but `gold` when empty; `gold` only when named).
    pub annotators: Vec<String>,
    /// Only these fields (all when empty).
    pub fields: Vec<Field>,
    /// Leave out claims that started as accepted suggestions, to see whether suggestions
    /// sway coders.
    pub manual_only: bool,
}

/// The ratings of one field.
#[derive(Clone, Debug)]
pub struct FieldData {
    /// Which field.
    pub field: Field,
    /// Coder names, by matrix column.
    pub coders: Vec<String>,
    /// Units, by matrix row.
    pub units: Vec<UnitRef>,
    /// The ratings.
    pub matrix: RatingMatrix,
}

/// A unit on which coders differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disagreement {
    /// The sentence.
    pub unit: UnitRef,
    /// Each coder's value (`None`: not rated).
    pub values: Vec<(String, Option<String>)>,
}

/// The finished annotation files of a selection: `(article, coder) → file`, every coder
/// seen (finished or not: a coder who has not finished an article is missing there), and the
/// files that could not be read.
#[derive(Debug, Default)]
pub struct DoneFiles {
    /// Files marked done, by `(article id, annotator)`.
    pub files: BTreeMap<(String, String), AnnotationFile>,
    /// Every selected annotator with a file in a selected article, sorted.
    pub coders: Vec<String>,
    /// The selected articles' ids, in project order.
    pub articles: Vec<String>,
    /// Files that failed to load.
    pub problems: Vec<LoadError>,
}

/// Loads the selection's annotation files once, for every kind of agreement.
pub fn load_done(project: &Project, sel: &Selection) -> DoneFiles {
    let mut done = DoneFiles::default();
    let mut coders: BTreeSet<String> = BTreeSet::new();
    let articles: Vec<_> = project
        .articles
        .iter()
        .filter(|a| sel.articles.is_empty() || sel.articles.contains(&a.id))
        .collect();
    let wanted = |name: &String| {
        if sel.annotators.is_empty() {
            name != layout::GOLD
        } else {
            sel.annotators.contains(name)
        }
    };
    // Parsing the files is most of the work: every core reads its share of the articles.
    // One walk of the project (the walker's listing and link rule); what it refused is a
    // problem, since agreement on a silently smaller set of files would mislead.
    let walk = walk::annotations(&project.root);
    done.problems.extend(
        walk.skipped
            .iter()
            .filter(|s| s.is_error())
            .map(walk::Skipped::to_load_error),
    );
    let loaded: Vec<Vec<Loaded>> = articles
        .par_iter()
        .map(|a| {
            walk.folder(&a.id)
                .map(|f| f.annotators.as_slice())
                .unwrap_or_default()
                .iter()
                .filter(|(name, _)| wanted(name))
                .map(|(name, path)| {
                    (
                        name.clone(),
                        store::load_annotation(path, &project.codebook),
                    )
                })
                .collect()
        })
        .collect();
    for (a, found) in articles.iter().zip(loaded) {
        done.articles.push(a.id.clone());
        for (name, result) in found {
            coders.insert(name.clone());
            match result {
                Ok(f) if f.status == Status::Done => {
                    done.files.insert((a.id.clone(), name), f);
                }
                Ok(_) => {}
                Err(e) => done.problems.push(e),
            }
        }
    }
    done.coders = coders.into_iter().collect();
    done
}

impl DoneFiles {
    /// The claims a coder's finished file for an article counts (all, or only the manual ones).
    pub fn claims<'a>(
        &'a self,
        article: &str,
        coder: &str,
        manual_only: bool,
    ) -> Option<impl Iterator<Item = &'a Claim> + 'a> {
        let f = self.files.get(&(article.to_owned(), coder.to_owned()))?;
        Some(
            f.claims
                .iter()
                .filter(move |c| !manual_only || c.origin.is_manual()),
        )
    }
}

/// Every coder's value of every field on every sentence, plus files that could not be read.
pub fn collect(
    project: &Project,
    sel: &Selection,
) -> Result<(Vec<FieldData>, Vec<LoadError>), DataError> {
    let done = load_done(project, sel);
    let data = collect_from(project, sel, &done)?;
    Ok((data, done.problems))
}

/// [`collect`] over files already loaded with [`load_done`].
pub fn collect_from(
    project: &Project,
    sel: &Selection,
    done: &DoneFiles,
) -> Result<Vec<FieldData>, DataError> {
    let units: Vec<UnitRef> = project
        .articles
        .iter()
        .filter(|a| sel.articles.is_empty() || sel.articles.contains(&a.id))
        .flat_map(|a| {
            a.sentences
                .iter()
                .enumerate()
                .filter(|(_, s)| s.skip.is_none())
                .map(|(i, _)| UnitRef {
                    article: a.id.clone(),
                    sentence: i as u32,
                })
        })
        .collect();
    let fields = if sel.fields.is_empty() {
        Field::all(project)
    } else {
        sel.fields.clone()
    };
    fields
        .into_par_iter()
        .map(|field| field_data(field, &done.coders, &units, &done.files, sel.manual_only))
        .collect()
}

/// Each field's ratings with its statistics, and the files that could not be read.
pub type FieldReports = (Vec<(FieldData, AgreementReport)>, Vec<LoadError>);

/// Each selected field's ratings with its statistics (see [`collect`]).
pub fn reports(
    project: &Project,
    sel: &Selection,
    options: &ReportOptions,
) -> Result<FieldReports, DataError> {
    let (data, problems) = collect(project, sel)?;
    let reports = data
        .into_par_iter()
        .map(|d| {
            let r = agreement_report(&d.matrix, &d.coders, options);
            (d, r)
        })
        .collect();
    Ok((reports, problems))
}

fn field_data(
    field: Field,
    coders: &[String],
    units: &[UnitRef],
    files: &BTreeMap<(String, String), AnnotationFile>,
    manual_only: bool,
) -> Result<FieldData, DataError> {
    // Values as strings first, unit by unit, one row of `coders.len()` cells each; categories
    // are the sorted set of values seen. Units come article by article, so each coder's file
    // is looked up once per article and its claims spread over the sentences once, instead of
    // a map lookup and a scan of every claim per unit and coder.
    let mut cells: Vec<Option<String>> = Vec::with_capacity(units.len() * coders.len());
    let mut start = 0;
    while let Some(first) = units.get(start) {
        let article = &first.article;
        let end = start + units[start..].partition_point(|u| u.article == *article);
        let group = &units[start..end];
        let covering: Vec<Option<Vec<Option<&Claim>>>> = coders
            .iter()
            .map(|c| {
                let f = files.get(&(article.clone(), c.clone()))?;
                Some(first_claims(f, group, manual_only))
            })
            .collect();
        for u in group {
            for by in &covering {
                let Some(by) = by else {
                    cells.push(None);
                    continue;
                };
                let claim = by.get(u.sentence as usize).copied().flatten();
                cells.push(match (claim, &field) {
                    (None, Field::Claim) => Some("no".to_owned()),
                    (None, _) => None,
                    (Some(cl), _) => Some(field.value_of(cl)),
                });
            }
        }
        start = end;
    }
    let labels: BTreeSet<&String> = cells.iter().flatten().collect();
    let labels: Vec<String> = labels.into_iter().cloned().collect();
    let index: BTreeMap<&str, usize> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let mut matrix =
        RatingMatrix::new(units.len(), coders.len(), Categories::new(labels.clone())?)?;
    if !coders.is_empty() {
        for (u, row) in cells.chunks(coders.len()).enumerate() {
            for (c, v) in row.iter().enumerate() {
                matrix.set(u, c, v.as_deref().and_then(|v| index.get(v).copied()))?;
            }
        }
    }
    Ok(FieldData {
        field,
        coders: coders.to_vec(),
        units: units.to_vec(),
        matrix,
    })
}

/// For each sentence up to the last of `units`, the first claim of `file` (in file order)
/// covering it.
fn first_claims<'f>(
    file: &'f AnnotationFile,
    units: &[UnitRef],
    manual_only: bool,
) -> Vec<Option<&'f Claim>> {
    let n = units
        .iter()
        .map(|u| u.sentence as usize + 1)
        .max()
        .unwrap_or(0);
    let mut by = vec![None; n];
    for cl in &file.claims {
        if manual_only && !cl.origin.is_manual() {
            continue;
        }
        let last = (cl.anchor.last as usize).min(n.saturating_sub(1));
        for slot in by.iter_mut().take(last + 1).skip(cl.anchor.first as usize) {
            slot.get_or_insert(cl);
        }
    }
    by
}

impl FieldData {
    /// The label of category `i`.
    fn label(&self, i: usize) -> &str {
        self.matrix
            .categories()
            .labels()
            .get(i)
            .map_or("?", String::as_str)
    }

    /// Units with at least two ratings that are not all the same, in text order.
    pub fn disagreements(&self) -> Vec<Disagreement> {
        (0..self.units.len())
            .filter_map(|u| {
                let rated: Vec<usize> = (0..self.coders.len())
                    .filter_map(|c| self.matrix.get(u, c))
                    .collect();
                let differ = rated.len() >= 2 && rated.iter().any(|&v| v != rated[0]);
                differ.then(|| Disagreement {
                    unit: self.units[u].clone(),
                    values: self
                        .coders
                        .iter()
                        .enumerate()
                        .map(|(c, name)| {
                            (
                                name.clone(),
                                self.matrix.get(u, c).map(|v| self.label(v).to_owned()),
                            )
                        })
                        .collect(),
                })
            })
            .collect()
    }

    /// Each coder's agreement with the others week by week (see [`super::drift`]).
    ///
    /// A rating's week is when it was last touched: the covering claim's `modified` time, or
    /// for a sentence left outside every claim, the file's `modified` time.
    pub fn drift(&self, done: &DoneFiles, manual_only: bool) -> Vec<super::DriftPoint> {
        super::drift(&self.matrix, |u, c| {
            let unit = &self.units[u];
            let file = done
                .files
                .get(&(unit.article.clone(), self.coders[c].clone()))?;
            let claim = file.claims.iter().find(|cl| {
                cl.anchor.first <= unit.sentence
                    && unit.sentence <= cl.anchor.last
                    && (!manual_only || cl.origin.is_manual())
            });
            Some(super::week_bucket(
                claim.map_or(file.modified, |cl| cl.modified),
            ))
        })
    }

    /// How often each coder used each category: `(coder, [(label, count)])`.
    pub fn distribution(&self) -> Vec<(String, Vec<(String, usize)>)> {
        let k = self.matrix.categories().len();
        self.coders
            .iter()
            .enumerate()
            .map(|(c, name)| {
                let mut counts = vec![0usize; k];
                for u in 0..self.units.len() {
                    if let Some(v) = self.matrix.get(u, c) {
                        counts[v] += 1;
                    }
                }
                let labelled = counts
                    .into_iter()
                    .enumerate()
                    .map(|(i, n)| (self.label(i).to_owned(), n))
                    .collect();
                (name.clone(), labelled)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pilot() -> Project {
        Project::open(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .0
    }

    #[test]
    fn pilot_units_disagreements_and_distribution() {
        let p = pilot();
        let (data, problems) = collect(&p, &Selection::default()).unwrap();
        assert!(problems.is_empty());
        let names: Vec<String> = data.iter().map(|d| d.field.name()).collect();
        assert_eq!(
            names,
            [
                "claim",
                "speaker",
                "stance:ceasefire",
                "stance:mediation",
                "source"
            ]
        );
        let claim = &data[0];
        assert_eq!(claim.coders, ["amira", "jonas"]);
        // Boilerplate sentences are not units.
        let skipped: usize = p
            .articles
            .iter()
            .map(|a| a.sentences.iter().filter(|s| s.skip.is_some()).count())
            .sum();
        let all: usize = p.articles.iter().map(|a| a.sentences.len()).sum();
        assert_eq!(claim.units.len(), all - skipped);
        // Articles nobody finished are missing for everyone, never "no".
        let unread = claim
            .units
            .iter()
            .position(|u| u.article.starts_with("000"))
            .unwrap();
        assert_eq!(claim.matrix.get(unread, 0), None);
        let d = claim.disagreements();
        assert!(!d.is_empty());
        assert!(d.iter().all(|d| {
            d.values
                .iter()
                .filter_map(|(_, v)| v.as_ref())
                .collect::<BTreeSet<_>>()
                .len()
                > 1
        }));
        let dist = claim.distribution();
        let rated: usize = (0..claim.units.len())
            .filter(|&u| claim.matrix.get(u, 0).is_some())
            .count();
        assert_eq!(dist[0].1.iter().map(|(_, n)| n).sum::<usize>(), rated);
    }

    #[test]
    fn fields_parse_by_name() {
        let p = pilot();
        assert_eq!(
            Field::parse("stance:ceasefire", &p),
            Ok(Field::Stance("ceasefire".into()))
        );
        assert_eq!(
            Field::parse("mediation", &p),
            Ok(Field::Stance("mediation".into()))
        );
        assert!(Field::parse("mood", &p).is_err());
    }
}

//! Applying codebook migrations to annotation files.
//!
//! A codebook's `migrations` say how its labels changed from one version to the next (see
//! [`Migration`]). [`migrate`] brings one file up to the codebook's version in memory;
//! [`migrate_project`] does that for every annotation file of a project and writes the results.
//!
//! Labels change meaning only through these steps, so a file coded last year still counts
//! the same way as one coded today. Where a machine cannot decide (a split label, two merged
//! targets with different stances) the claim is marked unsure with a note, for a human to
//! look at again, rather than guessed silently.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::core::model::annotation::{self, AnnotationFile, Claim, FORMAT_VERSION};
use crate::core::model::codebook::{Codebook, LabelChange, LabelKind, Migration};
use crate::core::project;
use crate::core::project::walk::Skipped;
use crate::core::storage::store::{self, LoadError};

/// Which field of a claim a migration changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    /// The stance toward one target (a value of the claim's stance map).
    Stance {
        /// The target whose stance changed.
        target: String,
    },
    /// A target id (a key of the claim's stance map).
    Target,
    /// The claim's source type.
    Source,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Stance { target } => write!(f, "stance toward `{target}`"),
            Self::Target => f.write_str("target"),
            Self::Source => f.write_str("source type"),
        }
    }
}

/// One label of one claim that a migration changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelUpdate {
    /// The claim's id.
    pub claim: String,
    /// Which field.
    pub field: Field,
    /// The label before.
    pub old: String,
    /// The label after (equal to `old` when a split keeps the old id as its default).
    pub new: String,
    /// Why a human must re-check the claim, when the migration could not decide for sure.
    /// The claim was then marked unsure and this reason added to its note.
    pub review: Option<String>,
}

impl fmt::Display for LabelUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "claim `{}`: {}: `{}` -> `{}`",
            self.claim, self.field, self.old, self.new
        )?;
        if let Some(reason) = &self.review {
            write!(f, " (marked unsure: {reason})")?;
        }
        Ok(())
    }
}

/// What [`migrate`] did to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationReport {
    /// The codebook id.
    pub codebook: String,
    /// The file's codebook version before.
    pub from: u32,
    /// Its version after (the codebook's version).
    pub to: u32,
    /// Every label changed, in the order the changes were applied.
    pub updates: Vec<LabelUpdate>,
}

impl MigrationReport {
    /// The file was already at the codebook's version; nothing was touched.
    pub fn is_current(&self) -> bool {
        self.from == self.to
    }

    /// How many distinct claims had a label changed.
    pub fn claims_changed(&self) -> usize {
        self.updates
            .iter()
            .map(|u| u.claim.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// How many distinct claims were marked unsure for review.
    pub fn claims_to_review(&self) -> usize {
        self.updates
            .iter()
            .filter(|u| u.review.is_some())
            .map(|u| u.claim.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// The report as lines for a terminal: a summary, then one line per label changed.
    pub fn lines(&self) -> Vec<String> {
        if self.is_current() {
            return vec![format!(
                "already at codebook `{}` version {}",
                self.codebook, self.to
            )];
        }
        let changes = if self.updates.is_empty() {
            "no labels changed".to_owned()
        } else {
            let review = match self.claims_to_review() {
                0 => String::new(),
                n => format!(", {} marked unsure for review", plural(n, "claim")),
            };
            format!(
                "{} in {}{review}",
                plural(self.updates.len(), "label"),
                plural(self.claims_changed(), "claim")
            )
        };
        let summary = format!(
            "codebook `{}` version {} -> {}: {changes}",
            self.codebook, self.from, self.to
        );
        std::iter::once(summary)
            .chain(self.updates.iter().map(|u| format!("  {u}")))
            .collect()
    }
}

impl fmt::Display for MigrationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines().join("\n"))
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Why a file or project could not be migrated.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// The file belongs to another codebook; labels of two codebooks cannot be mapped.
    #[error(
        "the file was coded with codebook `{file}`, but the codebook in use is `{codebook}`; migrations only work within one codebook"
    )]
    OtherCodebook {
        /// The file's codebook id.
        file: String,
        /// The codebook's id.
        codebook: String,
    },
    /// The file is newer than the codebook; going back would lose information.
    #[error(
        "the file was coded with codebook version {file}, newer than the codebook in use (version {codebook}); update the project's codebook.ron or stance instead"
    )]
    NewerFile {
        /// The file's version.
        file: u32,
        /// The codebook's version.
        codebook: u32,
    },
    /// The codebook's migrations have a gap.
    #[error(
        "no migration leads on from codebook version {missing} (the file is at version {from}, the codebook at {to}); add a migration `from: {missing}` to the codebook"
    )]
    NoPath {
        /// The file's version.
        from: u32,
        /// The codebook's version.
        to: u32,
        /// The version no migration starts from.
        missing: u32,
    },
    /// The codebook or an annotation file could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// One file of a project could not be migrated.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        source: Box<MigrateError>,
    },
    /// After migration a file still uses labels the codebook does not have; the codebook's
    /// migrations are incomplete.
    #[error("{0} (after migration; the codebook's migrations do not cover this label)")]
    Incomplete(LoadError),
    /// An entry of the project that must not or cannot be read: a link out of the project
    /// (migrate would rewrite files there) or a folder that cannot be listed.
    #[error("{0}; nothing was migrated")]
    NotRead(Skipped),
    /// A migrated file could not be written.
    #[error("{path}: cannot write: {source}")]
    Save {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
}

/// Brings `file` from its codebook version up to `codebook.version`, applying each migration
/// in order.
///
/// Renames and merges change label ids in the claims' stances (stance labels), stance keys
/// (targets) and source types. A split sets its `default` and marks the claim unsure with a
/// note naming the labels it may be. Claims that changed get a new `modified` time, and so
/// does the file; the file's codebook version is updated even when no label changed.
///
/// On error the file is left exactly as it was: the whole path of migrations is found before
/// anything is applied. A file already at the codebook's version is not touched at all.
pub fn migrate(
    file: &mut AnnotationFile,
    codebook: &Codebook,
) -> Result<MigrationReport, MigrateError> {
    if file.codebook.id != codebook.id {
        return Err(MigrateError::OtherCodebook {
            file: file.codebook.id.clone(),
            codebook: codebook.id.clone(),
        });
    }
    let (from, to) = (file.codebook.version, codebook.version);
    if from > to {
        return Err(MigrateError::NewerFile {
            file: from,
            codebook: to,
        });
    }
    let steps = migration_path(codebook, from, to)?;
    let mut report = MigrationReport {
        codebook: codebook.id.clone(),
        from,
        to,
        updates: Vec::new(),
    };
    if steps.is_empty() {
        return Ok(report);
    }
    let now = annotation::now();
    for step in steps {
        for change in &step.changes {
            for claim in &mut file.claims {
                let updates = apply(change, step.to, claim);
                if !updates.is_empty() {
                    claim.modified = now;
                    report.updates.extend(updates);
                }
            }
        }
    }
    file.codebook.version = to;
    if !report.updates.is_empty() {
        file.modified = now;
    }
    Ok(report)
}

/// The migrations from `from` to `to`, in order, or the version where the chain breaks.
fn migration_path(
    codebook: &Codebook,
    from: u32,
    to: u32,
) -> Result<Vec<&Migration>, MigrateError> {
    let mut steps = Vec::new();
    let mut version = from;
    while version < to {
        // `m.to > version` keeps a malformed codebook (one `validate` would refuse) from
        // looping forever; `m.to <= to` keeps it from overshooting the codebook.
        let Some(step) = codebook
            .migrations
            .iter()
            .find(|m| m.from == version && m.to > version && m.to <= to)
        else {
            return Err(MigrateError::NoPath {
                from,
                to,
                missing: version,
            });
        };
        steps.push(step);
        version = step.to;
    }
    Ok(steps)
}

/// Applies one label change (of the migration to `version`) to one claim.
fn apply(change: &LabelChange, version: u32, claim: &mut Claim) -> Vec<LabelUpdate> {
    let updates = match change {
        LabelChange::Rename { kind, from, to } => {
            relabel(claim, *kind, std::slice::from_ref(from), to, None)
        }
        LabelChange::Merge { kind, from, into } => relabel(claim, *kind, from, into, None),
        LabelChange::Split {
            kind,
            from,
            into,
            default,
        } => relabel(
            claim,
            *kind,
            std::slice::from_ref(from),
            default,
            Some(into),
        ),
    };
    flag_for_review(claim, &updates, version);
    updates
}

/// Replaces each of `olds` by `new` in the `kind` field(s) of `claim`. `split` is the list of
/// labels a split label became: then even an unchanged id is flagged for review.
fn relabel(
    claim: &mut Claim,
    kind: LabelKind,
    olds: &[String],
    new: &str,
    split: Option<&Vec<String>>,
) -> Vec<LabelUpdate> {
    // A rename or merge onto itself changes nothing; a split onto itself still needs a look.
    let hits = |label: &str| olds.iter().any(|o| o == label) && (split.is_some() || label != new);
    let split_reason = |old: &str| {
        split.map(|into| {
            let list: Vec<String> = into.iter().map(|l| format!("`{l}`")).collect();
            format!(
                "`{old}` was split into {}; set to `{new}`, check which applies",
                list.join(", ")
            )
        })
    };
    let mut updates = Vec::new();
    match kind {
        LabelKind::Stance => {
            for (target, value) in &mut claim.stances {
                if hits(value) {
                    let old = std::mem::replace(value, new.to_owned());
                    updates.push(LabelUpdate {
                        claim: claim.id.clone(),
                        field: Field::Stance {
                            target: target.clone(),
                        },
                        review: split_reason(&old),
                        old,
                        new: new.to_owned(),
                    });
                }
            }
        }
        LabelKind::SourceType => {
            if let Some(value) = &mut claim.source
                && hits(value)
            {
                let old = std::mem::replace(value, new.to_owned());
                updates.push(LabelUpdate {
                    claim: claim.id.clone(),
                    field: Field::Source,
                    review: split_reason(&old),
                    old,
                    new: new.to_owned(),
                });
            }
        }
        LabelKind::Target => {
            for old in olds {
                if !hits(old) {
                    continue;
                }
                let Some(stance) = claim.stances.remove(old) else {
                    continue;
                };
                let review = match claim.stances.get(new) {
                    None => {
                        claim.stances.insert(new.to_owned(), stance);
                        split_reason(old)
                    }
                    // Two merged targets that agree need no second look.
                    Some(kept) if *kept == stance => split_reason(old),
                    Some(kept) => Some(format!(
                        "target `{old}` (stance `{stance}`) became `{new}`, which already had stance `{kept}`; kept `{kept}`, check which applies"
                    )),
                };
                updates.push(LabelUpdate {
                    claim: claim.id.clone(),
                    field: Field::Target,
                    old: old.clone(),
                    new: new.to_owned(),
                    review,
                });
            }
        }
    }
    updates
}

/// Marks `claim` unsure and adds one note line per update that needs a human, so the coder
/// sees why when they next open the claim.
fn flag_for_review(claim: &mut Claim, updates: &[LabelUpdate], version: u32) {
    for update in updates {
        if let Some(reason) = &update.review {
            claim.unsure = true;
            if !claim.note.is_empty() && !claim.note.ends_with('\n') {
                claim.note.push('\n');
            }
            let line = format!("[codebook v{version}] {}: {reason}", update.field);
            claim.note.push_str(&line);
        }
    }
}

/// Migrates every annotation file of the project in `root` to the project's codebook
/// (its `codebook.ron`, or the default), and writes the files that changed unless `dry_run`.
///
/// Files are `annotations/<article>/<annotator>.ron`; review files and anything else are left
/// alone. They are parsed without label checks, since old labels are what is being fixed.
/// Every file is migrated in memory and checked to load under the codebook before any is
/// written, so a file that cannot be migrated leaves the whole project as it was. Each write
/// is atomic, so running again after an interrupted run finishes the job.
///
/// Returns every file found with its report, sorted by path; files already current have a
/// report whose [`MigrationReport::is_current`] is true and were not written.
pub fn migrate_project(
    root: &Path,
    dry_run: bool,
) -> Result<Vec<(PathBuf, MigrationReport)>, MigrateError> {
    let (codebook, _) = project::load_codebook(root)?;
    let mut planned = Vec::new();
    for path in annotation_paths(root)? {
        let text = store::read_text(&path, "a stance annotation file (RON)")?;
        let mut file: AnnotationFile = store::parse_ron(&path, &text)?;
        if file.format != FORMAT_VERSION {
            return Err(LoadError::UnsupportedFormat {
                pos: store::locate(&text, "format:"),
                path,
                found: file.format,
                supported: FORMAT_VERSION,
            }
            .into());
        }
        let report = migrate(&mut file, &codebook).map_err(|e| MigrateError::File {
            path: path.clone(),
            source: Box::new(e),
        })?;
        if !report.is_current() {
            // Prove the migrated file loads with label checks before anything is written.
            let migrated = store::to_ron(&file).map_err(|e| MigrateError::Save {
                path: path.clone(),
                source: std::io::Error::other(e),
            })?;
            store::parse_annotation(&path, &migrated, &codebook)
                .map_err(MigrateError::Incomplete)?;
        }
        planned.push((path, file, report));
    }
    if !dry_run {
        project::walk::sweep_stale_temps(root);
        for (path, file, report) in &planned {
            if !report.is_current() {
                store::save_annotation(path, file).map_err(|source| MigrateError::Save {
                    path: path.clone(),
                    source,
                })?;
            }
        }
    }
    Ok(planned
        .into_iter()
        .map(|(path, _, report)| (path, report))
        .collect())
}

/// `root/annotations/<article>/<annotator>.ron` for every safe article folder and annotator
/// name, sorted, as the project walker finds them ([`project::walk::annotations`]). A link out
/// of the project, or a folder that cannot be listed, is an error: migrate would otherwise
/// rewrite files elsewhere, or migrate only part of the project. A project without an
/// annotations folder has none.
pub fn annotation_paths(root: &Path) -> Result<Vec<PathBuf>, MigrateError> {
    let walk = project::walk::annotations(root);
    if let Some(bad) = walk.skipped.into_iter().find(Skipped::is_error) {
        return Err(MigrateError::NotRead(bad));
    }
    let mut out: Vec<PathBuf> = walk
        .folders
        .into_iter()
        .flat_map(|f| f.annotators.into_iter().map(|(_, path)| path))
        .collect();
    out.sort();
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::BTreeMap;
    use std::fs;

    use chrono::{DateTime, TimeZone, Utc};

    use super::*;
    use crate::core::model::annotation::{Anchor, ArticleRef, CodebookRef, Origin};
    use crate::core::project::ANNOTATIONS_DIR;

    fn long_ago() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap()
    }

    /// The default codebook at `version` with these migrations.
    fn book(version: u32, migrations: Vec<Migration>) -> Codebook {
        let mut cb = Codebook::default_codebook();
        cb.version = version;
        cb.migrations = migrations;
        cb
    }

    fn step(from: u32, to: u32, changes: Vec<LabelChange>) -> Migration {
        Migration { from, to, changes }
    }

    fn rename(kind: LabelKind, from: &str, to: &str) -> LabelChange {
        LabelChange::Rename {
            kind,
            from: from.into(),
            to: to.into(),
        }
    }

    fn claim(id: &str, stances: &[(&str, &str)], source: Option<&str>) -> Claim {
        Claim {
            id: id.into(),
            anchor: Anchor::new("Peace now. War later.", 0, 0, 0, 10),
            speaker: None,
            cue: None,
            stances: stances
                .iter()
                .map(|(t, s)| ((*t).to_owned(), (*s).to_owned()))
                .collect(),
            source: source.map(str::to_owned),
            unsure: false,
            note: String::new(),
            origin: Origin::Manual,
            created: long_ago(),
            modified: long_ago(),
        }
    }

    /// A file of the default codebook's id at `version`, last modified long ago.
    fn file(version: u32, claims: Vec<Claim>) -> AnnotationFile {
        let cb = Codebook::default_codebook();
        let mut f = AnnotationFile::new(
            ArticleRef {
                id: "a1".into(),
                fingerprint: "sha256:00".into(),
            },
            CodebookRef { id: cb.id, version },
            "alice",
        );
        f.created = long_ago();
        f.modified = long_ago();
        f.claims = claims;
        f
    }

    fn stances(c: &Claim) -> BTreeMap<&str, &str> {
        c.stances
            .iter()
            .map(|(t, s)| (t.as_str(), s.as_str()))
            .collect()
    }

    #[test]
    fn rename_of_a_stance_label() {
        let cb = book(
            2,
            vec![step(
                1,
                2,
                vec![rename(LabelKind::Stance, "mixed", "unclear")],
            )],
        );
        let mut f = file(
            1,
            vec![
                claim(
                    "c1",
                    &[("ceasefire", "mixed"), ("mediation", "favor")],
                    None,
                ),
                claim("c2", &[("ceasefire", "against")], Some("expert")),
            ],
        );
        let report = migrate(&mut f, &cb).unwrap();
        assert_eq!(
            stances(&f.claims[0]),
            BTreeMap::from([("ceasefire", "unclear"), ("mediation", "favor")])
        );
        assert_eq!(
            stances(&f.claims[1]),
            BTreeMap::from([("ceasefire", "against")])
        );
        assert_eq!(f.codebook.version, 2);
        assert!(f.modified > long_ago());
        assert!(
            f.claims[0].modified > long_ago(),
            "the changed claim is newer"
        );
        assert_eq!(f.claims[1].modified, long_ago(), "the other claim is not");
        assert!(!f.claims[0].unsure, "a rename needs no review");
        assert_eq!(
            report.updates,
            vec![LabelUpdate {
                claim: "c1".into(),
                field: Field::Stance {
                    target: "ceasefire".into()
                },
                old: "mixed".into(),
                new: "unclear".into(),
                review: None,
            }]
        );
        assert_eq!((report.from, report.to), (1, 2));
    }

    #[test]
    fn rename_of_a_source_type_and_of_a_target() {
        let cb = book(
            2,
            vec![step(
                1,
                2,
                vec![
                    rename(LabelKind::SourceType, "quote", "direct-quote"),
                    rename(LabelKind::Target, "truce", "ceasefire"),
                ],
            )],
        );
        let mut f = file(1, vec![claim("c1", &[("truce", "favor")], Some("quote"))]);
        let report = migrate(&mut f, &cb).unwrap();
        assert_eq!(f.claims[0].source.as_deref(), Some("direct-quote"));
        assert_eq!(
            stances(&f.claims[0]),
            BTreeMap::from([("ceasefire", "favor")])
        );
        let fields: Vec<&Field> = report.updates.iter().map(|u| &u.field).collect();
        assert_eq!(fields, [&Field::Source, &Field::Target]);
    }

    #[test]
    fn merge_of_stance_labels() {
        let cb = book(
            2,
            vec![step(
                1,
                2,
                vec![LabelChange::Merge {
                    kind: LabelKind::Stance,
                    from: vec!["pro".into(), "support".into()],
                    into: "favor".into(),
                }],
            )],
        );
        let mut f = file(
            1,
            vec![
                claim("c1", &[("ceasefire", "pro")], None),
                claim(
                    "c2",
                    &[("ceasefire", "support"), ("mediation", "pro")],
                    None,
                ),
                claim("c3", &[("ceasefire", "against")], None),
            ],
        );
        let report = migrate(&mut f, &cb).unwrap();
        assert_eq!(
            stances(&f.claims[0]),
            BTreeMap::from([("ceasefire", "favor")])
        );
        assert_eq!(
            stances(&f.claims[1]),
            BTreeMap::from([("ceasefire", "favor"), ("mediation", "favor")])
        );
        assert_eq!(
            stances(&f.claims[2]),
            BTreeMap::from([("ceasefire", "against")])
        );
        assert_eq!(report.updates.len(), 3);
        assert_eq!(report.claims_changed(), 2);
        assert_eq!(report.claims_to_review(), 0);
    }

    #[test]
    fn merge_of_targets_that_disagree_is_flagged() {
        let cb = book(
            2,
            vec![step(
                1,
                2,
                vec![LabelChange::Merge {
                    kind: LabelKind::Target,
                    from: vec!["truce".into(), "armistice".into()],
                    into: "ceasefire".into(),
                }],
            )],
        );
        let mut f = file(
            1,
            vec![
                claim("agree", &[("truce", "favor"), ("armistice", "favor")], None),
                claim(
                    "clash",
                    &[("truce", "favor"), ("armistice", "against")],
                    None,
                ),
            ],
        );
        let report = migrate(&mut f, &cb).unwrap();
        assert_eq!(
            stances(&f.claims[0]),
            BTreeMap::from([("ceasefire", "favor")])
        );
        assert!(!f.claims[0].unsure, "agreeing targets merge silently");
        // `truce` comes first in the merge list, so its stance is the one kept.
        assert_eq!(
            stances(&f.claims[1]),
            BTreeMap::from([("ceasefire", "favor")])
        );
        assert!(f.claims[1].unsure);
        assert!(
            f.claims[1].note.contains("already had stance `favor`"),
            "{}",
            f.claims[1].note
        );
        assert_eq!(report.claims_to_review(), 1);
    }

    #[test]
    fn split_sets_the_default_and_asks_for_review() {
        let cb = book(
            2,
            vec![step(
                1,
                2,
                vec![LabelChange::Split {
                    kind: LabelKind::SourceType,
                    from: "official".into(),
                    into: vec!["official".into(), "document".into()],
                    default: "official".into(),
                }],
            )],
        );
        let mut noted = claim("c1", &[("ceasefire", "favor")], Some("official"));
        noted.note = "Kirby, NSC briefing".into();
        let mut f = file(
            1,
            vec![
                noted,
                claim("c2", &[("ceasefire", "favor")], Some("expert")),
            ],
        );
        let report = migrate(&mut f, &cb).unwrap();
        let c1 = &f.claims[0];
        assert_eq!(c1.source.as_deref(), Some("official"));
        assert!(c1.unsure);
        assert_eq!(
            c1.note,
            "Kirby, NSC briefing\n[codebook v2] source type: `official` was split into `official`, `document`; set to `official`, check which applies"
        );
        assert!(c1.modified > long_ago());
        assert!(
            !f.claims[1].unsure,
            "claims without the split label are untouched"
        );
        assert!(f.claims[1].note.is_empty());
        assert_eq!(report.updates.len(), 1);
        assert_eq!(report.updates[0].old, report.updates[0].new);
        assert!(report.updates[0].review.is_some());
    }

    #[test]
    fn split_of_a_stance_label_moves_it_to_the_default() {
        let cb = book(
            2,
            vec![step(
                1,
                2,
                vec![LabelChange::Split {
                    kind: LabelKind::Stance,
                    from: "unclear".into(),
                    into: vec!["mixed".into(), "ambiguous".into()],
                    default: "mixed".into(),
                }],
            )],
        );
        let mut f = file(1, vec![claim("c1", &[("mediation", "unclear")], None)]);
        migrate(&mut f, &cb).unwrap();
        assert_eq!(
            stances(&f.claims[0]),
            BTreeMap::from([("mediation", "mixed")])
        );
        assert!(f.claims[0].unsure);
        assert!(
            f.claims[0]
                .note
                .starts_with("[codebook v2] stance toward `mediation`: `unclear` was split into `mixed`, `ambiguous`"),
            "{}",
            f.claims[0].note
        );
    }

    #[test]
    fn a_chain_of_two_migrations_applies_in_order() {
        let cb = book(
            3,
            vec![
                step(1, 2, vec![rename(LabelKind::Stance, "pro", "support")]),
                step(2, 3, vec![rename(LabelKind::Stance, "support", "favor")]),
            ],
        );
        let mut old = file(1, vec![claim("c1", &[("ceasefire", "pro")], None)]);
        let report = migrate(&mut old, &cb).unwrap();
        assert_eq!(
            stances(&old.claims[0]),
            BTreeMap::from([("ceasefire", "favor")])
        );
        assert_eq!(old.codebook.version, 3);
        let steps: Vec<(&str, &str)> = report
            .updates
            .iter()
            .map(|u| (u.old.as_str(), u.new.as_str()))
            .collect();
        assert_eq!(steps, [("pro", "support"), ("support", "favor")]);

        // A file already at version 2 takes only the second step.
        let mut middle = file(2, vec![claim("c1", &[("ceasefire", "support")], None)]);
        let report = migrate(&mut middle, &cb).unwrap();
        assert_eq!(
            stances(&middle.claims[0]),
            BTreeMap::from([("ceasefire", "favor")])
        );
        assert_eq!((report.from, report.updates.len()), (2, 1));
    }

    #[test]
    fn a_current_file_is_not_touched() {
        let cb = book(
            2,
            vec![step(
                1,
                2,
                vec![rename(LabelKind::Stance, "mixed", "unclear")],
            )],
        );
        // Even a label the migration would rename stays: the file says it is already v2.
        let mut f = file(2, vec![claim("c1", &[("ceasefire", "mixed")], None)]);
        let before = f.clone();
        let report = migrate(&mut f, &cb).unwrap();
        assert_eq!(f, before);
        assert!(report.is_current());
        assert!(report.updates.is_empty());
        assert_eq!(
            report.to_string(),
            "already at codebook `stance-ru-ua-2023` version 2"
        );
    }

    #[test]
    fn the_version_moves_on_even_when_no_label_changes() {
        let cb = book(
            2,
            vec![step(
                1,
                2,
                vec![rename(LabelKind::Stance, "mixed", "unclear")],
            )],
        );
        let mut f = file(1, vec![claim("c1", &[("ceasefire", "favor")], None)]);
        let report = migrate(&mut f, &cb).unwrap();
        assert_eq!(f.codebook.version, 2);
        assert_eq!(f.modified, long_ago(), "no label changed, so no edit time");
        assert!(!report.is_current());
        assert_eq!(
            report.lines(),
            ["codebook `stance-ru-ua-2023` version 1 -> 2: no labels changed"]
        );
    }

    #[test]
    fn another_codebook_is_refused() {
        let cb = book(2, vec![step(1, 2, vec![])]);
        let mut f = file(1, vec![claim("c1", &[("ceasefire", "favor")], None)]);
        f.codebook.id = "elections-2024".into();
        let before = f.clone();
        let err = migrate(&mut f, &cb).unwrap_err();
        assert!(
            matches!(&err, MigrateError::OtherCodebook { file, codebook }
                if file == "elections-2024" && codebook == "stance-ru-ua-2023"),
            "{err}"
        );
        assert_eq!(f, before);
    }

    #[test]
    fn a_newer_file_is_refused() {
        let cb = book(2, vec![step(1, 2, vec![])]);
        let mut f = file(3, vec![]);
        let before = f.clone();
        let err = migrate(&mut f, &cb).unwrap_err();
        assert!(
            matches!(
                err,
                MigrateError::NewerFile {
                    file: 3,
                    codebook: 2
                }
            ),
            "{err}"
        );
        assert_eq!(f, before);
    }

    #[test]
    fn a_gap_in_the_migrations_is_refused_before_anything_changes() {
        // 1 -> 2 exists but 2 -> 3 does not: the first step must not be half-applied.
        let cb = book(
            3,
            vec![step(
                1,
                2,
                vec![rename(LabelKind::Stance, "mixed", "unclear")],
            )],
        );
        let mut f = file(1, vec![claim("c1", &[("ceasefire", "mixed")], None)]);
        let before = f.clone();
        let err = migrate(&mut f, &cb).unwrap_err();
        assert!(
            matches!(
                err,
                MigrateError::NoPath {
                    from: 1,
                    to: 3,
                    missing: 2
                }
            ),
            "{err}"
        );
        assert_eq!(f, before);
        assert!(
            err.to_string().contains("add a migration `from: 2`"),
            "{err}"
        );

        // No migrations at all.
        let err = migrate(&mut f, &book(2, vec![])).unwrap_err();
        assert!(
            matches!(err, MigrateError::NoPath { missing: 1, .. }),
            "{err}"
        );
    }

    #[test]
    fn report_lines_name_claim_field_and_labels() {
        let cb = book(
            2,
            vec![step(
                1,
                2,
                vec![
                    rename(LabelKind::Stance, "mixed", "unclear"),
                    LabelChange::Split {
                        kind: LabelKind::SourceType,
                        from: "official".into(),
                        into: vec!["official".into(), "document".into()],
                        default: "document".into(),
                    },
                ],
            )],
        );
        let mut f = file(
            1,
            vec![
                claim("c1", &[("ceasefire", "mixed")], None),
                claim("c2", &[], Some("official")),
            ],
        );
        let report = migrate(&mut f, &cb).unwrap();
        assert_eq!(
            report.lines(),
            [
                "codebook `stance-ru-ua-2023` version 1 -> 2: 2 labels in 2 claims, 1 claim marked unsure for review",
                "  claim `c1`: stance toward `ceasefire`: `mixed` -> `unclear`",
                "  claim `c2`: source type: `official` -> `document` (marked unsure: `official` was split into `official`, `document`; set to `document`, check which applies)",
            ]
        );
        assert_eq!(report.to_string(), report.lines().join("\n"));
    }

    #[test]
    fn only_annotator_files_are_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let art = dir.path().join(ANNOTATIONS_DIR).join("a1");
        fs::create_dir_all(&art).unwrap();
        for name in [
            "bob.ron",
            "alice.ron",
            "gold.ron",
            "alice.review.ron",
            "notes.txt",
        ] {
            fs::write(art.join(name), "()").unwrap();
        }
        fs::create_dir_all(dir.path().join(ANNOTATIONS_DIR).join(".hidden")).unwrap();
        fs::write(
            dir.path()
                .join(ANNOTATIONS_DIR)
                .join(".hidden")
                .join("x.ron"),
            "()",
        )
        .unwrap();
        let found: Vec<String> = annotation_paths(dir.path())
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(found, ["alice.ron", "bob.ron", "gold.ron"]);
        let empty = tempfile::tempdir().unwrap();
        assert!(annotation_paths(empty.path()).unwrap().is_empty());
    }
}

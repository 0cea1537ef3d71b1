//! The wide table for statistics packages: one row per sentence, one column per coder.
//!
//! SPSS (Hayes' KALPHA macro), R (`irr::kripp.alpha`, `krippendorff`) and Stata read
//! reliability data this way. The values are exactly those `stance agree` computes on
//! ([`crate::core::agreement::units`]): sentences are units, boilerplate is left out, a
//! coder's article counts only once it is marked done (before that the cell is empty, not "no
//! claim"), and speaker, stance and source are rated only inside the coder's claims.
//! Sentences are numbered from 1, as people count them. With `numeric`, labels become codes
//! (`claim`: no 0, yes 1; a stance or source type: its place in the codebook, 0 for none;
//! speakers: 1… in name order, 0 for none) and the legend lists them.

use std::collections::BTreeMap;
use std::io::Write;

use crate::core::agreement::DataError;
use crate::core::agreement::units::{self, Field, Selection};
use crate::core::model::codebook::Codebook;
use crate::core::project::Project;
use crate::core::storage::store::LoadError;

/// The table: a header, one row per sentence, and the codes used when numeric.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wide {
    /// `article, sentence, text`, then a column per field and coder.
    pub header: Vec<String>,
    /// One row per sentence, cells in header order; an empty cell is a missing rating.
    pub rows: Vec<Vec<String>>,
    /// `(field, code, label)` for every code used, when numeric.
    pub codes: Vec<(String, String, String)>,
}

/// The codes of a field's labels, in the order statistics packages should see them.
fn codes_for(field: &Field, labels: &[String], codebook: &Codebook) -> BTreeMap<String, String> {
    let (none, order): (&str, Vec<&str>) = match field {
        Field::Claim => ("no", vec!["yes"]),
        Field::Stance(_) => (
            "not-addressed",
            codebook.stances.iter().map(|l| l.id.as_str()).collect(),
        ),
        Field::Source => (
            "(none)",
            codebook
                .source_types
                .iter()
                .map(|l| l.id.as_str())
                .collect(),
        ),
        Field::Speaker => ("(none)", Vec::new()),
    };
    let mut out = BTreeMap::new();
    out.insert(none.to_owned(), "0".to_owned());
    let mut next = 1;
    for l in order
        .iter()
        .copied()
        .chain(labels.iter().map(String::as_str))
    {
        if !out.contains_key(l) {
            out.insert(l.to_owned(), next.to_string());
            next += 1;
        }
    }
    out
}

/// The wide table of `fields` (all when empty) over the selection.
pub fn wide(
    project: &Project,
    sel: &Selection,
    numeric: bool,
) -> Result<(Wide, Vec<LoadError>), DataError> {
    let (data, problems) = units::collect(project, sel)?;
    let mut table = Wide {
        header: ["article", "sentence", "text"].map(str::to_owned).into(),
        ..Wide::default()
    };
    let single = data.len() == 1;
    let mut maps = Vec::with_capacity(data.len());
    for d in &data {
        for coder in &d.coders {
            table.header.push(if single {
                coder.clone()
            } else {
                format!("{}.{coder}", d.field.name().replace(':', "_"))
            });
        }
        let labels = d.matrix.categories().labels().to_vec();
        let map = numeric.then(|| codes_for(&d.field, &labels, &project.codebook));
        if let Some(m) = &map {
            let mut used: Vec<(&String, &String)> = m.iter().collect();
            used.sort_by_key(|(_, c)| c.parse::<usize>().unwrap_or(usize::MAX));
            for (label, code) in used {
                table
                    .codes
                    .push((d.field.name(), code.clone(), label.clone()));
            }
        }
        maps.push((labels, map));
    }
    let Some(first) = data.first() else {
        return Ok((table, problems));
    };
    for (u, unit) in first.units.iter().enumerate() {
        let text = project
            .article(&unit.article)
            .map(|a| a.sentence_text(unit.sentence).to_owned())
            .unwrap_or_default();
        let mut row = vec![unit.article.clone(), (unit.sentence + 1).to_string(), text];
        for (d, (labels, map)) in data.iter().zip(&maps) {
            for c in 0..d.coders.len() {
                let cell = d.matrix.get(u, c).and_then(|v| labels.get(v)).map_or_else(
                    String::new,
                    |label| match map {
                        Some(m) => m.get(label).cloned().unwrap_or_default(),
                        None => label.clone(),
                    },
                );
                row.push(cell);
            }
        }
        table.rows.push(row);
    }
    Ok((table, problems))
}

/// Writes the table as CSV.
pub fn write_csv(table: &Wide, out: &mut dyn Write) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&table.header)?;
    for row in &table.rows {
        w.write_record(row)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes the codes as CSV: `field,code,label`.
pub fn write_codes(table: &Wide, out: &mut dyn Write) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["field", "code", "label"])?;
    for (f, c, l) in &table.codes {
        w.write_record([f, c, l])?;
    }
    w.flush()?;
    Ok(())
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
    fn wide_has_a_row_per_sentence_and_a_column_per_coder() {
        let p = pilot();
        let sel = Selection {
            fields: vec![Field::Claim],
            ..Selection::default()
        };
        let (t, problems) = wide(&p, &sel, false).unwrap();
        assert!(problems.is_empty());
        assert_eq!(t.header, ["article", "sentence", "text", "amira", "jonas"]);
        // Agreement's units are the same rows.
        let (data, _) = units::collect(&p, &sel).unwrap();
        assert_eq!(t.rows.len(), data[0].units.len());
        assert!(t.rows.iter().all(|r| r.len() == 5));
        assert!(t.rows.iter().any(|r| r[3] == "yes"));
        assert!(
            t.rows
                .iter()
                .any(|r| !r[3].is_empty() && !r[4].is_empty() && r[3] != r[4])
        );
        assert_eq!(
            t.rows[0][1].parse::<u32>().unwrap(),
            data[0].units[0].sentence + 1
        );
    }

    #[test]
    fn numeric_codes_follow_the_codebook() {
        let p = pilot();
        let sel = Selection {
            fields: vec![Field::Claim, Field::Stance("ceasefire".into())],
            ..Selection::default()
        };
        let (t, _) = wide(&p, &sel, true).unwrap();
        assert_eq!(
            &t.header[3..],
            [
                "claim.amira",
                "claim.jonas",
                "stance_ceasefire.amira",
                "stance_ceasefire.jonas"
            ]
        );
        assert!(
            t.codes
                .contains(&("claim".into(), "1".into(), "yes".into()))
        );
        assert!(t.codes.contains(&(
            "stance:ceasefire".into(),
            "0".into(),
            "not-addressed".into()
        )));
        let first_stance = &p.codebook.stances[0].id;
        assert!(
            t.codes
                .contains(&("stance:ceasefire".into(), "1".into(), first_stance.clone()))
        );
        assert!(
            t.rows
                .iter()
                .flat_map(|r| &r[3..])
                .all(|c| c.is_empty() || c.parse::<u32>().is_ok())
        );
        let mut out = Vec::new();
        write_codes(&t, &mut out).unwrap();
        assert!(
            String::from_utf8(out)
                .unwrap()
                .starts_with("field,code,label\nclaim,0,no\nclaim,1,yes\n")
        );
    }
}

//! Span agreement over a project: each pair of coders' claims matched article by article, and
//! unitizing alpha per article and pooled (see [`super::spans`] for the measures).

use std::fmt::Write as _;

use std::collections::HashMap;

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use super::render::cell;
use super::spans::{MatchCounts, Matching, Span, UnitizingAlpha, match_spans, unitizing_alpha};
use super::stat::{Stat, Undefined};
use super::units::DoneFiles;
use crate::core::project::Project;

/// Two coders' claims matched over the articles both finished.
#[derive(Clone, Debug, PartialEq)]
pub struct PairSpans {
    /// The coder taken as reference (recall is about their claims).
    pub reference: String,
    /// The other coder (precision is about their claims).
    pub other: String,
    /// Articles both finished.
    pub articles: usize,
    /// Which: the ids of the articles both finished, in project order.
    pub article_ids: Vec<String>,
    /// Summed counts.
    pub counts: MatchCounts,
    /// αU of the two, pooled over the articles both finished laid end to end. Defined
    /// whenever they share a finished article, whoever else codes the project (a new coder
    /// with no finished article in common with anyone does not make it undefined).
    pub alpha: Result<UnitizingAlpha, Undefined>,
}

/// Unitizing alpha on one article, among the coders who finished it.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleAlpha {
    /// The article id.
    pub article: String,
    /// Coders who finished it.
    pub coders: Vec<String>,
    /// αU, or why it is undefined.
    pub alpha: Result<UnitizingAlpha, Undefined>,
}

/// Agreement on claim boundaries.
#[derive(Clone, Debug, PartialEq)]
pub struct SpanReport {
    /// Every pair of coders, in name order.
    pub pairs: Vec<PairSpans>,
    /// Per article, in project order.
    pub articles: Vec<ArticleAlpha>,
    /// αU of all coders at once, with the articles every coder finished laid end to end as
    /// one continuum (undefined when no article was finished by every coder; each pair's
    /// [`PairSpans::alpha`] is pooled over the articles that pair finished).
    pub pooled: Result<UnitizingAlpha, Undefined>,
    /// How many articles the pooled figure covers.
    pub pooled_articles: usize,
}

/// The adjudicated annotator's name (see `core::compare::adjudicate`).
use crate::core::project::layout::GOLD;

/// One pair's matches over the articles both finished, and their αU with those articles laid
/// end to end. `spans_of(article, coder)` is a coder's claims on a finished article.
fn pair_spans(
    a: &str,
    b: &str,
    done: &DoneFiles,
    lengths: &HashMap<&str, usize>,
    spans_of: &(dyn Fn(&str, &str) -> Option<Vec<Span>> + Sync),
) -> PairSpans {
    let mut pair = PairSpans {
        reference: a.to_owned(),
        other: b.to_owned(),
        articles: 0,
        article_ids: Vec::new(),
        counts: MatchCounts::default(),
        alpha: Err(Undefined::new("no article was finished by both")),
    };
    let mut continuum: [Vec<Span>; 2] = [Vec::new(), Vec::new()];
    let mut offset = 0;
    for article in &done.articles {
        if let (Some(sa), Some(sb)) = (spans_of(article, a), spans_of(article, b)) {
            pair.articles += 1;
            pair.article_ids.push(article.clone());
            pair.counts.add(match_spans(&sa, &sb));
            if let Some(&text) = lengths.get(article.as_str()) {
                for (all, mine) in continuum.iter_mut().zip([&sa, &sb]) {
                    all.extend(
                        mine.iter().map(|s| {
                            Span::new(s.start.min(text) + offset, s.end.min(text) + offset)
                        }),
                    );
                }
                offset += text;
            }
        }
    }
    if offset > 0 {
        pair.alpha = unitizing_alpha(offset, &continuum);
    }
    pair
}

/// Matches and αU for the loaded files. Pairs are in name order, the first the reference,
/// except that `gold` (included only when named) is always the reference.
pub fn span_report(project: &Project, done: &DoneFiles, manual_only: bool) -> SpanReport {
    let spans_of = |article: &str, coder: &str| -> Option<Vec<Span>> {
        done.claims(article, coder, manual_only).map(|claims| {
            claims
                .map(|c| Span::new(c.anchor.start, c.anchor.end))
                .collect()
        })
    };
    // Article lengths by id, looked up once per article and pair (a scan of the project's
    // articles each time cost more than the statistics on a 2,000-article project).
    let lengths: HashMap<&str, usize> = project
        .articles
        .iter()
        .map(|a| (a.id.as_str(), a.text.len()))
        .collect();
    let mut order = Vec::new();
    for (i, first) in done.coders.iter().enumerate() {
        for second in &done.coders[i + 1..] {
            // Gold, when named, is the reference: precision and recall then say how well a
            // coder found the adjudicated claims.
            order.push(if second == GOLD {
                (second, first)
            } else {
                (first, second)
            });
        }
    }
    // Pairs are independent: on every core.
    let pairs: Vec<PairSpans> = order
        .par_iter()
        .map(|&(a, b)| pair_spans(a, b, done, &lengths, &spans_of))
        .collect();
    let mut articles = Vec::new();
    // The pooled continuum: every coder's claims shifted by the lengths of the articles before.
    let mut pooled: Vec<Vec<Span>> = vec![Vec::new(); done.coders.len()];
    let (mut offset, mut pooled_articles) = (0, 0);
    for id in &done.articles {
        let Some(&len) = lengths.get(id.as_str()) else {
            continue;
        };
        let coded: Vec<(String, Vec<Span>)> = done
            .coders
            .iter()
            .filter_map(|c| spans_of(id, c).map(|s| (c.clone(), s)))
            .collect();
        if coded.len() < 2 {
            continue;
        }
        let lists: Vec<Vec<Span>> = coded.iter().map(|(_, s)| s.clone()).collect();
        if coded.len() == done.coders.len() {
            for (all, mine) in pooled.iter_mut().zip(&lists) {
                all.extend(
                    mine.iter()
                        .map(|s| Span::new(s.start.min(len) + offset, s.end.min(len) + offset)),
                );
            }
            offset += len;
            pooled_articles += 1;
        }
        articles.push(ArticleAlpha {
            article: id.clone(),
            coders: coded.into_iter().map(|(c, _)| c).collect(),
            alpha: unitizing_alpha(len, &lists),
        });
    }
    let pooled = if done.coders.len() < 2 {
        Err(Undefined::new("fewer than two coders"))
    } else if pooled_articles == 0 {
        Err(Undefined::new(
            "no article was finished by every coder; see each pair's αU, pooled over the articles that pair finished",
        ))
    } else {
        unitizing_alpha(offset, &pooled)
    };
    SpanReport {
        pairs,
        articles,
        pooled,
        pooled_articles,
    }
}

fn stat_json(s: &Stat) -> Value {
    match s {
        Ok(x) => serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number),
        Err(_) => Value::Null,
    }
}

fn put(m: &mut Map<String, Value>, key: &str, s: &Stat) {
    m.insert(key.to_owned(), stat_json(s));
    if let Err(u) = s {
        m.insert(
            format!("{key}_undefined_reason"),
            Value::from(u.reason.clone()),
        );
    }
}

fn alpha_json(a: &Result<UnitizingAlpha, Undefined>) -> Value {
    let mut m = Map::new();
    match a {
        Ok(u) => {
            put(&mut m, "alpha_u", &u.alpha);
            m.insert("observed".into(), stat_json(&Ok(u.observed)));
            m.insert("expected".into(), stat_json(&Ok(u.expected)));
            m.insert("units".into(), Value::from(u.units));
            m.insert("coders".into(), Value::from(u.coders));
            m.insert("length".into(), Value::from(u.length));
        }
        Err(e) => put(&mut m, "alpha_u", &Err(e.clone())),
    }
    Value::Object(m)
}

fn f(s: &Stat) -> String {
    s.as_ref()
        .map_or_else(|_| "undefined".to_owned(), |x| format!("{x:.3}"))
}

impl SpanReport {
    /// The report as JSON: `pairs` (counts, precision/recall/F1 exact and overlap),
    /// `alpha_u` pooled with `pooled_articles`, and `articles` with each article's αU.
    pub fn to_json(&self) -> Value {
        let pairs: Vec<Value> = self
            .pairs
            .iter()
            .map(|p| {
                let mut m = Map::new();
                m.insert("reference".into(), Value::from(p.reference.clone()));
                m.insert("other".into(), Value::from(p.other.clone()));
                m.insert("articles".into(), Value::from(p.articles));
                m.insert("article_ids".into(), json!(p.article_ids));
                m.insert("claims_reference".into(), Value::from(p.counts.reference));
                m.insert("claims_other".into(), Value::from(p.counts.other));
                m.insert("matched_exact".into(), Value::from(p.counts.exact));
                m.insert("matched_overlap".into(), Value::from(p.counts.overlap));
                for (name, how) in [("exact", Matching::Exact), ("overlap", Matching::Overlap)] {
                    put(
                        &mut m,
                        &format!("precision_{name}"),
                        &p.counts.precision(how),
                    );
                    put(&mut m, &format!("recall_{name}"), &p.counts.recall(how));
                    put(&mut m, &format!("f1_{name}"), &p.counts.f1(how));
                }
                m.insert("pooled".into(), alpha_json(&p.alpha));
                Value::Object(m)
            })
            .collect();
        let articles: Vec<Value> = self
            .articles
            .iter()
            .map(|a| {
                let mut v = alpha_json(&a.alpha);
                if let Value::Object(m) = &mut v {
                    m.insert("article".into(), Value::from(a.article.clone()));
                    m.insert("coder_names".into(), json!(a.coders));
                }
                v
            })
            .collect();
        json!({
            "pairs": pairs,
            "pooled": alpha_json(&self.pooled),
            "pooled_articles": self.pooled_articles,
            "articles": articles,
        })
    }

    /// The report as Markdown tables.
    pub fn render_markdown(&self) -> String {
        let mut out = String::from(
            "| reference | other | articles | claims | exact P / R / F1 | overlap P / R / F1 | αU |\n|---|---|---:|---:|---|---|---:|\n",
        );
        for p in &self.pairs {
            let c = p.counts;
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} / {} | {} / {} / {} | {} / {} / {} | {} |",
                cell(&p.reference),
                cell(&p.other),
                p.articles,
                c.reference,
                c.other,
                f(&c.precision(Matching::Exact)),
                f(&c.recall(Matching::Exact)),
                f(&c.f1(Matching::Exact)),
                f(&c.precision(Matching::Overlap)),
                f(&c.recall(Matching::Overlap)),
                f(&c.f1(Matching::Overlap)),
                alpha_text(&p.alpha),
            );
        }
        let _ = writeln!(
            out,
            "\nEach pair's αU is pooled over the articles both finished:"
        );
        for p in &self.pairs {
            let _ = writeln!(
                out,
                "- {} ~ {}: {}",
                cell(&p.reference),
                cell(&p.other),
                if p.article_ids.is_empty() {
                    "no article in common".to_owned()
                } else {
                    p.article_ids
                        .iter()
                        .map(|a| cell(a))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            );
        }
        let _ = writeln!(
            out,
            "\nUnitizing alpha (claim boundaries), all coders at once, pooled over {} article(s) every coder finished: {}",
            self.pooled_articles,
            self.pooled_alpha_text()
        );
        for a in &self.articles {
            let coders: Vec<String> = a.coders.iter().map(|c| cell(c)).collect();
            let _ = writeln!(
                out,
                "- {} ({}): {}",
                cell(&a.article),
                coders.join(", "),
                alpha_text(&a.alpha)
            );
        }
        out
    }

    /// The report as `statistic,value,undefined_reason` rows, like the field reports' CSV;
    /// pair statistics are named `<statistic>:<reference>~<other>`.
    pub fn render_csv(&self) -> String {
        let mut rows: Vec<(String, Stat)> = Vec::new();
        for p in &self.pairs {
            let pair = format!("{}~{}", p.reference, p.other);
            for (name, how) in [("exact", Matching::Exact), ("overlap", Matching::Overlap)] {
                rows.push((format!("precision_{name}:{pair}"), p.counts.precision(how)));
                rows.push((format!("recall_{name}:{pair}"), p.counts.recall(how)));
                rows.push((format!("f1_{name}:{pair}"), p.counts.f1(how)));
            }
            let alpha = match &p.alpha {
                Ok(u) => u.alpha.clone(),
                Err(e) => Err(e.clone()),
            };
            rows.push((format!("alpha_u:{pair}"), alpha));
            rows.push((format!("alpha_u_articles:{pair}"), Ok(p.articles as f64)));
        }
        let pooled = match &self.pooled {
            Ok(u) => u.alpha.clone(),
            Err(e) => Err(e.clone()),
        };
        rows.push(("alpha_u".into(), pooled));
        rows.push(("alpha_u_articles".into(), Ok(self.pooled_articles as f64)));
        super::render::stat_rows_csv(rows)
    }

    /// The pooled αU as text ("0.812" or "undefined: why").
    pub fn pooled_alpha_text(&self) -> String {
        alpha_text(&self.pooled)
    }

    /// One figure for a short label: the all-coders αU when it is defined; else the pairs'
    /// (each pooled over the articles that pair finished): "amira~jonas 0.952" for one pair,
    /// "0.610–0.952 per pair" for several, or why it is undefined.
    pub fn headline_alpha_text(&self) -> String {
        if let Ok(Ok(_)) = self.pooled.as_ref().map(|u| &u.alpha) {
            return self.pooled_alpha_text();
        }
        let defined: Vec<(&PairSpans, f64)> = self
            .pairs
            .iter()
            .filter_map(|p| match p.alpha.as_ref().map(|u| &u.alpha) {
                Ok(Ok(x)) => Some((p, *x)),
                _ => None,
            })
            .collect();
        match defined.as_slice() {
            [] => self.pooled_alpha_text(),
            [(p, x)] => format!("{}~{} {x:.3}", cell(&p.reference), cell(&p.other)),
            many => {
                let low = many.iter().map(|(_, x)| *x).fold(f64::INFINITY, f64::min);
                let high = many
                    .iter()
                    .map(|(_, x)| *x)
                    .fold(f64::NEG_INFINITY, f64::max);
                format!("{low:.3}–{high:.3} per pair")
            }
        }
    }
}

/// αU as text: the value, or `undefined (why)`.
pub fn alpha_text(a: &Result<UnitizingAlpha, Undefined>) -> String {
    match a.as_ref().map(|u| &u.alpha) {
        Ok(Ok(x)) => format!("{x:.3}"),
        Ok(Err(e)) | Err(e) => format!("undefined ({})", e.reason),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::many_single_char_names)]
mod tests {
    use super::*;
    use crate::core::agreement::units::{Selection, load_done};

    #[test]
    fn pilot_spans_match_and_alpha_u_is_defined() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (p, _) = Project::open(root).unwrap();
        let done = load_done(&p, &Selection::default());
        let r = span_report(&p, &done, false);
        assert_eq!(r.pairs.len(), 1);
        let pair = &r.pairs[0];
        assert_eq!(
            (pair.reference.as_str(), pair.other.as_str()),
            ("amira", "jonas")
        );
        assert_eq!(pair.articles, 3);
        let c = pair.counts;
        // The pilot coders agree on many claims but not all, and overlap ≥ exact.
        assert!(c.exact > 0 && c.exact <= c.overlap && c.overlap <= c.reference.min(c.other));
        let f1 = c.f1(Matching::Overlap).unwrap();
        assert!(f1 > 0.3 && f1 < 1.0, "{f1}");
        assert_eq!(r.pooled_articles, 3);
        let a = r.pooled.as_ref().unwrap().alpha.clone().unwrap();
        assert!(a > 0.0 && a < 1.0, "{a}");
        assert_eq!(r.articles.len(), 3);
        let j = r.to_json();
        assert_eq!(j["pooled_articles"], 3);
        assert!(j["pairs"][0]["f1_overlap"].is_number());
        assert!(r.render_markdown().contains("amira | jonas | 3"));
    }

    #[test]
    fn gold_is_the_reference_when_named() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        // The seeds and article 001's annotations: flat folders.
        for sub in ["seeds", "annotations/001_f199504f34c41cb7"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
            for e in std::fs::read_dir(root.join(sub)).unwrap() {
                let e = e.unwrap();
                std::fs::copy(e.path(), dir.path().join(sub).join(e.file_name())).unwrap();
            }
        }
        // amira's file of article 001 stands in for gold.
        let art = dir.path().join("annotations/001_f199504f34c41cb7");
        let text = std::fs::read_to_string(art.join("amira.ron"))
            .unwrap()
            .replace("annotator: \"amira\"", "annotator: \"gold\"");
        std::fs::write(art.join("gold.ron"), text).unwrap();
        let (p, _) = Project::open(dir.path()).unwrap();
        let sel = Selection {
            annotators: vec!["gold".into(), "jonas".into()],
            ..Selection::default()
        };
        let r = span_report(&p, &load_done(&p, &sel), false);
        assert_eq!(r.pairs.len(), 1);
        assert_eq!(r.pairs[0].reference, "gold");
        assert_eq!(r.pairs[0].other, "jonas");
        assert_eq!(r.pairs[0].articles, 1);
    }
}

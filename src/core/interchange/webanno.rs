//! WebAnno TSV 3.3, the tab-separated format INCEpTION (and WebAnno) import and export.
//!
//! Written as INCEpTION writes it: a `#FORMAT=WebAnno TSV 3.3` line, one `#T_SP=` line
//! declaring a custom span layer with its features, two empty lines, then per sentence its
//! `#Text=` line and one line per token (`sentence-token`, `begin-end` in UTF-16 units, the
//! token, one column per feature, each followed by a tab). Claims live on the span layer
//! `webanno.custom.Claim` with the features
//! `claimid|note|origin|source|speaker|stance_<target>…|unsure` (a hyphen in a target id
//! becomes `_`: UIMA feature names cannot hold one). A claim over several tokens carries a
//! disambiguation id (`against[3]`), as do claims stacked on one token (`favor[1]|against[2]`);
//! `_` is "no claim here", `*` a feature without a value. Feature values escape the reserved
//! characters `\ [ ] | _ -> ; * tab newline` with a backslash, and the sentence text escapes
//! control characters, as INCEpTION's own writer does.
//!
//! To import into INCEpTION, create the span layer `Claim` with those features (strings;
//! `unsure` a boolean) first. Sentences are Stance's; tokens are Unicode word boundaries
//! split where a claim starts or ends. The text between sentences is not in the format; a
//! file is matched to its article by its sentences, found at their offsets.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use unicode_segmentation::UnicodeSegmentation;

use crate::core::interchange::foreign::{
    ExportItem, ForeignClaim, ForeignDoc, ForeignText, Located, origin_value, parse_origin,
    speaker_value,
};
use crate::core::interchange::offsets::{Offsets, Unit};
use crate::core::model::annotation::Claim;
use crate::core::model::codebook::Codebook;
use crate::core::model::names;
use crate::core::storage::finding::Finding;
use crate::core::storage::store::{self, LoadError, Pos};
use crate::core::text::corpus::Article;

/// The span layer claims are written on.
pub const LAYER: &str = "webanno.custom.Claim";

/// Escapes a feature value (INCEpTION's `escapeValue`).
pub fn escape_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '[' | ']' | '|' | '_' | ';' | '*' => {
                out.push('\\');
                out.push(c);
            }
            '-' if chars.peek() == Some(&'>') => {
                chars.next();
                out.push_str("\\->");
            }
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Reverses [`escape_value`].
pub fn unescape_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('-') if chars.peek() == Some(&'>') => {
                chars.next();
                out.push_str("->");
            }
            Some(c) => out.push(c),
            None => out.push('\\'),
        }
    }
    out
}

/// Escapes a `#Text=` line (INCEpTION's `escapeText` for TSV 3.2 and later).
pub fn escape_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            c if (c as u32) < 32 && !(8..14).contains(&(c as u32)) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Reverses [`escape_text`].
pub fn unescape_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('f') => out.push('\u{c}'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some(c) => out.push(c),
            None => out.push('\\'),
        }
    }
    out
}

/// The layer's feature names, in header order.
pub fn features(codebook: &Codebook) -> Vec<String> {
    let mut f: Vec<String> = ["claimid", "note", "origin", "source", "speaker"]
        .map(str::to_owned)
        .into();
    f.extend(
        codebook
            .targets
            .iter()
            .map(|t| format!("stance_{}", t.id.replace('-', "_"))),
    );
    f.push("unsure".into());
    f
}

fn feature_value(claim: &Claim, feature: &str, codebook: &Codebook) -> Option<String> {
    match feature {
        "claimid" => Some(claim.id.clone()),
        "note" => (!claim.note.is_empty()).then(|| claim.note.clone()),
        "origin" => (!claim.origin.is_manual()).then(|| origin_value(&claim.origin)),
        "source" => claim.source.clone(),
        "speaker" => claim.speaker.as_ref().map(speaker_value),
        "unsure" => Some(claim.unsure.to_string()),
        f => {
            let t = f.strip_prefix("stance_")?;
            let target = codebook
                .targets
                .iter()
                .find(|x| x.id.replace('-', "_") == t)?;
            claim.stances.get(&target.id).cloned()
        }
    }
}

/// The tokens of sentence `range`: word boundaries without whitespace, split at `cuts`.
fn tokens(
    text: &str,
    range: std::ops::Range<usize>,
    cuts: &BTreeSet<usize>,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, w) in text[range.clone()].split_word_bound_indices() {
        if w.trim().is_empty() {
            continue;
        }
        let (mut s, e) = (range.start + i, range.start + i + w.len());
        for &c in cuts.range(s + 1..e) {
            if text.is_char_boundary(c) {
                out.push((s, c));
                s = c;
            }
        }
        out.push((s, e));
    }
    out
}

/// The `.tsv` text for `claims` on `article`.
pub fn tsv(article: &Article, claims: &[Claim], codebook: &Codebook) -> String {
    let text: &str = &article.text;
    let offsets = Offsets::new(text);
    let u16 = |b: usize| offsets.from_byte(Unit::Utf16, b).unwrap_or_default();
    let features = features(codebook);
    let cuts: BTreeSet<usize> = claims
        .iter()
        .flat_map(|c| [c.anchor.start, c.anchor.end])
        .collect();
    // Units per sentence, and which claims cover each.
    let units: Vec<Vec<(usize, usize)>> = article
        .sentences
        .iter()
        .map(|s| tokens(text, s.range.clone(), &cuts))
        .collect();
    let covering = |(s, e): (usize, usize)| -> Vec<usize> {
        (0..claims.len())
            .filter(|&i| claims[i].anchor.start <= s && e <= claims[i].anchor.end)
            .collect()
    };
    let mut count = vec![0usize; claims.len()];
    let mut stacked = vec![false; claims.len()];
    for u in units.iter().flatten() {
        let c = covering(*u);
        for &i in &c {
            count[i] += 1;
            stacked[i] |= c.len() > 1;
        }
    }
    let mut ids = vec![None; claims.len()];
    let mut next = 0;
    for i in 0..claims.len() {
        if count[i] > 1 || stacked[i] {
            next += 1;
            ids[i] = Some(next);
        }
    }
    let mut out = format!(
        "#FORMAT=WebAnno TSV 3.3\n#T_SP={LAYER}|{}\n\n",
        features.join("|")
    );
    for (si, (sentence, units)) in article.sentences.iter().zip(&units).enumerate() {
        if units.is_empty() {
            continue;
        }
        out.push('\n');
        for line in text[sentence.range.clone()].split('\n') {
            let _ = writeln!(out, "#Text={}", escape_text(line));
        }
        for (ti, &(s, e)) in units.iter().enumerate() {
            let _ = write!(
                out,
                "{}-{}\t{}-{}\t{}\t",
                si + 1,
                ti + 1,
                u16(s),
                u16(e),
                &text[s..e]
            );
            let here = covering((s, e));
            for f in &features {
                if here.is_empty() {
                    out.push('_');
                } else {
                    let cells: Vec<String> = here
                        .iter()
                        .map(|&i| {
                            let v = feature_value(&claims[i], f, codebook)
                                .map_or_else(|| "*".to_owned(), |v| escape_value(&v));
                            match ids[i] {
                                Some(id) => format!("{v}[{id}]"),
                                None => v,
                            }
                        })
                        .collect();
                    out.push_str(&cells.join("|"));
                }
                out.push('\t');
            }
            out.push('\n');
        }
    }
    out
}

/// Every file of a WebAnno TSV export, laid out as INCEpTION's project export lays out
/// annotations: `<article>/<annotator>.tsv`.
pub fn export(items: &[ExportItem], codebook: &Codebook) -> Vec<(PathBuf, String)> {
    items
        .iter()
        .map(|item| {
            (
                PathBuf::from(&item.article.id).join(format!("{}.tsv", item.annotator)),
                tsv(&item.article, &item.claims, codebook),
            )
        })
        .collect()
}

fn error(path: &Path, at: Pos, message: impl Into<String>) -> LoadError {
    LoadError::Invalid {
        path: path.to_owned(),
        pos: at,
        message: message.into(),
    }
}

/// Splits at `sep` where it is not escaped by a backslash.
fn split_unescaped(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut from = 0;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == sep {
            out.push(&s[from..i]);
            from = i + c.len_utf8();
        }
    }
    out.push(&s[from..]);
    out
}

/// A stacked item: its value (still escaped) and its disambiguation id.
fn item_id(item: &str) -> (&str, Option<u32>) {
    if let Some(body) = item.strip_suffix(']')
        && let Some(open) = body.rfind('[')
        && let Ok(id) = body[open + 1..].parse::<u32>()
    {
        let value = &body[..open];
        let backslashes = value.chars().rev().take_while(|&c| c == '\\').count();
        if backslashes % 2 == 0 {
            return (value, Some(id));
        }
    }
    (item, None)
}

/// One claim annotation being collected over its units.
struct Collected {
    at: Pos,
    begin: usize,
    end: usize,
    /// Feature → (raw value, where it was).
    values: BTreeMap<String, Located<Option<String>>>,
}

/// Reads a WebAnno TSV file.
pub fn read(path: &Path) -> Result<ForeignDoc, LoadError> {
    let text = store::read_text(path, "a WebAnno TSV 3.3 file")?;
    parse(path, &text)
}

/// Parses WebAnno TSV text read from `path`. The annotator is the file's stem and the
/// article its folder's name (INCEpTION's `annotation/<document>/<user>.tsv`).
#[allow(clippy::too_many_lines)] // a line-by-line reader; the steps read best in order
pub fn parse(path: &Path, tsv: &str) -> Result<ForeignDoc, LoadError> {
    let mut lines = tsv
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)));
    let at1 = Pos { line: 1, col: 1 };
    let Some((_, format)) = lines.next() else {
        return Err(error(
            path,
            at1,
            "the file is empty; expected `#FORMAT=WebAnno TSV 3.3`",
        ));
    };
    let version = format
        .strip_prefix("#FORMAT=WebAnno TSV 3.")
        .and_then(|v| v.trim().parse::<u32>().ok());
    match version {
        Some(v) if v >= 2 => {}
        Some(_) => {
            return Err(error(
                path,
                at1,
                "WebAnno TSV 3.0 and 3.1 escape text differently; re-export as TSV 3.3 (INCEpTION: Export › WebAnno TSV v3.3)",
            ));
        }
        None => {
            return Err(error(
                path,
                at1,
                format!("expected `#FORMAT=WebAnno TSV 3.3` on the first line, found `{format}`"),
            ));
        }
    }
    // The header: one line per layer; each layer has one column per feature (or one if it has
    // none); a relation's `BT_` column and a slot's role and target columns count too.
    let mut columns = 0;
    let mut claim_columns: Vec<(usize, String)> = Vec::new();
    let mut left_out = Vec::new();
    let mut header_end = 1;
    for (n, line) in lines.by_ref() {
        header_end = n;
        if line.is_empty() {
            break;
        }
        let Some(decl) = ["#T_SP=", "#T_CH=", "#T_RL="]
            .iter()
            .find_map(|p| line.strip_prefix(p))
        else {
            return Err(error(
                path,
                Pos { line: n, col: 1 },
                "expected a layer declaration (`#T_SP=`, `#T_CH=` or `#T_RL=`) or the empty line ending the header",
            ));
        };
        let fields: Vec<&str> = decl.split('|').collect();
        let name = fields[0];
        let features = &fields[1..];
        let is_claim = line.starts_with("#T_SP=")
            && (name == LAYER || name.ends_with(".Claim") || name == "Claim");
        if is_claim && claim_columns.is_empty() {
            for (j, f) in features.iter().enumerate() {
                claim_columns.push((columns + j, (*f).to_owned()));
            }
        } else {
            left_out.push(Finding::warning(
                path,
                Pos { line: n, col: 1 },
                format!("layer `{name}` has no place in Stance; left out"),
            ));
        }
        columns += features.len().max(1);
    }
    if claim_columns.is_empty() {
        return Err(error(
            path,
            Pos {
                line: header_end,
                col: 1,
            },
            format!(
                "the header declares no claim layer; Stance reads claims from the span layer `{LAYER}` (features claimid, note, origin, source, speaker, stance_<target>…, unsure)"
            ),
        ));
    }
    let mut sentences: Vec<(usize, String)> = Vec::new();
    let mut sentence_text: Option<String> = None;
    let mut needs_start = false;
    let mut collected: BTreeMap<String, Collected> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for (n, line) in lines {
        if line.is_empty() {
            continue;
        }
        if let Some(t) = line.strip_prefix("#Text=") {
            let t = unescape_text(t);
            match &mut sentence_text {
                Some(s) if !needs_start => {
                    s.push('\n');
                    s.push_str(&t);
                }
                _ => {
                    sentence_text = Some(t);
                    needs_start = false;
                }
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        // INCEpTION ends every column with a tab, the last one too.
        let fields: Vec<&str> = line
            .strip_suffix('\t')
            .unwrap_or(line)
            .split('\t')
            .collect();
        let col_of = |k: usize| {
            let before: usize = fields[..k].iter().map(|f| f.chars().count() + 1).sum();
            Pos {
                line: n,
                col: before + 1,
            }
        };
        let id_ok = fields[0].split_once('-').is_some_and(|(s, t)| {
            s.parse::<u32>().is_ok()
                && t.split_once('.')
                    .map_or(t, |(t, _)| t)
                    .parse::<u32>()
                    .is_ok()
        });
        let range = fields
            .get(1)
            .and_then(|r| r.split_once('-'))
            .and_then(|(b, e)| b.parse::<usize>().ok().zip(e.parse::<usize>().ok()))
            .filter(|(b, e)| b <= e);
        let (true, Some((begin, end))) = (id_ok, range) else {
            return Err(error(
                path,
                Pos { line: n, col: 1 },
                "expected a token line: `SENTENCE-TOKEN`, a tab, `BEGIN-END`, a tab, the token and its columns",
            ));
        };
        if fields.len() < 3 + columns {
            return Err(error(
                path,
                Pos { line: n, col: 1 },
                format!(
                    "the line has {} annotation columns; the header declares {columns}",
                    fields.len().saturating_sub(3)
                ),
            ));
        }
        if let Some(t) = sentence_text.take() {
            sentences.push((begin, t));
            needs_start = true;
        }
        // Stacked annotations of the claim layer on this unit, position by position.
        let mut stacks: Vec<Vec<(&str, Option<u32>)>> = Vec::new();
        for &(c, _) in &claim_columns {
            let cell = fields[3 + c];
            stacks.push(if cell == "_" {
                Vec::new()
            } else {
                split_unescaped(cell, '|')
                    .into_iter()
                    .map(item_id)
                    .collect()
            });
        }
        let depth = stacks.iter().map(Vec::len).max().unwrap_or(0);
        for k in 0..depth {
            let id = stacks.iter().find_map(|s| s.get(k).and_then(|x| x.1));
            let key = id.map_or_else(|| format!("line {n} #{k}"), |id| format!("[{id}]"));
            let entry = collected.entry(key.clone()).or_insert_with(|| {
                order.push(key.clone());
                Collected {
                    at: Pos { line: n, col: 1 },
                    begin,
                    end,
                    values: BTreeMap::new(),
                }
            });
            entry.begin = entry.begin.min(begin);
            entry.end = entry.end.max(end);
            for (j, (c, feature)) in claim_columns.iter().enumerate() {
                let Some((raw, _)) = stacks[j].get(k) else {
                    continue;
                };
                let value = (*raw != "*").then(|| unescape_value(raw));
                entry
                    .values
                    .entry(feature.clone())
                    .or_insert_with(|| Located::new(value, col_of(3 + c)));
            }
        }
    }
    let mut claims = Vec::new();
    for key in order {
        let Some(c) = collected.remove(&key) else {
            continue;
        };
        let mut fc = ForeignClaim::new(
            c.at,
            format!("the claim at line {}", c.at.line),
            c.begin,
            c.end,
        );
        for (feature, v) in c.values {
            let Some(value) = v.value else { continue };
            match feature.as_str() {
                "claimid" => fc.id = Some(value),
                "note" => fc.note = value,
                "origin" => fc.origin = parse_origin(&value),
                "source" => fc.source = Some(Located::new(value, v.at)),
                "speaker" => fc.speaker = Some(Located::new(value, v.at)),
                "unsure" => fc.unsure = value.eq_ignore_ascii_case("true"),
                f => match f.strip_prefix("stance_") {
                    Some(t) => fc
                        .stances
                        .push((Located::new(t.to_owned(), v.at), Located::new(value, v.at))),
                    None => left_out.push(Finding::warning(
                        path,
                        v.at,
                        format!("feature `{f}` has no place in Stance; left out"),
                    )),
                },
            }
        }
        claims.push(fc);
    }
    let annotator = path
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|n| names::validate_annotator(n).is_ok())
        .map(str::to_owned);
    let article = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .map(|n| n.strip_suffix(".txt").unwrap_or(n).to_owned());
    Ok(ForeignDoc {
        path: path.to_owned(),
        text: ForeignText::Sentences(sentences),
        unit: Unit::Utf16,
        article,
        annotator,
        times: None,
        claims,
        left_out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_escape_the_reserved_characters() {
        let v = r"a\b [x] c|d e_f g->h i;j k*l";
        let e = escape_value(v);
        assert_eq!(e, r"a\\b \[x\] c\|d e\_f g\->h i\;j k\*l");
        assert_eq!(unescape_value(&e), v);
        assert_eq!(escape_value("tab\tnl\n"), "tab\\tnl\\n");
        assert_eq!(unescape_value("tab\\tnl\\n"), "tab\tnl\n");
        assert_eq!(escape_text("a\\b\tc\rd"), "a\\\\b\\tc\\rd");
        assert_eq!(
            unescape_text(&escape_text("a\\b\tc\rd\u{1}")),
            "a\\b\tc\rd\u{1}"
        );
    }

    #[test]
    fn stacked_items_and_disambiguation_ids() {
        assert_eq!(
            split_unescaped(r"a[1]|b\|c[2]", '|'),
            vec!["a[1]", r"b\|c[2]"]
        );
        assert_eq!(item_id("against[12]"), ("against", Some(12)));
        assert_eq!(item_id(r"x\[3\]"), (r"x\[3\]", None));
        assert_eq!(item_id("*"), ("*", None));
    }

    #[test]
    fn parse_reads_the_specification_example_shape() {
        // The spec's emoji example with a claim layer: offsets in UTF-16 units.
        let tsv = "#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS|PosValue\n#T_SP=webanno.custom.Claim|note|source|stance_ceasefire\n\n\n#Text=I like it 😊 .\n1-1\t0-1\tI\tPRP\t*[1]\tauthor[1]\tfavor[1]\t\n1-2\t2-6\tlike\tVBP\t*[1]\tauthor[1]\tfavor[1]\t\n1-3\t7-9\tit\tPRP\t_\t_\t_\t\n1-4\t10-12\t😊\tSYM\tsmile\\_note\tauthor\t_\t\n1-5\t13-14\t.\t.\t_\t_\t_\t\n";
        let doc = parse(Path::new("annotation/doc.txt/amira.tsv"), tsv).unwrap();
        assert_eq!(doc.article.as_deref(), Some("doc"));
        assert_eq!(doc.annotator.as_deref(), Some("amira"));
        assert_eq!(
            doc.text,
            ForeignText::Sentences(vec![(0, "I like it 😊 .".into())])
        );
        assert_eq!(doc.claims.len(), 2);
        assert_eq!((doc.claims[0].start, doc.claims[0].end), (0, 6));
        assert_eq!(doc.claims[0].stances[0].1.value, "favor");
        assert_eq!(doc.claims[0].stances[0].1.at, Pos { line: 7, col: 30 });
        assert_eq!((doc.claims[1].start, doc.claims[1].end), (10, 12));
        assert_eq!(doc.claims[1].note, "smile_note");
        assert_eq!(doc.left_out.len(), 1);
    }

    #[test]
    fn parse_refuses_what_is_not_tsv_3_3() {
        let p = Path::new("x.tsv");
        let e = parse(p, "#FORMAT=WebAnno TSV 3.1\n").unwrap_err();
        assert!(e.message().contains("re-export as TSV 3.3"), "{e}");
        let e = parse(p, "hello\n").unwrap_err();
        assert!(
            e.message().contains("expected `#FORMAT=WebAnno TSV 3.3`"),
            "{e}"
        );
        let e = parse(
            p,
            "#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Other|x\n\n\n",
        )
        .unwrap_err();
        assert!(e.message().contains("declares no claim layer"), "{e}");
        let e = parse(
            p,
            "#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Claim|note|source\n\n\n#Text=Hi\n1-1\t0-2\tHi\t_\t\n",
        )
        .unwrap_err();
        assert_eq!(e.pos(), Pos { line: 6, col: 1 });
        assert!(
            e.message()
                .contains("has 1 annotation columns; the header declares 2"),
            "{e}"
        );
    }
}

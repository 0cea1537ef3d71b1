//! brat standoff: a document's text in `NAME.txt` and its annotations in `NAME.ann`.
//!
//! Offsets count code points of the `.txt` file, as brat (Python) counts them. A claim is a
//! text-bound annotation of type `Claim`; a claim that crosses a line break is written as
//! brat writes one, in fragments (`T1\tClaim 0 12;14 30\t…`, the texts joined by a space).
//! Its codings hang on it (fields separated by tabs, shown here as spaces):
//!
//! ```text
//! T1    Claim 120 245    "We don't support calls for a ceasefire right now."
//! A1    Stance_ceasefire T1 against
//! A2    Source T1 official
//! A3    Unsure T1
//! A4    Suggested T1
//! N1    Reference T1 Speaker:john-kirby    John Kirby
//! #1    AnnotatorNotes T1    the coder's note
//! T2    Cue 230 234    told
//! R1    Has_cue Arg1:T1 Arg2:T2
//! ```
//!
//! The speaker is a normalization (`N`) line: `Speaker:<registry id>`, or `Speaker:new` with
//! the name as its text. Notes keep line breaks as `\n` (and a backslash as `\\`), since
//! every annotation is one line. The annotator is the folder holding the files (one folder
//! per annotator, as brat collections are usually shared). brat has no place for claim ids,
//! times, the reasons of a suggestion or whether the article is done: an import gives fresh
//! ids, the import's time and status done.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::core::interchange::foreign::{
    ExportItem, ForeignClaim, ForeignDoc, ForeignText, Located,
};
use crate::core::interchange::offsets::{Offsets, Unit};
use crate::core::model::annotation::{Claim, Origin, SpeakerRef};
use crate::core::model::codebook::Codebook;
use crate::core::model::names;
use crate::core::storage::finding::Finding;
use crate::core::storage::store::{self, LoadError, Pos};

/// The entity type of claims.
pub const CLAIM: &str = "Claim";
/// The entity type of attribution cues.
pub const CUE: &str = "Cue";
/// The relation from a claim to its cue.
pub const HAS_CUE: &str = "Has_cue";
/// The normalization resource of speakers.
pub const SPEAKER: &str = "Speaker";
/// Attribute name prefix of stances: `Stance_<target id>`.
pub const STANCE_PREFIX: &str = "Stance_";

/// Escapes a note for one line: `\` → `\\`, line feed → `\n`, carriage return → `\r`, tab →
/// `\t`.
pub fn escape_note(note: &str) -> String {
    let mut out = String::with_capacity(note.len());
    for c in note.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

/// Reverses [`escape_note`]; a backslash before anything else stays as it is.
pub fn unescape_note(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                _ => {
                    out.push('\\');
                    continue;
                }
            }
            chars.next();
        } else {
            out.push(c);
        }
    }
    out
}

/// The fragments of `start..end` (bytes) between line breaks, as brat splits a span.
fn fragments(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = None;
    for (i, c) in text[start..end].char_indices() {
        let at = start + i;
        if c == '\n' || c == '\r' {
            if let Some(f) = from.take() {
                out.push((f, at));
            }
        } else if from.is_none() {
            from = Some(at);
        }
    }
    if let Some(f) = from {
        out.push((f, end));
    }
    out
}

/// The `.ann` text for `claims` (anchored in `text`).
pub fn ann(text: &str, claims: &[Claim], codebook: &Codebook) -> String {
    let offsets = Offsets::new(text);
    let cp = |b: usize| offsets.from_byte(Unit::CodePoints, b).unwrap_or_default();
    let mut out = String::new();
    let (mut t, mut a, mut r, mut n, mut note) = (0, 0, 0, 0, 0);
    for c in claims {
        t += 1;
        let claim_t = t;
        let frags = fragments(text, c.anchor.start, c.anchor.end);
        let spans: Vec<String> = frags
            .iter()
            .map(|&(s, e)| format!("{} {}", cp(s), cp(e)))
            .collect();
        let quote: Vec<&str> = frags.iter().map(|&(s, e)| &text[s..e]).collect();
        let _ = writeln!(
            out,
            "T{t}\t{CLAIM} {}\t{}",
            spans.join(";"),
            quote.join(" ")
        );
        for target in &codebook.targets {
            if let Some(s) = c.stances.get(&target.id) {
                a += 1;
                let _ = writeln!(out, "A{a}\t{STANCE_PREFIX}{} T{claim_t} {s}", target.id);
            }
        }
        if let Some(s) = &c.source {
            a += 1;
            let _ = writeln!(out, "A{a}\tSource T{claim_t} {s}");
        }
        if c.unsure {
            a += 1;
            let _ = writeln!(out, "A{a}\tUnsure T{claim_t}");
        }
        if !c.origin.is_manual() {
            a += 1;
            let _ = writeln!(out, "A{a}\tSuggested T{claim_t}");
        }
        match &c.speaker {
            Some(SpeakerRef::Registry(id)) => {
                n += 1;
                let name = codebook
                    .speaker(id)
                    .map_or(id.as_str(), |s| s.name.as_str());
                let _ = writeln!(out, "N{n}\tReference T{claim_t} {SPEAKER}:{id}\t{name}");
            }
            Some(SpeakerRef::New(name)) => {
                n += 1;
                let _ = writeln!(out, "N{n}\tReference T{claim_t} {SPEAKER}:new\t{name}");
            }
            None => {}
        }
        if !c.note.is_empty() {
            note += 1;
            let _ = writeln!(
                out,
                "#{note}\tAnnotatorNotes T{claim_t}\t{}",
                escape_note(&c.note)
            );
        }
        if let Some(cue) = &c.cue {
            t += 1;
            let _ = writeln!(
                out,
                "T{t}\t{CUE} {} {}\t{}",
                cp(cue.start),
                cp(cue.end),
                &text[cue.start..cue.end]
            );
            r += 1;
            let _ = writeln!(out, "R{r}\t{HAS_CUE} Arg1:T{claim_t} Arg2:T{t}");
        }
    }
    out
}

/// brat's `annotation.conf` for the codebook: the entity, relation and attribute types the
/// `.ann` files use, with the codebook's labels as attribute values.
pub fn annotation_conf(codebook: &Codebook) -> String {
    let ids = |labels: &[crate::core::model::codebook::Label]| {
        labels
            .iter()
            .map(|l| l.id.as_str())
            .collect::<Vec<_>>()
            .join("|")
    };
    let mut out = format!(
        "# brat annotation configuration for stance codebook `{}` version {}\n[entities]\n{CLAIM}\n{CUE}\n\n[relations]\n{HAS_CUE} Arg1:{CLAIM}, Arg2:{CUE}\n<OVERLAP> Arg1:{CLAIM}, Arg2:{CLAIM}, <OVL-TYPE>:<ANY>\n<OVERLAP> Arg1:{CLAIM}, Arg2:{CUE}, <OVL-TYPE>:<ANY>\n\n[events]\n\n[attributes]\n",
        codebook.id, codebook.version
    );
    for t in &codebook.targets {
        let _ = writeln!(
            out,
            "{STANCE_PREFIX}{} Arg:{CLAIM}, Value:{}",
            t.id,
            ids(&codebook.stances)
        );
    }
    let _ = writeln!(
        out,
        "Source Arg:{CLAIM}, Value:{}",
        ids(&codebook.source_types)
    );
    let _ = writeln!(out, "Unsure Arg:{CLAIM}");
    let _ = writeln!(out, "Suggested Arg:{CLAIM}");
    out
}

/// brat's `tools.conf`, declaring the speaker registry as a normalization resource.
pub const TOOLS_CONF: &str =
    "[normalization]\nSpeaker\tDB:speakers, <URL>:https://example.invalid/speaker/%s\n";

/// Every file of a brat export: `annotation.conf` and `tools.conf` at the top, then
/// `<annotator>/<article>.txt` and `.ann` per annotation file.
pub fn export(items: &[ExportItem], codebook: &Codebook) -> Vec<(PathBuf, String)> {
    let mut out = vec![
        (PathBuf::from("annotation.conf"), annotation_conf(codebook)),
        (PathBuf::from("tools.conf"), TOOLS_CONF.to_owned()),
    ];
    for item in items {
        let dir = PathBuf::from(&item.annotator);
        out.push((
            dir.join(format!("{}.txt", item.article.id)),
            item.article.text.to_string(),
        ));
        out.push((
            dir.join(format!("{}.ann", item.article.id)),
            ann(&item.article.text, &item.claims, codebook),
        ));
    }
    out
}

fn pos_in(line_no: usize, line: &str, byte: usize) -> Pos {
    Pos {
        line: line_no,
        col: line.get(..byte).map_or(1, |h| h.chars().count() + 1),
    }
}

fn error(path: &Path, at: Pos, message: impl Into<String>) -> LoadError {
    LoadError::Invalid {
        path: path.to_owned(),
        pos: at,
        message: message.into(),
    }
}

/// A `T` line: its type, fragments (code points) and where its text field starts.
struct Span {
    kind: String,
    fragments: Vec<(usize, usize)>,
    at: Pos,
}

/// Reads `NAME.ann` and the `NAME.txt` beside it.
pub fn read(ann_path: &Path) -> Result<ForeignDoc, LoadError> {
    let txt_path = ann_path.with_extension("txt");
    let ann = store::read_text(ann_path, "brat standoff annotations (.ann)").or_else(|e| {
        // An .ann without annotations is an empty file; that is a valid, empty document.
        match e {
            LoadError::Empty { .. } => Ok(String::new()),
            e => Err(e),
        }
    })?;
    if !txt_path.is_file() {
        return Err(error(
            ann_path,
            Pos { line: 1, col: 1 },
            format!(
                "brat keeps the text beside the annotations, but there is no {}",
                txt_path.display()
            ),
        ));
    }
    let text = store::read_text(&txt_path, "the document text of a brat .ann file")?;
    parse(ann_path, &ann, &text)
}

/// Parses `.ann` text annotating `text` (read from `path`'s `.txt`).
#[allow(clippy::too_many_lines)] // one match arm per line type, each short
pub fn parse(path: &Path, ann: &str, text: &str) -> Result<ForeignDoc, LoadError> {
    let offsets = Offsets::new(text);
    let chars = offsets.len(Unit::CodePoints);
    let mut spans: BTreeMap<String, Span> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut claims: BTreeMap<String, ForeignClaim> = BTreeMap::new();
    let mut left_out = Vec::new();
    // Lines that refer to a span, kept until every span is known (brat allows any order).
    let mut refs: Vec<(usize, &str)> = Vec::new();
    for (i, raw) in ann.lines().enumerate() {
        let n = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let at = Pos { line: n, col: 1 };
        let Some((id, rest)) = line.split_once('\t') else {
            return Err(error(
                path,
                at,
                "not a brat annotation line: expected an id, a tab and the annotation (`T1\tClaim 0 10\ttext`)",
            ));
        };
        match id.chars().next() {
            Some('T') => {
                let Some((head, span_text)) = rest.split_once('\t') else {
                    return Err(error(
                        path,
                        pos_in(n, line, id.len() + 1),
                        format!("{id}: expected `TYPE START END`, a tab and the span's text"),
                    ));
                };
                let (kind, ranges) = head.split_once(' ').unwrap_or((head, ""));
                let ranges_at = id.len() + 1 + kind.len() + 1;
                let mut fragments = Vec::new();
                for part in ranges.split(';') {
                    let nums: Vec<&str> = part.split_whitespace().collect();
                    let parsed = match nums.as_slice() {
                        [s, e] => s.parse::<usize>().ok().zip(e.parse::<usize>().ok()),
                        _ => None,
                    };
                    let Some((s, e)) = parsed.filter(|(s, e)| s <= e) else {
                        return Err(error(
                            path,
                            pos_in(n, line, ranges_at),
                            format!("{id}: `{ranges}` is not a list of `START END` offsets"),
                        ));
                    };
                    if e > chars {
                        return Err(error(
                            path,
                            pos_in(n, line, ranges_at),
                            format!(
                                "{id}: offsets {s}..{e} lie past the end of the text ({chars} characters)"
                            ),
                        ));
                    }
                    fragments.push((s, e));
                }
                let slice = |&(s, e): &(usize, usize)| {
                    let (Some(a), Some(b)) = (
                        offsets.to_byte(Unit::CodePoints, s),
                        offsets.to_byte(Unit::CodePoints, e),
                    ) else {
                        return String::new();
                    };
                    text[a..b].to_owned()
                };
                let expected: Vec<String> = fragments.iter().map(slice).collect();
                let expected = expected.join(" ");
                if expected != span_text {
                    return Err(error(
                        path,
                        pos_in(n, line, line.len() - span_text.len()),
                        format!(
                            "{id}: the text `{span_text}` is not what the .txt holds at {ranges} (`{expected}`); is the .ann from another version of the text?"
                        ),
                    ));
                }
                let at = pos_in(n, line, 0);
                if kind != CLAIM && kind != CUE {
                    left_out.push(Finding::warning(
                        path,
                        at,
                        format!("{id}: entity type `{kind}` has no place in Stance; left out"),
                    ));
                }
                if kind == CLAIM {
                    let start = fragments.iter().map(|f| f.0).min().unwrap_or_default();
                    let end = fragments.iter().map(|f| f.1).max().unwrap_or_default();
                    claims.insert(id.to_owned(), ForeignClaim::new(at, id, start, end));
                }
                order.push(id.to_owned());
                spans.insert(
                    id.to_owned(),
                    Span {
                        kind: kind.to_owned(),
                        fragments,
                        at,
                    },
                );
            }
            Some('A' | 'M' | 'R' | 'N' | '#') => refs.push((n, line)),
            Some('E' | '*') => left_out.push(Finding::warning(
                path,
                at,
                format!("{id}: events and equivalences have no place in Stance; left out"),
            )),
            _ => {
                return Err(error(
                    path,
                    at,
                    format!(
                        "`{id}` is not a brat annotation id (T, A, M, R, N, E, * or # and a number)"
                    ),
                ));
            }
        }
    }
    for (n, line) in refs {
        let (id, rest) = line.split_once('\t').unwrap_or((line, ""));
        let field_at = |needle: &str| pos_in(n, line, line.find(needle).unwrap_or(0));
        let target_claim = |target: &str| -> Result<Option<String>, LoadError> {
            match spans.get(target) {
                None => Err(error(
                    path,
                    field_at(target),
                    format!("{id}: `{target}` is not a text-bound annotation of this file"),
                )),
                Some(s) if s.kind == CLAIM => Ok(Some(target.to_owned())),
                Some(_) => Ok(None),
            }
        };
        match id.chars().next() {
            Some('A' | 'M') => {
                let parts: Vec<&str> = rest.split_whitespace().collect();
                let (name, target, value) = match parts.as_slice() {
                    [name, target] => (*name, *target, None),
                    [name, target, value] => (*name, *target, Some(*value)),
                    _ => {
                        return Err(error(
                            path,
                            field_at(rest),
                            format!("{id}: expected `NAME TARGET [VALUE]`"),
                        ));
                    }
                };
                let Some(claim) = target_claim(target)?.and_then(|t| claims.get_mut(&t)) else {
                    continue;
                };
                let located = |v: &str| Located::new(v.to_owned(), field_at(v));
                match (name, value) {
                    ("Source", Some(v)) => claim.source = Some(located(v)),
                    ("Unsure", None) => claim.unsure = true,
                    ("Suggested", None) => {
                        claim.origin = Origin::Suggested {
                            reasons: String::new(),
                        };
                    }
                    (stance, Some(v)) if stance.starts_with(STANCE_PREFIX) => {
                        let target = &stance[STANCE_PREFIX.len()..];
                        claim.stances.push((
                            Located::new(target.to_owned(), field_at(stance)),
                            located(v),
                        ));
                    }
                    _ => left_out.push(Finding::warning(
                        path,
                        field_at(name),
                        format!("{id}: attribute `{name}` has no place in Stance; left out"),
                    )),
                }
            }
            Some('N') => {
                let (head, name) = rest.split_once('\t').unwrap_or((rest, ""));
                let parts: Vec<&str> = head.split_whitespace().collect();
                let [_, target, reference] = parts.as_slice() else {
                    return Err(error(
                        path,
                        field_at(head),
                        format!("{id}: expected `Reference TARGET RESOURCE:ID`, a tab and a name"),
                    ));
                };
                let Some(claim) = target_claim(target)?.and_then(|t| claims.get_mut(&t)) else {
                    continue;
                };
                match reference.split_once(':') {
                    Some((resource, entry)) if resource.eq_ignore_ascii_case(SPEAKER) => {
                        let value = if entry == "new" {
                            format!("new:{name}")
                        } else {
                            entry.to_owned()
                        };
                        claim.speaker = Some(Located::new(value, field_at(reference)));
                    }
                    _ => left_out.push(Finding::warning(
                        path,
                        field_at(reference),
                        format!("{id}: normalization `{reference}` is not a speaker; left out"),
                    )),
                }
            }
            Some('#') => {
                let (head, note) = rest.split_once('\t').unwrap_or((rest, ""));
                let target = head.split_whitespace().nth(1).unwrap_or_default();
                let Some(claim) = target_claim(target)?.and_then(|t| claims.get_mut(&t)) else {
                    continue;
                };
                if !claim.note.is_empty() {
                    claim.note.push('\n');
                }
                claim.note.push_str(&unescape_note(note));
            }
            _ => {
                // R: a relation; only a claim's cue has a place.
                let parts: Vec<&str> = rest.split_whitespace().collect();
                let arg = |p: &str, key: &str| p.strip_prefix(key).map(str::to_owned);
                let (Some(kind), Some(a1), Some(a2)) = (
                    parts.first(),
                    parts.get(1).and_then(|p| arg(p, "Arg1:")),
                    parts.get(2).and_then(|p| arg(p, "Arg2:")),
                ) else {
                    return Err(error(
                        path,
                        field_at(rest),
                        format!("{id}: expected `TYPE Arg1:ID Arg2:ID`"),
                    ));
                };
                let cue = spans.get(&a2).ok_or_else(|| {
                    error(
                        path,
                        field_at(&a2),
                        format!("{id}: `{a2}` is not a text-bound annotation of this file"),
                    )
                })?;
                if *kind != HAS_CUE || cue.kind != CUE {
                    left_out.push(Finding::warning(
                        path,
                        field_at(kind),
                        format!("{id}: relation `{kind}` has no place in Stance; left out"),
                    ));
                    continue;
                }
                let range = cue.fragments.first().map(|f| f.0).unwrap_or_default()
                    ..cue.fragments.last().map(|f| f.1).unwrap_or_default();
                let Some(claim) = target_claim(&a1)?.and_then(|t| claims.get_mut(&t)) else {
                    continue;
                };
                claim.cue = Some(range);
            }
        }
    }
    // Cues that no claim points to have no place either.
    for id in &order {
        if let Some(s) = spans.get(id)
            && s.kind == CUE
            && !claims.values().any(|c| {
                c.cue.as_ref().is_some_and(|r| {
                    r.start == s.fragments.first().map(|f| f.0).unwrap_or_default()
                })
            })
        {
            left_out.push(Finding::warning(
                path,
                s.at,
                format!("{id}: a cue that no claim points to (`{HAS_CUE}`); left out"),
            ));
        }
    }
    let annotator = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .filter(|n| names::validate_annotator(n).is_ok())
        .map(str::to_owned);
    let article = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned);
    let claims = order.iter().filter_map(|id| claims.remove(id)).collect();
    Ok(ForeignDoc {
        path: path.to_owned(),
        text: ForeignText::Full(text.to_owned()),
        unit: Unit::CodePoints,
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
    fn notes_escape_line_breaks_and_backslashes() {
        let note = "line one\nline \\two\ttab\r";
        assert_eq!(escape_note(note), "line one\\nline \\\\two\\ttab\\r");
        assert_eq!(unescape_note(&escape_note(note)), note);
        assert_eq!(unescape_note("C:\\path"), "C:\\path");
    }

    #[test]
    fn fragments_split_at_line_breaks() {
        let text = "ab\n\ncd\r\nef";
        assert_eq!(
            fragments(text, 0, text.len()),
            vec![(0, 2), (4, 6), (8, 10)]
        );
        assert_eq!(fragments(text, 1, 2), vec![(1, 2)]);
    }

    #[test]
    fn parse_reads_the_spec_example_lines_and_leaves_out_the_rest() {
        let text = "Wang Yi said “talks 😊 help”.\nOther.";
        let ann = "T1\tClaim 0 28\tWang Yi said “talks 😊 help”.\nA1\tStance_ceasefire T1 favor\nA2\tSource T1 direct-quote\nA3\tUnsure T1\nN1\tReference T1 Speaker:new\tWang Yi\n#1\tAnnotatorNotes T1\tfirst\\nsecond\nT2\tCue 8 12\tsaid\nR1\tHas_cue Arg1:T1 Arg2:T2\nT3\tPerson 0 7\tWang Yi\nE1\tMeeting:T3\n";
        let doc = parse(Path::new("amira/a.ann"), ann, text).unwrap();
        assert_eq!(doc.annotator.as_deref(), Some("amira"));
        assert_eq!(doc.article.as_deref(), Some("a"));
        assert_eq!(doc.claims.len(), 1);
        let c = &doc.claims[0];
        assert_eq!((c.start, c.end), (0, 28));
        assert_eq!(c.cue, Some(8..12));
        assert!(c.unsure);
        assert_eq!(c.note, "first\nsecond");
        assert_eq!(c.speaker.as_ref().unwrap().value, "new:Wang Yi");
        assert_eq!(c.stances[0].1.value, "favor");
        assert_eq!(c.source.as_ref().unwrap().at, Pos { line: 3, col: 14 });
        assert_eq!(doc.left_out.len(), 2, "{:?}", doc.left_out);
    }

    #[test]
    fn parse_points_at_what_is_wrong() {
        let text = "short";
        let e = parse(Path::new("x.ann"), "T1\tClaim 0 99\tshort", text).unwrap_err();
        assert_eq!(e.pos(), Pos { line: 1, col: 10 });
        assert!(
            e.message()
                .contains("past the end of the text (5 characters)"),
            "{e}"
        );
        let e = parse(Path::new("x.ann"), "T1\tClaim 0 5\tshirt", text).unwrap_err();
        assert!(e.message().contains("is not what the .txt holds"), "{e}");
        assert_eq!(e.pos(), Pos { line: 1, col: 14 });
        let e = parse(Path::new("x.ann"), "A1\tSource T9 author", text).unwrap_err();
        assert!(
            e.message().contains("`T9` is not a text-bound annotation"),
            "{e}"
        );
        let e = parse(Path::new("x.ann"), "hello world", text).unwrap_err();
        assert!(e.message().contains("not a brat annotation line"), "{e}");
    }
}

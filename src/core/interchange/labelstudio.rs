//! Label Studio JSON tasks: one task per article (`data.text`), one annotation per annotator.
//!
//! A claim is a region of the `Labels` control `claim` (label `Claim`) on the `Text` object
//! `text`; its codings are per-region results sharing the region's id, which is the claim's
//! id: `Choices` `stance_<target>` (the stance label id), `source` and `unsure`, `TextArea`
//! `speaker` (a registry id or `new:Name`) and `note`. A claim that started as an accepted
//! suggestion has the result `origin` `prediction`, Label Studio's word for it. Offsets count
//! code points of `data.text` (Label Studio stores them so since version 1.4; older versions
//! counted UTF-16 units, which the reader detects by checking the region's `text`).
//! `completed_by` names the annotator (`{"email": "<name>@stance.local"}`), `lead_time` is the
//! focused coding seconds Stance recorded (0 for files from before it recorded them). `label_config.xml` beside the tasks sets up a
//! Label Studio project that shows them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::core::annotation::{Claim, Origin};
use crate::core::check::Finding;
use crate::core::codebook::Codebook;
use crate::core::interchange::foreign::{
    ExportItem, ForeignClaim, ForeignDoc, ForeignText, Located, speaker_value,
};
use crate::core::interchange::offsets::{Offsets, Unit};
use crate::core::names;
use crate::core::store::{self, LoadError, Pos};

/// The email domain standing in for annotators' addresses.
pub const EMAIL_DOMAIN: &str = "stance.local";

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn xml_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A labeling configuration for the codebook: the text, the `Claim` label and, for the
/// selected region, one choice group per target, source type, unsure, speaker and note.
pub fn label_config(codebook: &Codebook) -> String {
    let mut out = String::from(
        "<View>\n  <Labels name=\"claim\" toName=\"text\">\n    <Label value=\"Claim\"/>\n  </Labels>\n  <Text name=\"text\" value=\"$text\"/>\n  <View visibleWhen=\"region-selected\">\n",
    );
    for t in &codebook.targets {
        let _ = writeln!(
            out,
            "    <Header value=\"Stance toward {}\"/>",
            xml_attr(&t.name)
        );
        let _ = writeln!(
            out,
            "    <Choices name=\"stance_{}\" toName=\"text\" perRegion=\"true\" choice=\"single\">",
            xml_attr(&t.id)
        );
        for s in &codebook.stances {
            let _ = writeln!(
                out,
                "      <Choice value=\"{}\" hint=\"{}\"/>",
                xml_attr(&s.id),
                xml_attr(&s.name)
            );
        }
        out.push_str("    </Choices>\n");
    }
    out.push_str("    <Header value=\"Source type\"/>\n    <Choices name=\"source\" toName=\"text\" perRegion=\"true\" choice=\"single\">\n");
    for s in &codebook.source_types {
        let _ = writeln!(
            out,
            "      <Choice value=\"{}\" hint=\"{}\"/>",
            xml_attr(&s.id),
            xml_attr(&s.name)
        );
    }
    out.push_str("    </Choices>\n    <Choices name=\"unsure\" toName=\"text\" perRegion=\"true\">\n      <Choice value=\"unsure\"/>\n    </Choices>\n    <Header value=\"Speaker (registry id, or new:Name)\"/>\n    <TextArea name=\"speaker\" toName=\"text\" perRegion=\"true\" maxSubmissions=\"1\"/>\n    <Header value=\"Note\"/>\n    <TextArea name=\"note\" toName=\"text\" perRegion=\"true\" maxSubmissions=\"1\"/>\n  </View>\n</View>\n");
    out
}

fn results(claim: &Claim, text: &str, offsets: &Offsets, codebook: &Codebook) -> Vec<Value> {
    let cp = |b: usize| offsets.from_byte(Unit::CodePoints, b).unwrap_or_default();
    let (start, end) = (cp(claim.anchor.start), cp(claim.anchor.end));
    let quote = &text[claim.anchor.start..claim.anchor.end];
    let origin = if claim.origin.is_manual() {
        "manual"
    } else {
        "prediction"
    };
    let result = |from: &str, kind: &str, key: &str, v: Value| {
        let mut value = json!({"start": start, "end": end});
        if kind != "textarea" {
            value["text"] = json!(quote);
        }
        value[key] = v;
        json!({"id": claim.id, "from_name": from, "to_name": "text", "type": kind, "origin": origin, "value": value})
    };
    let mut out = vec![result("claim", "labels", "labels", json!(["Claim"]))];
    for t in &codebook.targets {
        if let Some(s) = claim.stances.get(&t.id) {
            out.push(result(
                &format!("stance_{}", t.id),
                "choices",
                "choices",
                json!([s]),
            ));
        }
    }
    if let Some(s) = &claim.source {
        out.push(result("source", "choices", "choices", json!([s])));
    }
    if claim.unsure {
        out.push(result("unsure", "choices", "choices", json!(["unsure"])));
    }
    if let Some(s) = &claim.speaker {
        out.push(result(
            "speaker",
            "textarea",
            "text",
            json!([speaker_value(s)]),
        ));
    }
    if !claim.note.is_empty() {
        out.push(result("note", "textarea", "text", json!([claim.note])));
    }
    out
}

/// `tasks.json` (every article with annotations, one task each) and `label_config.xml`.
/// `sources` gives an article's title and address, when its sidecar has them.
pub fn export(
    items: &[ExportItem],
    codebook: &Codebook,
    sources: &BTreeMap<String, (Option<String>, Option<String>)>,
) -> Vec<(PathBuf, String)> {
    let mut tasks: Vec<Value> = Vec::new();
    let mut users: Vec<&str> = items.iter().map(|i| i.annotator.as_str()).collect();
    users.sort_unstable();
    users.dedup();
    let mut annotation_id = 0;
    let mut i = 0;
    while i < items.len() {
        let article = &items[i].article;
        let same: Vec<&ExportItem> = items[i..]
            .iter()
            .take_while(|x| x.article.id == article.id)
            .collect();
        i += same.len();
        let text: &str = &article.text;
        let offsets = Offsets::new(text);
        let mut data = json!({"text": text, "article": article.id, "title": article.title});
        if let Some((title, url)) = sources.get(&article.id) {
            if let Some(t) = title {
                data["title"] = json!(t);
            }
            if let Some(u) = url {
                data["url"] = json!(u);
            }
        }
        let annotations: Vec<Value> = same
            .iter()
            .map(|item| {
                annotation_id += 1;
                let user = users.iter().position(|u| *u == item.annotator).unwrap_or(0) + 1;
                let seconds = item.file.time.article;
                json!({
                    "id": annotation_id,
                    "completed_by": {"id": user, "email": format!("{}@{EMAIL_DOMAIN}", item.annotator), "first_name": item.annotator, "last_name": ""},
                    "result": item.claims.iter().flat_map(|c| results(c, text, &offsets, codebook)).collect::<Vec<_>>(),
                    "was_cancelled": false,
                    "ground_truth": item.annotator == "gold",
                    "created_at": rfc3339(item.file.created),
                    "updated_at": rfc3339(item.file.modified),
                    "lead_time": seconds,
                })
            })
            .collect();
        tasks.push(json!({"id": tasks.len() + 1, "data": data, "annotations": annotations}));
    }
    let mut json = serde_json::to_string_pretty(&Value::Array(tasks)).unwrap_or_default();
    json.push('\n');
    vec![
        (PathBuf::from("tasks.json"), json),
        (PathBuf::from("label_config.xml"), label_config(codebook)),
    ]
}

/// One step into a JSON document: an array index or an object key.
#[derive(Clone, Copy, Debug)]
pub enum Step<'a> {
    /// The n-th element of an array.
    Index(usize),
    /// The value of a key of an object.
    Key(&'a str),
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

fn skip_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

fn skip_value(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'"') => skip_string(b, i),
        Some(b'{' | b'[') => {
            let mut depth = 0;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            j
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
            {
                j += 1;
            }
            j
        }
    }
}

/// Where the value at `steps` starts in `json` (a valid JSON text), as a line and column; as
/// far as it gets when a step does not exist.
pub fn locate(json: &str, steps: &[Step<'_>]) -> Pos {
    let b = json.as_bytes();
    let mut i = skip_ws(b, 0);
    'steps: for step in steps {
        match *step {
            Step::Index(n) => {
                if b.get(i) != Some(&b'[') {
                    break;
                }
                i = skip_ws(b, i + 1);
                for _ in 0..n {
                    i = skip_ws(b, skip_value(b, i));
                    if b.get(i) != Some(&b',') {
                        break 'steps;
                    }
                    i = skip_ws(b, i + 1);
                }
            }
            Step::Key(k) => {
                if b.get(i) != Some(&b'{') {
                    break;
                }
                i = skip_ws(b, i + 1);
                loop {
                    if b.get(i) != Some(&b'"') {
                        break 'steps;
                    }
                    let end = skip_string(b, i);
                    let key: Option<String> = serde_json::from_slice(&b[i..end]).ok();
                    i = skip_ws(b, end);
                    if b.get(i) != Some(&b':') {
                        break 'steps;
                    }
                    i = skip_ws(b, i + 1);
                    if key.as_deref() == Some(k) {
                        break;
                    }
                    i = skip_ws(b, skip_value(b, i));
                    if b.get(i) != Some(&b',') {
                        break 'steps;
                    }
                    i = skip_ws(b, i + 1);
                }
            }
        }
    }
    Pos::of_offset(json, i)
}

fn error(path: &Path, at: Pos, message: impl Into<String>) -> LoadError {
    LoadError::Invalid {
        path: path.to_owned(),
        pos: at,
        message: message.into(),
    }
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The annotator a `completed_by` names: an email's local part, a name, or `user-<id>`.
fn annotator_of(v: &Value) -> Option<String> {
    let name = match v {
        Value::Object(o) => o
            .get("email")
            .and_then(Value::as_str)
            .and_then(|e| e.split('@').next())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .or_else(|| {
                o.get("id")
                    .and_then(Value::as_u64)
                    .map(|id| format!("user-{id}"))
            }),
        Value::String(s) => Some(s.split('@').next().unwrap_or(s).to_owned()),
        Value::Number(n) => Some(format!("user-{n}")),
        _ => None,
    }?;
    names::validate_annotator(&name).is_ok().then_some(name)
}

fn time(v: Option<&Value>) -> Option<DateTime<Utc>> {
    v?.as_str()?.parse::<DateTime<Utc>>().ok()
}

/// Reads a Label Studio JSON export (an array of tasks, or one task).
pub fn read(path: &Path) -> Result<Vec<ForeignDoc>, LoadError> {
    let text = store::read_text(path, "Label Studio JSON tasks")?;
    parse(path, &text)
}

/// Parses Label Studio JSON read from `path`: one document per (task, annotation).
#[allow(clippy::too_many_lines)] // one walk over tasks, annotations and results
pub fn parse(path: &Path, json: &str) -> Result<Vec<ForeignDoc>, LoadError> {
    let root: Value = serde_json::from_str(json).map_err(|e| LoadError::Parse {
        path: path.to_owned(),
        pos: Pos {
            line: e.line().max(1),
            col: e.column().max(1),
        },
        message: format!("not valid JSON: {e}"),
    })?;
    let (tasks, wrapped) = match root {
        Value::Array(t) => (t, true),
        task @ Value::Object(_) => (vec![task], false),
        _ => {
            return Err(error(
                path,
                Pos { line: 1, col: 1 },
                "expected Label Studio tasks: a JSON array of objects with `data` and `annotations`",
            ));
        }
    };
    let at = |steps: &[Step<'_>]| {
        let mut full = Vec::with_capacity(steps.len() + 1);
        if wrapped {
            full.push(steps[0]);
        }
        full.extend_from_slice(&steps[1..]);
        locate(json, &full)
    };
    let mut docs = Vec::new();
    for (ti, task) in tasks.iter().enumerate() {
        let Some(text) = task.pointer("/data/text").and_then(Value::as_str) else {
            return Err(error(
                path,
                at(&[Step::Index(ti)]),
                format!("task {}: no `data.text`; Stance reads text tasks", ti + 1),
            ));
        };
        let offsets = Offsets::new(text);
        let article = task
            .pointer("/data/article")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let annotations_key = if task.get("annotations").is_some() {
            "annotations"
        } else {
            "completions"
        };
        let annotations = task
            .get(annotations_key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut task_warnings = Vec::new();
        if task
            .get("predictions")
            .and_then(Value::as_array)
            .is_some_and(|p| !p.is_empty())
        {
            task_warnings.push(Finding::warning(
                path,
                at(&[Step::Index(ti), Step::Key("predictions")]),
                format!(
                    "task {}: predictions are a model's, not a coder's; left out",
                    ti + 1
                ),
            ));
        }
        for (ai, ann) in annotations.iter().enumerate() {
            let ann_at = |rest: &[Step<'_>]| {
                let mut s = vec![Step::Index(ti), Step::Key(annotations_key), Step::Index(ai)];
                s.extend_from_slice(rest);
                at(&s)
            };
            let mut left_out = std::mem::take(&mut task_warnings);
            if ann.get("was_cancelled").and_then(Value::as_bool) == Some(true) {
                left_out.push(Finding::warning(
                    path,
                    ann_at(&[]),
                    format!(
                        "task {}: a skipped (cancelled) annotation; left out",
                        ti + 1
                    ),
                ));
                continue;
            }
            let results = ann
                .get("result")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let mut regions: BTreeMap<String, ForeignClaim> = BTreeMap::new();
            let mut order = Vec::new();
            // Labels first: a per-region result needs its region.
            for (ri, r) in results.iter().enumerate() {
                let r_at = |rest: &[Step<'_>]| {
                    let mut s = vec![Step::Key("result"), Step::Index(ri)];
                    s.extend_from_slice(rest);
                    ann_at(&s)
                };
                if r.get("type").and_then(Value::as_str) != Some("labels") {
                    continue;
                }
                let id = r
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let labels = strings(r.pointer("/value/labels").unwrap_or(&Value::Null));
                if !labels.iter().any(|l| l.eq_ignore_ascii_case("claim")) {
                    left_out.push(Finding::warning(
                        path,
                        r_at(&[Step::Key("value"), Step::Key("labels")]),
                        format!("region `{id}`: labels {labels:?} are not a claim; left out"),
                    ));
                    continue;
                }
                let (Some(start), Some(end)) = (
                    r.pointer("/value/start").and_then(Value::as_u64),
                    r.pointer("/value/end").and_then(Value::as_u64),
                ) else {
                    return Err(error(
                        path,
                        r_at(&[Step::Key("value")]),
                        format!(
                            "region `{id}`: `value.start` and `value.end` must be character offsets"
                        ),
                    ));
                };
                let (start, end) = (start as usize, end as usize);
                // Check the offsets against the region's own text: code points as Label
                // Studio counts since 1.4, else UTF-16 units as older versions did.
                let slice = |unit: Unit| {
                    let a = offsets.to_byte(unit, start)?;
                    let b = offsets.to_byte(unit, end)?;
                    text.get(a..b)
                };
                let (start, end) = match r.pointer("/value/text").and_then(Value::as_str) {
                    None => (start, end),
                    Some(quote) if slice(Unit::CodePoints) == Some(quote) => (start, end),
                    Some(quote) if slice(Unit::Utf16) == Some(quote) => {
                        let to_cp = |u: usize| {
                            offsets
                                .to_byte(Unit::Utf16, u)
                                .and_then(|b| offsets.from_byte(Unit::CodePoints, b))
                                .unwrap_or(u)
                        };
                        (to_cp(start), to_cp(end))
                    }
                    Some(quote) => {
                        return Err(error(
                            path,
                            r_at(&[Step::Key("value"), Step::Key("start")]),
                            format!(
                                "region `{id}`: its text `{quote}` is not at {start}..{end} of `data.text`, counted in characters or in UTF-16 units; is the task's text another version?"
                            ),
                        ));
                    }
                };
                let mut fc = ForeignClaim::new(r_at(&[]), format!("region `{id}`"), start, end);
                fc.id = Some(id.clone()).filter(|i| !i.is_empty());
                if matches!(
                    r.get("origin").and_then(Value::as_str),
                    Some("prediction" | "prediction-changed")
                ) {
                    fc.origin = Origin::Suggested {
                        reasons: String::new(),
                    };
                }
                if regions.insert(id.clone(), fc).is_none() {
                    order.push(id);
                }
            }
            for (ri, r) in results.iter().enumerate() {
                let r_at = |rest: &[Step<'_>]| {
                    let mut s = vec![Step::Key("result"), Step::Index(ri)];
                    s.extend_from_slice(rest);
                    ann_at(&s)
                };
                let kind = r.get("type").and_then(Value::as_str).unwrap_or_default();
                if kind == "labels" {
                    continue;
                }
                let id = r.get("id").and_then(Value::as_str).unwrap_or_default();
                let from = r
                    .get("from_name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let Some(claim) = regions.get_mut(id) else {
                    left_out.push(Finding::warning(
                        path,
                        r_at(&[]),
                        format!("result `{from}` ({kind}) belongs to no claim region; left out"),
                    ));
                    continue;
                };
                let key = if kind == "textarea" {
                    "/value/text"
                } else {
                    "/value/choices"
                };
                let values = strings(r.pointer(key).unwrap_or(&Value::Null));
                let value_at = r_at(&[
                    Step::Key("value"),
                    Step::Key(if kind == "textarea" {
                        "text"
                    } else {
                        "choices"
                    }),
                ]);
                let first = values.first().cloned().unwrap_or_default();
                match (from, kind) {
                    ("source", "choices") => claim.source = Some(Located::new(first, value_at)),
                    ("unsure", "choices") => claim.unsure = !values.is_empty(),
                    ("speaker", "textarea" | "choices") => {
                        claim.speaker = Some(Located::new(first, value_at));
                    }
                    ("note", "textarea") => claim.note = values.join("\n"),
                    (f, "choices") if f.starts_with("stance_") => {
                        if !first.is_empty() {
                            claim.stances.push((
                                Located::new(
                                    f["stance_".len()..].to_owned(),
                                    r_at(&[Step::Key("from_name")]),
                                ),
                                Located::new(first, value_at),
                            ));
                        }
                    }
                    _ => left_out.push(Finding::warning(
                        path,
                        r_at(&[]),
                        format!("result `{from}` ({kind}) has no place in Stance; left out"),
                    )),
                }
            }
            let times = time(ann.get("created_at")).zip(time(ann.get("updated_at")));
            let claims: Vec<ForeignClaim> = order
                .iter()
                .filter_map(|id| regions.remove(id))
                .map(|mut c| {
                    c.times = times;
                    c
                })
                .collect();
            docs.push(ForeignDoc {
                path: path.to_owned(),
                text: ForeignText::Full(text.to_owned()),
                unit: Unit::CodePoints,
                article: article.clone(),
                annotator: ann.get("completed_by").and_then(annotator_of),
                times,
                claims,
                left_out,
            });
        }
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_walks_arrays_and_keys() {
        let json = "[\n  {\"a\": 1, \"b\": [10, {\"c\": \"x,]}\"}, 30]},\n  {\"a\": 2}\n]";
        assert_eq!(locate(json, &[Step::Index(1)]), Pos { line: 3, col: 3 });
        assert_eq!(
            locate(json, &[Step::Index(0), Step::Key("b"), Step::Index(2)]),
            Pos { line: 2, col: 37 }
        );
        assert_eq!(
            locate(json, &[Step::Index(1), Step::Key("a")]),
            Pos { line: 3, col: 9 }
        );
    }

    #[test]
    fn parse_reads_the_documented_task_shape() {
        // The task format from Label Studio's documentation, with a text task and a
        // per-region choice: offsets in code points ("😊" counts one).
        let json = r#"[{"id": 1, "data": {"text": "😊 Wang Yi backs talks."}, "annotations": [{"id": "1001", "completed_by": {"id": 10, "email": "amira@example.org"}, "was_cancelled": false, "created_at": "2021-03-09T22:16:08.728353Z", "updated_at": "2021-03-09T22:20:08Z", "lead_time": 4.288, "result": [
            {"id": "r1", "from_name": "claim", "to_name": "text", "type": "labels", "value": {"start": 2, "end": 22, "text": "Wang Yi backs talks.", "labels": ["Claim"]}},
            {"id": "r1", "from_name": "stance_mediation", "to_name": "text", "type": "choices", "value": {"start": 2, "end": 22, "choices": ["favor"]}},
            {"id": "r1", "from_name": "speaker", "to_name": "text", "type": "textarea", "value": {"start": 2, "end": 22, "text": ["Wang Yi"]}},
            {"id": "r2", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}
        ]}], "predictions": [{"result": []}]}]"#;
        let docs = parse(Path::new("t.json"), json).unwrap();
        assert_eq!(docs.len(), 1);
        let d = &docs[0];
        assert_eq!(d.annotator.as_deref(), Some("amira"));
        assert_eq!(d.claims.len(), 1);
        let c = &d.claims[0];
        assert_eq!((c.start, c.end), (2, 22));
        assert_eq!(c.id.as_deref(), Some("r1"));
        assert_eq!(c.stances[0].0.value, "mediation");
        assert_eq!(c.speaker.as_ref().unwrap().value, "Wang Yi");
        assert_eq!(d.left_out.len(), 2, "{:?}", d.left_out);
        assert!(d.times.is_some());
    }

    #[test]
    fn utf16_offsets_of_old_versions_are_recognised() {
        let json = r#"[{"data": {"text": "😊 ok"}, "annotations": [{"completed_by": 3, "result": [{"id": "a", "type": "labels", "from_name": "claim", "value": {"start": 3, "end": 5, "text": "ok", "labels": ["Claim"]}}]}]}]"#;
        let docs = parse(Path::new("t.json"), json).unwrap();
        assert_eq!((docs[0].claims[0].start, docs[0].claims[0].end), (2, 4));
        assert_eq!(docs[0].annotator.as_deref(), Some("user-3"));
    }

    #[test]
    fn parse_points_at_broken_json_and_wrong_offsets() {
        let e = parse(Path::new("t.json"), "[{\"data\": }]").unwrap_err();
        assert_eq!(e.pos(), Pos { line: 1, col: 11 });
        let json = "[{\"data\": {\"text\": \"abc\"},\n \"annotations\": [{\"result\": [{\"id\": \"a\", \"type\": \"labels\", \"value\": {\"start\": 0, \"end\": 2, \"text\": \"xy\", \"labels\": [\"Claim\"]}}]}]}]";
        let e = parse(Path::new("t.json"), json).unwrap_err();
        assert!(e.message().contains("its text `xy` is not at 0..2"), "{e}");
        assert_eq!(e.pos(), Pos { line: 2, col: 79 });
        let e = parse(Path::new("t.json"), "[{\"data\": {\"image\": \"x.jpg\"}}]").unwrap_err();
        assert!(e.message().contains("no `data.text`"), "{e}");
    }
}

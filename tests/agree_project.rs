//! `stance agree` over a project's annotation files: sentences as units, annotators as coders.
#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

#[path = "fixtures/helpers.rs"]
mod helpers;
use helpers::copy_dir;

use std::path::Path;
use std::process::Command;

fn stance(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_stance"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("stance runs")
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// The repository's seeds and pilot annotations in a temporary folder, to edit.
fn pilot_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["seeds", "annotations"] {
        copy_dir(&Path::new(REPO).join(sub), &dir.path().join(sub));
    }
    dir
}

#[test]
fn every_field_of_the_pilot_has_the_required_keys() {
    let v = json(&stance(
        Path::new(REPO),
        &["agree", ".", "--format", "json", "--bootstrap", "200"],
    ));
    let fields = v["fields"].as_object().expect("fields object");
    for name in [
        "claim",
        "speaker",
        "stance:ceasefire",
        "stance:mediation",
        "source",
    ] {
        let f = &fields[name];
        for key in [
            "units",
            "coders",
            "pairable_values",
            "krippendorff_alpha",
            "fleiss_kappa",
            "fleiss_units",
            "cohen_kappa",
            "percent_agreement",
            "alpha_ci95",
        ] {
            assert!(f.get(key).is_some(), "{name} lacks {key}: {f}");
        }
        assert_eq!(f["coders"].as_u64(), Some(2), "{name}");
        assert_eq!(f["coder_names"].as_array().map(Vec::len), Some(2), "{name}");
    }
    // The pilot's two coders agree on most claim sentences but not all.
    let alpha = fields["claim"]["krippendorff_alpha"]
        .as_f64()
        .expect("alpha defined");
    assert!(alpha > 0.5 && alpha < 1.0, "{alpha}");
}

#[test]
fn a_file_not_marked_done_counts_as_unread() {
    let dir = pilot_copy();
    let before = json(&stance(
        dir.path(),
        &[
            "agree",
            ".",
            "--format",
            "json",
            "--field",
            "claim",
            "--bootstrap",
            "0",
        ],
    ));
    // jonas reopens article 004: his claims there no longer count (not "no claim" either).
    let path = dir
        .path()
        .join("annotations/004_856d1f34f02ed973/jonas.ron");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("status: Done", "status: InProgress");
    std::fs::write(&path, text).unwrap();
    let after = json(&stance(
        dir.path(),
        &[
            "agree",
            ".",
            "--format",
            "json",
            "--field",
            "claim",
            "--bootstrap",
            "0",
        ],
    ));
    let units = |v: &serde_json::Value| v["fields"]["claim"]["units"].as_u64().unwrap();
    assert!(
        units(&after) < units(&before),
        "{} vs {}",
        units(&after),
        units(&before)
    );
}

#[test]
fn selections_and_bad_fields() {
    let v = json(&stance(
        Path::new(REPO),
        &[
            "agree",
            ".",
            "--format",
            "json",
            "--field",
            "stance:mediation",
            "--article",
            "001_f199504f34c41cb7",
            "--bootstrap",
            "0",
        ],
    ));
    assert_eq!(v["fields"].as_object().map(serde_json::Map::len), Some(1));
    let out = stance(Path::new(REPO), &["agree", ".", "--field", "mood"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field `mood`"));
    let one = json(&stance(
        Path::new(REPO),
        &[
            "agree",
            ".",
            "--format",
            "json",
            "--annotator",
            "amira",
            "--bootstrap",
            "0",
        ],
    ));
    let claim = &one["fields"]["claim"];
    assert!(claim["krippendorff_alpha"].is_null());
    assert!(
        claim["krippendorff_alpha_undefined_reason"].is_string(),
        "{claim}"
    );
}

#[test]
fn agreement_with_and_without_accepted_suggestions() {
    let dir = pilot_copy();
    // Mark jonas's first claim on article 004 as an accepted suggestion.
    let path = dir
        .path()
        .join("annotations/004_856d1f34f02ed973/jonas.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.find("            created:").unwrap();
    let text = format!(
        "{}            origin: Suggested(reasons: \"test\"),\n{}",
        &text[..at],
        &text[at..]
    );
    std::fs::write(&path, text).unwrap();
    let args = [
        "agree",
        ".",
        "--format",
        "json",
        "--field",
        "claim",
        "--bootstrap",
        "0",
    ];
    let all = json(&stance(dir.path(), &args));
    let mut manual_args = args.to_vec();
    manual_args.push("--manual-only");
    let manual = json(&stance(dir.path(), &manual_args));
    let pa = |v: &serde_json::Value| v["fields"]["claim"]["percent_agreement"].as_f64().unwrap();
    assert!(pa(&manual) < pa(&all), "{} vs {}", pa(&manual), pa(&all));
}

#[test]
fn spans_report_matches_and_unitizing_alpha() {
    let v = json(&stance(
        Path::new(REPO),
        &["agree", ".", "--format", "json", "--bootstrap", "0"],
    ));
    let spans = &v["spans"];
    let pair = &spans["pairs"][0];
    assert_eq!(pair["reference"], "amira");
    assert_eq!(pair["other"], "jonas");
    assert_eq!(pair["articles"], 3);
    let exact = pair["matched_exact"].as_u64().unwrap();
    let overlap = pair["matched_overlap"].as_u64().unwrap();
    assert!(exact > 0 && exact <= overlap);
    // F1 from the counts, as documented: 2·matched / (claims of both).
    let both = pair["claims_reference"].as_u64().unwrap() + pair["claims_other"].as_u64().unwrap();
    let f1 = pair["f1_overlap"].as_f64().unwrap();
    assert!((f1 - 2.0 * overlap as f64 / both as f64).abs() < 1e-12);
    assert_eq!(spans["pooled_articles"], 3);
    let alpha_u = spans["pooled"]["alpha_u"].as_f64().unwrap();
    assert!(alpha_u > 0.0 && alpha_u <= 1.0, "{alpha_u}");
    assert_eq!(spans["articles"].as_array().unwrap().len(), 3);
    // Drift only when asked for.
    assert!(v.get("drift").is_none());
    let text = stance(Path::new(REPO), &["agree", ".", "--bootstrap", "0"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Unitizing alpha"), "{text}");
}

#[test]
fn drift_puts_each_coders_weeks_apart() {
    let dir = pilot_copy();
    // jonas coded article 004 a year earlier: his ratings there fall in another week.
    let path = dir
        .path()
        .join("annotations/004_856d1f34f02ed973/jonas.ron");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"2026-11-", "\"2025-11-");
    std::fs::write(&path, text).unwrap();
    let v = json(&stance(
        dir.path(),
        &[
            "agree",
            ".",
            "--format",
            "json",
            "--bootstrap",
            "0",
            "--drift",
            "--field",
            "claim",
        ],
    ));
    let rows = v["drift"]["claim"].as_array().unwrap();
    let jonas: Vec<&serde_json::Value> = rows.iter().filter(|r| r["coder"] == "jonas").collect();
    let amira: Vec<&serde_json::Value> = rows.iter().filter(|r| r["coder"] == "amira").collect();
    assert_eq!(jonas.len(), 2, "{rows:?}");
    assert_eq!(amira.len(), 1, "{rows:?}");
    assert!(
        jonas[0]["week_start"]
            .as_str()
            .unwrap()
            .starts_with("2025-11")
    );
    // Each coder's units add up to the units they rated, whatever the week.
    let units = |rs: &[&serde_json::Value]| -> u64 {
        rs.iter().map(|r| r["units"].as_u64().unwrap()).sum()
    };
    assert_eq!(units(&jonas), units(&amira));
    for r in rows {
        let a = r["agreement"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&a));
    }
}

/// Issue 13.1: a claim whose new speaker's name has 65,536+ characters passes `stance check`;
/// `stance agree` must then print every format without panicking.
#[test]
fn issue13_1_agree_long_speaker_name_no_panic() {
    let dir = pilot_copy();
    let path = dir
        .path()
        .join("annotations/001_f199504f34c41cb7/amira.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let name = "N".repeat(70_000);
    let text = text.replacen(
        "speaker: Some(Registry(\"john-kirby\"))",
        &format!("speaker: Some(New(\"{name}\"))"),
        1,
    );
    assert!(
        text.contains(&name),
        "the pilot has a Kirby claim to rename"
    );
    std::fs::write(&path, text).unwrap();
    let check = stance(dir.path(), &["check", "."]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    for format in ["text", "markdown", "csv", "json"] {
        let out = stance(
            dir.path(),
            &["agree", ".", "--format", format, "--bootstrap", "0"],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        if matches!(format, "text" | "markdown") {
            // Speaker labels are shown lower-cased (`new:nnn…`).
            assert!(stdout.to_lowercase().contains("nnn…"), "{format}");
            let widest = stdout.lines().map(|l| l.chars().count()).max().unwrap();
            assert!(widest < 300, "{format}: a line of {widest} characters");
        }
    }
}

/// Issue 13.16: one new coder who finished an article nobody else finished made the pooled
/// claim-boundary alpha undefined, although two coders share three articles. Each pair's αU
/// is pooled over the articles that pair finished, and the report says which.
#[test]
fn issue13_16_pooled_alpha_u_per_pair_with_a_new_coder() {
    let before = json(&stance(
        Path::new(REPO),
        &["agree", ".", "--format", "json", "--bootstrap", "0"],
    ));
    let pilot_alpha = before["spans"]["pooled"]["alpha_u"].as_f64().unwrap();
    let pair = &before["spans"]["pairs"][0];
    assert!((pair["pooled"]["alpha_u"].as_f64().unwrap() - pilot_alpha).abs() < 1e-12);

    let dir = pilot_copy();
    // neo finished article 000, which neither pilot coder coded.
    let article = helpers::seed_article(helpers::SEED_000);
    helpers::write_annotation(dir.path(), &helpers::valid_file(&article, "neo"));
    let v = json(&stance(
        dir.path(),
        &["agree", ".", "--format", "json", "--bootstrap", "0"],
    ));
    let spans = &v["spans"];
    assert_eq!(spans["pooled_articles"], 0);
    let reason = spans["pooled"]["alpha_u_undefined_reason"]
        .as_str()
        .unwrap();
    assert!(reason.contains("each pair"), "{reason}");
    let pairs = spans["pairs"].as_array().unwrap();
    let pilot = pairs
        .iter()
        .find(|p| p["reference"] == "amira" && p["other"] == "jonas")
        .unwrap();
    assert_eq!(pilot["articles"], 3);
    assert_eq!(pilot["article_ids"].as_array().unwrap().len(), 3);
    let alpha = pilot["pooled"]["alpha_u"].as_f64().unwrap();
    assert!(
        (alpha - pilot_alpha).abs() < 1e-12,
        "{alpha} vs {pilot_alpha}"
    );
    let lonely = pairs
        .iter()
        .find(|p| p["reference"] == "amira" && p["other"] == "neo")
        .unwrap();
    assert!(lonely["pooled"]["alpha_u"].is_null());
    // The text says which articles each pair's figure covers.
    let text = stance(dir.path(), &["agree", ".", "--bootstrap", "0"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(
            "- amira ~ jonas: 001_f199504f34c41cb7, 003_cb7437eb45da7ccb, 004_856d1f34f02ed973"
        ),
        "{text}"
    );
    assert!(
        text.contains("- amira ~ neo: no article in common"),
        "{text}"
    );
}

//! `stance agree --table`: the command line on small CSV files.
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Krippendorff (2011), section C: observers A–D (rows) × units 1–12, 0 = missing.
const KRIPPENDORFF_2011: [[u8; 12]; 4] = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3],
    [0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0],
];

/// The example as a long table, unit-major like most exports.
fn krippendorff_csv() -> String {
    let mut s = String::from("unit,coder,value\n");
    for unit in 0..12 {
        for (coder, row) in ["A", "B", "C", "D"].iter().zip(KRIPPENDORFF_2011) {
            if row[unit] != 0 {
                let _ = writeln!(s, "u{},{coder},{}", unit + 1, row[unit]);
            }
        }
    }
    s
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn stance(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stance"))
        .args(args)
        .output()
        .unwrap()
}

fn json(path: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "agree",
        "--table",
        path.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = stance(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn round3(v: &Value) -> f64 {
    (v.as_f64().unwrap() * 1000.0).round() / 1000.0
}

#[test]
fn krippendorff_example_gives_the_published_alphas() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "k.csv", &krippendorff_csv());
    for (level, alpha) in [
        ("nominal", 0.743),
        ("ordinal", 0.815),
        ("interval", 0.849),
        ("ratio", 0.797),
    ] {
        let j = json(&path, &["--level", level, "--bootstrap", "300"]);
        assert!(
            (round3(&j["krippendorff_alpha"]) - alpha).abs() < 1e-9,
            "{level}: {j}"
        );
        assert_eq!(j["level"], level);
        assert_eq!(j["units"], 11);
        assert_eq!(j["coders"], 4);
        assert_eq!(j["pairable_values"], 40);
        assert_eq!(j["fleiss_units"], 8);
        assert!(j["cohen_kappa_mean"].is_f64());
        assert!(j.get("cohen_kappa").is_none());
        assert!((round3(&j["percent_agreement"]) - 0.818).abs() < 1e-9);
        assert!((round3(&j["gwet_ac1"]) - 0.775).abs() < 1e-9);
        let ci = j["alpha_ci95"].as_array().unwrap();
        let (low, high) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
        let a = j["krippendorff_alpha"].as_f64().unwrap();
        assert!(low <= a && a <= high, "{level}: [{low}, {high}] vs {a}");
    }
}

#[test]
fn same_seed_same_interval_and_zero_replicates_is_null() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "k.csv", &krippendorff_csv());
    let a = json(&path, &["--seed", "7", "--bootstrap", "500"]);
    let b = json(&path, &["--seed", "7", "--bootstrap", "500"]);
    assert_eq!(a["alpha_ci95"], b["alpha_ci95"]);
    assert_eq!(a["bootstrap"]["seed"], 7);
    let none = json(&path, &["--bootstrap", "0"]);
    assert!(none["alpha_ci95"].is_null());
    assert!(
        none["alpha_ci95_undefined_reason"]
            .as_str()
            .unwrap()
            .contains("no bootstrap")
    );
}

#[test]
fn two_coders_report_cohen_kappa() {
    // Wikipedia's first Cohen's kappa example: 20 yes–yes, 5 yes–no, 10 no–yes, 15 no–no.
    let mut s = String::from("coder,unit,value\n");
    let mut unit = 0;
    for (a, b, n) in [
        ("yes", "yes", 20),
        ("yes", "no", 5),
        ("no", "yes", 10),
        ("no", "no", 15),
    ] {
        for _ in 0..n {
            unit += 1;
            let _ = write!(s, "first,{unit},{a}\nsecond,{unit},{b}\n");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let j = json(&write(dir.path(), "c.csv", &s), &["--bootstrap", "0"]);
    assert!((j["cohen_kappa"].as_f64().unwrap() - 0.4).abs() < 1e-12);
    assert!(j.get("cohen_kappa_mean").is_none());
    assert_eq!(
        j["pairs"][0]["confusion"],
        serde_json::json!([[15, 10], [5, 20]])
    );
}

#[test]
fn bad_tables_exit_1_with_the_line_number() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("empty.csv", "", "nominal", 1),
        ("header.csv", "item,rater,score\nu,a,1\n", "nominal", 1),
        ("only-header.csv", "unit,coder,value\n", "nominal", 1),
        (
            "fields.csv",
            "unit,coder,value\nu,a,1\nu,b,2,3\n",
            "nominal",
            3,
        ),
        (
            "empty-coder.csv",
            "unit,coder,value\nu,a,1\n\nu, ,2\n",
            "nominal",
            4,
        ),
        (
            "nan.csv",
            "unit,coder,value\nu,a,1\nu,b,2\nv,a,high\n",
            "interval",
            4,
        ),
        (
            "twice.csv",
            "unit,coder,value\nu,a,1\nu,b,2\r\nu,a,2\n",
            "ordinal",
            4,
        ),
    ];
    for (name, text, level, line) in cases {
        let path = write(dir.path(), name, text);
        let out = stance(&["agree", "--table", path.to_str().unwrap(), "--level", level]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("{name}: line {line}:")),
            "{name}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
    let missing = dir.path().join("absent.csv");
    let out = stance(&["agree", "--table", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_same_rating_twice_is_fine() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "dup.csv",
        "unit,coder,value\nu,a,1\nu,b,1\nu,a,1.0\nv,a,2\nv,b,2\n",
    );
    let j = json(&path, &["--level", "interval", "--bootstrap", "0"]);
    assert_eq!(j["units"], 2);
    assert_eq!(j["krippendorff_alpha"], 1.0);
}

#[test]
fn undefined_values_are_null_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let same = write(
        dir.path(),
        "same.csv",
        "unit,coder,value\nu,a,x\nu,b,x\nv,a,x\nv,b,x\n",
    );
    let j = json(&same, &[]);
    for key in [
        "krippendorff_alpha",
        "cohen_kappa",
        "fleiss_kappa",
        "gwet_ac1",
        "alpha_ci95",
    ] {
        assert!(j[key].is_null(), "{key}: {j}");
        let reason = j[format!("{key}_undefined_reason")].as_str().unwrap();
        assert!(!reason.is_empty());
    }
    assert_eq!(
        j["krippendorff_alpha_undefined_reason"],
        "every rating is the same category, so expected disagreement is zero"
    );
    assert_eq!(j["percent_agreement"], 1.0);

    let alone = write(dir.path(), "alone.csv", "unit,coder,value\nu,a,x\nv,a,y\n");
    let j = json(&alone, &[]);
    assert_eq!(
        j["krippendorff_alpha_undefined_reason"],
        "fewer than two coders"
    );
    assert_eq!(j["units"], 0);

    let apart = write(dir.path(), "apart.csv", "unit,coder,value\nu,a,x\nv,b,y\n");
    let j = json(&apart, &[]);
    assert_eq!(
        j["krippendorff_alpha_undefined_reason"],
        "no unit has two ratings"
    );
    assert_eq!(
        j["cohen_kappa_undefined_reason"],
        "no unit was rated by both coders"
    );
}

#[test]
fn text_markdown_and_csv_formats() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "k.csv", &krippendorff_csv());
    let p = path.to_str().unwrap();
    let run = |format: &str| {
        let out = stance(&[
            "agree",
            "--table",
            p,
            "--format",
            format,
            "--bootstrap",
            "50",
        ]);
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run("text");
    assert!(
        text.lines()
            .any(|l| l.contains("Krippendorff's alpha") && l.contains("0.743"))
    );
    let md = run("markdown");
    assert!(md.contains("| Krippendorff's alpha (nominal) | 0.743 |"));
    let csv = run("csv");
    assert!(
        csv.lines()
            .any(|l| l.starts_with("krippendorff_alpha,0.743"))
    );
    assert!(csv.lines().any(|l| l == "fleiss_units,8,"));
}

#[test]
fn project_mode_errors_and_table_conflicts() {
    // A folder that is not a project has no articles to read: an error, not a crash.
    let out = stance(&["agree", "/nonexistent/stance-project"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = stance(&[
        "agree",
        env!("CARGO_MANIFEST_DIR"),
        "--article",
        "a1",
        "--field",
        "source",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no article `a1`"));
    // --table cannot be combined with project-mode flags.
    let out = stance(&["agree", "--table", "x.csv", "--annotator", "ann"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Issue 13.1: a label or coder name of 65,536+ characters made the text and Markdown
/// renderers panic (a format width over `u16::MAX`). Every format must print, and text and
/// Markdown cut long cells with an ellipsis.
#[test]
fn issue13_1_agree_long_label_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    let long_label = "L".repeat(70_000);
    let long_coder = "C".repeat(66_000);
    let csv = format!(
        "unit,coder,value\nu1,a,{long_label}\nu1,{long_coder},{long_label}\nu2,a,x\nu2,{long_coder},y\nu3,a,x\nu3,{long_coder},x\n"
    );
    let path = write(dir.path(), "long.csv", &csv);
    for format in ["text", "markdown", "csv", "json"] {
        let out = stance(&[
            "agree",
            "--table",
            path.to_str().unwrap(),
            "--format",
            format,
            "--bootstrap",
            "0",
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        if matches!(format, "text" | "markdown") {
            assert!(stdout.contains("LLLL…"), "{format}: {}", &stdout[..200]);
            let widest = stdout.lines().map(|l| l.chars().count()).max().unwrap();
            assert!(widest < 200, "{format}: a line of {widest} characters");
        }
    }
}

/// Issue 13.8: an error quoted the whole bad value, so a 100 MB line gave a 100 MB message,
/// and binary input printed raw control bytes to the terminal. Errors quote at most ~80
/// characters, escaped.
#[test]
fn issue13_8_table_errors_quote_at_most_80_chars() {
    let dir = tempfile::tempdir().unwrap();
    let big = "x".repeat(20_000_000);
    let cases = [
        // A value that is not a number at the interval level.
        (
            "value.csv",
            format!("unit,coder,value\nu1,a,1\nu1,b,{big}\n"),
        ),
        // A header without the value column: its names are listed.
        ("header.csv", format!("unit,coder,{big}\nu1,a,1\n")),
        // A coder rating a unit twice, with control bytes in the values.
        (
            "binary.csv",
            "unit,coder,value\nu1,a,\u{1b}[31mred\u{7}\nu1,a,2\n".to_owned(),
        ),
    ];
    for (name, text) in cases {
        let path = write(dir.path(), name, &text);
        let out = stance(&[
            "agree",
            "--table",
            path.to_str().unwrap(),
            "--level",
            "interval",
        ]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.len() < 600,
            "{name}: a message of {} bytes",
            stderr.len()
        );
        assert!(
            !stderr.trim_end().chars().any(char::is_control),
            "{name}: raw control bytes in {stderr:?}"
        );
        assert!(stderr.contains("line "), "{name}: {stderr}");
    }
    let out = stance(&[
        "agree",
        "--table",
        dir.path().join("binary.csv").to_str().unwrap(),
    ]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("\\u{1b}[31mred\\u{7}"), "{stderr}");
}

//! Team projects end to end: `stance init`, `assign`, `queue`, `status`, `agree --training`,
//! `agree --report` and `sync` through a real `git` (a bare origin and clones in a temp dir).

#[path = "fixtures/helpers.rs"]
mod helpers;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use helpers::{REPO, SEED_001, copy_dir, seed_article, valid_file, write_annotation};
use stance::core::model::annotation::{AnnotationFile, SpeakerRef, Status};
use stance::core::model::codebook::Codebook;
use stance::core::storage::merge::{MergeConflict, conflicts_in};
use stance::core::storage::store;
use stance::core::team::plan::{self, Plan, Role, SampleSize};

const BIN: &str = env!("CARGO_BIN_EXE_stance");

/// Git and stance isolated from the machine's and the user's git configuration.
fn isolated(mut c: Command) -> Command {
    c.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_AUTHOR_EMAIL")
        .env_remove("GIT_COMMITTER_NAME")
        .env_remove("GIT_COMMITTER_EMAIL");
    c
}

fn stance(dir: &Path, args: &[&str]) -> Output {
    let mut c = isolated(Command::new(BIN));
    c.current_dir(dir).args(args).output().expect("stance runs")
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let mut c = isolated(Command::new("git"));
    c.current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .output()
        .expect("git runs")
}

fn git_ok(dir: &Path, args: &[&str]) -> String {
    let out = git(dir, args);
    assert!(out.status.success(), "git {args:?}: {}", both(&out));
    stdout(&out)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8")
}

fn both(o: &Output) -> String {
    format!("{}{}", stdout(o), String::from_utf8_lossy(&o.stderr))
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

/// `stance args` in `dir`, insisting on exit 0; its standard output.
fn stance_ok(dir: &Path, args: &[&str]) -> String {
    let out = stance(dir, args);
    assert_eq!(code(&out), 0, "stance {args:?}: {}", both(&out));
    stdout(&out)
}

/// Every file under `dir` (`.git/objects` left out) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in fs::read_dir(dir).expect("read dir").flatten() {
            let p = e.path();
            let rel = p.strip_prefix(base).expect("inside").to_owned();
            if rel.starts_with(".git/objects") || rel.starts_with(".git/logs") {
                continue;
            }
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.insert(rel, fs::read(&p).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A project with `n` short articles `a000`…, no annotations.
fn project_with(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    add_articles(dir.path(), 0..n);
    dir
}

fn add_articles(root: &Path, range: std::ops::Range<usize>) {
    let seeds = root.join("seeds");
    fs::create_dir_all(&seeds).expect("seeds");
    for i in range {
        fs::write(
            seeds.join(format!("a{i:03}.txt")),
            format!("Article {i}\n\nThe minister said talks were near. Others disagreed.\n"),
        )
        .expect("write article");
    }
}

fn load_plan(root: &Path) -> Plan {
    plan::load(root).expect("plan loads").expect("a plan")
}

fn load(path: &Path) -> AnnotationFile {
    store::load_annotation(path, &Codebook::default_codebook()).expect("annotation loads")
}

// ---------------------------------------------------------------------------------------------
// init

#[test]
fn init_twice_is_idempotent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("proj");
    let first = stance_ok(dir.path(), &["init", "proj", "--sample"]);
    assert!(first.contains("made a git repository in proj"), "{first}");
    assert!(first.contains("created proj/codebook.ron"), "{first}");
    // With the sample the articles are there: the last line does not ask for them.
    assert!(
        first.contains("the sample articles are in seeds/"),
        "{first}"
    );
    assert!(!first.contains("put articles in seeds/"), "{first}");
    assert!(
        first.contains("created proj/seeds/001_f199504f34c41cb7.txt"),
        "{first}"
    );
    assert!(root.join("annotations").is_dir());
    assert_eq!(
        fs::read(root.join("seeds/001_f199504f34c41cb7.txt")).expect("copied"),
        fs::read(Path::new(REPO).join("seeds/001_f199504f34c41cb7.txt")).expect("seed")
    );
    let attributes = fs::read_to_string(root.join(".gitattributes")).expect("attributes");
    assert!(
        attributes
            .lines()
            .any(|l| l == "*.ron merge=stance diff=stance")
    );
    let ignore = fs::read_to_string(root.join(".gitignore")).expect("ignore");
    for line in ["*.ron.lock", ".*.ron.journal", ".*.tmp"] {
        assert!(ignore.lines().any(|l| l == line), "{line}: {ignore}");
    }
    // The drivers run this very binary, quoted for the shell.
    let driver = git_ok(&root, &["config", "--local", "merge.stance.driver"]);
    let exe = fs::canonicalize(BIN).expect("binary");
    assert_eq!(driver.trim(), format!("'{}' merge %O %A %B", exe.display()));
    let diff = git_ok(&root, &["config", "--local", "diff.stance.command"]);
    assert_eq!(diff.trim(), format!("'{}' diff --git", exe.display()));
    // The copied codebook is the default and the project checks clean.
    assert_eq!(code(&stance(&root, &["check", "."])), 0);

    let before = snapshot(&root);
    let second = stance_ok(dir.path(), &["init", "proj", "--sample"]);
    assert!(
        second.ends_with("nothing to change: the project was set up already\n"),
        "{second}"
    );
    assert!(second.contains("kept proj/codebook.ron"), "{second}");
    assert_eq!(snapshot(&root), before, "a second init changed files");
}

#[test]
fn init_keeps_the_users_files_and_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    fs::write(root.join(".gitignore"), "target/\n*.ron.lock").expect("write");
    fs::write(root.join("codebook.ron"), "my own codebook").expect("write");
    fs::create_dir_all(root.join("seeds")).expect("seeds");
    fs::write(
        root.join("seeds/001_f199504f34c41cb7.txt"),
        "my edited article\n",
    )
    .expect("write");
    let out = stance_ok(root, &["init", "--sample"]);
    assert_eq!(
        fs::read_to_string(root.join(".gitignore")).expect("read"),
        "target/\n*.ron.lock\n# Added by `stance init`.\n.*.ron.journal\n.*.tmp\n"
    );
    assert!(
        out.contains("appended to .gitignore: .*.ron.journal, .*.tmp"),
        "{out}"
    );
    assert_eq!(
        fs::read_to_string(root.join("codebook.ron")).expect("read"),
        "my own codebook"
    );
    assert!(
        out.contains("kept codebook.ron (the project's own codebook)"),
        "{out}"
    );
    assert_eq!(
        fs::read_to_string(root.join("seeds/001_f199504f34c41cb7.txt")).expect("read"),
        "my edited article\n"
    );
    assert!(out.contains("kept seeds/001_f199504f34c41cb7.txt"), "{out}");
    assert!(root.join("seeds/000_fb0db49d048a0ffe.txt").is_file());
}

// ---------------------------------------------------------------------------------------------
// assign

#[test]
fn assign_is_deterministic_per_seed_balanced_and_every_coder_gets_the_sample() {
    let a = project_with(37);
    let b = project_with(37);
    let c = project_with(37);
    let args = |seed: &'static str| {
        vec![
            "assign",
            ".",
            "--coder",
            "amira",
            "--coder",
            "jonas",
            "--coder",
            "li",
            "--editor",
            "ed",
            "--share",
            "0.2",
            "--training",
            "a005",
            "--seed",
            seed,
        ]
    };
    let out = stance_ok(a.path(), &args("11"));
    stance_ok(b.path(), &args("11"));
    stance_ok(c.path(), &args("12"));
    let text =
        |d: &tempfile::TempDir| fs::read_to_string(d.path().join("project.ron")).expect("plan");
    assert_eq!(text(&a), text(&b), "same seed, same plan");
    assert_ne!(
        load_plan(a.path()).sample.articles,
        load_plan(c.path()).sample.articles
    );
    assert!(
        out.contains("reliability sample: 8 of 36 articles (20% of the articles), seed 11"),
        "{out}"
    );

    let p = load_plan(a.path());
    assert_eq!(p.training, ["a005"]);
    assert_eq!(p.sample.articles.len(), 8, "20% of 36, rounded up");
    let mut placed: Vec<String> = p.training.clone();
    placed.extend(p.sample.articles.iter().cloned());
    placed.extend(p.assigned.values().flatten().cloned());
    placed.sort();
    let all: Vec<String> = (0..37).map(|i| format!("a{i:03}")).collect();
    assert_eq!(placed, all, "every article has exactly one place");
    let loads: Vec<usize> = p.coders.iter().map(|c| p.assigned[c].len()).collect();
    assert!(
        loads.iter().max().expect("3") - loads.iter().min().expect("3") <= 1,
        "{loads:?}"
    );
    for coder in &p.coders {
        let queue = p.articles_of(coder);
        for s in &p.sample.articles {
            assert!(
                queue.contains(&(s.clone(), Role::Sample)),
                "{coder} lacks {s}"
            );
        }
        assert_eq!(
            queue[0],
            ("a005".to_owned(), Role::Training),
            "training comes first"
        );
    }
    assert_eq!(code(&stance(a.path(), &["check", "."])), 0);
}

#[test]
fn assign_extending_keeps_done_work() {
    let dir = project_with(20);
    let root = dir.path();
    stance_ok(
        root,
        &[
            "assign", ".", "--coder", "amira", "--coder", "jonas", "--count", "4", "--seed", "3",
        ],
    );
    let first = load_plan(root);
    // Jonas started all of his own articles (one is done), Amira two of hers.
    let mut started = Vec::new();
    for (coder, take) in [("jonas", usize::MAX), ("amira", 2)] {
        for a in first.assigned[coder].iter().take(take) {
            let path = root
                .join("annotations")
                .join(a)
                .join(format!("{coder}.ron"));
            fs::create_dir_all(path.parent().expect("folder")).expect("folder");
            let status = if started.is_empty() {
                "Done"
            } else {
                "InProgress"
            };
            fs::write(&path, format!("(status: {status})")).expect("write");
            started.push((a.clone(), coder.to_owned()));
        }
    }
    add_articles(root, 20..32);
    let out = stance_ok(root, &["assign", ".", "--coder", "li"]);
    let second = load_plan(root);
    for (a, coder) in &started {
        assert!(
            second.articles_of(coder).iter().any(|(x, _)| x == a),
            "{coder} lost {a}:\n{out}"
        );
    }
    assert_eq!(
        second.sample.articles, first.sample.articles,
        "a count keeps its draw"
    );
    assert_eq!(second.sample.seed, 3);
    let loads: Vec<usize> = second
        .coders
        .iter()
        .map(|c| second.assigned[c].len())
        .collect();
    assert_eq!(loads.iter().sum::<usize>(), 28);
    assert!(
        loads.iter().max().expect("3") - loads.iter().min().expect("3") <= 1,
        "{loads:?}\n{out}"
    );
    assert_eq!(second.coders, ["amira", "jonas", "li"]);
    // What moved to balance Li in was never started by its coder, and the output says so.
    for line in out.lines().filter(|l| l.starts_with("moved ")) {
        let article = line.split_whitespace().nth(1).expect("an article");
        assert!(!started.iter().any(|(a, _)| a == article), "{line}");
        assert!(line.ends_with("(not started) to balance"), "{line}");
    }
    // The queue shows Jonas's done article as done, and what comes next.
    let queue = stance_ok(root, &["queue", ".", "--annotator", "jonas"]);
    assert!(
        queue
            .lines()
            .any(|l| l.contains(&started[0].0) && l.ends_with(" done")),
        "{queue}"
    );
    assert!(queue.lines().any(|l| l.ends_with("<- next")), "{queue}");
    // The new coder's queue starts with the sample.
    let li = load_plan(root).articles_of("li");
    assert_eq!(li[0].1, Role::Sample);
}

/// The Lacy & Riffe worked example of `docs/team.md`, through `stance assign`: 100 articles,
/// assumed agreement .90, tolerance .05, 95% confidence → 51 articles.
#[test]
fn assign_lacy_riffe_worked_example() {
    let dir = project_with(100);
    let out = stance_ok(
        dir.path(),
        &[
            "assign",
            ".",
            "--coder",
            "a",
            "--coder",
            "b",
            "--lacy-riffe",
            "--assumed-agreement",
            "0.90",
            "--tolerance",
            "0.05",
            "--confidence",
            "0.95",
        ],
    );
    assert!(out.contains("reliability sample: 51 of 100 articles (Lacy & Riffe (1996): population N = 100, assumed agreement P = 0.9, tolerance 0.05, confidence 0.95 (one-tailed z = 1.645, SE = 0.0304), n = 51)"), "{out}");
    let p = load_plan(dir.path());
    assert_eq!(p.sample.articles.len(), 51);
    let SampleSize::LacyRiffe(r) = &p.sample.size else {
        panic!("{:?}", p.sample.size)
    };
    assert_eq!((r.population, r.n), (100, 51));
    assert!((r.z - 1.644_853_6).abs() < 1e-6);
    let text = fs::read_to_string(dir.path().join("project.ron")).expect("plan");
    assert!(
        text.contains("formula: \"n = ((N-1)*SE^2 + P*Q*N) / ((N-1)*SE^2 + P*Q)"),
        "{text}"
    );
    // A declared population larger than the project's articles.
    let dir = project_with(30);
    stance_ok(
        dir.path(),
        &[
            "assign",
            ".",
            "--coder",
            "a",
            "--lacy-riffe",
            "--assumed-agreement",
            "0.9",
            "--population",
            "1000",
        ],
    );
    let p = load_plan(dir.path());
    let SampleSize::LacyRiffe(r) = &p.sample.size else {
        panic!()
    };
    assert_eq!(r.population, 1000);
    assert_eq!(
        p.sample.articles.len(),
        30,
        "capped at the articles there are"
    );
}

#[test]
fn assign_refuses_bad_requests_without_writing() {
    let dir = project_with(5);
    let out = stance(dir.path(), &["assign", ".", "--coder", "a"]);
    assert_eq!(code(&out), 1);
    assert!(
        both(&out).contains("say how large the reliability sample is"),
        "{}",
        both(&out)
    );
    let out = stance(
        dir.path(),
        &["assign", ".", "--coder", "../x", "--count", "1"],
    );
    assert_eq!(code(&out), 1);
    assert!(
        both(&out).contains("cannot be a coder's name"),
        "{}",
        both(&out)
    );
    let out = stance(dir.path(), &["assign", ".", "--coder", "a", "--lacy-riffe"]);
    assert_eq!(code(&out), 2, "--lacy-riffe needs --assumed-agreement");
    assert!(!dir.path().join("project.ron").exists());
}

// ---------------------------------------------------------------------------------------------
// check

#[test]
fn check_reports_plan_problems_with_positions() {
    let dir = project_with(4);
    let root = dir.path();
    stance_ok(
        root,
        &[
            "assign", ".", "--coder", "amira", "--coder", "jonas", "--count", "1",
        ],
    );
    let text = fs::read_to_string(root.join("project.ron")).expect("plan");
    let broken = text.replacen("blind: false,", "blind: false,\n    colour: 3,", 1);
    fs::write(root.join("project.ron"), &broken).expect("write");
    let out = stance(root, &["check", "."]);
    assert_eq!(code(&out), 1, "{}", both(&out));
    let line = broken
        .lines()
        .position(|l| l.contains("colour"))
        .expect("there")
        + 1;
    assert!(
        stdout(&out).contains(&format!(
            "project.ron:{line}:5: error: Unexpected field named `colour` in `Plan`"
        )),
        "{}",
        both(&out)
    );

    let dup = text.replacen(
        "\"jonas\",\n    ],",
        "\"jonas\",\n        \"amira\",\n    ],",
        1,
    );
    fs::write(root.join("project.ron"), &dup).expect("write");
    let out = stance(root, &["check", "."]);
    assert_eq!(code(&out), 1, "{}", both(&out));
    let line = dup
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "\"amira\",")
        .nth(1)
        .expect("second amira")
        .0
        + 1;
    assert!(
        stdout(&out).contains(&format!(
            "project.ron:{line}:9: error: coder `amira` is listed twice"
        )),
        "{}",
        both(&out)
    );
    // Other commands refuse the broken plan with the same position.
    let out = stance(root, &["queue", ".", "--annotator", "amira"]);
    assert_eq!(code(&out), 1);
    assert!(
        both(&out).contains(&format!(
            "project.ron:{line}:9: coder `amira` is listed twice"
        )),
        "{}",
        both(&out)
    );
}

// ---------------------------------------------------------------------------------------------
// queue, status, agree on the pilot

/// The repository's pilot (amira and jonas on 001, 003, 004) with a plan: 004 is a training
/// article whose gold is amira's file, 001 and 003 the reliability sample.
fn pilot_team() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    copy_dir(&Path::new(REPO).join("seeds"), &root.join("seeds"));
    copy_dir(
        &Path::new(REPO).join("annotations"),
        &root.join("annotations"),
    );
    let training = "004_856d1f34f02ed973";
    let mut gold = load(&root.join("annotations").join(training).join("amira.ron"));
    gold.annotator = "gold".into();
    // One gold decision that differs from amira too, with the editor's reasoning.
    let claim = gold
        .claims
        .iter_mut()
        .find(|c| c.stances.get("ceasefire").is_some_and(|s| s != "unclear"))
        .expect("a ceasefire stance");
    claim.stances.insert("ceasefire".into(), "unclear".into());
    claim.note = "gold: hedged, so unclear (ed)".into();
    write_annotation(root, &gold);
    let mut p = Plan::new(1, SampleSize::Count(2));
    p.coders = vec!["amira".into(), "jonas".into()];
    p.editors = vec!["ed".into()];
    p.training = vec![training.into()];
    p.sample.articles = vec!["001_f199504f34c41cb7".into(), "003_cb7437eb45da7ccb".into()];
    p.assigned
        .insert("amira".into(), vec!["000_fb0db49d048a0ffe".into()]);
    p.assigned
        .insert("jonas".into(), vec!["002_d65207c423398da4".into()]);
    plan::save(root, &p).expect("save plan");
    dir
}

#[test]
fn queue_and_status_show_progress_and_reliability_so_far() {
    let dir = pilot_team();
    let root = dir.path();
    let q = stance_ok(root, &["queue", ".", "--annotator", "jonas"]);
    assert!(
        q.starts_with("jonas: 3 of 4 articles done; next: 002_d65207c423398da4 (assigned)\n"),
        "{q}"
    );
    assert!(
        q.contains("  training  004_856d1f34f02ed973      done\n"),
        "{q}"
    );
    assert!(
        q.contains("not mine: 1 article (000_fb0db49d048a0ffe)"),
        "{q}"
    );
    let out = stance(root, &["queue", ".", "--annotator", "ed"]);
    assert_eq!(code(&out), 1);
    assert!(both(&out).contains("`ed` is not a coder"), "{}", both(&out));

    let s = stance_ok(root, &["status", "."]);
    assert!(s.contains("| amira | 4 | 3 | 0 | 1/1 | 2/2 |"), "{s}");
    assert!(
        s.contains("2 of 2 sample articles finished by every coder"),
        "{s}"
    );
    // Only the sample counts: 001 and 003's sentences, not 004's.
    let project = stance::core::project::Project::open(root).expect("opens").0;
    let sample_units: usize = ["001_f199504f34c41cb7", "003_cb7437eb45da7ccb"]
        .iter()
        .map(|id| {
            project
                .article(id)
                .expect("article")
                .sentences
                .iter()
                .filter(|s| s.skip.is_none())
                .count()
        })
        .sum();
    let claim_row = s
        .lines()
        .find(|l| l.starts_with("| claim |"))
        .expect("claim row");
    let units: usize = claim_row
        .split('|')
        .nth(2)
        .expect("units")
        .trim()
        .parse()
        .expect("number");
    assert!(
        units <= sample_units && units > 0,
        "{units} of {sample_units}: {s}"
    );
    assert!(
        claim_row.contains("reliable")
            || claim_row.contains("tentative")
            || claim_row.contains("unreliable"),
        "{claim_row}"
    );
}

#[test]
fn agree_training_scores_each_coder_against_gold_and_agree_leaves_it_out() {
    let dir = pilot_team();
    let root = dir.path();
    let t = stance_ok(root, &["agree", ".", "--training"]);
    assert!(
        t.contains("training against gold on 004_856d1f34f02ed973 (pass: alpha ≥ 0.8"),
        "{t}"
    );
    assert!(
        t.contains("== amira: PASS ==") || t.contains("== amira: FAIL =="),
        "{t}"
    );
    assert!(t.contains("== jonas:"), "{t}");
    // The gold decision amira did not make is listed with gold's note.
    assert!(t.contains("[stance:ceasefire]: amira "), "{t}");
    assert!(t.contains(", gold unclear: "), "{t}");
    assert!(
        t.contains("    gold note: gold: hedged, so unclear (ed)"),
        "{t}"
    );

    // Plain agreement leaves the training article out, and says so.
    let out = stance(
        root,
        &["agree", ".", "--format", "json", "--bootstrap", "0"],
    );
    assert_eq!(code(&out), 0, "{}", both(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("left out 1 training article(s)"));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let all = stance(
        root,
        &[
            "agree",
            ".",
            "--format",
            "json",
            "--bootstrap",
            "0",
            "--article",
            "001_f199504f34c41cb7",
            "--article",
            "003_cb7437eb45da7ccb",
            "--article",
            "000_fb0db49d048a0ffe",
            "--article",
            "002_d65207c423398da4",
        ],
    );
    let named: serde_json::Value = serde_json::from_slice(&all.stdout).expect("JSON");
    assert_eq!(
        json["fields"], named["fields"],
        "same as naming every non-training article"
    );
}

#[test]
fn agree_report_is_a_methods_table_in_three_formats() {
    let dir = pilot_team();
    let root = dir.path();
    let md = stance_ok(root, &["agree", ".", "--report"]);
    assert!(
        md.starts_with(
            "| Variable | Units | Coders | Krippendorff's α | 95% CI | q(α < 0.8) | Agreement |"
        ),
        "{md}"
    );
    for field in [
        "claim",
        "speaker",
        "stance:ceasefire",
        "stance:mediation",
        "source",
    ] {
        assert!(md.contains(&format!("\n| {field} | ")), "{field}: {md}");
    }
    assert!(
        md.contains("Reliability sample: 2 of 4 articles, a simple random sample"),
        "{md}"
    );
    assert!(md.contains("size: 2 articles"), "{md}");
    assert!(md.contains("2 coders (amira, jonas)"), "{md}");
    let csv = stance_ok(root, &["agree", ".", "--report", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.headers().expect("header").len(), 10);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 5);
    let q: f64 = rows[0][6].parse().expect("q");
    assert!((0.0..=1.0).contains(&q));
    let tex = stance_ok(root, &["agree", ".", "--report", "latex"]);
    assert!(tex.starts_with("\\begin{table}"), "{tex}");
    assert!(tex.contains("$q(\\alpha < 0.8)$"), "{tex}");
    assert!(tex.contains("\\caption{Reliability sample"), "{tex}");
}

// ---------------------------------------------------------------------------------------------
// sync through real git

/// A bare origin and an editor's clone with the sample project pushed to it.
fn shared_project(dir: &Path) -> PathBuf {
    git_ok(dir, &["init", "-q", "--bare", "origin.git"]);
    git_ok(dir, &["clone", "-q", "origin.git", "ed"]);
    let ed = dir.join("ed");
    stance_ok(&ed, &["init", "--sample"]);
    stance_ok(
        &ed,
        &[
            "assign", "--coder", "amira", "--coder", "bob", "--editor", "ed", "--editor", "eve",
            "--count", "1",
        ],
    );
    let out = stance_ok(&ed, &["sync", "--annotator", "ed"]);
    assert!(out.contains("synced with origin"), "{out}");
    ed
}

fn clone(dir: &Path, name: &str) -> PathBuf {
    git_ok(dir, &["clone", "-q", "origin.git", name]);
    dir.join(name)
}

/// Edits two copies of one file: one field of claim c1 each, the same field of c2 both ways
/// (media on the laptop, expert on the desktop), and a new claim c4 on the desktop.
fn edit_both_copies(base: &AnnotationFile, laptop: &Path, desktop: &Path) {
    let mut on_laptop = base.clone();
    on_laptop.claims[0]
        .stances
        .insert("ceasefire".into(), "against".into());
    on_laptop.claims[1].source = Some("media".into());
    store::save_annotation(laptop, &on_laptop).expect("save");
    let mut on_desktop = base.clone();
    on_desktop.claims[0].speaker = Some(SpeakerRef::New("A Diplomat".into()));
    on_desktop.claims[1].source = Some("expert".into());
    let mut extra = on_desktop.claims[2].clone();
    extra.id = "c4".into();
    extra.note = "added on the desktop".into();
    on_desktop.claims.push(extra);
    on_desktop.sort_claims();
    store::save_annotation(desktop, &on_desktop).expect("save");
}

#[test]
fn sync_two_clones_merge_by_claim_and_mark_the_true_conflict() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    shared_project(dir);
    let laptop = clone(dir, "laptop");
    let desktop = clone(dir, "desktop");
    let article = seed_article(SEED_001);
    let rel = format!("annotations/{SEED_001}/amira.ron");

    // Amira codes on her laptop and syncs; her desktop picks it up.
    let path = write_annotation(&laptop, &valid_file(&article, "amira"));
    let out = stance_ok(&laptop, &["sync", "--annotator", "amira"]);
    assert!(out.contains(&format!("committed 1 file: {rel}")), "{out}");
    let out = stance_ok(&desktop, &["sync", "--annotator", "amira"]);
    assert!(
        out.contains("set git merge.stance.driver"),
        "a fresh clone gets the drivers: {out}"
    );
    assert!(
        out.contains("received from others: 1 changed file"),
        "{out}"
    );
    let base = load(&desktop.join(&rel));
    assert_eq!(base, load(&path));

    edit_both_copies(&base, &laptop.join(&rel), &desktop.join(&rel));
    // Bob codes the same article in his own file on the desktop.
    let bob = write_annotation(&desktop, &valid_file(&article, "bob"));

    stance_ok(&laptop, &["sync", "--annotator", "amira"]);
    let out = stance_ok(&desktop, &["sync", "--annotator", "amira"]);
    assert!(
        out.contains(&format!(
            "left alone (not yours): annotations/{SEED_001}/bob.ron"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("merge conflict in {rel}: 1 field")),
        "{out}"
    );
    assert!(
        out.contains("claim c2: source: ours=expert theirs=media"),
        "{out}"
    );
    assert!(out.contains("synced with origin"), "{out}");
    let out = stance_ok(&desktop, &["sync", "--annotator", "bob"]);
    assert!(
        out.contains(&format!("committed 1 file: annotations/{SEED_001}/bob.ron")),
        "{out}"
    );
    stance_ok(&laptop, &["sync", "--annotator", "amira"]);

    // Both machines hold the same merged file: no claim lost, both edits of c1, c2 marked.
    let merged_text = fs::read(laptop.join(&rel)).expect("read");
    assert_eq!(merged_text, fs::read(desktop.join(&rel)).expect("read"));
    let merged = load(&laptop.join(&rel));
    assert_eq!(
        store::to_ron(&merged).expect("ron").as_bytes(),
        merged_text,
        "stance's own bytes"
    );
    let ids: BTreeSet<&str> = merged.claims.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, BTreeSet::from(["c1", "c2", "c3", "c4"]));
    let c1 = merged.claim("c1").expect("c1");
    assert_eq!(c1.stances["ceasefire"], "against");
    assert_eq!(c1.speaker, Some(SpeakerRef::New("A Diplomat".into())));
    assert_eq!(
        conflicts_in(&merged),
        vec![MergeConflict {
            claim: Some("c2".into()),
            field: "source".into(),
            ours: "expert".into(),
            theirs: "media".into(),
        }]
    );
    assert!(merged.claim("c2").expect("c2").unsure);
    assert_eq!(
        load(&laptop.join(format!("annotations/{SEED_001}/bob.ron"))),
        load(&bob)
    );
    assert_eq!(merged.status, Status::Done);
    // The file still loads and checks, and check lists the marker; --strict fails on it (CI).
    let check = stance(&laptop, &["check", "."]);
    assert_eq!(code(&check), 0, "{}", both(&check));
    assert!(
        both(&check).contains(rel.as_str())
            && both(&check).contains("has an unresolved merge conflict"),
        "{}",
        both(&check)
    );
    let strict = stance(&laptop, &["check", ".", "--strict"]);
    assert_eq!(code(&strict), 1, "{}", both(&strict));
    // Commits name the coder and the article; without a git identity they carry the coder's.
    let log = git_ok(&laptop, &["log", "--format=%an|%s"]);
    assert!(
        log.lines()
            .any(|l| l == format!("amira|stance sync: amira: {SEED_001}")),
        "{log}"
    );
    assert!(
        log.lines()
            .any(|l| l == format!("bob|stance sync: bob: {SEED_001}")),
        "{log}"
    );
    // Nothing is left behind: clean trees, no merge in progress.
    for clone in [&laptop, &desktop] {
        assert_eq!(git_ok(clone, &["status", "--porcelain"]), "");
        assert!(!clone.join(".git/MERGE_HEAD").exists());
    }
}

#[test]
fn sync_without_a_remote_or_offline_keeps_the_work_local() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("solo");
    stance_ok(tmp.path(), &["init", "solo", "--sample"]);
    let article = seed_article(SEED_001);
    write_annotation(&root, &valid_file(&article, "amira"));
    let out = stance(&root, &["sync", "--annotator", "amira"]);
    assert_eq!(code(&out), 0, "{}", both(&out));
    assert!(
        stdout(&out).contains("no remote: your commits stay in this folder only"),
        "{}",
        both(&out)
    );
    let log = git_ok(&root, &["log", "--format=%s"]);
    assert!(
        log.starts_with(&format!("stance sync: amira: {SEED_001}")),
        "{log}"
    );
    // A coder's sync leaves the project files of an editor alone (there is a plan now).
    stance_ok(
        &root,
        &[
            "assign", "--coder", "amira", "--count", "1", "--editor", "ed",
        ],
    );
    let out = stance_ok(&root, &["sync", "--annotator", "amira"]);
    assert!(out.contains("nothing of yours to commit"), "{out}");
    assert!(
        out.contains("left alone (not yours): project.ron\n"),
        "{out}"
    );

    git_ok(
        &root,
        &[
            "remote",
            "add",
            "origin",
            &tmp.path().join("nowhere.git").display().to_string(),
        ],
    );
    let mut file = load(&root.join(format!("annotations/{SEED_001}/amira.ron")));
    file.claims[0].note = "offline edit".into();
    store::save_annotation(
        &root.join(format!("annotations/{SEED_001}/amira.ron")),
        &file,
    )
    .expect("save");
    let out = stance(&root, &["sync", "--annotator", "amira"]);
    assert_eq!(code(&out), 1, "{}", both(&out));
    assert!(
        stdout(&out).contains("could not reach the remote, so your commits stay here only"),
        "{}",
        both(&out)
    );
    assert_eq!(
        git(&root, &["status", "--porcelain", "annotations"]).stdout,
        b""
    );
    let committed = git_ok(
        &root,
        &["show", &format!("HEAD:annotations/{SEED_001}/amira.ron")],
    );
    assert!(committed.contains("offline edit"));
}

#[test]
fn sync_undoes_a_merge_it_cannot_do_by_claim_and_keeps_the_commit() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let ed = shared_project(dir);
    let eve = clone(dir, "eve");
    stance_ok(&eve, &["sync", "--annotator", "eve"]);
    let edit = |root: &Path, word: &str| {
        let path = root.join("codebook.ron");
        let text = fs::read_to_string(&path).expect("codebook");
        fs::write(
            &path,
            text.replacen("version: 1,", &format!("version: 1, // {word}"), 1),
        )
        .expect("write");
    };
    edit(&ed, "ed's");
    edit(&eve, "eve's");
    stance_ok(&ed, &["sync", "--annotator", "ed"]);
    let out = stance(&eve, &["sync", "--annotator", "eve"]);
    assert_eq!(code(&out), 1, "{}", both(&out));
    assert!(
        stdout(&out).contains("did not merge others' work: codebook.ron changed on both sides"),
        "{}",
        both(&out)
    );
    // Eve's work is her last commit, her tree is clean and no merge is left half done.
    let log = git_ok(&eve, &["log", "-1", "--format=%s"]);
    assert_eq!(log.trim(), "stance sync: eve: project files");
    assert!(
        fs::read_to_string(eve.join("codebook.ron"))
            .expect("read")
            .contains("eve's")
    );
    assert_eq!(git_ok(&eve, &["status", "--porcelain"]), "");
    assert!(!eve.join(".git/MERGE_HEAD").exists());
}

#[test]
fn hostile_plans_and_names_are_refused_briefly() {
    let dir = project_with(4);
    let root = dir.path();
    // A 70,000-character coder name: refused, and not echoed whole.
    let long = "x".repeat(70_000);
    let out = stance(root, &["assign", ".", "--coder", &long, "--count", "1"]);
    assert_eq!(code(&out), 1);
    assert!(both(&out).len() < 300, "{} bytes", both(&out).len());
    assert!(both(&out).contains("cannot be a coder's name: the name is longer than 64 bytes"));
    let out = stance(root, &["sync", ".", "--annotator", &long]);
    assert_eq!(code(&out), 1);
    assert!(both(&out).len() < 300, "{} bytes", both(&out).len());

    // A truncated plan and a foreign (JSON) one: path:line:col from check and the commands.
    stance_ok(root, &["assign", ".", "--coder", "amira", "--count", "1"]);
    let good = fs::read_to_string(root.join("project.ron")).expect("plan");
    fs::write(root.join("project.ron"), &good[..good.len() / 2]).expect("write");
    let out = stance(root, &["check", "."]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).starts_with("project.ron:"), "{}", both(&out));
    fs::write(root.join("project.ron"), "{\"format\": 1}").expect("write");
    let out = stance(root, &["status", "."]);
    assert_eq!(code(&out), 1);
    assert!(
        both(&out).contains("project.ron:1:1: Expected opening `(`"),
        "{}",
        both(&out)
    );
    // Over the size limit: refused before it is read.
    fs::write(root.join("project.ron"), vec![b'x'; 17 * 1024 * 1024]).expect("write");
    let out = stance(root, &["queue", ".", "--annotator", "amira"]);
    assert_eq!(code(&out), 1);
    assert!(
        both(&out).contains("over the 16777216-byte limit"),
        "{}",
        both(&out)
    );
    fs::remove_file(root.join("project.ron")).expect("remove");

    // A plan that is a symlink out of the project is neither read nor written.
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().expect("temp dir");
        let target = outside.path().join("plan.ron");
        fs::write(&target, &good).expect("write");
        std::os::unix::fs::symlink(&target, root.join("project.ron")).expect("symlink");
        let out = stance(root, &["check", "."]);
        assert_eq!(code(&out), 1);
        assert!(
            stdout(&out).contains(
                "project.ron:1:1: error: the plan is a symlink leading outside the project"
            ),
            "{}",
            both(&out)
        );
        let out = stance(root, &["assign", ".", "--coder", "jonas"]);
        assert_eq!(code(&out), 1);
        assert_eq!(
            fs::read_to_string(&target).expect("read"),
            good,
            "written through the link"
        );
    }
}

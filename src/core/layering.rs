//! The parts of `core` import each other in one direction only: no two modules (and no two
//! folders) need each other, so each can be read, tested and changed from the bottom up.
//! Checked on the source text (`crate::core::…` paths outside test code): an import that
//! closes a loop fails here, naming the files on it.
#![allow(clippy::unwrap_used)] // a test: a panic is a failure

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Folders that only group modules: each module in them is a node of its own.
const GROUPS: [&str; 5] = ["model", "storage", "text", "compare", "project"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The node a module path under `core` belongs to: `model/names`, `agreement`, `check`…
/// (`group_level` false: the first part only). An item of a group's own `mod.rs`
/// (`project::Project`) belongs to the group.
fn node(parts: &[&str], group_level: bool, core: &Path) -> String {
    let first = parts[0].trim_end_matches(".rs");
    match parts.get(1) {
        Some(second)
            if group_level
                && GROUPS.contains(&first)
                && *second != "mod.rs"
                && core
                    .join(first)
                    .join(format!("{}.rs", second.trim_end_matches(".rs")))
                    .is_file() =>
        {
            format!("{first}/{}", second.trim_end_matches(".rs"))
        }
        _ => first.to_owned(),
    }
}

/// Who imports whom, with the files that do.
fn graph(group_level: bool) -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let mut files = Vec::new();
    rust_files(&core, &mut files);
    let path = regex::Regex::new(r"crate::core::(\w+)(?:::(\w+))?").unwrap();
    let tests =
        regex::Regex::new(r"#\[cfg\(test\)\]\n(?:#\[allow[^\n]*\n)?(?:pub\(crate\) )?mod \w+ \{")
            .unwrap();
    let mut out: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(&core).unwrap().to_str().unwrap().to_owned();
        let parts: Vec<&str> = rel.split('/').collect();
        if parts == ["mod.rs"] || parts == ["layering.rs"] || parts == ["testkit.rs"] {
            continue;
        }
        let from = node(&parts, group_level, &core);
        let text = std::fs::read_to_string(&f).unwrap();
        let source = tests
            .find(&text)
            .map_or(text.as_str(), |m| &text[..m.start()]);
        for c in path.captures_iter(source) {
            let mut to_parts = vec![c.get(1).unwrap().as_str()];
            to_parts.extend(c.get(2).map(|m| m.as_str()));
            let to = node(&to_parts, group_level, &core);
            if to != from {
                out.entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_default()
                    .insert(rel.clone());
            }
        }
    }
    out
}

/// Every import `a → b` such that `b` also reaches `a`.
fn loops(g: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>) -> Vec<String> {
    let reaches = |from: &str, target: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(x) = stack.pop() {
            if x == target {
                return true;
            }
            if seen.insert(x.clone()) {
                stack.extend(g.get(&x).into_iter().flat_map(|m| m.keys().cloned()));
            }
        }
        false
    };
    let mut out = Vec::new();
    for (a, to) in g {
        for (b, files) in to {
            if reaches(b, a) {
                out.push(format!("{a} -> {b} (in {files:?})"));
            }
        }
    }
    out
}

#[test]
fn core_folders_import_each_other_one_way() {
    let g = graph(false);
    assert!(g.len() > 5, "only {} folders seen", g.len());
    let found = loops(&g);
    assert!(
        found.is_empty(),
        "import loops between core folders:\n{}",
        found.join("\n")
    );
}

#[test]
fn core_modules_import_each_other_one_way() {
    let g = graph(true);
    assert!(
        g.contains_key("text/corpus") && g["project/walk"].contains_key("storage/lock"),
        "modules of groups not seen"
    );
    let found = loops(&g);
    assert!(
        found.is_empty(),
        "import loops between core modules:\n{}",
        found.join("\n")
    );
}

#[test]
fn loops_are_found() {
    let mut g: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (a, b) in [
        ("check", "team"),
        ("team", "project"),
        ("project", "check"),
        ("x", "check"),
    ] {
        g.entry(a.into()).or_default().entry(b.into()).or_default();
    }
    assert_eq!(loops(&g).len(), 3);
}

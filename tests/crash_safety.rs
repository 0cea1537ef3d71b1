//! Crash safety of saving: a child process saves a large annotation file in a loop,
//! alternating between two versions, and is killed with SIGKILL at random moments. After
//! every kill the file must load and equal one of the two versions exactly, and whatever the
//! kill left behind (a temp file) must be invisible to the loaders.
//!
//! The child is this test binary itself, re-executed to run only the ignored test
//! `child_saves_in_a_loop` with the folder to work in passed in an environment variable, so
//! the CLI needs no hidden subcommand.

#[path = "fixtures/helpers.rs"]
mod helpers;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use helpers::{SEED_000, claim_on_sentence, seed_article, valid_file};
use stance::core::check;
use stance::core::model::annotation::{AnnotationFile, SpeakerRef, Status};
use stance::core::model::codebook::Codebook;
use stance::core::project;
use stance::core::storage::store;

/// Set in the child: the project folder it saves into.
const CHILD_ENV: &str = "STANCE_CRASH_TEST_PROJECT";
/// Overrides the random seed, to replay a failing run.
const SEED_ENV: &str = "STANCE_CRASH_TEST_SEED";
/// How many times the child is killed.
const KILLS: usize = 32;
/// Claims in each version: large enough that one save takes a while.
const CLAIMS: [usize; 2] = [1_100, 1_000];

/// Version `v` (0 or 1) of alice's file on seed 000: many claims, the two versions differing
/// in count, notes, stances and status, so a mix of the two could not pass for either.
fn version(v: usize) -> AnnotationFile {
    let article = seed_article(SEED_000);
    let mut file = valid_file(&article, "alice");
    let n = article.sentences.len() as u32;
    file.claims = (0..CLAIMS[v])
        .map(|k| {
            let mut c = claim_on_sentence(&article, k as u32 % n, &format!("c{k:05}"));
            c.note = format!("version {v}, claim {k}: {}", "é—“quoted” ".repeat(k % 7));
            if (k + v).is_multiple_of(3) {
                c.stances
                    .insert("mediation".to_owned(), ["favor", "against"][v].to_owned());
            }
            c.speaker = Some(SpeakerRef::New(format!("Speaker {}", k % 13 + v)));
            c
        })
        .collect();
    file.sort_claims();
    file.status = [Status::InProgress, Status::Done][v];
    file
}

fn annotation_path(root: &Path) -> PathBuf {
    project::annotation_path(root, SEED_000, "alice").expect("safe names")
}

/// The child: save the two versions in turn until killed. Ignored in normal runs; only the
/// parent test below starts it, in its own process.
#[test]
#[ignore = "the child process of saving_survives_sigkill_at_random_moments"]
fn child_saves_in_a_loop() {
    let Some(root) = std::env::var_os(CHILD_ENV) else {
        return; // run by hand without a parent: nothing to do
    };
    let root = PathBuf::from(root);
    let path = annotation_path(&root);
    let versions = [version(0), version(1)];
    fs::write(root.join("ready"), b"").expect("signal ready");
    for v in (0..2).cycle() {
        store::save_annotation(&path, &versions[v]).expect("save");
    }
}

/// xorshift64*: a few lines of seeded randomness, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[test]
fn saving_survives_sigkill_at_random_moments() {
    let seed = std::env::var(SEED_ENV)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_c0de_u64);
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let path = annotation_path(root);
    fs::create_dir_all(path.parent().expect("folder")).expect("create folder");
    let versions = [version(0), version(1)];
    let bytes = versions
        .each_ref()
        .map(|v| store::to_ron(v).expect("serialises"));
    assert!(bytes[0].len() > 500_000, "{} bytes", bytes[0].len());

    // One save's duration sets the range of kill times: up to three saves after start.
    let t = Instant::now();
    store::save_annotation(&path, &versions[0]).expect("first save");
    let save = t.elapsed().max(Duration::from_millis(2));
    let window = (save * 3).as_micros() as u64;

    let codebook = Codebook::default_codebook();
    let me = std::env::current_exe().expect("test binary");
    let mut landed_on = [0usize; 2];
    let mut temp_files_left = 0;
    for kill in 0..KILLS {
        let ready = root.join("ready");
        let _ = fs::remove_file(&ready);
        let mut child = Command::new(&me)
            .args([
                "child_saves_in_a_loop",
                "--exact",
                "--ignored",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the child");
        let started = Instant::now();
        while !ready.exists() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the child never got ready"
            );
            if let Some(status) = child.try_wait().expect("poll child") {
                panic!("the child exited by itself: {status}");
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_micros(rng.below(window)));
        child.kill().expect("SIGKILL"); // `Child::kill` is SIGKILL on Unix
        child.wait().expect("reap");

        let context = format!("kill {kill} (seed {seed:#x})");
        let loaded = store::load_annotation(&path, &codebook)
            .unwrap_or_else(|e| panic!("{context}: the file does not load: {e}"));
        let on_disk = fs::read_to_string(&path).expect("read");
        let v = versions
            .iter()
            .position(|v| *v == loaded)
            .unwrap_or_else(|| panic!("{context}: the file is neither version"));
        assert_eq!(on_disk, bytes[v], "{context}: not byte-identical");
        landed_on[v] += 1;

        // Whatever else is in the folder is a temp file of a killed save; the loaders see
        // only alice's file.
        let folder = path.parent().expect("folder");
        let mut temps = Vec::new();
        for entry in fs::read_dir(folder).expect("list") {
            let name = entry.expect("entry").file_name();
            let name = name.to_string_lossy().into_owned();
            if name != "alice.ron" {
                assert!(
                    name.starts_with(".alice.ron.")
                        && Path::new(&name).extension().is_some_and(|e| e == "tmp"),
                    "{context}: unexpected file {name}"
                );
                temps.push(folder.join(name));
            }
        }
        let (locations, not_read) = check::annotation_locations(root);
        assert_eq!(not_read, vec![], "{context}");
        assert_eq!(locations.len(), 1, "{context}: {locations:?}");
        assert_eq!(locations[0].path, path);
        // Cleared so that the next kill's leftovers are counted on their own.
        temp_files_left += temps.len();
        for t in temps {
            fs::remove_file(t).expect("remove temp");
        }
    }
    eprintln!(
        "{KILLS} kills (seed {seed:#x}, one save ≈ {save:?}): old/new version A {} times, B {} times; {temp_files_left} kills left a temp file",
        landed_on[0], landed_on[1]
    );
    // Both versions were seen: the kills landed while the child was saving, not before.
    assert!(landed_on[0] > 0 && landed_on[1] > 0, "{landed_on:?}");
}

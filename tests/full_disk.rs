//! A disk that fills up while indexing: the run fails with an error naming the full disk and
//! the index folder (not tantivy's bare "an index writer was killed"), and everything
//! committed before stays searchable. Needs a small tmpfs to fill: run as root where `mount`
//! works (CI does); skipped with a message elsewhere.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs of `size` mounted on `dir`, unmounted on drop.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(dir: PathBuf, size: &str) -> Option<SmallDisk> {
        std::fs::create_dir_all(&dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk(dir))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// `n` distinct made-up stories with enough different words to make a sizeable index.
fn write_big_corpus(dir: &Path, n: usize) {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut word = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let letters = b"bcdfghklmnprstvz";
        let vowels = b"aeiou";
        (0..3)
            .flat_map(|i| {
                [
                    letters[((seed >> (i * 8)) % 16) as usize] as char,
                    vowels[((seed >> (i * 8 + 4)) % 5) as usize] as char,
                ]
            })
            .collect::<String>()
    };
    for i in 0..n {
        let folder = dir.join(format!("big.example/news/{:03}", i / 200));
        std::fs::create_dir_all(&folder).unwrap();
        let paragraphs: Vec<String> = (0..6)
            .map(|_| {
                let words: Vec<String> = (0..60).map(|_| word()).collect();
                format!("<p>{}.</p>", words.join(" "))
            })
            .collect();
        let html = format!(
            "<html><head><title>Harbour story {i}</title></head><body><article>\
             <h1>Harbour story {i}</h1>{}</article></body></html>",
            paragraphs.join("")
        );
        std::fs::write(folder.join(format!("story-{i}.html")), html).unwrap();
    }
}

#[test]
fn a_full_disk_is_named_and_committed_pages_stay() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(_disk) = SmallDisk::mount(tmp.path().join("disk"), "2m") else {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root and `mount`)");
        return;
    };
    let index = tmp.path().join("disk/index");
    // The bundled corpus fits: committed.
    let first = common::index(&common::corpus_dir(), &index, &[]);
    let committed = first["docs_in_index"]
        .as_u64()
        .or_else(|| first["added"].as_u64())
        .expect("the summary counts documents");
    assert!(committed > 0);
    let before = common::total(&common::search(&index, "harbour OR bank OR said", &[]));
    assert!(before > 0);

    // A much larger corpus does not.
    let big = tmp.path().join("big");
    write_big_corpus(&big, 1500);
    let r = common::run([
        "index".as_ref(),
        big.as_os_str(),
        "--index".as_ref(),
        index.as_os_str(),
        "-q".as_ref(),
    ]);
    // (not `crashed()`: tantivy's own message says "… or panicked")
    assert!(r.code != 101 && r.code != -1, "crashed: {}", r.stderr);
    assert_ne!(r.code, 0, "indexing into a full disk must fail");
    assert!(
        r.stderr.contains("is full") && r.stderr.contains(&*index.to_string_lossy()),
        "the error names the full disk and the index: {}",
        r.stderr
    );

    // What was committed before is still there and searchable.
    let after = common::search(&index, "harbour OR bank OR said", &[]);
    assert!(
        common::total(&after) >= before,
        "committed pages were lost: {before} before, {} after",
        common::total(&after)
    );
}

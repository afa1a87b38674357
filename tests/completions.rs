//! `gazette completions SHELL` and `gazette man`: generated from the clap definitions, so
//! every subcommand the binary has must appear in them. The list of subcommands is read from
//! `gazette --help`, so a new subcommand is checked without editing this test.

use assert_cmd::Command;

fn gazette(args: &[&str]) -> String {
    let out = Command::cargo_bin("gazette")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "gazette {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Subcommand names from the "Commands:" block of `gazette --help` (without `help`).
fn subcommands() -> Vec<String> {
    let help = gazette(&["--help"]);
    let names: Vec<String> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(String::from)
        .collect();
    assert!(names.len() >= 7, "{help}");
    names
}

#[test]
fn completions_name_every_subcommand() {
    let names = subcommands();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = gazette(&["completions", shell]);
        for name in &names {
            assert!(
                script.contains(name.as_str()),
                "{shell} completions lack {name}"
            );
        }
        // flags come from the same definitions (fish writes `-l since`)
        assert!(script.contains("since"), "{shell} completions lack --since");
    }
}

#[test]
fn man_page_names_every_subcommand() {
    let page = gazette(&["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH gazette 1"),
        "{page}"
    );
    for name in subcommands() {
        assert!(
            page.contains(&format!("gazette\\-{name}")),
            "man page lacks {name}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    gazette(&["man", "--dir", dir.path().to_str().unwrap()]);
    for name in subcommands() {
        let sub = std::fs::read_to_string(dir.path().join(format!("gazette-{name}.1")))
            .unwrap_or_else(|e| panic!("gazette-{name}.1: {e}"));
        assert!(sub.contains(".SH SYNOPSIS"), "{sub}");
    }
}

#[test]
fn unknown_shell_is_an_error() {
    Command::cargo_bin("gazette")
        .unwrap()
        .args(["completions", "tcsh"])
        .assert()
        .failure()
        .code(2);
}

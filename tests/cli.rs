//! Command-line tests as data: each `[[test]]` of tests/cli/*.toml runs the real binary with
//! `args` and `stdin`, and checks its exit status, stdout and stderr, and which files are
//! there afterwards. `{fixtures}` in an argument is tests/fixtures, `{tmp}` a fresh folder
//! holding the test's `files`. See tests/cli/README.md for the fields.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    test: Vec<Test>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Test {
    name: String,
    args: Vec<String>,
    #[serde(default)]
    stdin: String,
    /// Files written into `{tmp}` before the run: name (may hold folders) to text.
    #[serde(default)]
    files: BTreeMap<String, String>,
    #[serde(default)]
    status: i32,
    /// The whole of stdout, exactly.
    stdout: Option<String>,
    #[serde(default)]
    stdout_contains: Vec<String>,
    #[serde(default)]
    stderr_contains: Vec<String>,
    #[serde(default)]
    stdout_lacks: Vec<String>,
    #[serde(default)]
    stderr_lacks: Vec<String>,
    /// Stderr must be empty unless it is checked.
    #[serde(default)]
    stderr_empty: bool,
    /// Paths that must exist after the run, and paths that must not (`{tmp}` replaced).
    #[serde(default)]
    present: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
}

#[test]
fn cli_tests() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let fixtures = root.join("tests/fixtures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("tests/cli"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for path in paths {
        let file_name = path.file_name().unwrap().to_string_lossy().to_string();
        let file: File =
            toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap_or_else(|e| panic!("{file_name}: {e}"));
        for test in file.test {
            count += 1;
            let tmp = tempfile::tempdir().unwrap();
            for (name, text) in &test.files {
                let path = tmp.path().join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            let expand = |a: &String| {
                a.replace("{fixtures}", &fixtures.to_string_lossy())
                    .replace("{tmp}", &tmp.path().to_string_lossy())
            };
            let args: Vec<String> = test.args.iter().map(expand).collect();
            let mut child = Command::new(env!("CARGO_BIN_EXE_blindfold"))
                .args(&args)
                .env_remove("CODESIGNAL_API_KEY")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child.stdin.take().unwrap().write_all(test.stdin.as_bytes()).unwrap();
            let out = child.wait_with_output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let mut problems = Vec::new();
            if out.status.code() != Some(test.status) {
                problems.push(format!("status {:?}, want {}", out.status.code(), test.status));
            }
            if let Some(want) = &test.stdout
                && stdout != *want
            {
                problems.push(format!("stdout:\n{stdout}\nwant:\n{want}"));
            }
            for want in &test.stdout_contains {
                if !stdout.contains(want.as_str()) {
                    problems.push(format!("stdout lacks {want:?}:\n{stdout}"));
                }
            }
            for want in &test.stderr_contains {
                if !stderr.contains(want.as_str()) {
                    problems.push(format!("stderr lacks {want:?}:\n{stderr}"));
                }
            }
            for unwanted in &test.stdout_lacks {
                if stdout.contains(unwanted.as_str()) {
                    problems.push(format!("stdout has {unwanted:?}:\n{stdout}"));
                }
            }
            for unwanted in &test.stderr_lacks {
                if stderr.contains(unwanted.as_str()) {
                    problems.push(format!("stderr has {unwanted:?}:\n{stderr}"));
                }
            }
            if test.stderr_empty && !stderr.is_empty() {
                problems.push(format!("stderr not empty:\n{stderr}"));
            }
            for path in test.present.iter().map(expand) {
                if !std::path::Path::new(&path).exists() {
                    problems.push(format!("{path} is missing"));
                }
            }
            for path in test.absent.iter().map(expand) {
                if std::path::Path::new(&path).exists() {
                    problems.push(format!("{path} is there"));
                }
            }
            if !problems.is_empty() {
                failures.push(format!(
                    "{file_name}: {}: blindfold {}\n{}",
                    test.name,
                    args.join(" "),
                    problems.join("\n")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} CLI tests failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn invalid_utf8_line_is_reported_by_number() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_blindfold"))
        .args(["rewrite", "--lines"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"She is here.\nbad \xff byte\nHe is too.\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "They are here.\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("<stdin>:2: not UTF-8"), "{stderr}");
}

//! `{{#iam-policy NAME}}` in a book, plain links to policy files, and the
//! check of every file in `policies/`, end to end through `check` and `build`.

use responder_docs_tests::{check_shorts, copy_dir, copy_real_book, fixture, run};
use std::fs;
use std::path::Path;

fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[test]
fn a_clean_book_shows_each_policy_byte_for_byte_with_a_working_download_link() {
    let book = copy_dir(&fixture("policies/book"));
    assert_eq!(check_shorts(book.path()), (0, Vec::<String>::new()));
    let site = tempfile::tempdir().unwrap();
    let dest = site.path().join("site");
    let run = run(&[
        "build",
        book.path().to_str().unwrap(),
        "--dest-dir",
        dest.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let policy = fs::read_to_string(book.path().join("policies/task-role-policy.json")).unwrap();
    let page = fs::read_to_string(dest.join("guide/task-role.html")).unwrap();
    // The file's name and its download link in one bar, just above the
    // block; from a chapter in a subfolder, the link climbs to the site root.
    assert!(
        page.contains(&format!(
            "<div class=\"policy-file\"><span class=\"policy-file-name\">task-role-policy.json</span> <a href=\"../policies/task-role-policy.json\" download=\"\">Download<span class=\"visually-hidden\"> task-role-policy.json</span></a></div>\n\n<pre><code class=\"language-json\">{}</code></pre>",
            html_escaped(&policy)
        )),
        "{page}"
    );
    assert_eq!(
        fs::read_to_string(dest.join("policies/task-role-policy.json")).unwrap(),
        policy
    );

    let roles = fs::read_to_string(dest.join("roles.html")).unwrap();
    assert!(
        roles.contains(
            "<a href=\"policies/task-role-trust.json\" download=\"\">Download<span class=\"visually-hidden\"> task-role-trust.json</span></a>"
        ),
        "{roles}"
    );
    assert!(dest.join("policies/task-role-trust.json").is_file());
}

fn append(path: &Path, text: &str) {
    let mut content = fs::read_to_string(path).unwrap();
    content.push_str(text);
    fs::write(path, content).unwrap();
}

#[test]
fn unknown_names_paths_and_missing_linked_files_are_errors_at_the_chapter_line() {
    let book = copy_dir(&fixture("policies/book"));
    append(
        &book.path().join("src/roles.md"),
        "\n{{#iam-policy task-role-polcy}}\n\n{{#iam-policy ../book.toml}}\n\nSee [this policy](ecsTaskExecutionRolePolicy.json).\n\n\\{{#iam-policy escaped}} is how to write the directive.\n",
    );
    append(
        &book.path().join("src/guide/task-role.md"),
        "\nAlso [the trust policy](../policies/task-role-trst.json).\n",
    );
    let (code, found) = check_shorts(book.path());
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            "src/guide/task-role.md:9:6: error[links::missing-file]: `../policies/task-role-trst.json` does not exist",
            "src/roles.md:9:1: error[policy::unknown-policy]: no policy `task-role-polcy`: there is no policies/task-role-polcy.json",
            "src/roles.md:11:1: error[policy::refused-path]: `../book.toml` is refused: a path, not a policy name (policies are named by their file stem in policies/)",
            "src/roles.md:13:5: error[links::missing-file]: `ecsTaskExecutionRolePolicy.json` does not exist",
        ]
    );
    let report = run(&["check", book.path().to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&report.stdout).unwrap();
    let hints: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["hint"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        hints[0],
        "did you mean `../policies/task-role-trust.json`? Or show it with `{{#iam-policy task-role-trust}}`"
    );
    assert_eq!(
        hints[1],
        "did you mean `task-role-policy`? known policies: task-role-policy, task-role-trust"
    );
}

#[cfg(unix)]
#[test]
fn a_policy_symlinked_from_outside_policies_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.json"),
        "{\"Version\": \"2012-10-17\"}",
    )
    .unwrap();
    let book = copy_dir(&fixture("policies/book"));
    std::os::unix::fs::symlink(
        outside.path().join("secret.json"),
        book.path().join("policies/escape.json"),
    )
    .unwrap();
    // Inside the book but outside policies/: refused as well.
    std::os::unix::fs::symlink("../book.toml", book.path().join("policies/config.json")).unwrap();
    append(
        &book.path().join("src/roles.md"),
        "\n{{#iam-policy escape}}\n\n{{#iam-policy config}}\n",
    );
    let (code, found) = check_shorts(book.path());
    assert_eq!(code, 1);
    // `src/policies` links to `policies/`, so the site would copy the secret too.
    let copied = format!(
        "src/policies/escape.json:1:1: error[reach::outside-source]: `src/policies/escape.json` resolves to `{}`, outside the repository (`{}`); mdBook would copy it into the site",
        outside
            .path()
            .join("secret.json")
            .canonicalize()
            .unwrap()
            .display(),
        book.path().canonicalize().unwrap().display()
    );
    assert_eq!(
        found,
        [
            "policies/config.json:1:1: error[policy::refused-path]: this file leads out of policies/ (a symlink) and is refused",
            "policies/escape.json:1:1: error[policy::refused-path]: this file leads out of policies/ (a symlink) and is refused",
            copied.as_str(),
            "src/roles.md:9:1: error[policy::refused-path]: `policies/escape.json` is refused: it leads out of policies/",
            "src/roles.md:11:1: error[policy::refused-path]: `policies/config.json` is refused: it leads out of policies/",
        ]
    );
}

#[test]
fn every_file_in_policies_is_checked_even_when_no_chapter_uses_it() {
    let book = copy_dir(&fixture("policies/book"));
    fs::write(
        book.path().join("policies/unused-trust.json"),
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"ecs-tasks.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}\n}\n",
    )
    .unwrap();
    fs::write(book.path().join("policies/notes.txt"), "scratch").unwrap();
    // In a subfolder too: the loader reads it before the rules run.
    fs::create_dir(book.path().join("policies/drafts")).unwrap();
    fs::write(book.path().join("policies/drafts/old.json"), "{}").unwrap();
    append(
        &book.path().join("policies.toml"),
        "\n[policies.gone]\nkind = \"identity\"\n",
    );
    let (code, found) = check_shorts(book.path());
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            "policies.toml:7:1: error[policy::manifest]: the manifest describes `gone`, but there is no policies/gone.json",
            "policies/drafts/old.json:1:1: error[policy::schema]: the policy has no `Version`",
            "policies/drafts/old.json:1:1: error[policy::schema]: the policy has no `Statement`",
            "policies/notes.txt:1:1: warning[policy::not-a-policy]: policies/ holds policy documents (`.json`) only",
            "policies/unused-trust.json:3:36: warning[policy::confused-deputy]: a service may assume this role on behalf of any account: no `aws:SourceAccount` or `aws:SourceArn` condition",
        ]
    );
}

#[test]
fn a_broken_manifest_is_reported_where_it_breaks() {
    let book = copy_dir(&fixture("policies/book"));
    fs::write(
        book.path().join("policies.toml"),
        "[policies.task-role-policy]\nkind = \"identiy\"\n",
    )
    .unwrap();
    let (code, found) = check_shorts(book.path());
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("policies.toml:2:8: error[policy::manifest]: invalid policy manifest: unknown variant `identiy`"),
        "{found:?}"
    );
}

#[test]
fn the_real_books_policies_check_clean_and_expand_in_a_chapter() {
    let book = copy_real_book();
    fs::write(
        book.path().join("src/introduction.md"),
        "# Roles\n\n{{#iam-policy execution-role-policy}}\n\n{{#iam-policy execution-role-trust}}\n\n{{#iam-policy task-role-policy}}\n\n{{#iam-policy task-role-trust}}\n",
    )
    .unwrap();
    let (_, found) = check_shorts(book.path());
    let ours: Vec<&String> = found.iter().filter(|d| d.contains("[policy::")).collect();
    assert!(ours.is_empty(), "{ours:?}");
}

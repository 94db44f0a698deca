//! Size quotas per attachment (`attach` in policies.toml) and chapters that
//! offer a policy an inline attachment it does not fit, end to end through
//! `check` and `policy lint`, on a fixture book and on copies of the real one.

use responder_docs_tests::{check_shorts, copy_dir, copy_real_book, fixture, run, shorts};
use std::fs;
use std::path::Path;

/// The real deployer policy's size as IAM counts it (whitespace left out),
/// plain and with a thousands comma, and where its character number `n`
/// stands: the guide's policy changes, its checks must not.
fn deployer_size(book: &Path) -> (usize, String) {
    let text = fs::read_to_string(book.join("policies/deployer-policy.json")).unwrap();
    let n = text.chars().filter(|c| !c.is_whitespace()).count();
    (n, format!("{},{:03}", n / 1000, n % 1000))
}

fn deployer_char_at(book: &Path, n: usize) -> String {
    let text = fs::read_to_string(book.join("policies/deployer-policy.json")).unwrap();
    let (mut line, mut column, mut counted) = (1, 0, 0);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
            column = 0;
            continue;
        }
        column += 1;
        if !c.is_whitespace() {
            counted += 1;
            if counted == n {
                break;
            }
        }
    }
    format!("{line}:{column}")
}

fn quota_book() -> tempfile::TempDir {
    copy_dir(&fixture("policies/quota"))
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn append(path: &Path, text: &str) {
    let mut content = fs::read_to_string(path).unwrap();
    content.push_str(text);
    fs::write(path, content).unwrap();
}

/// `check` after the deployer policy's `attach` in policies.toml becomes `[LIST]`.
fn deployer_attached(book: &Path, list: &str) -> (u8, Vec<String>) {
    edit(
        &book.join("policies.toml"),
        "attach = [\"customer-managed\", \"permission-set-inline\"]",
        &format!("attach = [{list}]"),
    );
    check_shorts(book)
}

/// The hints of `check --format json`, in report order.
fn hints(book: &Path) -> Vec<String> {
    let report = run(&["check", book.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&report.stdout).unwrap();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["hint"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn declared_attachments_that_fit_and_prose_that_warns_raise_nothing() {
    let book = quota_book();
    assert_eq!(check_shorts(book.path()), (0, Vec::<String>::new()));
}

#[test]
fn offers_of_an_inline_attachment_the_policy_does_not_fit_are_errors_at_their_words() {
    let book = quota_book();
    append(
        &book.path().join("src/permissions.md"),
        "\nAn administrator can also add the policy to your IAM user as an inline policy.\n\n\
         Or give it to a group you belong to:\n\n\
         1. Open the group in the IAM console.\n\
         2. Choose **Add permissions**, then **Create inline policy**.\n\n\
         To test it, add it to your user as an inline policy. <!-- allow policy-attachment -->\n",
    );
    let (code, found) = check_shorts(book.path());
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            "src/permissions.md:30:65: error[policy::attachment]: `deployer-policy` has 5,342 characters; a user's inline policies may have 2,048 together",
            "src/permissions.md:35:46: error[policy::attachment]: `deployer-policy` has 5,342 characters; a group's inline policies may have 5,120 together",
        ]
    );
    assert_eq!(
        hints(book.path())[0],
        "IAM counts a policy's characters without whitespace and refuses it there: offer a customer managed policy (up to 6,144) instead; if the sentence offers no such thing, end its line with `<!-- allow policy-attachment -->`"
    );
}

#[test]
fn a_policy_over_a_declared_attachments_quota_is_an_error_where_the_excess_starts() {
    let book = quota_book();
    let (code, found) = deployer_attached(book.path(), "\"customer-managed\", \"group-inline\"");
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            "policies/deployer-policy.json:219:28: error[policy::size]: the policy has 5342 characters (whitespace not counted), over the quota of a group's inline policies, 5120 together (`group-inline` in policies.toml); the excess starts here"
        ]
    );
    assert_eq!(
        hints(book.path())[0],
        "it fits `customer-managed` (6144), `role-inline` (10240) or `permission-set-inline` (10240): attach it one of those ways and say so with `attach` in policies.toml, or split it into several policies, or use wildcards and fewer statements"
    );
}

#[test]
fn the_inline_policies_of_one_role_are_counted_together() {
    let book = quota_book();
    // A second policy as large as the deployer's, inline in the same role.
    fs::copy(
        book.path().join("policies/deployer-policy.json"),
        book.path().join("policies/operator-policy.json"),
    )
    .unwrap();
    edit(
        &book.path().join("policies.toml"),
        "attach = [\"customer-managed\", \"permission-set-inline\"]",
        "attach = [\"role-inline\"]\nrole = \"Deployer\"",
    );
    append(
        &book.path().join("policies.toml"),
        "\n[policies.operator-policy]\nattach = [\"role-inline\"]\nrole = \"Deployer\"\n\n[policies.operator-policy.resource-star]\n\"*\" = \"a copy of the deployer policy\"\n",
    );
    let (code, found) = check_shorts(book.path());
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            "policies/deployer-policy.json:212:53: error[policy::size]: the policy has 5342 characters (whitespace not counted) and the other inline policies of role `Deployer` 5342 (`operator-policy`), over the quota of a role's inline policies, 10240 together (`role-inline` in policies.toml); the excess starts here",
            "policies/operator-policy.json:212:53: error[policy::size]: the policy has 5342 characters (whitespace not counted) and the other inline policies of role `Deployer` 5342 (`deployer-policy`), over the quota of a role's inline policies, 10240 together (`role-inline` in policies.toml); the excess starts here",
        ]
    );
    // `policy lint` reads the role's other policies beside the file.
    let lint = run(&[
        "policy",
        "lint",
        "--format",
        "json",
        book.path()
            .join("policies/operator-policy.json")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(lint.code, 1);
    let prefix = format!("{}/", book.path().display());
    let linted: Vec<String> = shorts(&lint.stdout)
        .iter()
        .map(|s| s.replace(&prefix, ""))
        .collect();
    assert_eq!(linted, [found[1].clone()]);
}

#[test]
fn attachments_that_cannot_be_meant_are_manifest_errors_at_their_place() {
    let book = quota_book();
    edit(
        &book.path().join("policies.toml"),
        "attach = [\"trust\"]",
        "attach = [\"trust\", \"user-inline\"]",
    );
    edit(
        &book.path().join("policies.toml"),
        "[policies.task-role-policy]\nattach = [\"role-inline\"]",
        "[policies.task-role-policy]\nattach = [\"customer-managed\"]",
    );
    let (code, found) = check_shorts(book.path());
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            "policies.toml:13:8: error[policy::manifest]: `role` names the role that holds `task-role-policy` inline, but its `attach` has no `role-inline`",
            "policies.toml:16:20: error[policy::manifest]: `user-inline` is for an identity policy, `trust` before it for a trust policy: one policy cannot be both",
        ]
    );
    let book = quota_book();
    edit(
        &book.path().join("policies.toml"),
        "\"permission-set-inline\"",
        "\"permission-set-inlin\"",
    );
    let (code, found) = check_shorts(book.path());
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            "policies.toml:5:31: error[policy::manifest]: invalid policy manifest: unknown variant `permission-set-inlin`, expected one of `customer-managed`, `role-inline`, `user-inline`, `group-inline`, `permission-set-inline`, `trust`",
            // A manifest that does not parse explains no `Resource: "*"`.
            "policies/deployer-policy.json:82:19: warning[policy::resource-star]: `Resource: \"*\"` although ecs:ListTasks can be limited to resource ARNs",
            "policies/deployer-policy.json:220:19: warning[policy::resource-star]: `Resource: \"*\"` although cloudformation:GetTemplateSummary can be limited to resource ARNs",
        ]
    );
}

/// `policy lint` of the deployer policy in `book`, paths shown from the book.
fn lint_deployer(book: &Path) -> (u8, Vec<String>) {
    let file = book.join("policies/deployer-policy.json");
    let run = run(&["policy", "lint", file.to_str().unwrap(), "--format", "json"]);
    let prefix = format!("{}/", book.display());
    let found = shorts(&run.stdout)
        .into_iter()
        .map(|s| s.replacen(&prefix, "", 1))
        .collect();
    (run.code, found)
}

#[test]
fn policy_lint_reports_a_malformed_manifest_as_check_does() {
    for (from, to, expected) in [
        (
            "\"permission-set-inline\"",
            "\"permission_set_inline\"",
            "policies.toml:5:31: error[policy::manifest]: invalid policy manifest: unknown variant `permission_set_inline`, expected one of `customer-managed`, `role-inline`, `user-inline`, `group-inline`, `permission-set-inline`, `trust`",
        ),
        (
            "attach = [\"customer-managed\", \"permission-set-inline\"]",
            "attach = [\"customer-managed\"]\nattach = [\"user-inline\"]",
            "policies.toml:6:1: error[policy::manifest]: invalid policy manifest: duplicate key",
        ),
    ] {
        let book = quota_book();
        edit(&book.path().join("policies.toml"), from, to);
        let (code, checked) = check_shorts(book.path());
        assert_eq!(code, 1);
        assert_eq!(checked.first().map(String::as_str), Some(expected));
        let (code, linted) = lint_deployer(book.path());
        assert_eq!(code, 1, "{linted:?}");
        assert!(linted.iter().any(|s| s == expected), "{linted:?}");
    }
}

#[test]
fn a_manifest_that_cannot_be_read_is_an_error_in_check_and_lint() {
    let not_utf8 = |book: &Path| {
        let path = book.join("policies.toml");
        let mut bytes = fs::read(&path).unwrap();
        bytes.splice(0..0, b"# Caf\xe9\n".iter().copied());
        fs::write(path, bytes).unwrap();
    };
    let folder = |book: &Path| {
        let path = book.join("policies.toml");
        fs::remove_file(&path).unwrap();
        fs::create_dir(path).unwrap();
    };
    let dangling = |book: &Path| {
        let path = book.join("policies.toml");
        fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink("nowhere.toml", path).unwrap();
    };
    let outside = |book: &Path| {
        let path = book.join("policies.toml");
        fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink("/dev/null", path).unwrap();
    };
    type Break = dyn Fn(&Path);
    let cases: [(&Break, &str); 4] = [
        (
            &not_utf8,
            "policies.toml:1:6: error[policy::manifest]: cannot read the policy manifest: it is not UTF-8: the first invalid byte is on line 1, column 6",
        ),
        (
            &folder,
            "policies.toml:1:1: error[policy::manifest]: cannot read the policy manifest: it is a folder, not a regular file",
        ),
        (
            &dangling,
            "policies.toml:1:1: error[policy::manifest]: cannot read the policy manifest: it is a symlink that does not resolve (No such file or directory (os error 2))",
        ),
        (
            &outside,
            "policies.toml:1:1: error[policy::manifest]: cannot read the policy manifest: it leads out of the book (to `/dev/null`) and is refused",
        ),
    ];
    for (break_it, expected) in cases {
        let book = quota_book();
        break_it(book.path());
        let (code, checked) = check_shorts(book.path());
        assert_eq!(code, 1, "{checked:?}");
        assert!(checked.iter().any(|s| s == expected), "{checked:?}");
        let (code, linted) = lint_deployer(book.path());
        assert_eq!(code, 1, "{linted:?}");
        assert!(linted.iter().any(|s| s == expected), "{linted:?}");
    }
}

/// The sentence the guide's chapter had before it recommended a managed
/// policy, put back where it was.
const OLD_OFFER: &str = "An administrator of the account adds the policy, with your account ID in it,\nto your IAM user, group or role as an inline policy, or creates a customer\nmanaged policy from it and attaches that. In IAM Identity Center, the same\nJSON goes into a permission set as an inline policy.";

#[test]
fn the_real_book_offering_the_deployer_policy_inline_to_a_user_fails_at_that_sentence() {
    let book = copy_real_book();
    let chapter = book.path().join("src/deployer-permissions.md");
    let text = fs::read_to_string(&chapter).unwrap();
    let start = text
        .find("An administrator of the account creates")
        .expect("the chapter recommends a managed policy");
    let end = start + text[start..].find("\n\n").unwrap();
    fs::write(
        &chapter,
        format!("{}{OLD_OFFER}{}", &text[..start], &text[end..]),
    )
    .unwrap();
    let line = text[..start].matches('\n').count() + 2;
    let (_, size) = deployer_size(book.path());
    let (code, found) = check_shorts(book.path());
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [format!(
            "src/deployer-permissions.md:{line}:39: error[policy::attachment]: `deployer-policy` has {size} characters; a user's inline policies may have 2,048 together, a group's 5,120"
        )]
    );
}

#[test]
fn the_real_deployer_policy_declared_a_users_inline_policy_is_over_its_quota() {
    let book = copy_real_book();
    let (size, _) = deployer_size(book.path());
    let at = deployer_char_at(book.path(), 2049);
    let (code, found) = deployer_attached(book.path(), "\"user-inline\"");
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [format!(
            "policies/deployer-policy.json:{at}: error[policy::size]: the policy has {size} characters (whitespace not counted), over the quota of a user's inline policies, 2048 together (`user-inline` in policies.toml); the excess starts here"
        )]
    );
}

#[test]
fn no_chapter_of_the_real_book_offers_the_deployer_policy_an_attachment_it_does_not_fit() {
    // Every chapter made to link the deployer policy: its prose about
    // roles, inline policies and cleanup must raise nothing.
    let book = copy_real_book();
    let src = book.path().join("src");
    let mut chapters = 0;
    for entry in fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".md") && name != "SUMMARY.md" {
            let text = fs::read_to_string(&path).unwrap();
            fs::write(
                &path,
                format!("{text}\n[deployer-policy.json](policies/deployer-policy.json)\n"),
            )
            .unwrap();
            chapters += 1;
        }
    }
    assert!(chapters > 10, "{chapters} chapters");
    // One offer, so the run shows that the check looked at these chapters.
    append(
        &src.join("cleanup.md"),
        "\nAdd the deployer policy to your IAM user as an inline policy.\n",
    );
    let lines = fs::read_to_string(src.join("cleanup.md"))
        .unwrap()
        .lines()
        .count();
    let (_, size) = deployer_size(book.path());
    let (_, found) = check_shorts(book.path());
    let ours: Vec<&String> = found
        .iter()
        .filter(|d| d.contains("[policy::attachment]"))
        .collect();
    assert_eq!(
        ours,
        [&format!(
            "src/cleanup.md:{lines}:48: error[policy::attachment]: `deployer-policy` has {size} characters; a user's inline policies may have 2,048 together"
        )]
    );
}

#[test]
fn offers_beside_unrelated_negations_are_errors_and_turn_downs_in_other_words_pass() {
    // Each paragraph after the fixture's 28 lines, one blank line apart:
    // the first six turn the offer down or move it to a permission set, the
    // last five offer the deployer policy to a user whatever else they say.
    let passing = [
        "In IAM Identity Center, create a permission set for the guide. Give your users and groups the policy as its inline policy.",
        "If your organization uses IAM Identity Center, it works differently. There, add the policy to your group as an inline policy.",
        "An administrator might add it to your IAM user as an inline policy; ask them to use a managed policy instead.",
        "Can I add the policy to my IAM user as an inline policy? No: it is over IAM's limit.",
        "> [!CAUTION]\n> Add it to your IAM user as an inline policy and IAM answers `LimitExceeded`.",
        "A customer managed policy is the way to go: if you paste the JSON into a user or group as an inline policy, IAM turns it down.",
    ];
    let failing = [
        "Add the policy to your IAM user as an inline policy. Don't forget to replace the account ID.",
        "Add the policy to your IAM user as an inline policy. Never share your access keys.",
        "Rather than creating a customer managed policy, add the JSON to your IAM user as an inline policy.",
        "No need for a managed policy: add the policy to your IAM user as an inline policy.",
        "If you don't have an administrator, add the policy to your IAM user as an inline policy.",
    ];
    let book = quota_book();
    let chapter = book.path().join("src/permissions.md");
    assert_eq!(fs::read_to_string(&chapter).unwrap().lines().count(), 28);
    let all: Vec<&str> = passing.iter().chain(&failing).copied().collect();
    append(&chapter, &format!("\n{}\n", all.join("\n\n")));
    let (code, found) = check_shorts(book.path());
    assert_eq!(code, 1);
    let user = "error[policy::attachment]: `deployer-policy` has 5,342 characters; a user's inline policies may have 2,048 together";
    assert_eq!(
        found,
        [
            format!("src/permissions.md:43:39: {user}"),
            format!("src/permissions.md:45:39: {user}"),
            format!("src/permissions.md:47:85: {user}"),
            format!("src/permissions.md:49:69: {user}"),
            format!("src/permissions.md:51:75: {user}"),
        ]
    );
}

#[test]
fn reassurances_other_verbs_console_steps_tables_and_commands_are_offers_and_policies_beside_pass()
{
    // Each paragraph after the fixture's 28 lines, one blank line apart:
    // the first three put the policy beside existing inline policies as a
    // managed one; the rest offer it to a user or group inline.
    let passing = [
        "If your IAM user already has inline policies, add this policy beside them as a customer managed policy.",
        "Attach the policy to your IAM user, beside your inline policies, as a customer managed policy.",
        "Add this policy to your IAM user alongside its inline policies.",
    ];
    let failing = [
        "This policy is within IAM's limits, so add it to your IAM user as an inline policy.",
        "Adding the JSON to your IAM user as an inline policy is the quickest way.",
        "Grant your IAM user this policy inline.",
        "1. Choose **Users** and your user name.\n2. Choose **Add permissions**, then **Create inline policy**.",
        "| Identity | How |\n| --- | --- |\n| IAM group | Add the JSON as an inline policy |",
        "```sh\naws iam put-user-policy --user-name alice --policy-name Deployer \\\n  --policy-document file://policies/deployer-policy.json\n```",
    ];
    let book = quota_book();
    let chapter = book.path().join("src/permissions.md");
    assert_eq!(fs::read_to_string(&chapter).unwrap().lines().count(), 28);
    let all: Vec<&str> = passing.iter().chain(&failing).copied().collect();
    append(&chapter, &format!("\n{}\n", all.join("\n\n")));
    // A chapter that links nothing but names the file in its command offers it too.
    append(
        &book.path().join("src/task-role.md"),
        "\n```bash\naws iam put-group-policy --group-name deployers --policy-name Deployer --policy-document file://policies/deployer-policy.json\n```\n\nOr add the deployer policy to your IAM user as an inline policy.\n",
    );
    let (code, found) = check_shorts(book.path());
    assert_eq!(code, 1);
    let size = "error[policy::attachment]: `deployer-policy` has 5,342 characters;";
    let user = format!("{size} a user's inline policies may have 2,048 together");
    let group = format!("{size} a group's inline policies may have 5,120 together");
    let task_role = fs::read_to_string(book.path().join("src/task-role.md")).unwrap();
    let command_line = task_role.lines().count();
    assert_eq!(
        found,
        [
            format!("src/permissions.md:36:70: {user}"),
            format!("src/permissions.md:38:40: {user}"),
            format!("src/permissions.md:40:33: {user}"),
            format!("src/permissions.md:43:46: {user}"),
            format!("src/permissions.md:47:34: {group}"),
            format!("src/permissions.md:50:9: {user}"),
            format!("src/task-role.md:{}:9: {group}", command_line - 3),
            format!("src/task-role.md:{command_line}:51: {user}"),
        ]
    );
}

/// The reports on the real book with `block` appended to the deployer
/// permissions chapter, and the expected user and group offers at the
/// block's `user` and `group` lines (counted from the block's first line).
fn inline_offers(block: &str, user: usize, group: usize) -> (Vec<String>, Vec<String>) {
    let book = copy_real_book();
    let chapter = book.path().join("src/deployer-permissions.md");
    let first = fs::read_to_string(&chapter).unwrap().lines().count() + 1;
    append(&chapter, block);
    let (_, size) = deployer_size(book.path());
    let (code, found) = check_shorts(book.path());
    assert_eq!(code, 1);
    let offer = |line: usize, who: &str, quota: &str| {
        format!(
            "src/deployer-permissions.md:{}:9: error[policy::attachment]: `deployer-policy` has {size} characters; a {who}'s inline policies may have {quota} together",
            first + line
        )
    };
    (
        found,
        vec![offer(user, "user", "2,048"), offer(group, "group", "5,120")],
    )
}

/// A command that puts the reader's filled-in copy of a policy
/// (`NAME.mine.json`, as the guide makes them with `sed`) inline offers
/// that policy as much as one naming the file itself.
#[test]
fn putting_a_copy_of_the_deployer_policy_inline_is_an_offer_of_it() {
    let (found, expected) = inline_offers(
        "\nOr, as yourself:\n\n```bash\naws iam put-user-policy --user-name \"$USER_NAME\" --policy-name ResponderAPIDeployer \\\n  --policy-document file://deployer-policy.mine.json\naws iam put-group-policy --group-name deployers --policy-name ResponderAPIDeployer --policy-document=file://deployer-policy.mine.json\n```\n",
        4,
        6,
    );
    assert_eq!(found, expected);
}

/// The file named through a variable the block sets, or read with
/// `"$(cat FILE)"`, is the same offer.
#[test]
fn putting_the_policy_inline_through_a_variable_or_cat_is_an_offer_of_it() {
    let (found, expected) = inline_offers(
        "\n```bash\nPOLICY_FILE=deployer-policy.json\naws iam put-user-policy --user-name \"$USER_NAME\" --policy-name ResponderAPIDeployer --policy-document \"file://${POLICY_FILE}\"\naws iam put-group-policy --group-name deployers --policy-name ResponderAPIDeployer --policy-document \"$(cat deployer-policy.json)\"\n```\n",
        3,
        4,
    );
    assert_eq!(found, expected);
}

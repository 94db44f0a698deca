use super::*;
use crate::diagnostics::location::Location;
use mdbook_markdown::MarkdownOptions;

/// The guide's deployer policy's size, a role's small policy, and one too
/// large for any inline attachment but a permission set's.
fn sizes() -> BTreeMap<String, Size> {
    [
        ("deployer-policy", 5_342, 7_195),
        ("task-role-policy", 146, 201),
        ("wide-policy", 10_000, 40_000),
    ]
    .into_iter()
    .map(|(stem, characters, bytes)| (stem.to_string(), Size { characters, bytes }))
    .collect()
}

/// `line:col: message (the words at fault)` of each problem in a chapter
/// at the top of `src/`.
fn found_in(markdown: &str) -> Vec<String> {
    let parsed = crate::model::markdown::parse(markdown, &MarkdownOptions::default());
    problems(markdown, &parsed.events, "", &sizes())
        .into_iter()
        .map(|p| {
            let at = Location::in_text("c.md", markdown, p.range.clone());
            format!(
                "{}:{}: {} ({})",
                at.line, at.column, p.message, &markdown[p.range]
            )
        })
        .collect()
}

const SHOWN: &str = "# Your own permissions\n\n## The deployer policy\n\n**deployer-policy.json**\n\n```json\n{\"Version\": \"2012-10-17\"}\n```\n\n[Download deployer-policy.json](policies/deployer-policy.json)\n\n## Give yourself the policy\n\n";

/// What a chapter that shows the deployer policy, then says `prose`, gets.
fn found(prose: &str) -> Vec<String> {
    found_in(&format!("{SHOWN}{prose}\n"))
}

/// The first line of `prose` in the chapter [`found`] builds.
const LINE: usize = 15;

fn user_and_group(line: usize, column: usize, words: &str) -> String {
    format!(
        "{line}:{column}: `deployer-policy` has 5,342 characters; a user's inline policies may have 2,048 together, a group's 5,120 ({words})"
    )
}

fn user(line: usize, column: usize, words: &str) -> String {
    format!(
        "{line}:{column}: `deployer-policy` has 5,342 characters; a user's inline policies may have 2,048 together ({words})"
    )
}

/// The words a problem about `prose` stands at.
fn marker(prose: &str) -> &'static str {
    if prose.contains("inline policy") {
        "inline policy"
    } else if prose.contains("embed") {
        "embed"
    } else {
        "inline"
    }
}

#[test]
fn the_sentence_the_guide_used_to_have_is_found_at_its_words() {
    let old = "An administrator of the account adds the policy, with your account ID in it,\nto your IAM user, group or role as an inline policy, or creates a customer\nmanaged policy from it and attaches that. In IAM Identity Center, the same\nJSON goes into a permission set as an inline policy.";
    assert_eq!(
        found(old),
        [user_and_group(LINE + 1, 39, "inline policy")],
        "a role's inline policies and a permission set's fit it"
    );
}

#[test]
fn offers_in_the_forms_writers_use_are_found() {
    let cases = [
        ("Add it as an inline policy of your user.", 14),
        (
            "Attach the policy to your IAM user as an inline policy.",
            42,
        ),
        ("Paste the JSON into an inline policy on your IAM user.", 24),
        ("You can embed the policy in your IAM user.", 9),
        (
            "In the IAM console, open your user, choose Add permissions, then Create inline policy, and paste the policy.",
            73,
        ),
        ("It can be an inline policy of your user.", 14),
        (
            "We recommend adding it to your user as an inline policy.",
            43,
        ),
        (
            "Either attach it as a customer managed policy, or add it inline to your user.",
            58,
        ),
        (
            "If your team prefers, give your user the policy inline.",
            49,
        ),
        (
            "Add it to your user as an inline policy. Don't forget the account ID.",
            27,
        ),
        (
            "Rather than a managed policy, add it to your user as an inline policy.",
            57,
        ),
        (
            "No need for a managed policy: add it to your user as an inline policy.",
            57,
        ),
        (
            "To avoid waiting for an administrator, add it to your user as an inline policy.",
            66,
        ),
    ];
    for (prose, column) in cases {
        assert_eq!(found(prose), [user(LINE, column, marker(prose))], "{prose}");
    }
    assert_eq!(
        found("Give your group the policy as an inline policy."),
        [
            "15:34: `deployer-policy` has 5,342 characters; a group's inline policies may have 5,120 together (inline policy)"
        ]
    );
    for (prose, column) in [
        (
            "Paste the JSON into an inline policy on your IAM user or group.",
            24,
        ),
        (
            "Ask an administrator to add it as an inline policy to your user or group.",
            38,
        ),
        (
            "Add it as an inline policy to your IAM user, group, or role.",
            14,
        ),
        (
            "Attach the policy inline to the user or group you deploy as.",
            19,
        ),
    ] {
        assert_eq!(
            found(prose),
            [user_and_group(LINE, column, marker(prose))],
            "{prose}"
        );
    }
}

#[test]
fn commands_and_steps_name_the_user_the_inline_policy_is_for() {
    assert_eq!(
        found("Run `aws iam put-user-policy` with the file to add it to your user."),
        [user(LINE, 14, "put-user-policy")]
    );
    assert_eq!(
        found(
            "Open your IAM user in the IAM console. On the **Permissions** tab, choose\n**Add permissions**, then **Create inline policy**."
        ),
        [user(LINE + 1, 36, "inline policy")]
    );
    assert_eq!(
        found(
            "1. Open your IAM user.\n2. Choose **Add permissions** > **Create inline policy**.\n3. Paste the policy."
        ),
        [user(LINE + 1, 42, "inline policy")]
    );
}

/// Asserts that none of `cases` raises anything after the deployer policy.
fn silent(cases: &[&str]) {
    for prose in cases {
        assert_eq!(found(prose), Vec::<String>::new(), "{prose}");
    }
}

#[test]
fn sentences_that_warn_against_inline_use_raise_nothing() {
    let cases = [
        // The guide's own words.
        "Use a customer managed policy rather than pasting the JSON into a user or\ngroup as an inline policy: IAM counts the characters of a policy, spaces left\nout, and this one is over 5,000. A managed policy may have 6,144; the inline\npolicies of a user may have 2,048 together, and those of a group 5,120, so\nIAM refuses this policy as either.",
        "Don't add the policy to your user as an inline policy: it is too large.",
        "Do not paste it into your user or group as an inline policy.",
        "IAM refuses this policy as an inline policy of a user or group.",
        "The policy is too large to be an inline policy of a user or group.",
        "Instead of an inline policy on your user, create a customer managed policy.",
        "An inline policy of a user can't hold it.",
        "Avoid adding inline policies to users and groups.",
        "Never attach it inline to a user.",
        "It does not fit in a user's inline policies.",
        "A user's inline policies are limited to 2,048 characters, which this policy exceeds.",
        "You might be tempted to add it to your user as an inline policy.",
        "You could add it to your user as an inline policy. It is too large for that, though.",
        "Add it to your user as an inline policy? Don't: IAM refuses a policy this long.",
        "An inline policy of a user is harder to audit than a managed one.",
        "Put it in a managed policy, not in your user's inline policies.",
        "IAM counts every inline policy of a user toward 2,048 characters, so the policy goes into a managed policy.",
        "Because a user's inline policies share 2,048 characters, attach this policy as a managed policy.",
        "The policy is too long for a user's inline policies, so create a managed policy and attach it to your user.",
        "Remove any inline policy from your user before you attach the managed one.",
        "Make sure your user has no inline policy that denies these actions.",
        "An administrator might add it to your IAM user as an inline policy; ask them to use a managed policy instead.",
        "Can I add the policy to my IAM user as an inline policy? No: it is over IAM's limit.",
        "Add it to your IAM user as an inline policy and IAM answers `LimitExceeded`.",
        "If you paste the JSON into a user or group as an inline policy, IAM turns it down.",
        "In IAM Identity Center, create a permission set. Give your users the policy as its inline policy.",
    ];
    silent(&cases);
}

#[test]
fn role_inline_policies_that_fit_and_managed_policies_raise_nothing() {
    let cases = [
        "Open the new role. On the **Permissions** tab, choose **Add permissions**,\nthen **Create inline policy**.",
        "Attach the managed policy to your user, or add it to your role as an inline policy.",
        "Add it to your role as an inline policy, or attach it to your user or group as a customer managed policy.",
        "An administrator creates a customer managed policy from it and attaches it to your IAM user, to a group you belong to, or to the role you work in.",
        "In IAM Identity Center, the same JSON goes into a permission set as an inline policy.",
        "In IAM Identity Center, give your user a permission set with the policy as its inline policy.",
        "| `ManageTheGuideRoles` | Creating, reading and deleting the two roles, putting, reading and deleting their inline policies and trust policies |\n| --- | --- |",
        "The execution role's inline policy lets the agent create the log group.",
        "## Inline policy for your user",
        "Paste the inline code into your notes.",
        "Create a customer managed policy from it and attach it to your user, or put it into your role as an inline policy.",
        "A customer managed policy can be attached to many users; an inline policy belongs to one.",
        "The console lists a user's inline policies under Permissions policies.",
        "Users and groups can have inline policies, but this one needs a managed policy.",
        "The `ManageTheGuideRoles` statement lets you put inline policies on the two roles.",
        "Inline policies are deleted with the user they belong to; use a managed policy.",
        "Whether you add the managed policy to a user, group or role, the inline policy of a permission set works too.",
    ];
    silent(&cases);
}

#[test]
fn an_offer_is_about_the_policy_named_else_the_section_else_the_chapter() {
    // Named: the small policy fits a user's inline policies.
    assert_eq!(
        found("Add `task-role-policy.json` to your user as an inline policy."),
        Vec::<String>::new()
    );
    assert_eq!(
        found("Add task-role-policy to your user as an inline policy."),
        Vec::<String>::new()
    );
    // Named though not shown: still that policy.
    assert_eq!(
        found_in("# Roles\n\nAdd `deployer-policy.json` to your user as an inline policy.\n"),
        [user(3, 47, "inline policy")]
    );
    let two = "# Policies\n\n## Task role\n\n[Download](policies/task-role-policy.json)\n\nAdd it to your user as an inline policy.\n\n## Deployer\n\n[Download](policies/deployer-policy.json)\n\n## Attaching\n\nAdd it to your user as an inline policy.\n";
    assert_eq!(
        found_in(two),
        [user(15, 27, "inline policy")],
        "the first offer is in the task role's section; the second in one that shows none"
    );
    // A chapter that shows no policy and names none offers nothing.
    assert_eq!(
        found_in("# Users\n\nAdd it to your user as an inline policy.\n"),
        Vec::<String>::new()
    );
}

#[test]
fn a_policy_too_large_for_a_permission_set_is_found_there_too() {
    let chapter = "# Wide\n\n[Download](policies/wide-policy.json)\n\nIn IAM Identity Center, the same JSON goes into a permission set as an inline policy.\n";
    assert_eq!(
        found_in(chapter),
        [
            "5:72: `wide-policy` has 10,000 characters (40,000 bytes); a permission set's inline policy may have 32,768 bytes, whitespace included (inline policy)"
        ]
    );
}

#[test]
fn links_to_policies_resolve_from_the_page() {
    let known = ["deployer-policy".to_string()];
    let of = |dir, dest| policy_of_link(dir, dest, &known);
    assert_eq!(
        of("", "policies/deployer-policy.json").as_deref(),
        Some("deployer-policy")
    );
    assert_eq!(
        of("guide", "../policies/deployer-policy.json#x").as_deref(),
        Some("deployer-policy")
    );
    assert_eq!(of("guide", "policies/deployer-policy.json"), None);
    assert_eq!(of("", "policies/other.json"), None);
    assert_eq!(
        of("", "https://example.com/policies/deployer-policy.json"),
        None
    );
}

#[test]
fn messages_name_each_refused_attachment_once() {
    let size = Size {
        characters: 5_342,
        bytes: 7_195,
    };
    assert_eq!(
        message("deployer-policy", size, &[Attachment::UserInline]),
        "`deployer-policy` has 5,342 characters; a user's inline policies may have 2,048 together"
    );
    let huge = Size {
        characters: 12_000,
        bytes: 14_000,
    };
    assert_eq!(
        message(
            "p",
            huge,
            &[Attachment::RoleInline, Attachment::PermissionSetInline]
        ),
        "`p` has 12,000 characters; a role's inline policies may have 10,240 together, a permission set's 10,240"
    );
}

#[test]
fn a_policy_shown_with_an_html_download_link_is_known_to_the_chapter() {
    // What `{{#iam-policy}}` writes: a header bar whose link is HTML.
    let md = "# Permissions\n\n<div class=\"policy-file\"><span>deployer-policy.json</span> <a href=\"policies/deployer-policy.json\" download>Download</a></div>\n\n```json\n{}\n```\n\nAdd it to your IAM user as an inline policy.\n";
    assert_eq!(
        found_in(md),
        [user(9, 31, "inline policy")],
        "the offer after an HTML-linked policy is found"
    );
}

#[test]
fn offers_of_another_policy_are_not_the_shown_policys() {
    silent(&[
        "Observers need much less: add a small policy that allows `ecs:DescribeServices` to their IAM user as an inline policy.",
        "Add the read-only policy to an observer's IAM user as an inline policy.",
    ]);
    // "it" after a sentence that ends on another policy stands for that one.
    silent(&[
        "Unlike the deployer policy, the read-only policy below is short. Paste it into the observer's IAM user as an inline policy.",
    ]);
    // The shown policy, by pronoun or "the policy", is still the one offered.
    assert_eq!(
        found("Add the policy to your IAM user as an inline policy."),
        [user(LINE, 39, "inline policy")]
    );
    assert_eq!(
        found(
            "The read-only policy is small. Add this policy to your IAM user as an inline policy."
        ),
        [user(LINE, 71, "inline policy")]
    );
}

#[test]
fn a_role_offer_that_mentions_where_the_reader_comes_from_is_the_roles() {
    silent(&[
        "Alternatively, paste the policy into an inline policy of the role you assume from your IAM user.",
        "If you sign in as an IAM user and switch to a role, add the policy to that role as an inline policy.",
    ]);
    assert_eq!(
        found("Add it as an inline policy to your IAM user or to a role."),
        [user(LINE, 14, "inline policy")]
    );
}

#[test]
fn inline_user_and_group_in_other_senses_raise_nothing() {
    silent(&[
        "The security group's inbound rule is added inline in the `aws ec2 authorize-security-group-ingress` command, which your IAM user may run with this policy.",
        "The task definition creates the log group inline (`awslogs-create-group`), so your IAM user needs `logs:CreateLogGroup` from this policy.",
        "Give the log group a retention period inline in the template; your user needs the policy to create it.",
        "Add the `group` parameter inline to the `run-task` command to put the tasks in one task group.",
        "Paste the policy into the JSON editor (the inline editor) when you create the customer managed policy, then attach it to your IAM user.",
        "Users of the service reach it inline through the load balancer; add the listener rule.",
    ]);
    assert_eq!(
        found("It is added inline to your IAM user."),
        [user(LINE, 13, "inline")]
    );
}

/// The column of the words a problem about `prose` (one line) stands at.
fn column(prose: &str) -> usize {
    prose
        .find(marker(prose))
        .expect("the marker is in the prose")
        + 1
}

#[test]
fn policies_already_there_beside_a_managed_offer_raise_nothing() {
    silent(&[
        "If your IAM user already has inline policies, add this policy beside them as a customer managed policy.",
        "Attach the policy to your IAM user, beside your inline policies, as a customer managed policy.",
        "Add this policy to your IAM user alongside its inline policies.",
        "Your IAM user keeps its existing inline policies; attach this one next to them as a customer managed policy.",
    ]);
    // "beside" elsewhere in the sentence does not hide an offer.
    assert_eq!(
        found("Beside the managed ones, add this policy to your IAM user as an inline policy."),
        [user(LINE, 65, "inline policy")]
    );
}

#[test]
fn limit_words_that_reassure_do_not_turn_the_offer_down() {
    for prose in [
        "Paste the JSON into an inline policy on your IAM user; the policy is well under the quota.",
        "This policy is within IAM's limits, so add it to your IAM user as an inline policy.",
        "Add the policy to your IAM user as an inline policy (see [IAM quotas](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html)).",
    ] {
        assert_eq!(
            found(prose),
            [user(LINE, column(prose), marker(prose))],
            "{prose}"
        );
    }
    // A limit the policy is over still turns it down.
    silent(&[
        "A user's inline policies are limited to 2,048 characters, which this policy exceeds.",
        "The policy is not within a user's inline quota; use a managed policy.",
    ]);
}

#[test]
fn offers_with_other_verbs_and_gerund_subjects_are_found() {
    for prose in [
        "Adding the JSON to your IAM user as an inline policy is the quickest way.",
        "Adding it to your IAM user as an inline policy works too.",
        "Another option is an inline policy on your IAM user.",
        "Your IAM user should get this policy as an inline policy.",
        "Grant your IAM user this policy inline.",
        "Set the policy as an inline policy on your IAM user.",
        "Save the JSON as an inline policy of your IAM user.",
    ] {
        assert_eq!(
            found(prose),
            [user(LINE, column(prose), marker(prose))],
            "{prose}"
        );
    }
    // A clause that recommends inline, with the user elsewhere.
    assert_eq!(
        found("You need the policy on your IAM user; an inline policy is the quickest way."),
        [user(LINE, 42, "inline policy")]
    );
    assert_eq!(
        found("Attach the policy to your IAM user. An inline policy is quickest."),
        [user(LINE, 40, "inline policy")]
    );
    assert_eq!(
        found(
            "| Where | Attachment |\n| --- | --- |\n| Your IAM user | inline policy (add it on the **Permissions** tab) |"
        ),
        [user(LINE + 2, 19, "inline policy")]
    );
    silent(&["A customer managed policy is quickest; an inline policy of your user is too small."]);
    // A hyphen is a spelling, not another word.
    assert_eq!(
        found("Add the policy to your IAM user as an in-line policy."),
        [user(LINE, 39, "in-line policy")]
    );
    silent(&[
        "In IAM Identity Center, the permission set holds the policy inline.",
        "Setting up the cluster takes a minute; your IAM user needs the policy for it.",
    ]);
}

#[test]
fn console_steps_that_choose_your_user_name_name_the_user() {
    assert_eq!(
        found(
            "1. Open the IAM console.\n2. Choose **Users** and your user name.\n3. Choose **Add permissions**, then **Create inline policy**.\n4. Paste the JSON."
        ),
        [user(LINE + 2, 46, "inline policy")]
    );
    silent(&[
        "Replace the user name in the command with yours; the policy goes into a customer managed policy.",
    ]);
}

#[test]
fn table_rows_name_the_user_a_cell_offers_the_policy_to() {
    assert_eq!(
        found(
            "| Identity | How |\n| --- | --- |\n| IAM user | Add the JSON as an inline policy |\n| IAM group | Add the JSON as an inline policy |"
        ),
        [
            format!(
                "{}:33: `deployer-policy` has 5,342 characters; a user's inline policies may have 2,048 together (inline policy)",
                LINE + 2
            ),
            format!(
                "{}:34: `deployer-policy` has 5,342 characters; a group's inline policies may have 5,120 together (inline policy)",
                LINE + 3
            ),
        ]
    );
    silent(&[
        "| Identity | How |\n| --- | --- |\n| IAM user | Attach the customer managed policy |\n| IAM role | Add the JSON as an inline policy |",
    ]);
}

#[test]
fn put_user_policy_commands_in_shell_blocks_that_name_the_policy_are_offers() {
    assert_eq!(
        found(
            "```sh\naws iam put-user-policy --user-name alice --policy-name ResponderAPIDeployer --policy-document file://policies/deployer-policy.json\n```"
        ),
        [user(LINE + 1, 9, "put-user-policy")]
    );
    assert_eq!(
        found(
            "```console\n$ aws iam put-group-policy \\\n    --group-name deployers \\\n    --policy-name ResponderAPIDeployer \\\n    --policy-document file://policies/deployer-policy.json\n```"
        ),
        [format!(
            "{}:11: `deployer-policy` has 5,342 characters; a group's inline policies may have 5,120 together (put-group-policy)",
            LINE + 1
        )]
    );
    // A role's inline policy fits, and a command for another policy is not this one's.
    silent(&[
        "```sh\naws iam put-role-policy --role-name r --policy-name p --policy-document file://policies/deployer-policy.json\n```",
        "```sh\naws iam put-user-policy --user-name me --policy-name p --policy-document file://policies/task-role-policy.json\n```",
        "```json\n{\"Action\": \"iam:PutUserPolicy\", \"Comment\": \"aws iam put-user-policy file://policies/deployer-policy.json\"}\n```",
    ]);
}

#[test]
fn a_policy_named_in_words_is_the_one_offered_in_a_chapter_that_does_not_show_it() {
    // A chapter that shows nothing: only the name says which policy it is.
    assert_eq!(
        found_in(
            "# Elsewhere\n\nAdd the deployer policy from [Your own permissions](deployer-permissions.md) to your IAM user as an inline policy.\n"
        ),
        [user(3, 101, "inline policy")]
    );
    assert_eq!(
        found_in("# Elsewhere\n\nAdd the policy to your IAM user as an inline policy.\n"),
        Vec::<String>::new()
    );
    assert_eq!(
        found_in("# Elsewhere\n\nAdd the task role policy to the task role as an inline policy.\n"),
        Vec::<String>::new()
    );
}

#[test]
fn an_offer_in_an_html_block_is_found_and_its_code_is_not_read() {
    assert_eq!(
        found("<p>Add the policy to your IAM user as an inline policy.</p>"),
        [user(LINE, 42, "inline policy")]
    );
    silent(&[
        "<pre>Add the policy to your IAM user as an inline policy.</pre>",
        "<!-- Add the policy to your IAM user as an inline policy. -->",
        "<p>Attach the policy to your IAM user as a customer managed policy.</p>",
    ]);
}

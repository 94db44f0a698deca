use super::*;

fn shorts(text: &str, kind: Kind) -> Vec<String> {
    lint_text("p.json", text, Some(kind), None)
        .iter()
        .map(Diagnostic::short)
        .collect()
}

#[test]
fn a_clean_policy_raises_nothing() {
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"aws-marketplace:RegisterUsage\", \"Resource\": \"*\"}\n}\n";
    assert_eq!(shorts(text, Kind::Identity), Vec::<String>::new());
}

#[test]
fn syntax_errors_stop_there_with_their_position() {
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n}\n";
    assert_eq!(
        shorts(text, Kind::Identity),
        ["p.json:4:1: error[policy::json-syntax]: invalid JSON: expected value"]
    );
}

#[test]
fn the_size_quota_points_at_the_first_character_over_it() {
    let filler = "a".repeat(2_100);
    let text = format!(
        "{{\"Version\":\"2012-10-17\",\"Id\":\"{filler}\",\"Statement\":{{\"Effect\":\"Allow\",\"Principal\":{{\"Service\":\"ecs-tasks.amazonaws.com\"}},\"Action\":\"sts:AssumeRole\",\"Condition\":{{\"StringEquals\":{{\"aws:SourceAccount\":\"111122223333\"}}}}}}}}"
    );
    assert_eq!(text.len(), 2305, "no whitespace: every byte counts");
    assert_eq!(
        shorts(&text, Kind::Trust),
        [
            "p.json:1:2049: error[policy::size]: the policy has 2305 characters (whitespace not counted), over the role trust policy quota of 2048; the excess starts here"
        ]
    );
}

#[test]
fn whitespace_does_not_count_toward_the_quota() {
    let spaces = " ".repeat(10_000);
    let text = format!(
        "{{{spaces}\"Version\":\"2012-10-17\",\"Statement\":{{\"Effect\":\"Allow\",\"Action\":\"aws-marketplace:RegisterUsage\",\"Resource\":\"*\"}}}}"
    );
    assert_eq!(shorts(&text, Kind::Identity), Vec::<String>::new());
}

fn codes(text: &str, kind: Kind, entry: Option<&Entry>) -> Vec<String> {
    lint_text("p.json", text, Some(kind), entry)
        .into_iter()
        .map(|d| d.code.to_string())
        .collect()
}

#[test]
fn wildcards_that_narrow_access_are_not_flagged() {
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"ecr:*","Resource":"*"}]}"#;
    assert_eq!(codes(deny, Kind::Identity, None), Vec::<String>::new());
    let not_action = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"iam:*","Resource":"*"}}"#;
    assert_eq!(
        codes(not_action, Kind::Identity, None),
        Vec::<String>::new()
    );
}

#[test]
fn the_manifest_explains_resource_star_by_sid_or_for_the_whole_policy() {
    let text = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Pull","Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"*"},{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":["*"]}]}"#;
    assert_eq!(
        codes(text, Kind::Identity, None),
        ["policy::resource-star", "policy::resource-star"]
    );
    let by_sid = Entry {
        kind: None,
        resource_star: [("Pull".to_string(), "why".to_string())].into(),
        ..Entry::default()
    };
    assert_eq!(
        codes(text, Kind::Identity, Some(&by_sid)),
        ["policy::resource-star"]
    );
    let whole = Entry {
        kind: None,
        resource_star: [("*".to_string(), "why".to_string())].into(),
        ..Entry::default()
    };
    assert_eq!(
        codes(text, Kind::Identity, Some(&whole)),
        Vec::<String>::new()
    );
}

#[test]
fn actions_of_every_service_are_checked() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetObject","kms:Decrypt"],"Resource":"arn:aws:s3:::bucket/*"}}"#;
    assert_eq!(codes(text, Kind::Identity, None), Vec::<String>::new());
    let typo = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetObjects","kms:Decrypt"],"Resource":"arn:aws:s3:::bucket/*"}}"#;
    assert_eq!(
        shorts(typo, Kind::Identity),
        [
            "p.json:1:65: error[policy::unknown-action]: `s3:GetObjects` is not an action of Amazon S3"
        ]
    );
}

#[test]
fn retired_services_are_a_warning_that_says_so() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["deepracer:*","zocalo:Describe*"],"Resource":"*"}}"#;
    assert_eq!(
        shorts(text, Kind::Identity),
        [
            "p.json:1:65: warning[policy::retired-service]: `deepracer` is the prefix of AWS DeepRacer, a retired service: its actions no longer exist",
            "p.json:1:79: warning[policy::retired-service]: `zocalo` is the prefix of Amazon WorkDocs (original prefix), a retired service: its actions no longer exist",
        ]
    );
}

#[test]
fn without_a_declared_kind_the_content_decides() {
    let trust = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}}"#;
    assert_eq!(
        lint_text("any-name.json", trust, None, None),
        Vec::<Diagnostic>::new()
    );
    let identity = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"organizations:DescribeOrganization","Resource":"*"}}"#;
    assert_eq!(
        lint_text("ServiceTrustPolicy.json", identity, None, None),
        Vec::<Diagnostic>::new()
    );
    // A declared kind wins over the content.
    assert_eq!(
        codes(identity, Kind::Trust, None),
        ["policy::schema", "policy::schema"]
    );
}

#[test]
fn an_arn_with_an_empty_resource_part_is_accepted() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"organizations:DescribeOrganization","Resource":"arn:aws:organizations::*:"}}"#;
    assert_eq!(codes(text, Kind::Identity, None), Vec::<String>::new());
    let no_resource_part = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"organizations:DescribeOrganization","Resource":"arn:aws:organizations::*"}}"#;
    assert_eq!(
        codes(no_resource_part, Kind::Identity, None),
        ["policy::schema"]
    );
}

#[test]
fn a_misspelt_condition_operator_gets_a_did_you_mean() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:*:*:repository/x","Condition":{"StringEqualz":{"aws:PrincipalAccount":"111122223333"}}}}"#;
    let found = lint_text("p.json", text, None, None);
    assert_eq!(
        found.iter().map(Diagnostic::short).collect::<Vec<_>>(),
        ["p.json:1:139: error[policy::schema]: `StringEqualz` is not allowed here"]
    );
    assert_eq!(
        found[0].hint.as_deref(),
        Some("did you mean `StringEquals`?")
    );
}

#[test]
fn a_trust_policy_open_to_everyone_is_flagged() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}}"#;
    assert_eq!(codes(text, Kind::Trust, None), ["policy::trust-principal"]);
    let conditioned = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":["ecs-tasks.amazonaws.com"]},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}}"#;
    assert_eq!(codes(conditioned, Kind::Trust, None), Vec::<String>::new());
}

#[test]
fn a_document_that_is_not_an_object_gets_schema_errors_only() {
    assert_eq!(codes("[1, 2]", Kind::Identity, None), ["policy::schema"]);
    assert_eq!(codes("\"x\"", Kind::Trust, None), ["policy::schema"]);
}

#[test]
fn syntax_error_columns_count_characters_not_bytes() {
    let text = "{\"Id\": \"\u{e9}\u{e9}\" x}";
    let found = shorts(text, Kind::Identity);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("p.json:1:13: error[policy::json-syntax]:"),
        "{found:?}"
    );
}

#[test]
fn a_wildcard_covers_actions_of_its_own_service_only_and_star_covers_all() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":["logs:Put*","ecr:PutImage","logs:PutLogEvents","*"],"Resource":"*"}}"#;
    assert_eq!(
        shorts(text, Kind::Identity),
        [
            "p.json:1:64: warning[policy::redundant-action]: `logs:Put*` is already covered by `*` in this `Action`",
            "p.json:1:76: warning[policy::redundant-action]: `ecr:PutImage` is already covered by `*` in this `Action`",
            "p.json:1:91: warning[policy::redundant-action]: `logs:PutLogEvents` is already covered by `logs:Put*` in this `Action`",
        ]
    );
}

#[test]
fn service_condition_keys_are_checked_against_the_catalog() {
    let known = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:*:*:repository/x","Condition":{"StringEquals":{"ecr:ResourceTag/team":"docs","aws:SourceAccount":"111122223333","KMS:EncryptionContext:aws:logs:arn":"x","s3:ExistingObjectTag/env":"prod"}}}}"#;
    assert_eq!(shorts(known, Kind::Identity), Vec::<String>::new());
    let typo = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecr:PutAccountSetting","Resource":"*","Condition":{"StringEquals":{"ecr:AccountSettings":"x","lakeformation:GlueARN":"y"}}}}"#;
    let found = lint_text("p.json", typo, None, None);
    assert_eq!(
        found.iter().map(Diagnostic::short).collect::<Vec<_>>(),
        [
            "p.json:1:132: warning[policy::unknown-condition-key]: `ecr:AccountSettings` is not a condition key of Amazon Elastic Container Registry",
            "p.json:1:158: warning[policy::unknown-condition-key]: `lakeformation:GlueARN` is not a condition key of AWS Lake Formation",
        ]
    );
    assert_eq!(
        found[0].hint.as_deref(),
        Some("did you mean `ecr:AccountSetting`?")
    );
}

/// An identity policy of exactly `n` characters, none of them whitespace.
fn identity_of(n: usize) -> String {
    let frame = |filler: &str| {
        format!(
            "{{\"Version\":\"2012-10-17\",\"Id\":\"{filler}\",\"Statement\":{{\"Effect\":\"Allow\",\"Action\":\"aws-marketplace:RegisterUsage\",\"Resource\":\"*\"}}}}"
        )
    };
    let text = frame(&"a".repeat(n - frame("").len()));
    assert_eq!(text.len(), n);
    text
}

fn entry(toml: &str) -> Entry {
    let manifest =
        crate::checks::policy::manifest::Manifest::parse(&format!("[policies.p]\n{toml}\n"))
            .expect("a valid manifest");
    manifest.entry("p").cloned().expect("an entry")
}

/// Short forms and hints of the size check on `text` with `entry`.
fn sized(text: &str, entry: &Entry, mates: &[RoleMate]) -> Vec<(String, String)> {
    lint_with_role_mates("p.json", text, Some(Kind::Identity), Some(entry), mates)
        .into_iter()
        .map(|d| (d.short(), d.hint.unwrap_or_default()))
        .collect()
}

#[test]
fn the_smallest_declared_attachment_sets_the_quota_and_the_hint_names_what_fits() {
    let text = identity_of(5_342);
    let both = entry(r#"attach = ["customer-managed", "user-inline"]"#);
    assert_eq!(
        sized(&text, &both, &[]),
        [(
            "p.json:1:2049: error[policy::size]: the policy has 5342 characters (whitespace not counted), over the quota of a user's inline policies, 2048 together (`user-inline` in policies.toml); the excess starts here".to_string(),
            "it fits `customer-managed` (6144), `role-inline` (10240) or `permission-set-inline` (10240): attach it one of those ways and say so with `attach` in policies.toml, or split it into several policies, or use wildcards and fewer statements".to_string()
        )]
    );
    let group = entry(r#"attach = ["group-inline", "permission-set-inline"]"#);
    assert_eq!(
        sized(&text, &group, &[])[0].0,
        "p.json:1:5121: error[policy::size]: the policy has 5342 characters (whitespace not counted), over the quota of a group's inline policies, 5120 together (`group-inline` in policies.toml); the excess starts here"
    );
    let fits = entry(r#"attach = ["customer-managed", "permission-set-inline", "role-inline"]"#);
    assert_eq!(sized(&text, &fits, &[]), []);
    // Without `attach`, an identity policy is a managed policy, as before.
    assert_eq!(
        sized(&identity_of(6_200), &Entry::default(), &[])[0].0,
        "p.json:1:6145: error[policy::size]: the policy has 6200 characters (whitespace not counted), over the managed policy quota of 6144; the excess starts here"
    );
}

#[test]
fn the_inline_policies_of_one_role_are_counted_together() {
    let text = identity_of(4_000);
    let inline = entry("attach = [\"role-inline\"]\nrole = \"R\"");
    let mates = [
        RoleMate {
            name: "a".into(),
            characters: 5_000,
        },
        RoleMate {
            name: "b".into(),
            characters: 2_000,
        },
    ];
    assert_eq!(
        sized(&text, &inline, &mates),
        [(
            "p.json:1:3241: error[policy::size]: the policy has 4000 characters (whitespace not counted) and the other inline policies of role `R` 7000 (`a`, `b`), over the quota of a role's inline policies, 10240 together (`role-inline` in policies.toml); the excess starts here".to_string(),
            "the inline policies of one role share 10240: make this one or another a customer managed policy (`customer-managed` in policies.toml), or split it into several policies, or use wildcards and fewer statements".to_string()
        )]
    );
    assert_eq!(sized(&text, &inline, &mates[1..]), []);
}

#[test]
fn a_permission_sets_inline_policy_counts_whitespace_in_bytes() {
    let compact = identity_of(200);
    let spaced = compact.replacen(',', &format!(",{}", " ".repeat(33_000)), 1);
    let set = entry(r#"attach = ["permission-set-inline"]"#);
    let found = sized(&spaced, &set, &[]);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].0.ends_with(
            "error[policy::size]: the policy has 33200 bytes (whitespace counted), over the permission set inline policy quota of 32768 bytes (`permission-set-inline` in policies.toml); the excess starts here"
        ),
        "{found:?}"
    );
    assert!(found[0].0.starts_with("p.json:1:32769:"), "{found:?}");
    assert_eq!(sized(&compact, &set, &[]), []);
}

#[test]
fn attachments_of_the_other_kind_are_left_to_the_kind_given() {
    // `policy lint --kind trust` on a file the manifest attaches as a managed policy.
    let filler = "a".repeat(2_100);
    let text = format!(
        "{{\"Version\":\"2012-10-17\",\"Id\":\"{filler}\",\"Statement\":{{\"Effect\":\"Allow\",\"Principal\":{{\"Service\":\"ecs-tasks.amazonaws.com\"}},\"Action\":\"sts:AssumeRole\",\"Condition\":{{\"StringEquals\":{{\"aws:SourceAccount\":\"111122223333\"}}}}}}}}"
    );
    let managed = entry(r#"attach = ["customer-managed"]"#);
    let found: Vec<String> = lint_text("p.json", &text, Some(Kind::Trust), Some(&managed))
        .iter()
        .map(Diagnostic::short)
        .collect();
    assert_eq!(
        found,
        [
            "p.json:1:2049: error[policy::size]: the policy has 2305 characters (whitespace not counted), over the role trust policy quota of 2048; the excess starts here"
        ]
    );
}

#[test]
fn an_action_with_one_right_spelling_carries_its_fix_and_a_tie_carries_none() {
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \
                \"Action\": [\"ecr:GetAuthorisationToken\", \"ecr:Zzzzzz\"], \"Resource\": \"*\"}]}";
    let found = lint_text("p.json", text, Some(Kind::Identity), None);
    let unknown: Vec<_> = found
        .iter()
        .filter(|d| d.code == crate::checks::policy::unknown_action::POLICY_UNKNOWN_ACTION)
        .collect();
    assert_eq!(unknown.len(), 2, "{found:#?}");
    let fixed = &unknown[0].fixes;
    assert_eq!(fixed.len(), 1);
    assert_eq!(fixed[0].original, "ecr:GetAuthorisationToken");
    assert_eq!(fixed[0].replacement, "ecr:GetAuthorizationToken");
    assert_eq!(&text[fixed[0].range.clone()], "ecr:GetAuthorisationToken");
    assert!(unknown[1].fixes.is_empty());
}

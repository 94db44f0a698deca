use super::*;

fn shorts(text: &str, kind: Kind) -> Vec<String> {
    lint_text("p.json", text, kind, None)
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
    lint_text("p.json", text, kind, entry)
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
    };
    assert_eq!(
        codes(text, Kind::Identity, Some(&by_sid)),
        ["policy::resource-star"]
    );
    let whole = Entry {
        kind: None,
        resource_star: [("*".to_string(), "why".to_string())].into(),
    };
    assert_eq!(
        codes(text, Kind::Identity, Some(&whole)),
        Vec::<String>::new()
    );
}

#[test]
fn actions_of_services_outside_the_catalog_are_accepted_by_prefix() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetObject","kms:Decrypt"],"Resource":"arn:aws:s3:::bucket/*"}}"#;
    assert_eq!(codes(text, Kind::Identity, None), Vec::<String>::new());
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

use super::*;

fn violations(text: &str, kind: Kind) -> Vec<(String, String)> {
    let document: Value = serde_json::from_str(text).unwrap();
    let index = Index::new(text);
    validate(&document, kind, &index)
        .into_iter()
        .map(|v| (text[v.range].to_string(), v.message))
        .collect()
}

#[test]
fn the_schema_is_draft_2020_12_and_compiles_for_both_kinds() {
    let schema: Value = serde_json::from_str(SCHEMA_JSON).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::meta::validate(&schema).unwrap();
    let _ = compiled();
}

#[test]
fn the_shipped_shapes_are_valid() {
    let identity = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"}}"#;
    assert_eq!(violations(identity, Kind::Identity), []);
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:*:111122223333:*"},"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}"#;
    assert_eq!(violations(trust, Kind::Trust), []);
}

#[test]
fn errors_point_at_the_value_or_key_with_the_schemas_words() {
    let text = r#"{"Version":"2012-10-17","Statement":[{"Sid":"a-b","Effect":"Alow","Action":"ecr:X","Resource":"*","Extra":1}]}"#;
    let found = violations(text, Kind::Identity);
    assert!(
        found.contains(&(
            "\"a-b\"".into(),
            "`Sid` may hold only ASCII letters and digits; found \"a-b\"".into()
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "\"Alow\"".into(),
            "`Effect` must be \"Allow\" or \"Deny\"; found \"Alow\"".into()
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&("\"Extra\"".into(), "`Extra` is not allowed here".into())),
        "{found:?}"
    );
    assert_eq!(found.len(), 3, "{found:?}");
}

#[test]
fn action_and_notaction_are_exclusive() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"a:B","NotAction":"a:C","Resource":"*"}}"#;
    let found = violations(text, Kind::Identity);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].1,
        "a statement needs exactly one of `Action` or `NotAction`"
    );
}

#[test]
fn principals_depend_on_the_kind() {
    let with_principal = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"a:B","Resource":"*"}}"#;
    let found = violations(with_principal, Kind::Identity);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "\"Principal\"");
    let found = violations(with_principal, Kind::Trust);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "\"Resource\"");
    let no_principal =
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}"#;
    let found = violations(no_principal, Kind::Trust);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].1,
        "a statement of a trust policy needs exactly one of `Principal` or `NotPrincipal`"
    );
}

#[test]
fn condition_operators_take_ifexists_and_set_qualifiers() {
    let ok = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"a:B","Resource":"*","Condition":{"StringEqualsIfExists":{"a:b":"c"},"ForAnyValue:StringLike":{"a:c":["d"]},"Null":{"a:d":"true"},"Bool":{"aws:SecureTransport":true}}}}"#;
    assert_eq!(violations(ok, Kind::Identity), []);
    let bad = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"a:B","Resource":"*","Condition":{"StringEqual":{"a:b":"c"},"NullIfExists":{"a:d":"true"}}}}"#;
    let found = violations(bad, Kind::Identity);
    let keys: Vec<&str> = found.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["\"StringEqual\"", "\"NullIfExists\""]);
}

#[test]
fn arns_have_a_shape() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"a:B","Resource":["arn:aws:s3:::bucket/*","arn:aws:logs:*:1111:log-group:x","arn:aws:iam::aws:policy/x"]}}"#;
    let found = violations(text, Kind::Identity);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "\"arn:aws:logs:*:1111:log-group:x\"");
}

#[test]
fn required_keys_point_at_the_object() {
    let text = r#"{"Statement":[]}"#;
    let found = violations(text, Kind::Identity);
    let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert!(
        messages.contains(&"the policy has no `Version`"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(at, m)| at == "[]" && m.starts_with("`Statement` must be")),
        "{found:?}"
    );
}

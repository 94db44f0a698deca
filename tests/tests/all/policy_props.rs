//! Property tests: the policy linter, its position index and the directive
//! never panic, whatever the input, and every diagnostic points inside it.

use proptest::prelude::*;
use responder_docs::checks::policy::Kind;
use responder_docs::checks::policy::directive::{self, Found};
use responder_docs::checks::policy::lint::lint_text;
use responder_docs::model::json::Index;

const VALID: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "EcsTasksAssumeRole",
      "Effect": "Allow",
      "Principal": {"Service": "ecs-tasks.amazonaws.com"},
      "Action": ["sts:AssumeRole", "logs:Put*"],
      "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:ecs:*:111122223333:*"}}
    }
  ]
}"#;

/// Arbitrary JSON values whose keys and strings lean towards policy words,
/// so the rules past the schema get exercised, not only the parser.
fn policy_like() -> impl Strategy<Value = serde_json::Value> {
    let word = prop_oneof![
        Just("Version".to_string()),
        Just("Statement".to_string()),
        Just("Sid".to_string()),
        Just("Effect".to_string()),
        Just("Allow".to_string()),
        Just("Action".to_string()),
        Just("NotAction".to_string()),
        Just("Resource".to_string()),
        Just("Principal".to_string()),
        Just("NotPrincipal".to_string()),
        Just("Service".to_string()),
        Just("Condition".to_string()),
        Just("StringEquals".to_string()),
        Just("*".to_string()),
        Just("ecr:*".to_string()),
        Just("ecr:Get*".to_string()),
        Just("logs:PutLogEvents".to_string()),
        Just("2012-10-17".to_string()),
        "\\PC{0,12}",
    ];
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        word.clone().prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            prop::collection::vec((word.clone(), inner), 0..6)
                .prop_map(|pairs| serde_json::Value::Object(pairs.into_iter().collect())),
        ]
    })
}

fn assert_inside(text: &str, kind: Kind) {
    let lines = text.split('\n').count();
    for d in lint_text("p.json", text, Some(kind), None) {
        assert!(
            d.location.line >= 1 && d.location.line <= lines,
            "{d:?} in {text:?}"
        );
        assert!(d.location.column >= 1, "{d:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_lints_without_panicking(text in "\\PC{0,300}") {
        assert_inside(&text, Kind::Identity);
        assert_inside(&text, Kind::Trust);
        let _ = Index::new(&text);
    }

    #[test]
    fn any_json_document_lints_without_panicking(value in policy_like(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            value.to_string()
        };
        assert_inside(&text, Kind::Identity);
        assert_inside(&text, Kind::Trust);
    }

    #[test]
    fn a_valid_policy_cut_or_spliced_anywhere_never_panics(at in 0usize..400, len in 0usize..40, insert in "\\PC{0,8}") {
        let mut text = VALID.to_string();
        let start = at.min(text.len());
        let end = (start + len).min(text.len());
        if text.is_char_boundary(start) && text.is_char_boundary(end) {
            text.replace_range(start..end, &insert);
        }
        assert_inside(&text, Kind::Trust);
    }

    #[test]
    fn the_directive_never_panics(text in "(\\PC|\\{\\{#iam-policy [a-z./-]{0,12}\\}\\}|\n){0,60}", chapter in "[a-z]{1,4}(/[a-z]{1,4}){0,2}\\.md") {
        let known = vec!["task-role-policy".to_string()];
        let find = |name: &str| if name == "task-role-policy" { Found::Policy("{}\n".into()) } else { Found::Missing };
        let (out, problems) = directive::expand(&text, &chapter, &known, &find);
        for p in &problems {
            prop_assert!(p.range.end <= text.len());
        }
        if problems.is_empty() && !text.contains("{{#iam-policy") {
            prop_assert_eq!(out, text);
        }
    }
}

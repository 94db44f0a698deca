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

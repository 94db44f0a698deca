//! The names the policy grammar allows at each level (policy, statement,
//! condition operator), for a did-you-mean when the schema refuses a key.

use crate::diagnostics::suggest::closest;

const POLICY_KEYS: [&str; 3] = ["Version", "Id", "Statement"];

const STATEMENT_KEYS: [&str; 9] = [
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
];

/// The condition operators, without `IfExists` and the set qualifiers.
const OPERATORS: [&str; 27] = [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

const QUALIFIERS: [&str; 2] = ["ForAllValues", "ForAnyValue"];

/// The likely intended name for `key`, refused in the object at `parent`
/// (a JSON pointer: `""`, `/Statement/0`, `/Statement/0/Condition`).
pub(crate) fn suggestion(parent: &str, key: &str) -> Option<String> {
    let last = parent.rsplit('/').next().unwrap_or_default();
    if parent.is_empty() {
        closest(key, POLICY_KEYS).map(str::to_string)
    } else if last == "Condition" {
        operator(key)
    } else if last == "Statement" || parent.starts_with("/Statement/") && is_index(last) {
        closest(key, STATEMENT_KEYS).map(str::to_string)
    } else {
        None
    }
}

fn is_index(segment: &str) -> bool {
    !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit())
}

/// A condition operator spelt wrong: the qualifier, the operator and the
/// `IfExists` suffix are corrected each on its own.
fn operator(key: &str) -> Option<String> {
    let (qualifier, rest) = match key.split_once(':') {
        Some((q, rest)) => (Some(q), rest),
        None => (None, key),
    };
    let qualifier = match qualifier {
        Some(q) => Some(closest(q, QUALIFIERS)?),
        None => None,
    };
    let lower = rest.to_ascii_lowercase();
    let (base, if_exists) = match lower.find("ifexist") {
        Some(i) if i > 0 => (&rest[..i], true),
        _ => (rest, false),
    };
    let base = closest(base, OPERATORS)?;
    let suggestion = format!(
        "{}{base}{}",
        qualifier.map_or(String::new(), |q| format!("{q}:")),
        if if_exists && base != "Null" {
            "IfExists"
        } else {
            ""
        }
    );
    (suggestion != key).then_some(suggestion)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn condition_operator_typos_are_corrected_part_by_part() {
        let at = "/Statement/0/Condition";
        for (typo, meant) in [
            ("StringEqualz", "StringEquals"),
            ("stringequals", "StringEquals"),
            ("StringEqual", "StringEquals"),
            ("ArnLikeIfExist", "ArnLikeIfExists"),
            ("ForAnyValues:StringLike", "ForAnyValue:StringLike"),
            ("ForAllValues:StringEquls", "ForAllValues:StringEquals"),
            ("NumericGreaterThenEquals", "NumericGreaterThanEquals"),
            ("Boolean", "Bool"),
        ] {
            assert_eq!(suggestion(at, typo).as_deref(), Some(meant), "{typo}");
        }
        assert_eq!(suggestion("/Statement/Condition", "Zzzzzz"), None);
        assert_eq!(suggestion(at, "Xyz:StringEquals"), None);
    }

    #[test]
    fn statement_and_policy_keys_are_corrected_where_they_stand() {
        assert_eq!(
            suggestion("/Statement/3", "Resources").as_deref(),
            Some("Resource")
        );
        assert_eq!(
            suggestion("/Statement", "Condtion").as_deref(),
            Some("Condition")
        );
        assert_eq!(suggestion("", "Statements").as_deref(), Some("Statement"));
        assert_eq!(suggestion("", "Comment"), None);
        assert_eq!(
            suggestion("/Statement/0/Principal", "Services"),
            None,
            "principal keys keep the schema's own hint"
        );
    }
}

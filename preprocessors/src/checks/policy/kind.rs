//! Which grammar a policy follows when nobody declared it: a document with a
//! statement that names a principal and lets it assume a role is a role's
//! trust policy; anything else is an identity policy. The file name is never
//! evidence (`AWSOrganizationsServiceTrustPolicy` is an identity policy).

use super::catalog::wildcard_match;
use serde_json::Value;

/// The kind of a policy document: declared (`--kind`, the manifest), else
/// read from its content (`kind::from_content`), never from its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A permission policy attached to a user, group or role.
    Identity,
    /// A role's trust (assume-role) policy.
    Trust,
}

/// The kind a policy's content shows: `--kind` and the manifest come first.
pub(crate) fn from_content(document: &Value) -> Kind {
    let statements: Vec<&Value> = match document.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    let trusts = statements.iter().any(|s| {
        let names_principal = s.get("Principal").is_some() || s.get("NotPrincipal").is_some();
        names_principal && actions(s.get("Action")).any(assumes_role)
    });
    if trusts { Kind::Trust } else { Kind::Identity }
}

fn actions(value: Option<&Value>) -> Box<dyn Iterator<Item = &str> + '_> {
    match value {
        Some(Value::String(s)) => Box::new(std::iter::once(s.as_str())),
        Some(Value::Array(items)) => Box::new(items.iter().filter_map(Value::as_str)),
        _ => Box::new(std::iter::empty()),
    }
}

/// `sts:AssumeRole`, `sts:AssumeRoleWithSAML`, `sts:AssumeRoleWithWebIdentity`,
/// or a wildcard that covers them.
fn assumes_role(action: &str) -> bool {
    let lower = action.to_ascii_lowercase();
    lower.starts_with("sts:assumerole") || wildcard_match(&lower, "sts:assumerole")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(json: &str) -> Kind {
        from_content(&serde_json::from_str(json).unwrap())
    }

    #[test]
    fn a_principal_allowed_to_assume_the_role_makes_a_trust_policy() {
        assert_eq!(
            kind(
                r#"{"Statement":{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}}"#
            ),
            Kind::Trust
        );
        assert_eq!(
            kind(
                r#"{"Statement":[{"Effect":"Allow","Principal":{"Federated":"x"},"Action":["sts:TagSession","STS:AssumeRoleWithWebIdentity"]}]}"#
            ),
            Kind::Trust
        );
        assert_eq!(
            kind(
                r#"{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"x"},"Action":"sts:*"}]}"#
            ),
            Kind::Trust
        );
    }

    #[test]
    fn everything_else_is_an_identity_policy() {
        // An identity policy that lets its holder assume other roles.
        assert_eq!(
            kind(
                r#"{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::*:role/x"}}"#
            ),
            Kind::Identity
        );
        // A principal without assume-role: a resource policy, not a trust policy.
        assert_eq!(
            kind(r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}}"#),
            Kind::Identity
        );
        assert_eq!(kind("[]"), Kind::Identity);
        assert_eq!(kind(r#"{"Statement":"x"}"#), Kind::Identity);
    }
}

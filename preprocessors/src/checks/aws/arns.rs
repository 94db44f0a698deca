//! The resource ARNs IAM evaluates an API call against, built from the IAM
//! catalog's ARN formats (`arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}`)
//! with the names a request carries: a command's options, a template
//! resource's properties (`arn-names.toml` says which). What AWS assigns
//! (IDs) takes a sample value; the account and Region are the request's
//! when it names them (`--registry-id`, a full ARN, `--region`), else the
//! guide's example ones, which its policies name.

use super::evaluator::{SAMPLE_ACCOUNT, SAMPLE_REGION};
use super::models;
use crate::checks::policy::catalog::Catalog;
use std::collections::{BTreeMap, BTreeSet};

/// What one request names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Request {
    /// The resource the request is about, for a template resource's
    /// handler: (IAM service prefix, resource type).
    pub own: Option<(String, String)>,
    /// Every resource type the request names.
    pub types: BTreeSet<(String, String)>,
    /// ARN variable → its values.
    pub vars: BTreeMap<String, Vec<String>>,
    /// Variables named with a value that could not be found (an unset shell variable).
    pub unknown: BTreeSet<String>,
    /// Part of the request could not be read (the `--cli-input-json`
    /// file, named here): it may name what the action acts on.
    pub opaque: Option<String>,
    /// An ID whose resource type is not known (`aws ec2 create-tags
    /// --resources x-…`): the call is not judged, and says so.
    pub unknown_id: Option<String>,
}

impl Request {
    pub(crate) fn name(&mut self, service: &str, kind: &str) {
        self.types.insert((service.to_string(), kind.to_string()));
    }

    pub(crate) fn set(&mut self, var: &str, value: String) {
        let values = self.vars.entry(var.to_string()).or_default();
        if !values.contains(&value) {
            values.push(value);
        }
    }

    /// Adds what a value of `var` in `kind`'s ARN format says: an ARN gives
    /// every variable it holds, `name:revision` the parts the format has.
    pub(crate) fn set_value(&mut self, service: &str, kind: &str, var: &str, value: &str) {
        match format_of(service, kind).and_then(|f| split(&f, var, value)) {
            Some(parts) => {
                for (v, x) in parts {
                    self.set(&v, x);
                }
            }
            None => self.set(var, value.to_string()),
        }
    }
}

impl Request {
    /// Adds what a literal ARN names (`--resource-arn arn:aws:ecs:…:cluster/NAME`):
    /// the resource type of its service whose format it matches, and that
    /// format's variables. Whether it matched.
    pub(crate) fn set_arn(&mut self, arn: &str) -> bool {
        let Some(service) = arn.split(':').nth(2) else {
            return false;
        };
        let Some(found) = Catalog::builtin().service(service) else {
            return false;
        };
        for r in &found.resource_types {
            if let Some(parts) = split(r.arn, "", arn) {
                self.name(service, r.name);
                for (v, x) in parts {
                    self.set(&v, x);
                }
                return true;
            }
        }
        false
    }
}

/// The ARNs an action is evaluated against for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arns {
    Resources(Vec<String>),
    /// The request names a resource whose name cannot be known: not judged.
    Unknown(String),
    /// The request names a resource whose type cannot be known: not judged,
    /// with a warning (the ID).
    Unjudged(String),
    /// The request's input file cannot be read: not judged, with a warning
    /// (the file).
    Unread(String),
}

/// The ARN format of a resource type of an IAM service.
pub(crate) fn format_of(service: &str, kind: &str) -> Option<String> {
    Catalog::builtin()
        .service(service)?
        .resource_types
        .iter()
        .find(|r| r.name == kind)
        .map(|r| r.arn.to_string())
}

/// The `${Variable}`s of a format, in order.
fn variables(format: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = format;
    while let Some(i) = rest.find("${") {
        let inner = &rest[i + 2..];
        let end = inner.find('}').unwrap_or(inner.len());
        out.push(&inner[..end]);
        rest = &inner[end..];
    }
    out
}

const FIXED: &[&str] = &["Partition", "Region", "Account"];

/// The variables a value of `var` holds: matched against the whole format
/// for an ARN, else against the format from `${var}` on (`family:3`). A
/// variable before the last stops at `/` or `:`; the last takes the rest.
fn split(format: &str, var: &str, value: &str) -> Option<Vec<(String, String)>> {
    let mut pattern = if value.starts_with("arn:") {
        format
    } else {
        &format[format.find(&format!("${{{var}}}"))?..]
    };
    let mut rest = value;
    let mut out = Vec::new();
    while let Some(i) = pattern.find("${") {
        rest = rest.strip_prefix(&pattern[..i])?;
        let inner = &pattern[i + 2..];
        let end = inner.find('}')?;
        let name = &inner[..end];
        pattern = &inner[end + 1..];
        let taken = if pattern.contains("${") {
            rest.find(['/', ':']).unwrap_or(rest.len())
        } else {
            rest.strip_suffix(pattern)?.len()
        };
        if taken == 0 {
            return None;
        }
        // A full ARN's account and Region are the resource's own (another
        // account's registry); the partition is always `aws`. An AWS managed
        // policy's account `aws` is no account of the request's other
        // resources (the role it is attached to is the reader's).
        let aws_owned = name == "Account" && &rest[..taken] == "aws";
        if name != "Partition" && !aws_owned {
            out.push((name.to_string(), rest[..taken].to_string()));
        }
        rest = &rest[taken..];
    }
    (rest == pattern).then_some(out)
}

/// The resource ARNs `action` (`ecs:CreateService`) is evaluated against for
/// `request`: the request's own resource when the action takes its type, the
/// types it names otherwise, and each required type whose ARN it can fill; an
/// action that takes no resource, or none the request names, on `*`.
pub(crate) fn arns(action: &str, request: &Request) -> Option<Arns> {
    let (prefix, name) = action.split_once(':')?;
    let service = Catalog::builtin().service(prefix)?;
    let found = service.action(name)?;
    if found.resource_types.is_empty() {
        return Some(Arns::Resources(vec!["*".into()]));
    }
    let names = models::arn_names();
    // A name the command leaves out means its default (`describe-clusters`
    // with no `--clusters` describes the cluster `default`), not `*`.
    let fillable = |format: &str| {
        variables(format).iter().all(|v| {
            FIXED.contains(v)
                || names.ids.contains_key(*v)
                // (A file the check cannot read may name it.)
                || (names.defaults.contains_key(*v) && request.opaque.is_none())
                || request.vars.contains_key(*v)
        })
    };
    let named = |kind: &str| {
        request
            .types
            .contains(&(prefix.to_string(), kind.to_string()))
    };
    let own = request
        .own
        .as_ref()
        .filter(|(s, k)| s == prefix && found.resource_types.iter().any(|(t, _)| t == k));
    let format = |kind: &str| {
        service
            .resource_types
            .iter()
            .find(|r| r.name == kind)
            .map(|r| r.arn)
    };
    // The request's own type, else the types it names; then each required
    // type it can fill, unless it is an alternative of one already chosen
    // (`listener/app`, `listener/net`: the same variables, one applies).
    let mut chosen: Vec<&str> = found
        .resource_types
        .iter()
        .filter(|(kind, _)| match own {
            Some((_, k)) => k == kind,
            None => named(kind),
        })
        .filter_map(|(kind, _)| format(kind))
        .collect();
    for (kind, required) in &found.resource_types {
        let Some(arn) = format(kind) else {
            continue;
        };
        let alternative = chosen.iter().any(|c| variables(c) == variables(arn));
        if *required && fillable(arn) && !alternative {
            chosen.push(arn);
        }
    }
    if let Some(id) = &request.unknown_id {
        return Some(Arns::Unjudged(id.clone()));
    }
    if chosen.is_empty() {
        match &request.opaque {
            Some(file) if file.is_empty() => return Some(Arns::Unknown("its input".into())),
            Some(file) => return Some(Arns::Unread(file.clone())),
            None => {}
        }
        return Some(Arns::Resources(vec!["*".into()]));
    }
    let mut out = Vec::new();
    for format in chosen {
        match fill(format, request) {
            Ok(arns) => out.extend(arns),
            Err(var) => return Some(Arns::Unknown(var)),
        }
    }
    Some(Arns::Resources(out))
}

/// Every ARN of `format` the request's values make; the variable that has
/// no value, if one has none.
fn fill(format: &str, request: &Request) -> Result<Vec<String>, String> {
    let names = models::arn_names();
    let fixed = |var: &str, sample: &str| {
        request
            .vars
            .get(var)
            .and_then(|v| v.first())
            .map_or(sample.to_string(), String::clone)
    };
    let mut arns = vec![
        format
            .replace("${Partition}", "aws")
            .replace("${Region}", &fixed("Region", SAMPLE_REGION))
            .replace("${Account}", &fixed("Account", SAMPLE_ACCOUNT)),
    ];
    for var in variables(format).into_iter().filter(|v| !FIXED.contains(v)) {
        let placeholder = format!("${{{var}}}");
        let values: Vec<String> = match request.vars.get(var) {
            Some(values) if !values.is_empty() => values.clone(),
            _ if request.unknown.contains(var) => return Err(var.to_string()),
            _ => match names.ids.get(var).or_else(|| names.defaults.get(var)) {
                Some(value) => vec![value.clone()],
                None => return Err(var.to_string()),
            },
        };
        arns = arns
            .iter()
            .flat_map(|arn| values.iter().map(|v| arn.replace(&placeholder, v)))
            .collect();
    }
    Ok(arns)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(types: &[(&str, &str)], vars: &[(&str, &str)]) -> Request {
        let mut r = Request::default();
        for (s, k) in types {
            r.name(s, k);
        }
        for (v, x) in vars {
            r.set(v, x.to_string());
        }
        r
    }

    #[test]
    fn named_resources_give_their_arns_and_ids_take_samples() {
        let r = request(
            &[("ecs", "cluster"), ("ecs", "service")],
            &[("ClusterName", "c"), ("ServiceName", "s")],
        );
        assert_eq!(
            arns("ecs:UpdateService", &r),
            Some(Arns::Resources(vec![
                "arn:aws:ecs:us-east-1:111122223333:service/c/s".into()
            ]))
        );
        // A required type the request can fill is evaluated too.
        assert_eq!(
            arns("ecs:DescribeServiceDeployments", &r),
            Some(Arns::Resources(vec![
                "arn:aws:ecs:us-east-1:111122223333:service/c/s".into(),
                "arn:aws:ecs:us-east-1:111122223333:service-deployment/c/s/0123456789abcdefghij0"
                    .into(),
            ]))
        );
        // A cluster left out is the one named `default`.
        assert_eq!(
            arns("ecs:DescribeClusters", &Request::default()),
            Some(Arns::Resources(vec![
                "arn:aws:ecs:us-east-1:111122223333:cluster/default".into()
            ]))
        );
        // ListTasks names no container instance: `*`.
        assert_eq!(
            arns("ecs:ListTasks", &r),
            Some(Arns::Resources(vec!["*".into()]))
        );
        assert_eq!(
            arns("ec2:DescribeInstances", &r),
            Some(Arns::Resources(vec!["*".into()]))
        );
        assert_eq!(arns("ecs:NoSuchAction", &r), None);
    }

    #[test]
    fn values_that_are_arns_or_name_and_revision_are_split_by_the_format() {
        let mut r = Request::default();
        r.set_value(
            "ecs",
            "task-definition",
            "TaskDefinitionFamilyName",
            "fam:3",
        );
        r.set_value(
            "elasticloadbalancing",
            "loadbalancer/app/",
            "LoadBalancerName",
            "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/alb/50dc6c495c0c9188",
        );
        r.set_value("logs", "log-group", "LogGroupName", "/ecs/task");
        assert_eq!(r.vars["TaskDefinitionFamilyName"], ["fam"]);
        assert_eq!(r.vars["TaskDefinitionRevisionNumber"], ["3"]);
        assert_eq!(r.vars["LoadBalancerName"], ["alb"]);
        assert_eq!(r.vars["LoadBalancerId"], ["50dc6c495c0c9188"]);
        assert_eq!(r.vars["LogGroupName"], ["/ecs/task"]);
        // A full ARN's account and Region are its own.
        assert_eq!(r.vars["Account"], ["1"]);
        // `--registry-id` gives the account alone.
        let mut ecr = request(&[("ecr", "repository")], &[("RepositoryName", "x")]);
        ecr.set_value("ecr", "repository", "Account", "709825985650");
        assert_eq!(
            arns("ecr:DescribeImages", &ecr),
            Some(Arns::Resources(vec![
                "arn:aws:ecr:us-east-1:709825985650:repository/x".into()
            ]))
        );
        // A value the format does not fit is the name itself; nothing panics
        // on text that is not ASCII.
        for odd in ["é", "arn:é", "arn:aws:ecs:é:1:cluster/", ":", "fam:", "é:ü"] {
            let mut r = Request::default();
            r.set_value("ecs", "task-definition", "TaskDefinitionFamilyName", odd);
            r.set_value("ecs", "cluster", "ClusterName", odd);
            assert!(r.vars.values().flatten().all(|v| !v.is_empty()), "{odd}");
        }
    }

    #[test]
    fn the_own_resource_wins_over_others_and_an_unknown_name_is_not_judged() {
        let mut r = request(
            &[("ecs", "cluster"), ("ecs", "service")],
            &[("ClusterName", "c"), ("ServiceName", "s")],
        );
        r.own = Some(("ecs".into(), "cluster".into()));
        assert_eq!(
            arns("ecs:TagResource", &r),
            Some(Arns::Resources(vec![
                "arn:aws:ecs:us-east-1:111122223333:cluster/c".into()
            ]))
        );
        // An input file that could not be read may name the task definition.
        let opaque = Request {
            opaque: Some("x.json".into()),
            ..Request::default()
        };
        assert_eq!(
            arns("ecs:RegisterTaskDefinition", &opaque),
            Some(Arns::Unread("x.json".into()))
        );
        let mut unknown = request(&[("iam", "role")], &[]);
        unknown.unknown.insert("RoleNameWithPath".into());
        assert_eq!(
            arns("iam:GetRole", &unknown),
            Some(Arns::Unknown("RoleNameWithPath".into()))
        );
    }
}

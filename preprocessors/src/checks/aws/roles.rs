//! The I/O shell of the permission check: finds each role the task
//! definitions name and the policies that role gets (from the template's
//! `AWS::IAM::Role` resources, and from the book's `aws iam create-role` /
//! `put-role-policy` commands for the files in `policies/`), and reports
//! what [`evaluator`] finds at the task-definition field and policy line.

use super::cli::aws_words;
use super::evaluator::{self, Need, Policy, Role, SAMPLE_ACCOUNT, SAMPLE_REGION, Spelling};
use super::files::Files;
use super::shapes::escape;
use super::shell::Command;
use crate::checks::policy::manifest::Manifest;
use crate::checks::rule::Model;
use crate::diagnostics::location::Location;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::model::book_root::BookRoot;
use crate::model::json::Index;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

crate::checks::rule::rule! {
    check: check_book;
    AWS_MISSING_PERMISSION = "aws::missing-permission", error: "a role that does not allow what the task definition needs";
    AWS_MISSING_ROLE = "aws::missing-role", error: "a task definition that needs a role and names none";
    AWS_TRUST = "aws::trust", error: "a role that ECS tasks cannot assume";
    AWS_UNNEEDED_PERMISSION = "aws::unneeded-permission", warning: "a role that allows an action the task definition does not need";
}

/// The codes of the roles check's own findings.
pub(crate) const CODES: &[Code] = &[
    AWS_MISSING_PERMISSION,
    AWS_MISSING_ROLE,
    AWS_TRUST,
    AWS_UNNEEDED_PERMISSION,
];

/// What the roles check finds in the templates.
fn check_book(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let found = model.shared::<super::Roles>();
    out.extend(
        found
            .problems
            .iter()
            .filter(|d| CODES.contains(&d.code))
            .cloned(),
    );
    Ok(())
}

/// A policy document and where it is written.
struct Document {
    policy: Policy,
    /// The document as written (before the template's references are
    /// filled in), to evaluate it in another Region.
    value: Value,
    path: String,
    text: String,
    /// Pointer of the document in its file (`""` for a policy file).
    pointer: String,
    /// The manifest entry's stem, for a file in `policies/`.
    stem: Option<String>,
    /// A vendored AWS managed policy (at the ARN that attaches it): what
    /// else it allows is not the writer's to trim.
    managed: bool,
}

/// A role: its trust policy and permission policies.
#[derive(Default)]
struct RoleDocs {
    trust: Vec<Document>,
    permissions: Vec<Document>,
    /// A document the role is given could not be read or parsed: its own
    /// checker reports that, and judging the rest would only add a second
    /// report of the same cause.
    unreadable: bool,
    /// Managed policies attached whose content is not vendored: what the
    /// role allows is not known (the ARN, where it is written).
    unknown_managed: Vec<(String, Location)>,
}

/// The Regions the release is offered in other than the example one: a
/// reader may run the task in any of them.
fn other_regions(book_root: &BookRoot) -> Vec<String> {
    crate::model::release::Release::load(book_root)
        .map(|r| {
            r.regions()
                .iter()
                .map(|r| r.code.clone())
                .filter(|c| c != SAMPLE_REGION)
                .collect()
        })
        .unwrap_or_default()
}

/// The image the guide's task definitions stand for (`${ImageUri}`).
fn release_image(book_root: &BookRoot) -> String {
    crate::model::release::Release::load(book_root)
        .ok()
        .and_then(|r| r.architectures().first().and_then(|a| r.uri(&a.docker)))
        .unwrap_or_default()
}

/// Check 4 on one template (CloudFormation) file.
pub(crate) fn check_template(
    book_root: &BookRoot,
    rel: &str,
    text: &str,
    template: &Value,
    diagnostics: &mut Diagnostics,
) {
    let Some(resources) = template.get("Resources").and_then(Value::as_object) else {
        return;
    };
    let index = Index::new(text);
    let image = release_image(book_root);
    let manifest = manifest(book_root);
    let regions = other_regions(book_root);
    for (id, resource) in resources {
        if resource.get("Type").and_then(Value::as_str) != Some("AWS::ECS::TaskDefinition") {
            continue;
        }
        let Some(properties) = resource.get("Properties") else {
            continue;
        };
        let base = format!("/Resources/{}/Properties", escape(id));
        let role_of = |key: &str| {
            let target = properties.get(key)?;
            let name = match target.get("Fn::GetAtt") {
                Some(Value::Array(items)) => items.first()?.as_str()?,
                Some(Value::String(s)) => s.split('.').next()?,
                _ => target.get("Ref")?.as_str()?,
            };
            Some(name.to_string())
        };
        let at_field = |field: &str| {
            Location::in_text(rel, text, index.value_range(&format!("{base}{field}")))
        };
        for (role, key) in [
            (Role::Execution, "ExecutionRoleArn"),
            (Role::Task, "TaskRoleArn"),
        ] {
            let needs: Vec<Need> = evaluator::needs(properties, Spelling::CloudFormation, &image)
                .into_iter()
                .filter(|(r, _)| *r == role)
                .map(|(_, n)| n)
                .collect();
            let Some(role_id) = role_of(key) else {
                if is_fargate(properties.get("RequiresCompatibilities")) {
                    report_no_role(role, &needs, &at_field, diagnostics);
                }
                continue;
            };
            // A reference to no resource is the reference check's report.
            if !resources.contains_key(&role_id) {
                continue;
            }
            let docs = template_role(rel, text, resources, &role_id);
            let about = About {
                role,
                name: &role_id,
                manifest: &manifest,
                regions: &regions,
            };
            report(&about, &docs, &needs, &at_field, diagnostics);
        }
    }
}

/// Check 4 on `templates/task-definition.json`, with the roles the book's
/// CLI commands create.
pub(crate) fn check_task_definition(
    book_root: &BookRoot,
    rel: &str,
    text: &str,
    task: &Value,
    commands: &[&Command],
    files: &Files,
    diagnostics: &mut Diagnostics,
) {
    let index = Index::new(text);
    let image = release_image(book_root);
    let manifest = manifest(book_root);
    let regions = other_regions(book_root);
    let cli_roles = cli_roles(book_root, commands, files);
    let at_field = |field: &str| Location::in_text(rel, text, index.value_range(field));
    for (role, key) in [
        (Role::Execution, "executionRoleArn"),
        (Role::Task, "taskRoleArn"),
    ] {
        let needs: Vec<Need> = evaluator::needs(task, Spelling::Api, &image)
            .into_iter()
            .filter(|(r, _)| *r == role)
            .map(|(_, n)| n)
            .collect();
        let Some(arn) = task.get(key).and_then(Value::as_str) else {
            if is_fargate(task.get("requiresCompatibilities")) {
                report_no_role(role, &needs, &at_field, diagnostics);
            }
            continue;
        };
        let name = arn.rsplit('/').next().unwrap_or(arn);
        // A role the book does not create with the CLI is not judged here.
        if let Some(docs) = cli_roles.get(name) {
            let about = About {
                role,
                name,
                manifest: &manifest,
                regions: &regions,
            };
            report(&about, docs, &needs, &at_field, diagnostics);
        }
    }
}

pub(crate) fn manifest(book_root: &BookRoot) -> Manifest {
    book_root
        .read(crate::checks::policy::manifest::MANIFEST_FILE)
        .ok()
        .and_then(|t| Manifest::parse(&t).ok())
        .unwrap_or_default()
}

/// Only a Fargate task must name its roles: on EC2 the instance's role
/// may do the pulling and logging.
fn is_fargate(compatibilities: Option<&Value>) -> bool {
    compatibilities
        .and_then(Value::as_array)
        .is_some_and(|c| c.iter().any(|v| v == "FARGATE"))
}

fn report_no_role(
    role: Role,
    needs: &[Need],
    at_field: &impl Fn(&str) -> Location,
    diagnostics: &mut Diagnostics,
) {
    let Some(first) = needs.first() else {
        return;
    };
    let (what, key) = match role {
        Role::Execution => ("an execution role", "executionRoleArn"),
        Role::Task => ("a task role", "taskRoleArn"),
    };
    diagnostics.push(
        Diagnostic::raise(
            AWS_MISSING_ROLE,
            at_field(&first.field),
            format!(
                "this task needs {what} for `{}`, and names none",
                first.action
            ),
        )
        .with_hint(format!("set `{key}` to a role that allows it")),
    );
}

fn role_word(role: Role) -> &'static str {
    match role {
        Role::Execution => "execution role",
        Role::Task => "task role",
    }
}

/// The role judged, and what it is judged against.
struct About<'a> {
    role: Role,
    name: &'a str,
    manifest: &'a Manifest,
    /// The release's Regions other than the example one.
    regions: &'a [String],
}

fn report(
    about: &About<'_>,
    docs: &RoleDocs,
    needs: &[Need],
    at_field: &impl Fn(&str) -> Location,
    diagnostics: &mut Diagnostics,
) {
    let (role, name, manifest) = (about.role, about.name, about.manifest);
    if docs.unreadable {
        return;
    }
    if !docs.unknown_managed.is_empty() {
        for (arn, at) in &docs.unknown_managed {
            diagnostics.push(
                Diagnostic::raise(
                    crate::checks::aws::AWS_UNJUDGED,
                    at.clone(),
                    format!(
                        "the {} `{name}` is given the managed policy `{arn}`, whose permissions are not vendored: what the role misses is not judged",
                        role_word(role)
                    ),
                )
                .with_hint("write the permissions inline, or vendor the policy in preprocessors/data/aws/managed-policies.json (regenerate.py --managed-policies)"),
            );
        }
        return;
    }
    let policies: Vec<&Policy> = docs.permissions.iter().map(|d| &d.policy).collect();
    for (need, decision) in evaluator::missing(&policies, needs) {
        let how = if decision == evaluator::Decision::ExplicitDeny {
            "denies"
        } else {
            "does not allow"
        };
        let mut d = Diagnostic::raise(
            AWS_MISSING_PERMISSION,
            at_field(&need.field),
            format!(
                "the {} `{name}` {how} `{}` on `{}`, which `{}` needs",
                role_word(role),
                need.action,
                need.resource,
                need.field.rsplit('/').next().unwrap_or_default()
            ),
        )
        .with_hint(format!(
            "the task needs it for this field; grant `{}` in the role's policy",
            need.action
        ));
        for doc in &docs.permissions {
            d = d.with_related(doc.location(&doc.pointer), "the role's policy");
        }
        diagnostics.push(d);
    }
    report_regions(about, docs, needs, at_field, diagnostics);
    let need_refs: Vec<&Need> = needs.iter().collect();
    for doc in docs.permissions.iter().filter(|d| !d.managed) {
        for (action, at) in evaluator::unneeded(&doc.policy, &need_refs) {
            // An action that does not exist is the policy linter's report.
            use crate::checks::policy::catalog::{Catalog, Lookup};
            if matches!(
                Catalog::builtin().lookup(action),
                Lookup::UnknownAction { .. } | Lookup::UnknownService { .. }
            ) {
                continue;
            }
            let explained = manifest
                .policies
                .iter()
                .filter(|(stem, _)| doc.stem.as_ref().is_none_or(|s| s == *stem))
                .any(|(_, e)| e.extra_actions.contains_key(action));
            if !explained {
                diagnostics.push(
                    Diagnostic::raise(
                        AWS_UNNEEDED_PERMISSION,
                        doc.location(&format!("{}{at}", doc.pointer)),
                        format!("the {} `{name}` allows `{action}`, which the task definition does not need", role_word(role)),
                    )
                    .with_hint("remove it, or say why in policies.toml under `[policies.NAME.extra-actions]`"),
                );
            }
        }
    }
    for doc in &docs.trust {
        if !evaluator::trusts_ecs_tasks(&doc.policy) {
            diagnostics.push(
                Diagnostic::raise(AWS_TRUST, doc.location(&format!("{}/Statement/0/Principal", doc.pointer)), format!("the trust policy of `{name}` does not let `ecs-tasks.amazonaws.com` assume the role"))
                    .with_hint("allow `sts:AssumeRole` to the principal `{\"Service\": \"ecs-tasks.amazonaws.com\"}`, with the `aws:SourceAccount` and `aws:SourceArn` conditions"),
            );
        }
    }
}

/// What the role refuses in another Region of the release but allows in
/// the example one (a Region pinned in a log ARN or in the trust policy's
/// `aws:SourceArn`): once per need, naming the first such Region.
fn report_regions(
    about: &About<'_>,
    docs: &RoleDocs,
    needs: &[Need],
    at_field: &impl Fn(&str) -> Location,
    diagnostics: &mut Diagnostics,
) {
    let (role, name) = (about.role, about.name);
    let home: Vec<&Policy> = docs.permissions.iter().map(|d| &d.policy).collect();
    let refused_home: Vec<&Need> = evaluator::missing(&home, needs)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let mut pending: Vec<&Need> = needs
        .iter()
        .filter(|n| n.regional && !refused_home.iter().any(|r| std::ptr::eq(*r, *n)))
        .collect();
    let mut trust_pending: Vec<&Document> = docs
        .trust
        .iter()
        .filter(|d| evaluator::trusts_ecs_tasks_in(&d.policy, &task_context(SAMPLE_REGION)))
        .collect();
    for region in about.regions {
        let policies: Vec<Policy> = docs
            .permissions
            .iter()
            .map(|d| evaluator::parse(&resolve_in(&d.value, region)))
            .collect();
        let policies: Vec<&Policy> = policies.iter().collect();
        pending.retain(|need| {
            let resource = in_region(&need.resource, region);
            let decision = evaluator::decide(policies.iter().copied(), &need.action, &resource);
            if decision == evaluator::Decision::Allowed {
                return true;
            }
            let how = if decision == evaluator::Decision::ExplicitDeny {
                "denies"
            } else {
                "does not allow"
            };
            diagnostics.push(
                Diagnostic::raise(
                    AWS_MISSING_PERMISSION,
                    at_field(&need.field),
                    format!(
                        "the {} `{name}` {how} `{}` on `{resource}` in `{region}`, a Region the release is offered in, which `{}` needs there",
                        role_word(role),
                        need.action,
                        need.field.rsplit('/').next().unwrap_or_default()
                    ),
                )
                .with_hint(format!(
                    "readers run the task in the Region they choose: write `*` for the Region in the statement's ARNs, or `${{AWS::Region}}` in a template; it is allowed in `{SAMPLE_REGION}`"
                )),
            );
            false
        });
        trust_pending.retain(|doc| {
            let policy = evaluator::parse(&resolve_in(&doc.value, region));
            if evaluator::trusts_ecs_tasks_in(&policy, &task_context(region)) {
                return true;
            }
            diagnostics.push(
                Diagnostic::raise(
                    AWS_TRUST,
                    doc.location(&format!("{}{}", doc.pointer, condition_pointer(&doc.value))),
                    format!(
                        "the trust policy of `{name}` does not let `ecs-tasks.amazonaws.com` assume the role for a task in `{region}`, a Region the release is offered in"
                    ),
                )
                .with_hint(format!(
                    "readers run the task in the Region they choose: write `*` for the Region in `aws:SourceArn` (`arn:aws:ecs:*:ACCOUNT:*`); it is allowed in `{SAMPLE_REGION}`"
                )),
            );
            false
        });
    }
}

/// What ECS sends when a task in `region` of the example account assumes
/// its role.
fn task_context(region: &str) -> evaluator::RequestContext {
    let mut context = evaluator::RequestContext::new();
    context.insert("aws:sourceaccount".into(), vec![SAMPLE_ACCOUNT.into()]);
    context.insert(
        "aws:sourcearn".into(),
        vec![format!(
            "arn:aws:ecs:{region}:{SAMPLE_ACCOUNT}:task/responderapi-cluster/0123456789abcdef0123456789abcdef"
        )],
    );
    context
}

/// The pointer of the first statement's `Condition` that lets ECS tasks in
/// (`/Statement/N/Condition`), or of the whole `Statement`.
fn condition_pointer(document: &Value) -> String {
    let trusts = |s: &Value| {
        s.get("Condition").is_some() && s.to_string().contains("ecs-tasks.amazonaws.com")
    };
    match document.get("Statement") {
        Some(Value::Array(items)) => items.iter().position(trusts).map_or_else(
            || "/Statement".into(),
            |i| format!("/Statement/{i}/Condition"),
        ),
        Some(s) if trusts(s) => "/Statement/Condition".into(),
        _ => "/Statement".into(),
    }
}

/// An ARN in the example Region, moved to `region`.
fn in_region(arn: &str, region: &str) -> String {
    let mut parts: Vec<&str> = arn.splitn(5, ':').collect();
    if parts.len() == 5 && parts[3] == SAMPLE_REGION {
        parts[3] = region;
    }
    parts.join(":")
}

impl Document {
    fn location(&self, pointer: &str) -> Location {
        Location::in_text(
            &self.path,
            &self.text,
            Index::new(&self.text).value_range(pointer),
        )
    }
}

fn template_role(rel: &str, text: &str, resources: &Map<String, Value>, role_id: &str) -> RoleDocs {
    let mut docs = RoleDocs::default();
    let doc = |value: &Value, pointer: String| Document {
        policy: evaluator::parse(&resolve(value)),
        value: value.clone(),
        path: rel.to_string(),
        text: text.to_string(),
        pointer,
        stem: None,
        managed: false,
    };
    let base = format!("/Resources/{}/Properties", escape(role_id));
    let Some(role) = resources.get(role_id).and_then(|r| r.get("Properties")) else {
        return docs;
    };
    if let Some(trust) = role.get("AssumeRolePolicyDocument") {
        docs.trust
            .push(doc(trust, format!("{base}/AssumeRolePolicyDocument")));
    }
    for (i, p) in role
        .get("Policies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(document) = p.get("PolicyDocument") {
            docs.permissions
                .push(doc(document, format!("{base}/Policies/{i}/PolicyDocument")));
        }
    }
    // AWS managed policies by ARN: the vendored ones' documents; any other
    // (or one not written literally) leaves the role's permissions unknown.
    for (i, arn) in role
        .get("ManagedPolicyArns")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let pointer = format!("{base}/ManagedPolicyArns/{i}");
        let vendored = arn
            .as_str()
            .and_then(|a| super::models::managed_policies().policies.get(a));
        match vendored {
            Some(policy) => docs.permissions.push(Document {
                managed: true,
                ..doc(&policy.document, pointer)
            }),
            None => {
                let shown = arn.as_str().map_or_else(|| arn.to_string(), str::to_string);
                let at = Location::in_text(rel, text, Index::new(text).value_range(&pointer));
                docs.unknown_managed.push((shown, at));
            }
        }
    }
    // Separate policy resources attached to the role with `Roles: [{Ref}]`.
    for (id, resource) in resources {
        let kind = resource.get("Type").and_then(Value::as_str);
        if !matches!(
            kind,
            Some("AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::RolePolicy")
        ) {
            continue;
        }
        let properties = resource.get("Properties");
        let roles = properties.and_then(|p| p.get("Roles").or_else(|| p.get("RoleName")));
        let names_role = |v: &Value| v.get("Ref").and_then(Value::as_str) == Some(role_id);
        let attached = match roles {
            Some(Value::Array(items)) => items.iter().any(names_role),
            Some(v) => names_role(v),
            None => false,
        };
        if let (true, Some(document)) = (attached, properties.and_then(|p| p.get("PolicyDocument")))
        {
            docs.permissions.push(doc(
                document,
                format!("/Resources/{}/Properties/PolicyDocument", escape(id)),
            ));
        }
    }
    docs
}

/// The roles the book's commands create, by name.
fn cli_roles(
    book_root: &BookRoot,
    commands: &[&Command],
    files: &Files,
) -> BTreeMap<String, RoleDocs> {
    let mut roles: BTreeMap<String, RoleDocs> = BTreeMap::new();
    for command in commands {
        let Some(words) = aws_words(command) else {
            continue;
        };
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        let (trust, option) = match texts.get(1..3) {
            Some(["iam", "create-role"]) => (true, "--assume-role-policy-document"),
            Some(["iam", "put-role-policy"]) => (false, "--policy-document"),
            _ => continue,
        };
        let value_of = |name: &str| {
            texts
                .iter()
                .position(|t| *t == name)
                .and_then(|i| texts.get(i + 1))
                .copied()
        };
        let (Some(role), Some(file)) = (value_of("--role-name"), value_of(option)) else {
            continue;
        };
        let Some(rel) = file
            .strip_prefix("file://")
            .and_then(|f| files.book_file(f))
        else {
            continue;
        };
        let parsed = book_root
            .read(&rel)
            .ok()
            .and_then(|text| Some((serde_json::from_str::<Value>(&text).ok()?, text)));
        let Some((value, text)) = parsed else {
            roles.entry(role.to_string()).or_default().unreadable = true;
            continue;
        };
        let stem = rel
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_suffix(".json"))
            .map(str::to_string);
        let doc = Document {
            policy: evaluator::parse(&value),
            value: value.clone(),
            path: rel,
            text,
            pointer: String::new(),
            stem,
            managed: false,
        };
        let entry = roles.entry(role.to_string()).or_default();
        if trust {
            entry.trust.push(doc)
        } else {
            entry.permissions.push(doc)
        }
    }
    roles
}

/// A policy document with the template's account and Region references
/// replaced by the sample account and Region (`Fn::Sub`, `Ref`).
pub(crate) fn resolve(value: &Value) -> Value {
    resolve_in(value, SAMPLE_REGION)
}

/// [`resolve`], with the stack deployed in `region`.
fn resolve_in(value: &Value, region: &str) -> Value {
    let fill = |s: &str| {
        s.replace("${AWS::AccountId}", SAMPLE_ACCOUNT)
            .replace("${AWS::Region}", region)
            .replace("${AWS::Partition}", "aws")
    };
    match value {
        Value::Object(map) if map.len() == 1 => match map.iter().next() {
            Some((k, Value::String(s))) if k == "Fn::Sub" => Value::String(fill(s)),
            Some((k, Value::String(s))) if k == "Ref" && s.starts_with("AWS::") => {
                Value::String(fill(&format!("${{{s}}}")))
            }
            _ => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), resolve_in(v, region)))
                    .collect(),
            ),
        },
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), resolve_in(v, region)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| resolve_in(v, region)).collect()),
        other => other.clone(),
    }
}

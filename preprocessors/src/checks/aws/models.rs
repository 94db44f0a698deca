//! The vendored AWS data (`preprocessors/data/aws/`), compiled into the
//! binary and parsed on first use, one service at a time, so a book that
//! names only ECS never parses the EC2 model.

use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// A botocore service model, reduced to what the checks read.
#[derive(Debug)]
pub(crate) struct ServiceModel {
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub source: String,
    pub service: String,
    /// The IAM service prefix of its actions (`elasticloadbalancing` for elbv2).
    pub signing_name: String,
    pub operations: BTreeMap<String, Operation>,
    /// CLI waiter name → the operation it polls.
    pub waiters: BTreeMap<String, String>,
    /// Operations with a paginator (the CLI adds `--max-items` and friends).
    pub paginated: Vec<String>,
    /// Each shape's JSON, parsed when first asked for: a guide reads a few
    /// dozen of EC2's two thousand, and parsing them all was most of the
    /// time loading the model took.
    shapes: HashMap<String, (&'static RawValue, OnceLock<Shape>)>,
}

/// [`ServiceModel`] as the vendored JSON holds it, its shapes unparsed.
#[derive(Deserialize)]
struct RawModel<'a> {
    source: String,
    service: String,
    signing_name: String,
    operations: BTreeMap<String, Operation>,
    waiters: BTreeMap<String, String>,
    paginated: Vec<String>,
    #[serde(borrow)]
    shapes: HashMap<String, &'a RawValue>,
}

impl ServiceModel {
    /// The vendored model `json`; its shapes are read by [`ServiceModel::shape`].
    fn parse(json: &'static str) -> serde_json::Result<ServiceModel> {
        let raw: RawModel<'static> = serde_json::from_str(json)?;
        Ok(ServiceModel {
            source: raw.source,
            service: raw.service,
            signing_name: raw.signing_name,
            operations: raw.operations,
            waiters: raw.waiters,
            paginated: raw.paginated,
            shapes: raw
                .shapes
                .into_iter()
                .map(|(name, json)| (name, (json, OnceLock::new())))
                .collect(),
        })
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct Operation {
    /// The CLI's kebab-case name (`update-service`).
    pub cli: String,
    pub input: Option<String>,
    /// CLI option name without `--` → input member.
    #[serde(default)]
    pub args: Args,
}

/// An operation's CLI options, parsed when first read: a guide calls a few
/// dozen of the models' thousand operations.
#[derive(Debug, Default)]
pub(crate) struct Args {
    json: Option<Box<RawValue>>,
    parsed: OnceLock<BTreeMap<String, String>>,
}

impl Args {
    fn map(&self) -> &BTreeMap<String, String> {
        self.parsed.get_or_init(|| {
            self.json.as_ref().map_or_else(BTreeMap::new, |json| {
                serde_json::from_str(json.get()).expect("vendored operations parse (unit-tested)")
            })
        })
    }

    /// The input member behind CLI option `option` (without `--`).
    #[cfg(test)]
    pub(crate) fn get(&self, option: &str) -> Option<&String> {
        self.map().get(option)
    }
}

impl<'a> IntoIterator for &'a Args {
    type Item = (&'a String, &'a String);
    type IntoIter = std::collections::btree_map::Iter<'a, String, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.map().iter()
    }
}

impl<'de> Deserialize<'de> for Args {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Args, D::Error> {
        Ok(Args {
            json: Some(Deserialize::deserialize(deserializer)?),
            parsed: OnceLock::new(),
        })
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct Shape {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub members: BTreeMap<String, String>,
    pub member: Option<String>,
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub key: Option<String>,
    pub value: Option<String>,
    #[serde(rename = "enum")]
    pub enumeration: Option<Vec<String>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub pattern: Option<String>,
}

impl ServiceModel {
    /// Every shape's name.
    #[cfg(test)]
    pub(crate) fn shape_names(&self) -> impl Iterator<Item = &str> {
        self.shapes.keys().map(String::as_str)
    }

    pub(crate) fn shape(&self, name: &str) -> Option<&Shape> {
        let (json, parsed) = self.shapes.get(name)?;
        Some(parsed.get_or_init(|| {
            serde_json::from_str(json.get()).expect("vendored shapes parse (unit-tested)")
        }))
    }

    /// The operation the CLI calls `cli_name`.
    pub(crate) fn operation_by_cli(&self, cli_name: &str) -> Option<(&str, &Operation)> {
        self.operations
            .iter()
            .find(|(_, op)| op.cli == cli_name)
            .map(|(name, op)| (name.as_str(), op))
    }
}

macro_rules! services {
    ($($name:literal),*) => {
        /// The services whose models are vendored, by CLI name.
        pub(crate) const SERVICES: &[&str] = &[$($name),*];

        fn raw(service: &str) -> Option<&'static str> {
            match service {
                $($name => Some(include_str!(concat!("../../../data/aws/botocore/", $name, ".json"))),)*
                _ => None,
            }
        }
    };
}

services!(
    "ecs",
    "iam",
    "logs",
    "ec2",
    "ecr",
    "cloudformation",
    "sts",
    "meteringmarketplace",
    "elbv2"
);

/// The model of a vendored service, parsed once.
pub(crate) fn service(name: &str) -> Option<&'static ServiceModel> {
    static CACHE: OnceLock<Vec<OnceLock<ServiceModel>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| SERVICES.iter().map(|_| OnceLock::new()).collect());
    let i = SERVICES.iter().position(|s| *s == name)?;
    Some(cache[i].get_or_init(|| {
        ServiceModel::parse(raw(name).expect("listed")).expect("vendored model parses")
    }))
}

/// Parses every vendored model and table now (`validate::warm` loads them
/// ahead of the checks).
pub(crate) fn warm() {
    for name in SERVICES {
        service(name);
    }
    resource_schemas();
    cli_customizations();
    cli_renames();
    cli_calls();
    arn_names();
    service_names();
    handler_properties();
    replacement();
    managed_policies();
}

/// What the AWS CLI adds to the models (`cli-customizations.toml` and
/// `cli-renames.json`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct CliCustomizations {
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub source: String,
    pub top_level: Vec<String>,
    pub global_options: BTreeMap<String, bool>,
    pub pagination_options: BTreeMap<String, bool>,
    pub commands: BTreeMap<String, Vec<String>>,
    /// `service.command` of a command the CLI adds → the options it needs.
    pub required: BTreeMap<String, Vec<String>>,
    pub options: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct CliRenames {
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub source: String,
    /// `service.operation.original` (operation may be `*`) → new name.
    pub renames: BTreeMap<String, String>,
    pub aliases: BTreeMap<String, String>,
}

pub(crate) fn cli_customizations() -> &'static CliCustomizations {
    static CELL: OnceLock<CliCustomizations> = OnceLock::new();
    CELL.get_or_init(|| {
        toml::from_str(include_str!("../../../data/aws/cli-customizations.toml"))
            .expect("vendored CLI customizations parse")
    })
}

pub(crate) fn cli_renames() -> &'static CliRenames {
    static CELL: OnceLock<CliRenames> = OnceLock::new();
    CELL.get_or_init(|| {
        serde_json::from_str(include_str!("../../../data/aws/cli-renames.json"))
            .expect("vendored CLI renames parse")
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct ServiceNames {
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub source: String,
    pub services: Vec<String>,
}

/// Every service botocore models, vendored or not.
pub(crate) fn service_names() -> &'static ServiceNames {
    static CELL: OnceLock<ServiceNames> = OnceLock::new();
    CELL.get_or_init(|| {
        serde_json::from_str(include_str!(
            "../../../data/aws/botocore/service-names.json"
        ))
        .expect("vendored service names parse")
    })
}

/// The CloudFormation resource provider schemas, by type name.
#[derive(Debug, Deserialize)]
pub(crate) struct ResourceSchemas {
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub source: String,
    pub resources: BTreeMap<String, serde_json::Value>,
}

pub(crate) fn resource_schemas() -> &'static ResourceSchemas {
    static CELL: OnceLock<ResourceSchemas> = OnceLock::new();
    CELL.get_or_init(|| {
        serde_json::from_str(include_str!(
            "../../../data/aws/cloudformation/resource-schemas.json"
        ))
        .expect("vendored resource schemas parse")
    })
}

/// The AWS CLI's own commands and the API calls behind them (`cli-calls.toml`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct CliCalls {
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub source: String,
    /// `service:Action` → why IAM never refuses it.
    pub no_permission: BTreeMap<String, String>,
    /// `service command` → what it calls.
    pub commands: BTreeMap<String, CliCommand>,
    /// `service:Action` → what else IAM checks for it.
    pub implied: BTreeMap<String, Vec<Implied>>,
    /// A template resource type → the service its handlers pass roles to
    /// (`iam:PassedToService` of their `iam:PassRole`).
    #[serde(rename = "passed-to")]
    pub passed_to: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Implied {
    pub action: String,
    /// A fixed role name (a service-linked role), else the roles the request names.
    pub role: Option<String>,
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub why: String,
    /// `iam:PassRole`: the service the role is passed to (`iam:PassedToService`).
    pub passed_to: Option<String>,
    /// Checked only when the command gives this option (`--tags`).
    pub when: Option<String>,
    /// The resource type of the action's service it is checked on (the one
    /// the command creates), rather than every type the request names.
    pub on: Option<String>,
    /// Where AWS documents it.
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub source: Option<String>,
    /// Actions IAM accepts instead.
    #[serde(default)]
    pub alternatives: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct CliCommand {
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub source: String,
    pub calls: Vec<CliCall>,
    /// `create`, `update`, `delete` or `deploy` (create or update): what the
    /// command makes CloudFormation do to a stack.
    pub stack: Option<String>,
    pub stack_name: Option<String>,
    pub template: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct CliCall {
    pub operation: Option<String>,
    pub waiter: Option<String>,
    /// An IAM action of another service (`s3:PutObject`).
    pub action: Option<String>,
    /// Called only when the command gives this option (`--s3-bucket`).
    pub when: Option<String>,
    /// Not called when the command gives this option.
    pub unless: Option<String>,
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub why: String,
}

pub(crate) fn cli_calls() -> &'static CliCalls {
    static CELL: OnceLock<CliCalls> = OnceLock::new();
    CELL.get_or_init(|| {
        toml::from_str(include_str!("../../../data/aws/cli-calls.toml"))
            .expect("vendored CLI calls parse")
    })
}

/// How commands and templates name resources, for ARNs (`arn-names.toml`).
#[derive(Debug, Deserialize)]
pub(crate) struct ArnNames {
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub source: String,
    /// ARN variable → a value standing for an ID AWS assigns.
    pub ids: BTreeMap<String, String>,
    /// ARN variable → the value when nothing names it.
    pub defaults: BTreeMap<String, String>,
    /// `service` or `service command` → option (or `positional`) → what it names.
    pub cli: BTreeMap<String, BTreeMap<String, Names>>,
    /// Resource type → what its resources name, their own first.
    pub cloudformation: BTreeMap<String, Vec<TemplateNames>>,
    /// Service → the options whose values are IDs of several resource types.
    #[serde(rename = "id-options")]
    pub id_options: BTreeMap<String, Vec<String>>,
    /// Service → an ID's prefix (`sg` of `sg-…`) → what the ID names.
    #[serde(rename = "id-prefixes")]
    pub id_prefixes: BTreeMap<String, BTreeMap<String, Names>>,
    /// Service principal → the name of its service-linked role.
    #[serde(rename = "service-linked-roles")]
    pub service_linked_roles: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Names {
    #[serde(rename = "type")]
    pub kind: String,
    pub var: String,
    pub service: Option<String>,
    /// The value is a folder the sample ID of `var` goes in (`--s3-prefix`).
    #[serde(default, rename = "folder-of-id")]
    pub folder_of_id: bool,
    /// The value is a service principal whose service-linked role is named.
    #[serde(default, rename = "service-linked")]
    pub service_linked: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct TemplateNames {
    pub service: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// ARN variable → property path.
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
    /// ARN variable → fixed value.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// ARN variable → the value a left-out property means.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
    pub kinds: Option<Kinds>,
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub why: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Kinds {
    pub property: String,
    pub values: BTreeMap<String, String>,
}

pub(crate) fn arn_names() -> &'static ArnNames {
    static CELL: OnceLock<ArnNames> = OnceLock::new();
    CELL.get_or_init(|| {
        toml::from_str(include_str!("../../../data/aws/arn-names.toml"))
            .expect("vendored ARN names parse")
    })
}

/// The handler permissions that serve one property (`handler-properties.toml`).
#[derive(Debug, Deserialize)]
pub(crate) struct HandlerProperties {
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub source: String,
    /// Resource type → action → the properties that need it.
    #[serde(flatten)]
    pub types: BTreeMap<String, BTreeMap<String, Serves>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Serves {
    pub properties: Option<Vec<String>>,
    pub create: Option<Vec<String>>,
    pub update: Option<Vec<String>>,
    pub delete: Option<Vec<String>>,
    #[serde(default)]
    pub only_change: bool,
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub why: String,
}

pub(crate) fn handler_properties() -> &'static HandlerProperties {
    static CELL: OnceLock<HandlerProperties> = OnceLock::new();
    CELL.get_or_init(|| {
        toml::from_str(include_str!(
            "../../../data/aws/cloudformation/handler-properties.toml"
        ))
        .expect("vendored handler properties parse")
    })
}

/// Which property names a resource, and what a replacement loses (`replacement.toml`).
#[derive(Debug, Deserialize)]
pub(crate) struct Replacement {
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub source: String,
    pub name: BTreeMap<String, NameException>,
    /// Resource type (or `default`) → what the reader loses.
    pub loss: BTreeMap<String, String>,
    /// Resource type → the properties an update keeps when the template
    /// drops them (only an empty list removes them).
    #[serde(rename = "kept-when-dropped")]
    pub kept_when_dropped: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct NameException {
    pub property: String,
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub why: String,
}

pub(crate) fn replacement() -> &'static Replacement {
    static CELL: OnceLock<Replacement> = OnceLock::new();
    CELL.get_or_init(|| {
        toml::from_str(include_str!(
            "../../../data/aws/cloudformation/replacement.toml"
        ))
        .expect("vendored replacement data parse")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vendored_model_parses_and_names_its_source() {
        for name in SERVICES {
            let model = service(name).unwrap();
            assert_eq!(model.service, *name);
            // Shapes and options are parsed when first read: all must parse.
            for shape in model.shape_names() {
                assert!(model.shape(shape).is_some(), "{name} {shape}");
            }
            for op in model.operations.values() {
                assert!(
                    op.args
                        .into_iter()
                        .all(|(option, member)| { !option.starts_with('-') && !member.is_empty() })
                );
            }
            assert!(model.source.starts_with("botocore "), "{}", model.source);
        }
        assert!(service("s3").is_none());
        assert_eq!(
            service("elbv2").unwrap().signing_name,
            "elasticloadbalancing"
        );
        assert_eq!(
            service("meteringmarketplace").unwrap().signing_name,
            "aws-marketplace"
        );
    }

    /// The hand-written tables name only what the vendored data has, so a
    /// typo or a regeneration that drops something fails here.
    #[test]
    fn the_hand_written_tables_agree_with_the_vendored_data() {
        use crate::checks::policy::catalog::Catalog;
        let catalog = Catalog::builtin();
        let arn_of = |service: &str, kind: &str| {
            catalog
                .service(service)
                .and_then(|s| s.resource_types.iter().find(|r| r.name == kind))
                .map(|r| r.arn)
                .unwrap_or_else(|| panic!("no resource type {service}:{kind}"))
        };
        for (key, options) in &arn_names().cli {
            let cli = key.split(' ').next().unwrap();
            let signing = &service(cli).unwrap_or_else(|| panic!("{key}")).signing_name;
            for (option, names) in options {
                let arn = arn_of(names.service.as_deref().unwrap_or(signing), &names.kind);
                assert!(
                    arn.contains(&format!("${{{}}}", names.var)),
                    "{key} {option}"
                );
            }
        }
        for (cli, prefixes) in &arn_names().id_prefixes {
            let signing = &service(cli).unwrap_or_else(|| panic!("{cli}")).signing_name;
            assert!(arn_names().id_options.contains_key(cli), "{cli}");
            for (prefix, names) in prefixes {
                let arn = arn_of(signing, &names.kind);
                assert!(arn.contains(&format!("${{{}}}", names.var)), "{prefix}");
            }
        }
        for (action, list) in &cli_calls().implied {
            for i in list {
                let (prefix, _) = i.action.split_once(':').unwrap();
                assert!(
                    matches!(
                        catalog.lookup(&i.action),
                        crate::checks::policy::catalog::Lookup::Known(_)
                    ),
                    "{action}: {}",
                    i.action
                );
                if let Some(kind) = &i.on {
                    arn_of(prefix, kind);
                }
            }
        }
        for kind in cli_calls().passed_to.keys() {
            assert!(resource_schemas().resources.contains_key(kind), "{kind}");
        }
        for (kind, entries) in &arn_names().cloudformation {
            assert!(resource_schemas().resources.contains_key(kind), "{kind}");
            for entry in entries {
                let arn = arn_of(&entry.service, &entry.kind);
                for var in entry.vars.keys().chain(entry.values.keys()) {
                    assert!(arn.contains(&format!("${{{var}}}")), "{kind} {var}");
                }
            }
        }
        for (kind, actions) in &handler_properties().types {
            let schema = &resource_schemas().resources[kind];
            let all: Vec<&str> = ["create", "read", "update", "delete"]
                .iter()
                .filter_map(|h| schema.pointer(&format!("/handlers/{h}/permissions")))
                .filter_map(|p| p.as_array())
                .flatten()
                .filter_map(|a| a.as_str())
                .collect();
            for action in actions.keys() {
                assert!(
                    all.contains(&action.as_str()),
                    "{kind}: {action} is no handler's"
                );
            }
        }
        for (command, entry) in &cli_calls().commands {
            // A command that calls nothing (`configure get`) needs no model.
            if entry.calls.is_empty() {
                continue;
            }
            let model = service(command.split(' ').next().unwrap())
                .unwrap_or_else(|| panic!("{command}: its service has a vendored model"));
            for call in &entry.calls {
                match (&call.operation, &call.waiter, &call.action) {
                    (Some(op), _, _) => {
                        assert!(model.operations.contains_key(op), "{command} {op}")
                    }
                    (None, Some(w), _) => {
                        assert!(model.waiters.contains_key(w), "{command} {w}")
                    }
                    (None, None, Some(a)) => assert!(
                        matches!(
                            catalog.lookup(a),
                            crate::checks::policy::catalog::Lookup::Known(_)
                        ),
                        "{command} {a}"
                    ),
                    _ => panic!("{command}: a call names an operation, a waiter or an action"),
                }
            }
        }
        for (action, implied) in &cli_calls().implied {
            for a in
                std::iter::once(action.as_str()).chain(implied.iter().map(|i| i.action.as_str()))
            {
                let (prefix, name) = a.split_once(':').unwrap();
                assert!(
                    catalog
                        .service(prefix)
                        .and_then(|s| s.action(name))
                        .is_some(),
                    "{a}"
                );
            }
        }
    }

    #[test]
    fn the_hand_written_tables_parse_and_name_their_sources() {
        assert!(
            cli_calls().commands["cloudformation deploy"]
                .stack
                .is_some()
        );
        assert!(arn_names().cli["ecs"].contains_key("--cluster"));
        assert!(
            handler_properties().types["AWS::Logs::LogGroup"]
                .contains_key("logs:PutRetentionPolicy")
        );
        assert!(replacement().loss.contains_key("default"));
        for source in [
            &cli_calls().source,
            &arn_names().source,
            &handler_properties().source,
            &replacement().source,
        ] {
            assert!(!source.is_empty());
        }
    }

    #[test]
    fn the_ecs_model_knows_register_task_definition_and_its_waiters() {
        let ecs = service("ecs").unwrap();
        let (name, op) = ecs.operation_by_cli("register-task-definition").unwrap();
        assert_eq!(name, "RegisterTaskDefinition");
        assert_eq!(
            op.args.get("container-definitions").unwrap(),
            "containerDefinitions"
        );
        assert_eq!(
            ecs.waiters.get("services-stable").unwrap(),
            "DescribeServices"
        );
    }

    #[test]
    fn the_cli_tables_and_resource_schemas_parse() {
        assert!(cli_customizations().commands["logs"].contains(&"tail".to_string()));
        assert!(cli_renames().source.starts_with("awscli "));
        assert!(
            resource_schemas()
                .resources
                .contains_key("AWS::ECS::TaskDefinition")
        );
        assert!(
            resource_schemas()
                .resources
                .contains_key("AWS::EC2::SecurityGroupIngress")
        );
    }
}

/// The AWS managed policies vendored whole (`managed-policies.json`).
#[derive(Debug, Deserialize)]
pub(crate) struct ManagedPolicies {
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub source: String,
    /// Policy ARN → its default version.
    pub policies: BTreeMap<String, ManagedPolicy>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ManagedPolicy {
    #[allow(
        dead_code,
        reason = "parsed so the vendored data must carry it; read by people"
    )]
    pub version: String,
    pub document: serde_json::Value,
}

pub(crate) fn managed_policies() -> &'static ManagedPolicies {
    static CELL: OnceLock<ManagedPolicies> = OnceLock::new();
    CELL.get_or_init(|| {
        serde_json::from_str(include_str!("../../../data/aws/managed-policies.json"))
            .expect("vendored managed policies parse")
    })
}

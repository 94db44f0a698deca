//! The vendored AWS data (`preprocessors/data/aws/`), compiled into the
//! binary and parsed on first use, one service at a time, so a book that
//! names only ECS never parses the EC2 model.

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// A botocore service model, reduced to what the checks read.
#[derive(Debug, Deserialize)]
pub struct ServiceModel {
    pub source: String,
    pub service: String,
    pub operations: BTreeMap<String, Operation>,
    /// CLI waiter name → the operation it polls.
    pub waiters: BTreeMap<String, String>,
    /// Operations with a paginator (the CLI adds `--max-items` and friends).
    pub paginated: Vec<String>,
    pub shapes: HashMap<String, Shape>,
}

#[derive(Debug, Deserialize)]
pub struct Operation {
    /// The CLI's kebab-case name (`update-service`).
    pub cli: String,
    pub input: Option<String>,
    /// CLI option name without `--` → input member.
    #[serde(default)]
    pub args: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
pub struct Shape {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub members: BTreeMap<String, String>,
    pub member: Option<String>,
    pub key: Option<String>,
    pub value: Option<String>,
    #[serde(rename = "enum")]
    pub enumeration: Option<Vec<String>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub pattern: Option<String>,
}

impl ServiceModel {
    pub fn shape(&self, name: &str) -> Option<&Shape> {
        self.shapes.get(name)
    }

    /// The operation the CLI calls `cli_name`.
    pub fn operation_by_cli(&self, cli_name: &str) -> Option<(&str, &Operation)> {
        self.operations
            .iter()
            .find(|(_, op)| op.cli == cli_name)
            .map(|(name, op)| (name.as_str(), op))
    }
}

macro_rules! services {
    ($($name:literal),*) => {
        /// The services whose models are vendored, by CLI name.
        pub const SERVICES: &[&str] = &[$($name),*];

        fn raw(service: &str) -> Option<&'static str> {
            match service {
                $($name => Some(include_str!(concat!("../../data/aws/botocore/", $name, ".json"))),)*
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
pub fn service(name: &str) -> Option<&'static ServiceModel> {
    static CACHE: OnceLock<Vec<OnceLock<ServiceModel>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| SERVICES.iter().map(|_| OnceLock::new()).collect());
    let i = SERVICES.iter().position(|s| *s == name)?;
    Some(cache[i].get_or_init(|| {
        serde_json::from_str(raw(name).expect("listed")).expect("vendored model parses")
    }))
}

/// What the AWS CLI adds to the models (`cli-customizations.toml` and
/// `cli-renames.json`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CliCustomizations {
    pub source: String,
    pub top_level: Vec<String>,
    pub global_options: BTreeMap<String, bool>,
    pub pagination_options: BTreeMap<String, bool>,
    pub commands: BTreeMap<String, Vec<String>>,
    pub options: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
pub struct CliRenames {
    pub source: String,
    /// `service.operation.original` (operation may be `*`) → new name.
    pub renames: BTreeMap<String, String>,
    pub aliases: BTreeMap<String, String>,
}

pub fn cli_customizations() -> &'static CliCustomizations {
    static CELL: OnceLock<CliCustomizations> = OnceLock::new();
    CELL.get_or_init(|| {
        toml::from_str(include_str!("../../data/aws/cli-customizations.toml"))
            .expect("vendored CLI customizations parse")
    })
}

pub fn cli_renames() -> &'static CliRenames {
    static CELL: OnceLock<CliRenames> = OnceLock::new();
    CELL.get_or_init(|| {
        serde_json::from_str(include_str!("../../data/aws/cli-renames.json"))
            .expect("vendored CLI renames parse")
    })
}

#[derive(Debug, Deserialize)]
pub struct ServiceNames {
    pub source: String,
    pub services: Vec<String>,
}

/// Every service botocore models, vendored or not.
pub fn service_names() -> &'static ServiceNames {
    static CELL: OnceLock<ServiceNames> = OnceLock::new();
    CELL.get_or_init(|| {
        serde_json::from_str(include_str!("../../data/aws/botocore/service-names.json"))
            .expect("vendored service names parse")
    })
}

/// The CloudFormation resource provider schemas, by type name.
#[derive(Debug, Deserialize)]
pub struct ResourceSchemas {
    pub source: String,
    pub resources: BTreeMap<String, serde_json::Value>,
}

pub fn resource_schemas() -> &'static ResourceSchemas {
    static CELL: OnceLock<ResourceSchemas> = OnceLock::new();
    CELL.get_or_init(|| {
        serde_json::from_str(include_str!(
            "../../data/aws/cloudformation/resource-schemas.json"
        ))
        .expect("vendored resource schemas parse")
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
            assert!(model.source.starts_with("botocore "), "{}", model.source);
        }
        assert!(service("s3").is_none());
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

use super::*;

#[test]
fn every_service_of_the_builtin_catalog_parses() {
    let catalog = Catalog::builtin();
    let mut prefixes: Vec<&str> = catalog.prefixes().collect();
    prefixes.sort();
    assert!(prefixes.len() > 400, "{}", prefixes.len());
    let mut actions = 0;
    for prefix in prefixes {
        let slot = &catalog.services[prefix];
        let service = parse_service(&catalog.text[slot.lines.clone()])
            .unwrap_or_else(|m| panic!("{prefix}: {m:?}"));
        assert_eq!(service.prefix, prefix);
        assert!(!service.name.is_empty(), "{prefix}");
        actions += service.actions.len();
    }
    assert!(actions > 15_000, "{actions}");
}

#[test]
fn actions_carry_their_access_level_resource_types_and_condition_keys() {
    let ecr = Catalog::builtin().service("ECR").unwrap();
    assert_eq!(ecr.name, "Amazon Elastic Container Registry");
    let pull = ecr.action("batchgetimage").unwrap();
    assert_eq!(pull.name, "BatchGetImage");
    assert_eq!(pull.access, Access::Read);
    assert_eq!(pull.resource_types, [("repository", true)]);
    assert!(!ecr.action("GetAuthorizationToken").unwrap().takes_arns());
    let repository = ecr
        .resource_types
        .iter()
        .find(|r| r.name == "repository")
        .unwrap();
    assert_eq!(
        repository.arn,
        "arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}"
    );
    assert!(
        ecr.condition_keys
            .contains(&("ecr:ResourceTag/${TagKey}", "String"))
    );
    let s3 = Catalog::builtin().service("s3").unwrap();
    assert!(
        s3.action("GetObject")
            .unwrap()
            .condition_keys
            .contains(&"s3:TlsVersion")
    );
}

#[test]
fn actions_are_found_case_insensitively_with_their_resource_support() {
    let catalog = Catalog::builtin();
    assert_eq!(
        catalog.lookup("ECR:getauthorizationtoken"),
        Lookup::Known(vec![("GetAuthorizationToken".into(), false)])
    );
    assert_eq!(
        catalog.lookup("ecr:BatchGetImage"),
        Lookup::Known(vec![("BatchGetImage".into(), true)])
    );
    assert_eq!(
        catalog.lookup("aws-marketplace:RegisterUsage"),
        Lookup::Known(vec![("RegisterUsage".into(), false)])
    );
    assert_eq!(
        catalog.lookup("s3:GetObject"),
        Lookup::Known(vec![("GetObject".into(), true)])
    );
}

#[test]
fn typos_of_every_service_get_a_suggestion() {
    let catalog = Catalog::builtin();
    for (typo, meant) in [
        ("ecr:GetAuthorisationToken", "ecr:GetAuthorizationToken"),
        ("s3:GetObjekt", "s3:GetObject"),
        ("ec2:DescribeInstance", "ec2:DescribeInstances"),
        ("dynamodb:PutItems", "dynamodb:PutItem"),
        ("KMS:decrypts", "kms:Decrypt"),
    ] {
        match catalog.lookup(typo) {
            Lookup::UnknownAction { suggestion, .. } => {
                assert_eq!(suggestion.as_deref(), Some(meant), "{typo}")
            }
            other => panic!("{typo}: {other:?}"),
        }
    }
    // One edit from one action and no other as close: the one answer.
    assert_eq!(
        catalog.lookup("ecr:GetAuthorisationToken"),
        Lookup::UnknownAction {
            suggestion: Some("ecr:GetAuthorizationToken".into()),
            only: Some("ecr:GetAuthorizationToken".into()),
        }
    );
    assert_eq!(
        catalog.lookup("logz:PutLogEvents"),
        Lookup::UnknownService {
            suggestion: Some("logs".into())
        }
    );
    assert_eq!(
        catalog.lookup("marketplace:RegisterUsage"),
        Lookup::UnknownService {
            suggestion: Some("aws-marketplace".into())
        }
    );
    assert_eq!(
        catalog.lookup("ecr:Zzzzzz"),
        Lookup::UnknownAction {
            suggestion: None,
            only: None
        }
    );
}

#[test]
fn retired_prefixes_are_told_apart_from_unknown_ones() {
    let catalog = Catalog::builtin();
    for prefix in ["deepracer", "iot1click", "mobilehub", "zocalo", "Sumerian"] {
        match catalog.lookup(&format!("{prefix}:Anything")) {
            Lookup::RetiredService(retired) => {
                assert!(!retired.name.is_empty() && !retired.evidence.is_empty())
            }
            other => panic!("{prefix}: {other:?}"),
        }
    }
    assert_eq!(
        catalog.retired("iot1click").map(|r| r.name),
        Some("AWS IoT 1-Click")
    );
    // A retired prefix is no current one, and the reverse.
    assert!(catalog.service("deepracer").is_none());
    assert!(catalog.retired("ecr").is_none());
}

#[test]
fn only_the_services_looked_up_are_parsed() {
    let catalog = Catalog::parse(CATALOG_TSV, RETIRED_TSV).unwrap();
    assert!(catalog.services.values().all(|s| s.parsed.get().is_none()));
    assert!(matches!(catalog.lookup("logs:Put*"), Lookup::Known(_)));
    let parsed: Vec<&str> = catalog
        .services
        .iter()
        .filter(|(_, s)| s.parsed.get().is_some())
        .map(|(p, _)| p.as_str())
        .collect();
    assert_eq!(parsed, ["logs"]);
}

#[test]
fn malformed_data_is_reported_with_its_line() {
    let catalog = Catalog::parse("S\tx\tX\nA\tGo\tQ\t\t\n", "").unwrap();
    let slot = &catalog.services["x"];
    assert_eq!(
        parse_service(&catalog.text[slot.lines.clone()]).unwrap_err(),
        Malformed {
            line: 2,
            text: "A\tGo\tQ\t\t".into()
        }
    );
    assert_eq!(
        Catalog::parse("", "# header\nonly-a-prefix\n").err(),
        Some(Malformed {
            line: 2,
            text: "only-a-prefix".into()
        })
    );
}

#[test]
fn actions_match_whatever_their_case() {
    assert!(wildcard_match_ignore_case(
        "ECR:Get*",
        "ecr:GetAuthorizationToken"
    ));
    assert!(wildcard_match_ignore_case(
        "logs:put?ogevents",
        "logs:PutLogEvents"
    ));
    assert!(!wildcard_match_ignore_case(
        "logs:Put*",
        "logs:GetLogEvents"
    ));
    assert!(wildcard_match_ignore_case("Ré*", "ré:x"));
    assert!(!wildcard_match_ignore_case("ré?", "RÉx"));
}

#[test]
fn wildcards_match_like_iam() {
    assert!(wildcard_match("get*", "getauthorizationtoken"));
    assert!(wildcard_match("*layer*", "getdownloadurlforlayer"));
    assert!(wildcard_match("batch?etimage", "batchgetimage"));
    assert!(!wildcard_match("put*", "getlogevents"));
    assert!(wildcard_match("*", ""));
    // `?` is one character, not one byte; ASCII case matters here.
    assert!(wildcard_match("r?le/*", "rôle/app"));
    assert!(!wildcard_match("r?le/*", "rôôle/app"));
    assert!(!wildcard_match("Get*", "getauthorizationtoken"));
    let catalog = Catalog::builtin();
    match catalog.lookup("logs:Put*") {
        Lookup::Known(found) => assert!(found.iter().any(|(a, _)| a == "PutLogEvents")),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        catalog.lookup("logs:Nothing*"),
        Lookup::UnknownAction {
            suggestion: None,
            only: None
        }
    );
    assert_eq!(catalog.lookup("*"), Lookup::Everything);
}

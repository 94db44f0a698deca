use super::*;

use super::SAMPLE as GOOD;

fn load(text: &str) -> Result<Release, Vec<String>> {
    let doc: toml::Table = toml::from_str(text).unwrap();
    let table = doc["preprocessor"]["image-uri"].as_table().unwrap();
    let book = BookToml::new(text);
    // What a build reports for the table: its keys and types, then the facts.
    let keys = config::check_table(&book, TABLE, table, &|_| false);
    match from_table(table, &book) {
        Ok(release) if keys.is_empty() => Ok(release),
        Ok(_) => Err(keys.iter().map(Diagnostic::short).collect()),
        Err(facts) => Err(keys.iter().chain(&facts).map(Diagnostic::short).collect()),
    }
}

#[test]
fn a_good_table_gives_one_uri_per_architecture() {
    let release = load(GOOD).unwrap();
    assert_eq!(
        release.uri("arm64").unwrap(),
        "709825985650.dkr.ecr.us-east-1.amazonaws.com/certograph/responderapi:1.0.4-arm64"
    );
    assert_eq!(
        release.uri("amd64").unwrap(),
        "709825985650.dkr.ecr.us-east-1.amazonaws.com/certograph/responderapi:1.0.4-amd64"
    );
    assert_eq!(release.uri("riscv64"), None);
    let archs: Vec<_> = release
        .architectures()
        .iter()
        .map(|a| a.ecs.as_str())
        .collect();
    assert_eq!(archs, ["X86_64", "ARM64"]);
    assert_eq!(release.regions()[1].name, "Europe (Ireland)");
    assert!(!release.is_multi_arch());
}

#[test]
fn a_multi_arch_tag_is_the_same_for_every_architecture() {
    let release = load(&GOOD.replace("{version}-{arch}", "{version}")).unwrap();
    assert!(release.is_multi_arch());
    assert_eq!(release.uri("amd64"), release.uri("arm64"));
    assert!(release.uri("amd64").unwrap().ends_with(":1.0.4"));
}

#[test]
fn versions_are_numbers_with_an_optional_label() {
    for good in ["1.0.4", "001", "1.1.0-rc1", "2.0"] {
        assert!(is_version(good), "{good}");
    }
    for bad in [
        "", "v1.0.4", "1..4", "1.0.4-", "1.0 .4", "latest", "1.0.4/x",
    ] {
        assert!(!is_version(bad), "{bad}");
    }
}

#[test]
fn a_malformed_version_is_reported_at_its_value() {
    let errors = load(&GOOD.replace("\"1.0.4\"", "\"v1.0.4\"")).unwrap_err();
    assert_eq!(
        errors,
        ["book.toml:8:11: error[image-uri::bad-version]: malformed version `v1.0.4`"]
    );
}

#[test]
fn every_problem_is_reported_in_one_pass() {
    let text = GOOD
        .replace("us-east-1.amazonaws.com", "moon-1.amazonaws.com")
        .replace("certograph/responderapi", "Certograph/ResponderAPI")
        .replace("\"eu-west-1\"", "\"eu-west-9\", \"us-east-1\"")
        .replace("ecs = \"ARM64\"", "ecs = \"X86_64\"")
        .replace(
            "tag = \"{version}-{arch}\"",
            "tag = \"{release}-{arch}\"\nverison = \"1\"",
        );
    let errors = load(&text).unwrap_err();
    assert_eq!(
        errors,
        [
            "book.toml:10:1: error[config::unknown-key]: unknown key `verison` in [preprocessor.image-uri]",
            "book.toml:6:12: error[image-uri::unknown-region]: the registry's Region `moon-1` is not an AWS Region code",
            "book.toml:7:14: error[image-uri::bad-repository]: `Certograph/ResponderAPI` is not an Amazon ECR repository name",
            "book.toml:9:7: error[image-uri::bad-tag]: unknown placeholder `{release}` in the tag pattern",
            "book.toml:20:7: error[image-uri::bad-architecture]: `ecs` for arm64 must be `ARM64`, not `X86_64`",
            "book.toml:11:25: error[image-uri::unknown-region]: `eu-west-9` is not an AWS Region code",
            "book.toml:11:38: error[image-uri::duplicate-region]: Region `us-east-1` is listed twice",
        ]
    );
}

#[test]
fn missing_settings_point_at_the_table_header() {
    let text = "[preprocessor.image-uri]\ncommand = \"x\"\nversion = \"1.0.4\"\n";
    let errors = load(text).unwrap_err();
    assert_eq!(
        errors,
        [
            "book.toml:1:1: error[image-uri::missing-setting]: [preprocessor.image-uri] has no `registry`",
            "book.toml:1:1: error[image-uri::missing-setting]: [preprocessor.image-uri] has no `repository`",
            "book.toml:1:1: error[image-uri::missing-setting]: [preprocessor.image-uri] has no `architectures`",
            "book.toml:1:1: error[image-uri::missing-setting]: [preprocessor.image-uri] has no `regions`",
        ]
    );
}

#[test]
fn an_image_longer_than_ecs_accepts_is_refused() {
    let long = format!("certograph/{}", "r".repeat(240));
    let errors = load(&GOOD.replace("certograph/responderapi", &long)).unwrap_err();
    assert_eq!(
        errors,
        [
            "book.toml:7:14: error[image-uri::uri-too-long]: the amd64 image URI is 308 characters long; ECS accepts at most 255",
            "book.toml:7:14: error[image-uri::uri-too-long]: the arm64 image URI is 308 characters long; ECS accepts at most 255",
        ]
    );
}

#[test]
fn a_tag_pattern_without_the_version_would_hide_a_version_bump() {
    let errors = load(&GOOD.replace("{version}-{arch}", "latest-{arch}")).unwrap_err();
    assert_eq!(
        errors,
        [
            "book.toml:9:7: error[image-uri::bad-tag]: the tag pattern `latest-{arch}` does not use `{version}`"
        ]
    );
}

#[test]
fn text_equal_to_a_directives_output_names_that_directive() {
    use crate::checks::image_uri::hand_written::directive_for;
    let release = load(GOOD).unwrap();
    let arm = release.uri("arm64").unwrap();
    assert_eq!(
        directive_for(&arm, &release).as_deref(),
        Some("{{#image-uri arm64}}")
    );
    assert_eq!(
        directive_for(&release.registry, &release).as_deref(),
        Some("{{#image-registry}}")
    );
    // An older version, or a URI cut short, is no directive's output.
    assert_eq!(
        directive_for(&arm.replace("1.0.4", "1.0.3"), &release),
        None
    );
    assert_eq!(directive_for(&arm[..arm.len() - 1], &release), None);
}

use super::*;

use crate::model::release::SAMPLE as TOML;

fn release() -> Release {
    let doc: toml::Table = toml::from_str(TOML).unwrap();
    let table = doc["preprocessor"]["image-uri"].as_table().unwrap();
    crate::model::release::from_table(table, &crate::model::config::BookToml::new(TOML)).unwrap()
}

fn templates(name: &str) -> Result<String, TemplateError> {
    match name {
        "task-definition.json" | "task-definition" => Ok(
            "{\n  \"image\": \"${ImageUri}\",\n  \"cpuArchitecture\": \"${CpuArchitecture}\",\n  \"region\": \"${AWS::Region}\"\n}\n"
                .to_string(),
        ),
        "../book.toml" => Err(TemplateError::Outside),
        _ => Err(TemplateError::Missing(vec!["task-definition.json".into()])),
    }
}

fn run(text: &str) -> (String, Vec<(&'static str, String)>) {
    let release = release();
    let env = Env {
        release: Some(&release),
        read_template: &templates,
        release_invalid: false,
    };
    let (out, problems) = expand(text, &env, &mut Ids::new("c.md"));
    let problems = problems
        .into_iter()
        .map(|p| (p.code.as_str(), text[p.range].to_string()))
        .collect();
    (out, problems)
}

const URI_ARM: &str =
    "709825985650.dkr.ecr.us-east-1.amazonaws.com/certograph/responderapi:1.0.4-arm64";

#[test]
fn inline_directives_print_the_release_facts() {
    let (out, problems) = run(
        "`{{#image-uri arm64}}` on {{#console-platform arm64}} / {{#cpu-architecture amd64}} from {{#image-registry}}",
    );
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        out,
        format!(
            "`{URI_ARM}` on Linux/ARM64 / X86_64 from 709825985650.dkr.ecr.us-east-1.amazonaws.com"
        )
    );
}

#[test]
fn a_template_is_filled_in_for_one_architecture_and_otherwise_verbatim() {
    let (out, problems) = run("```json\n{{#template task-definition.json arm64}}\n```\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        out,
        format!(
            "```json\n{{\n  \"image\": \"{URI_ARM}\",\n  \"cpuArchitecture\": \"ARM64\",\n  \"region\": \"${{AWS::Region}}\"\n}}\n```\n"
        )
    );
}

#[test]
fn an_indented_template_keeps_every_line_in_the_list_item() {
    let (out, _) = run("1. Paste:\n\n   ```json\n   {{#template task-definition amd64}}\n   ```\n");
    assert!(out.contains("\n   {\n     \"image\""), "{out}");
    assert!(out.ends_with("   }\n   ```\n"), "{out}");
}

#[test]
fn the_region_table_lists_book_toml_regions_with_their_names() {
    let (out, _) = run("Offered in:\n\n{{#regions}}\n");
    assert_eq!(
        out,
        "Offered in:\n\n| Region | Code |\n| --- | --- |\n| US East (N. Virginia) | `us-east-1` |\n| Europe (Ireland) | `eu-west-1` |\n"
    );
}

#[test]
fn image_uris_is_a_tab_group_with_uri_console_label_and_runtime_platform() {
    let (out, problems) = run("{{#image-uris}}\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert!(out.starts_with("<div class=\"arch-group\" data-arch-group>\n"));
    assert!(out.contains(&format!("```text\n{URI_ARM}\n```")));
    assert!(out.contains("**Operating system/Architecture**: `Linux/ARM64`"));
    assert!(out.contains("`\"runtimePlatform\": {\"cpuArchitecture\": \"ARM64\", \"operatingSystemFamily\": \"LINUX\"}`"));
    assert_eq!(out.matches("role=\"tabpanel\"").count(), 2);
}

#[test]
fn bad_directives_are_left_as_written_and_reported() {
    let text = "\
{{#image-uri}}
{{#image-uri x86_64}}
{{#image-uri amd64 arm64}}
{{#cpu-architecture risc}}
See {{#regions}} here
{{#image-uris arm64}}
{{#template task-definition.json}}
{{#template ../book.toml amd64}}
{{#template nothing.json amd64}}
";
    let (out, problems) = run(text);
    assert_eq!(out, text, "nothing is expanded from a bad directive");
    let got: Vec<_> = problems.iter().map(|(c, t)| (*c, t.as_str())).collect();
    assert_eq!(
        got,
        [
            ("image-uri::bad-arguments", "{{#image-uri}}"),
            ("image-uri::unknown-architecture", "{{#image-uri x86_64}}"),
            ("image-uri::bad-arguments", "{{#image-uri amd64 arm64}}"),
            (
                "image-uri::unknown-architecture",
                "{{#cpu-architecture risc}}"
            ),
            ("image-uri::not-alone", "{{#regions}}"),
            ("image-uri::bad-arguments", "{{#image-uris arm64}}"),
            (
                "image-uri::bad-arguments",
                "{{#template task-definition.json}}"
            ),
            (
                "image-uri::template-outside",
                "{{#template ../book.toml amd64}}"
            ),
            (
                "image-uri::missing-template",
                "{{#template nothing.json amd64}}"
            ),
        ]
    );
}

#[test]
fn without_release_facts_each_directive_says_so_once_broken_facts_stay_quiet() {
    let text = "{{#image-uri amd64}} {{#regions}}";
    let env = Env {
        release: None,
        read_template: &templates,
        release_invalid: false,
    };
    let (_, problems) = expand(text, &env, &mut Ids::new("c.md"));
    let codes: Vec<_> = problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, ["image-uri::no-release", "image-uri::no-release"]);
    let env = Env {
        release_invalid: true,
        ..env
    };
    let (out, problems) = expand(text, &env, &mut Ids::new("c.md"));
    assert!(
        problems.is_empty(),
        "book.toml's own diagnostics explain it"
    );
    assert_eq!(out, text);
}

#[test]
fn near_misses_of_our_names_are_caught_other_directives_are_not() {
    let text = "{{#image-url amd64}} {{#cpu-arch arm64}} {{#regionss}}\n{{#include x.md}} {{#procedure p}} \\{{#imageuri amd64}} {{#arches}}\n";
    let found: Vec<_> =
        crate::model::directive::unknown(text, &crate::model::directive::registry())
            .into_iter()
            .map(|p| (text[p.range].to_string(), p.hint.unwrap_or_default()))
            .collect();
    assert_eq!(
        found,
        [
            (
                "{{#image-url amd64}}".to_string(),
                "did you mean `{{#image-uri}}`?".to_string()
            ),
            (
                "{{#cpu-arch arm64}}".to_string(),
                "did you mean `{{#cpu-architecture}}`?".to_string()
            ),
            (
                "{{#regionss}}".to_string(),
                "did you mean `{{#regions}}`?".to_string()
            ),
            (
                "{{#arches}}".to_string(),
                "did you mean `{{#arch}}`?".to_string()
            ),
        ]
    );
}

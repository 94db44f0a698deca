use super::*;
use crate::diagnostics::{Code, Diagnostics, Edit};
use serde_json::Value;

fn schema() -> jsonschema::Validator {
    let text = include_str!("../../../data/sarif/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(text).unwrap();
    jsonschema::validator_for(&schema).expect("the vendored SARIF schema compiles")
}

fn schema_errors(document: &Value) -> Vec<String> {
    schema()
        .iter_errors(document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// A report with a hint, a related location, a code outside the table and
/// characters that take two UTF-16 code units.
fn sample() -> Vec<Diagnostic> {
    let text = "intro\n😀 é [setup](setup.md#nowhere).\n";
    let at = text.find("[setup]").unwrap();
    let other = "# Setup\n";
    let mut diags = Diagnostics::new();
    diags.push(
        Diagnostic::raise(
            crate::checks::links::targets::LINKS_MISSING_ANCHOR,
            Location::in_text("src/my chapter.md", text, at..at + 26),
            "no heading `#nowhere` in `setup.md`",
        )
        .with_hint("did you mean `#setup`?")
        .with_related(
            Location::in_text("src/setup.md", other, 0..7),
            "the page's headings",
        )
        .with_fixes(
            Edit::in_text(
                "src/my chapter.md",
                text,
                at + 17..at + 24,
                "setup".to_string(),
            )
            .into_iter()
            .collect(),
        ),
    );
    diags.push(Diagnostic::raise(
        Code::test_warning("links::style"),
        Location::file("theme/z.css"),
        "a warning",
    ));
    diags.into_sorted()
}

#[test]
fn the_report_is_valid_sarif_2_1_0() {
    let document = document(&sample());
    assert_eq!(schema_errors(&document), Vec::<String>::new());
    assert_eq!(schema_errors(&super::document(&[])), Vec::<String>::new());
    assert_eq!(document["version"], "2.1.0");
    assert_eq!(document["$schema"], SCHEMA_URI);
}

#[test]
fn the_schema_check_rejects_a_broken_report() {
    let mut document = document(&sample());
    document["runs"][0]["results"][0]["level"] = json!("fatal");
    document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        json!(0);
    let errors = schema_errors(&document);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("/runs/0/results/0/"), "{errors:?}");
}

#[test]
fn rules_are_the_code_table_with_its_help_text() {
    let document = document(&sample());
    let rules = document["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), codes::all().len());
    for (rule, code) in rules.iter().zip(codes::all()) {
        let help = code.help();
        assert_eq!(rule["id"], code.as_str());
        assert_eq!(rule["help"]["text"], *help);
        assert_eq!(rule["shortDescription"]["text"], *help);
    }
    let result = &document["runs"][0]["results"][0];
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "links::missing-anchor");
    assert_eq!(
        rules[index]["help"]["text"],
        "a `#fragment` that names no heading or `id` on its page"
    );
    // A code outside the table names its rule by id only.
    let outside = &document["runs"][0]["results"][1];
    assert_eq!(outside["ruleId"], "links::style");
    assert!(outside.get("ruleIndex").is_none());
}

#[test]
fn results_sit_at_their_region_in_code_points() {
    let document = document(&sample());
    let run = &document["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let result = &run["results"][0];
    assert_eq!(result["level"], "error");
    assert_eq!(result["ruleId"], "links::missing-anchor");
    assert_eq!(
        result["message"]["text"],
        "no heading `#nowhere` in `setup.md`\nhelp: did you mean `#setup`?"
    );
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"],
        json!({ "uri": "src/my%20chapter.md", "uriBaseId": "%SRCROOT%" })
    );
    // `😀` is one code point (two UTF-16 units): `[` is the fifth character.
    assert_eq!(
        location["region"],
        json!({
            "startLine": 2,
            "startColumn": 5,
            "endColumn": 31,
            "snippet": { "text": "😀 é [setup](setup.md#nowhere)." },
        })
    );
    assert_eq!(
        result["relatedLocations"],
        json!([{
            "id": 1,
            "physicalLocation": {
                "artifactLocation": { "uri": "src/setup.md", "uriBaseId": "%SRCROOT%" },
                "region": {
                    "startLine": 1, "startColumn": 1, "endColumn": 8,
                    "snippet": { "text": "# Setup" },
                },
            },
            "message": { "text": "the page's headings" },
        }])
    );
    let edit_at = "intro\n😀 é [setup](setup.md#".len();
    assert_eq!(
        result["fixes"],
        json!([{
            "description": { "text": "the one right answer (`responder-docs fix`)" },
            "artifactChanges": [{
                "artifactLocation": { "uri": "src/my%20chapter.md", "uriBaseId": "%SRCROOT%" },
                "replacements": [{
                    "deletedRegion": { "byteOffset": edit_at, "byteLength": 7 },
                    "insertedContent": { "text": "setup" },
                }],
            }],
        }])
    );
    // A whole-file location is its first line, with no column span.
    let whole = &run["results"][1];
    assert_eq!(whole["level"], "warning");
    assert_eq!(
        whole["locations"][0]["physicalLocation"]["region"],
        json!({ "startLine": 1 })
    );
    assert!(whole.get("relatedLocations").is_none());
    assert!(whole.get("fixes").is_none());
}

#[test]
fn render_is_the_document_as_pretty_json() {
    let text = crate::diagnostics::render(&sample(), crate::diagnostics::Format::Sarif, false);
    let parsed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed, document(&sample()));
    assert!(text.ends_with("}\n"));
}

//! `--format sarif` on real problems: valid SARIF 2.1.0 (checked against the
//! vendored OASIS schema), one result per diagnostic of the JSON report, at
//! the same place.

use responder_docs_tests::{fixture, run};
use serde_json::Value;

fn schema() -> jsonschema::Validator {
    let path =
        responder_docs_tests::repo_root().join("preprocessors/data/sarif/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn reports(book: &str) -> (Value, Value) {
    let book = fixture(book);
    let book = book.to_str().unwrap();
    let sarif = run(&["check", book, "--format", "sarif"]);
    let json = run(&["check", book, "--format", "json"]);
    assert_eq!(sarif.code, json.code);
    (
        serde_json::from_str(&sarif.stdout).unwrap(),
        serde_json::from_str(&json.stdout).unwrap(),
    )
}

/// `path:line:col-end code` for each SARIF result and each JSON diagnostic.
fn places(sarif: &Value, json: &Value) -> (Vec<String>, Vec<String>) {
    let from_sarif = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let at = &r["locations"][0]["physicalLocation"];
            let region = &at["region"];
            format!(
                "{}:{}:{}-{} {} {}",
                at["artifactLocation"]["uri"].as_str().unwrap(),
                region["startLine"],
                region["startColumn"],
                region["endColumn"],
                r["ruleId"].as_str().unwrap(),
                r.get("relatedLocations")
                    .map_or(0, |l| l.as_array().unwrap().len()),
            )
        })
        .collect();
    let from_json = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}-{} {} {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["end_column"],
                d["code"].as_str().unwrap(),
                d.get("related").map_or(0, |l| l.as_array().unwrap().len()),
            )
        })
        .collect();
    (from_sarif, from_json)
}

#[test]
fn broken_books_report_valid_sarif_at_the_same_places_as_json() {
    let validator = schema();
    for book in [
        "links/broken",
        "procedures/drift",
        "fix/book",
        "procedures/clean",
    ] {
        let (sarif, json) = reports(book);
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert_eq!(errors, Vec::<String>::new(), "{book}");
        let (from_sarif, from_json) = places(&sarif, &json);
        assert_eq!(from_sarif, from_json, "{book}");
        if book != "procedures/clean" {
            assert!(!from_sarif.is_empty(), "{book} reports its problems");
        }
    }
}

#[test]
fn related_locations_carry_their_place_and_message() {
    let (sarif, json) = reports("procedures/drift");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let (result, diagnostic) = results
        .iter()
        .zip(diagnostics)
        .find(|(r, _)| r.get("relatedLocations").is_some())
        .expect("the drift fixture has a problem with a related place");
    let related = &result["relatedLocations"][0];
    let expected = &diagnostic["related"][0];
    assert_eq!(related["id"], 1);
    assert_eq!(related["message"]["text"], expected["message"]);
    let at = &related["physicalLocation"];
    assert_eq!(at["artifactLocation"]["uri"], expected["path"]);
    assert_eq!(at["region"]["startLine"], expected["line"]);
    assert_eq!(at["region"]["startColumn"], expected["column"]);
}

#[test]
fn problems_with_one_right_answer_carry_the_fix_as_byte_replacements() {
    let (sarif, _) = reports("fix/book");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let fixed: Vec<&str> = results
        .iter()
        .filter(|r| r.get("fixes").is_some())
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(
        fixed,
        [
            "config::unknown-key",
            "config::unknown-key",
            "image-uri::hand-written-uri",
            "image-uri::hand-written-uri",
            "procedures::numbering",
            "image-uri::unknown-directive",
            "image-uri::unknown-directive",
            "links::missing-anchor",
            "links::missing-anchor",
        ]
    );
    // The renumbering is one fix of two replacements, each at its digits.
    let numbering = results
        .iter()
        .find(|r| r["ruleId"] == "procedures::numbering")
        .unwrap();
    let changes = &numbering["fixes"][0]["artifactChanges"];
    let text = std::fs::read_to_string(fixture("fix/book/src/deploy.md")).unwrap();
    let replaced: Vec<(String, &str)> = changes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["artifactLocation"]["uri"], "src/deploy.md");
            let region = &c["replacements"][0]["deletedRegion"];
            let start = region["byteOffset"].as_u64().unwrap() as usize;
            let len = region["byteLength"].as_u64().unwrap() as usize;
            let new = c["replacements"][0]["insertedContent"]["text"]
                .as_str()
                .unwrap();
            (text[start..start + len].to_string(), new)
        })
        .collect();
    assert_eq!(replaced, [("4".to_string(), "3"), ("5".to_string(), "4")]);
}

#[test]
fn a_book_that_cannot_be_read_still_gets_a_valid_sarif_log() {
    let empty = tempfile::tempdir().unwrap();
    let run = run(&["check", empty.path().to_str().unwrap(), "--format", "sarif"]);
    assert_eq!(run.code, 2);
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    let errors: Vec<String> = schema()
        .iter_errors(&sarif)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["level"], "error");
}

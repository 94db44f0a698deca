//! The SARIF 2.1.0 rendering, for GitHub code scanning and other SARIF
//! viewers: one run whose rules are the code table (with its help text) and
//! whose results sit at their region, with their related locations and,
//! for problems with one right answer, the fix.
//!
//! Our columns count characters; SARIF's default `columnKind` counts UTF-16
//! code units, so the run declares `unicodeCodePoints` instead of converting.

use super::{Diagnostic, Severity, codes};
use crate::diagnostics::location::Location;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::{Value, json};

/// The schema every report names (and the tests validate against).
pub(crate) const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Base the result paths are relative to: the book root, which GitHub
/// resolves against the checkout.
const SRCROOT: &str = "%SRCROOT%";

/// Characters a path segment cannot carry as they are in a URI reference.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

pub(crate) fn render(diagnostics: &[Diagnostic]) -> String {
    let mut text =
        serde_json::to_string_pretty(&document(diagnostics)).expect("JSON values always serialise");
    text.push('\n');
    text
}

/// The whole SARIF log as a JSON value.
pub(crate) fn document(diagnostics: &[Diagnostic]) -> Value {
    let rules: Vec<Value> = codes::all()
        .iter()
        .map(|code| {
            let help = code.help();
            json!({
                "id": code.as_str(),
                "shortDescription": { "text": help },
                "fullDescription": { "text": help },
                "help": { "text": help },
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "responder-docs",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": diagnostics.iter().map(result).collect::<Vec<_>>(),
        }],
    })
}

fn result(d: &Diagnostic) -> Value {
    let mut text = d.message.clone();
    if let Some(hint) = &d.hint {
        text.push_str("\nhelp: ");
        text.push_str(hint);
    }
    let mut result = json!({
        "ruleId": d.code.as_str(),
        "level": match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "message": { "text": text },
        "locations": [{ "physicalLocation": physical(&d.location) }],
    });
    if let Some(index) = codes::all().iter().position(|code| *code == d.code) {
        result["ruleIndex"] = json!(index);
    }
    if !d.fixes.is_empty() {
        result["fixes"] = json!([fix(d)]);
    }
    if !d.related.is_empty() {
        result["relatedLocations"] = d
            .related
            .iter()
            .enumerate()
            .map(|(id, related)| {
                json!({
                    "id": id + 1,
                    "physicalLocation": physical(&related.location),
                    "message": { "text": related.message },
                })
            })
            .collect();
    }
    result
}

/// The edits `responder-docs fix` would make, as one SARIF fix (byte
/// regions: an edit's range is in bytes of the file as written).
fn fix(d: &Diagnostic) -> Value {
    let changes: Vec<Value> = d
        .fixes
        .iter()
        .map(|edit| {
            json!({
                "artifactLocation": { "uri": uri(&edit.path), "uriBaseId": SRCROOT },
                "replacements": [{
                    "deletedRegion": {
                        "byteOffset": edit.range.start,
                        "byteLength": edit.range.len(),
                    },
                    "insertedContent": { "text": edit.replacement },
                }],
            })
        })
        .collect();
    json!({
        "description": { "text": "the one right answer (`responder-docs fix`)" },
        "artifactChanges": changes,
    })
}

fn physical(location: &Location) -> Value {
    let mut region = json!({ "startLine": location.line });
    // A whole-file location has no span; a region of its first line only.
    if location.end_column > location.column {
        region["startColumn"] = json!(location.column);
        region["endColumn"] = json!(location.end_column);
    }
    if !location.line_text.is_empty() {
        region["snippet"] = json!({ "text": location.line_text });
    }
    json!({
        "artifactLocation": { "uri": uri(&location.path), "uriBaseId": SRCROOT },
        "region": region,
    })
}

/// A relative URI reference for a `/`-separated path.
fn uri(path: &str) -> String {
    path.split('/')
        .map(|segment| utf8_percent_encode(segment, PATH_SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests;

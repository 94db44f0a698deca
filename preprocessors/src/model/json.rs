//! The one JSON reader for policies, templates and data: serde_json for the
//! value, and one walk of the text for where each value sits, by JSON
//! pointer (serde_json keeps no spans; schema errors, lints and template
//! checks name values by pointer). The same walk finds repeated keys, which
//! serde_json silently merges. Nesting is limited, so no input exhausts the stack.

use serde_json::Value;
use std::collections::HashMap;
use std::ops::Range;

/// A syntax error, at a byte range of the text (a character wide).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub range: Range<usize>,
    /// serde_json's message without its " at line L column C".
    pub message: String,
}

/// Parses `text` and indexes it. serde_json's columns count bytes; the
/// error's range is on a character boundary, so locations count characters.
pub(crate) fn parse(text: &str) -> Result<(Value, Index), SyntaxError> {
    match serde_json::from_str(text) {
        Ok(value) => Ok((value, Index::new(text))),
        Err(error) => {
            let range = if error.line() == 0 {
                0..0
            } else {
                let line_start = crate::diagnostics::location::offset_of(text, error.line(), 1);
                let mut at = (line_start + error.column().saturating_sub(1)).min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let width = text[at..].chars().next().map_or(0, char::len_utf8);
                at..at + width
            };
            let full = error.to_string();
            let message = match full.rfind(" at line ") {
                Some(i) => full[..i].to_string(),
                None => full,
            };
            Err(SyntaxError { range, message })
        }
    }
}

/// One value of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node {
    /// The member's key, quotes included, when the value is an object member.
    pub key: Option<Range<usize>>,
    /// The value itself, from its first to past its last byte.
    pub value: Range<usize>,
}

/// A key that appears twice in one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    /// The repeated key, quotes included.
    pub range: Range<usize>,
    /// Where it first appeared.
    pub first: Range<usize>,
}

#[derive(Debug, Default, Clone)]
pub struct Index {
    nodes: HashMap<String, Node>,
    pub duplicates: Vec<DuplicateKey>,
}

impl Index {
    /// Indexes `text`. Meant for text serde_json already accepted; on
    /// anything else it stops early and keeps what it found, never panics.
    pub fn new(text: &str) -> Self {
        let mut scanner = Scanner {
            bytes: text.as_bytes(),
            text,
            at: 0,
            index: Index::default(),
            depth: 0,
        };
        scanner.skip_ws();
        let _ = scanner.value(String::new(), None);
        scanner.index
    }

    /// The value at a JSON pointer (`""` is the whole document).
    #[cfg(test)]
    pub(crate) fn get(&self, pointer: &str) -> Option<&Node> {
        self.nodes.get(pointer)
    }

    /// The byte range a diagnostic about `pointer` should underline: the
    /// value, or the nearest indexed ancestor when the pointer is unknown.
    pub fn value_range(&self, pointer: &str) -> Range<usize> {
        let mut p = pointer;
        loop {
            if let Some(node) = self.nodes.get(p) {
                return node.value.clone();
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return 0..0,
            }
        }
    }

    /// The key of a member (for "this key is not allowed"), else its value.
    pub(crate) fn key_range(&self, pointer: &str) -> Range<usize> {
        match self.nodes.get(pointer) {
            Some(Node { key: Some(key), .. }) => key.clone(),
            _ => self.value_range(pointer),
        }
    }

    /// Where a diagnostic about `pointer` belongs: the member's key (an
    /// element's value), else the same for the nearest ancestor indexed.
    pub(crate) fn name_range(&self, pointer: &str) -> Option<Range<usize>> {
        let mut p = pointer;
        loop {
            if let Some(node) = self.nodes.get(p) {
                return Some(node.key.clone().unwrap_or_else(|| node.value.clone()));
            }
            p = &p[..p.rfind('/')?];
        }
    }
}

/// A JSON pointer segment, escaped (`~` → `~0`, `/` → `~1`).
pub(crate) fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Deeper nesting than any policy needs; stops a hostile input from
/// exhausting the stack (serde_json itself stops at 128).
const MAX_DEPTH: usize = 200;

struct Scanner<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    index: Index,
    depth: usize,
}

impl Scanner<'_> {
    fn skip_ws(&mut self) {
        while self.at < self.bytes.len()
            && matches!(self.bytes[self.at], b' ' | b'\t' | b'\n' | b'\r')
        {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Scans one value starting at `self.at` and records it under `pointer`.
    fn value(&mut self, pointer: String, key: Option<Range<usize>>) -> Option<()> {
        let start = self.at;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'{' => self.object(&pointer)?,
            b'[' => self.array(&pointer)?,
            b'"' => {
                self.string()?;
            }
            _ => {
                while self.at < self.bytes.len()
                    && !matches!(
                        self.bytes[self.at],
                        b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'
                    )
                {
                    self.at += 1;
                }
                if self.at == start {
                    return None;
                }
            }
        }
        self.depth -= 1;
        self.index.nodes.insert(
            pointer,
            Node {
                key,
                value: start..self.at,
            },
        );
        Some(())
    }

    /// Skips a string literal, returning its range (quotes included).
    fn string(&mut self) -> Option<Range<usize>> {
        let start = self.at;
        self.at += 1;
        loop {
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(start..self.at);
                }
                b'\\' => self.at += 2,
                _ => self.at += 1,
            }
        }
    }

    fn object(&mut self, pointer: &str) -> Option<()> {
        self.at += 1;
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        self.skip_ws();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            self.skip_ws();
            if self.peek()? != b'"' {
                return None;
            }
            let key_range = self.string()?;
            let key = decode(&self.text[key_range.clone()])?;
            if let Some(first) = seen.get(&key) {
                self.index.duplicates.push(DuplicateKey {
                    key: key.clone(),
                    range: key_range.clone(),
                    first: first.clone(),
                });
            } else {
                seen.insert(key.clone(), key_range.clone());
            }
            self.skip_ws();
            if self.peek()? != b':' {
                return None;
            }
            self.at += 1;
            self.skip_ws();
            let child = format!("{pointer}/{}", escape(&key));
            // The first occurrence keeps the pointer: it is the one a reader
            // sees first, and the duplicate gets its own diagnostic.
            if self.index.nodes.contains_key(&child) {
                let saved = std::mem::take(&mut self.index.nodes);
                let scanned = self.value(child, Some(key_range));
                self.index.nodes = saved;
                scanned?;
            } else {
                self.value(child, Some(key_range))?;
            }
            self.skip_ws();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, pointer: &str) -> Option<()> {
        self.at += 1;
        self.skip_ws();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(());
        }
        let mut i = 0usize;
        loop {
            self.skip_ws();
            self.value(format!("{pointer}/{i}"), None)?;
            i += 1;
            self.skip_ws();
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
}

/// A JSON string literal's value.
fn decode(literal: &str) -> Option<String> {
    if !literal.contains('\\') {
        return literal
            .get(1..literal.len().checked_sub(1)?)
            .map(str::to_string);
    }
    serde_json::from_str(literal).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", "Action": ["a:B", "c:D"], "a/b~": 1 }
  ]
}"#;

    fn at<'a>(text: &'a str, range: &Range<usize>) -> &'a str {
        &text[range.clone()]
    }

    #[test]
    fn pointers_map_to_keys_and_values() {
        let index = Index::new(DOC);
        assert_eq!(at(DOC, &index.get("").unwrap().value), DOC);
        let version = index.get("/Version").unwrap();
        assert_eq!(at(DOC, version.key.as_ref().unwrap()), "\"Version\"");
        assert_eq!(at(DOC, &version.value), "\"2012-10-17\"");
        assert_eq!(
            at(DOC, &index.value_range("/Statement/0/Action/1")),
            "\"c:D\""
        );
        assert_eq!(at(DOC, &index.value_range("/Statement/0/a~1b~0")), "1");
        assert_eq!(
            at(DOC, &index.key_range("/Statement/0/Effect")),
            "\"Effect\""
        );
    }

    #[test]
    fn unknown_pointers_fall_back_to_the_nearest_ancestor() {
        let index = Index::new(DOC);
        assert_eq!(
            at(DOC, &index.value_range("/Statement/0/Resource")),
            at(DOC, &index.get("/Statement/0").unwrap().value)
        );
    }

    #[test]
    fn repeated_keys_are_found_and_the_first_keeps_the_pointer() {
        let text = r#"{"Effect": "Allow", "E\u0066fect": "Deny"}"#;
        let index = Index::new(text);
        assert_eq!(index.duplicates.len(), 1);
        let dup = &index.duplicates[0];
        assert_eq!(dup.key, "Effect");
        assert_eq!(at(text, &dup.range), r#""E\u0066fect""#);
        assert_eq!(at(text, &dup.first), r#""Effect""#);
        assert_eq!(at(text, &index.get("/Effect").unwrap().value), "\"Allow\"");
    }

    #[test]
    fn syntax_errors_are_a_character_wide_at_a_character_boundary() {
        let text = "{\n  \"é\": ,\n}";
        let error = parse(text).unwrap_err();
        assert_eq!(&text[error.range.clone()], ",");
        let loc = crate::diagnostics::location::Location::in_text("t.json", text, error.range);
        assert_eq!((loc.line, loc.column), (2, 8), "characters, not bytes");
        assert_eq!(error.message, "expected value");
        let (value, index) = parse(DOC).unwrap();
        assert_eq!(value["Version"], "2012-10-17");
        assert_eq!(
            at(DOC, &index.name_range("/Statement/0/Nothing/3").unwrap()),
            at(DOC, &index.get("/Statement/0").unwrap().value)
        );
        assert_eq!(
            at(DOC, &index.name_range("/Version").unwrap()),
            "\"Version\""
        );
        assert_eq!(Index::new("").name_range("/x"), None);
    }

    #[test]
    fn broken_or_hostile_input_never_panics() {
        for text in [
            "", "{", "{\"a\"", "[1,", "\"abc", "{\"a\":}", "]", "{\"\\", "\u{e9}",
        ] {
            let _ = Index::new(text);
        }
        let deep = "[".repeat(100_000);
        let _ = Index::new(&deep);
    }
}

//! Where each value of a JSON text sits, by JSON pointer, so a diagnostic
//! can name `templates/task-definition.json:6:3`. serde_json keeps no
//! positions, so this small scanner walks the text once; it never fails:
//! on malformed input it returns what it indexed so far (serde_json reports
//! the syntax error itself).

use std::collections::HashMap;
use std::ops::Range;

/// Pointer → byte range: an object member's key, an array element's value,
/// and for the root `""` the whole first value.
pub fn index(text: &str) -> HashMap<String, Range<usize>> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        text,
        at: 0,
        found: HashMap::new(),
    };
    scanner.skip_ws();
    let start = scanner.at;
    scanner.value("");
    scanner
        .found
        .insert(String::new(), start..scanner.at.max(start + 1));
    scanner.found
}

/// Escapes one key as a JSON pointer token.
pub fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

struct Scanner<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    found: HashMap<String, Range<usize>>,
}

impl Scanner<'_> {
    fn skip_ws(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn value(&mut self, pointer: &str) -> Option<()> {
        self.skip_ws();
        match *self.bytes.get(self.at)? {
            b'{' => self.object(pointer),
            b'[' => self.array(pointer),
            b'"' => self.string().map(|_| ()),
            _ => {
                while self
                    .bytes
                    .get(self.at)
                    .is_some_and(|b| !b",]} \t\r\n".contains(b))
                {
                    self.at += 1;
                }
                Some(())
            }
        }
    }

    fn object(&mut self, pointer: &str) -> Option<()> {
        self.at += 1;
        loop {
            self.skip_ws();
            match *self.bytes.get(self.at)? {
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                b',' => self.at += 1,
                b'"' => {
                    let key_range = self.string()?;
                    let key: String = serde_json::from_str(&self.text[key_range.clone()]).ok()?;
                    let child = format!("{pointer}/{}", token(&key));
                    self.found.insert(child.clone(), key_range);
                    self.skip_ws();
                    if self.bytes.get(self.at) != Some(&b':') {
                        return None;
                    }
                    self.at += 1;
                    self.value(&child)?;
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, pointer: &str) -> Option<()> {
        self.at += 1;
        let mut index = 0;
        loop {
            self.skip_ws();
            match *self.bytes.get(self.at)? {
                b']' => {
                    self.at += 1;
                    return Some(());
                }
                b',' => self.at += 1,
                _ => {
                    let child = format!("{pointer}/{index}");
                    let start = self.at;
                    self.value(&child)?;
                    self.found.insert(child, start..self.at);
                    index += 1;
                }
            }
        }
    }

    /// The range of a string literal, quotes included.
    fn string(&mut self) -> Option<Range<usize>> {
        let start = self.at;
        self.at += 1;
        loop {
            match *self.bytes.get(self.at)? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Some(start..self.at);
                }
                _ => self.at += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_point_at_their_keys_and_elements_at_their_values() {
        let text =
            "{\n  \"cpu\": \"512\",\n  \"a/b\": [1, {\"x~\": true}],\n  \"s\": \"q\\\"}\"\n}";
        let found = index(text);
        assert_eq!(&text[found["/cpu"].clone()], "\"cpu\"");
        assert_eq!(&text[found["/a~1b/0"].clone()], "1");
        assert_eq!(&text[found["/a~1b/1/x~0"].clone()], "\"x~\"");
        assert_eq!(&text[found["/s"].clone()], "\"s\"");
        assert_eq!(found[""].start, 0);
    }

    #[test]
    fn malformed_text_keeps_what_was_found() {
        let found = index("{\"a\": 1, \"b\": [");
        assert!(found.contains_key("/a") && found.contains_key("/b"));
        assert_eq!(index("").len(), 1);
    }
}

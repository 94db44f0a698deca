//! `{{#name args}}` directives, found the way mdBook finds `{{#include}}`:
//! textually, anywhere in a chapter (code blocks included, so a directive can
//! fill in a JSON listing), with `\{{#` as the escape that mdBook's own
//! `links` preprocessor later unescapes.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive<'a> {
    pub name: &'a str,
    /// Whitespace-separated arguments, as written.
    pub args: Vec<&'a str>,
    /// The whole `{{#…}}`, in bytes.
    pub range: Range<usize>,
}

/// Every directive in `text` whose name is one of `names`, in order. One
/// pass: each `}}` is looked for on its own line only, and a line whose rest
/// has no `}}` is skipped whole, so no input costs more than linear time.
pub fn find<'a>(text: &'a str, names: &[&str]) -> Vec<Directive<'a>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("{{#") {
        let start = from + i;
        from = start + 3;
        let line_end = text[from..].find('\n').map_or(text.len(), |n| from + n);
        // A directive sits on one line; anything else is prose with braces.
        let Some(len) = text[from..line_end].find("}}") else {
            from = line_end;
            continue;
        };
        if text[..start].ends_with('\\') {
            continue;
        }
        let inner = &text[from..from + len];
        let mut words = inner.split_whitespace();
        let Some(name) = words.next() else { continue };
        if !names.contains(&name) {
            continue;
        }
        let end = from + len + 2;
        found.push(Directive {
            name,
            args: words.collect(),
            range: start..end,
        });
        from = end;
    }
    found
}

/// Replaces each directive with what `expand` returns for it.
pub fn replace<'a>(
    text: &'a str,
    names: &[&str],
    mut expand: impl FnMut(&Directive<'a>) -> String,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for directive in find(text, names) {
        out.push_str(&text[last..directive.range.start]);
        out.push_str(&expand(&directive));
        last = directive.range.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_named_directives_with_arguments_and_ranges() {
        let text = "a {{#iam-policy task-role}} b {{#include x.md}} {{ #image-uri arm64 }}";
        let found = find(text, &["iam-policy", "image-uri"]);
        assert_eq!(
            found.len(),
            1,
            "a space after `{{{{` is not a directive of ours"
        );
        assert_eq!(found[0].name, "iam-policy");
        assert_eq!(found[0].args, ["task-role"]);
        assert_eq!(&text[found[0].range.clone()], "{{#iam-policy task-role}}");
    }

    #[test]
    fn escaped_and_unterminated_directives_are_left_alone() {
        let text = r"\{{#image-uri arm64}} {{#image-uri";
        assert!(find(text, &["image-uri"]).is_empty());
    }

    #[test]
    fn replace_keeps_everything_else() {
        let out = replace("x {{#v a}} y {{#v b c}}", &["v"], |d| d.args.join("+"));
        assert_eq!(out, "x a y b+c");
    }

    #[test]
    fn a_directive_never_spans_lines() {
        let text = "{{#v a\n}} {{#v b}}\n{{#other {{#v c}}";
        let found: Vec<_> = find(text, &["v"])
            .iter()
            .map(|d| d.args.join(" "))
            .collect();
        assert_eq!(found, ["b", "c"]);
    }

    #[test]
    fn a_directive_without_a_name_is_skipped() {
        assert!(find("{{#}} {{# }}", &[""]).is_empty());
    }
}

//! `{{#name args}}` directives, found the way mdBook finds `{{#include}}`:
//! textually, anywhere in a chapter (code blocks included, so a directive can
//! fill in a JSON listing), with `\{{#` as the escape that mdBook's own
//! `links` preprocessor later unescapes.
//!
//! Every directive is declared once, as a [`Spec`] beside the code that
//! expands it (each pass's `directives()`), and the one scanner here finds
//! them; [`registry`] is what the unknown-directive check compares against.

use crate::diagnostics::Problem;
use std::ops::Range;

crate::diagnostics::codes::declare! {
    IMAGE_URI_UNKNOWN_DIRECTIVE = "image-uri::unknown-directive", error: "a `{{#…}}` that no preprocessor knows (usually a misspelling)";
}

/// Where a directive may stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stands {
    /// Inside a sentence: it becomes a few words.
    Inline,
    /// Alone on its line: it becomes a block.
    Alone,
    /// Either; a block after text on the line is indented to the list item.
    Anywhere,
}

/// One directive, declared by the pass (or tool) that expands it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spec {
    pub name: &'static str,
    /// The book.toml table of the pass that expands it, or `mdbook`.
    pub owner: &'static str,
    /// Its arguments, as the README writes them (`ARCH`, `NAME [A-B]`).
    pub args: &'static str,
    pub stands: Stands,
}

/// The directives mdBook's own `links` preprocessor expands.
pub(crate) const MDBOOK: &[Spec] = &[
    Spec {
        name: "include",
        owner: "mdbook",
        args: "FILE[:ANCHOR]",
        stands: Stands::Anywhere,
    },
    Spec {
        name: "rustdoc_include",
        owner: "mdbook",
        args: "FILE[:ANCHOR]",
        stands: Stands::Anywhere,
    },
    Spec {
        name: "playground",
        owner: "mdbook",
        args: "FILE [ATTRS]",
        stands: Stands::Anywhere,
    },
    Spec {
        name: "title",
        owner: "mdbook",
        args: "TITLE",
        stands: Stands::Anywhere,
    },
];

/// Every directive a build knows: mdBook's and each pass's.
pub(crate) fn registry() -> Vec<Spec> {
    let mut all = MDBOOK.to_vec();
    for pass in crate::passes() {
        all.extend(pass.directives());
    }
    all
}

/// The names of `specs`, for [`find`].
pub(crate) fn names(specs: &[Spec]) -> Vec<&'static str> {
    specs.iter().map(|s| s.name).collect()
}

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
    find_where(text, |name| names.contains(&name))
}

/// `{{#`, searched for with SIMD: every pass scans every chapter for it.
static OPEN: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("{{#"));

/// Every directive whose name `wanted` accepts. A `{{#` whose name is not
/// wanted is skipped by its three characters only, so a directive written
/// inside it is still found.
pub(crate) fn find_where<'a>(text: &'a str, wanted: impl Fn(&str) -> bool) -> Vec<Directive<'a>> {
    let mut found = Vec::new();
    let mut from = 0;
    // The end of the line holding `from`, and the first `}}` at or after
    // `from` on it (`Some(None)`: none to the line's end). Each is searched
    // for again only once `from` has passed it, so a long line is one pass.
    let mut line_end: Option<usize> = None;
    let mut close: Option<Option<usize>> = None;
    while let Some(i) = OPEN.find(&text.as_bytes()[from..]) {
        let start = from + i;
        from = start + 3;
        let end = match line_end {
            Some(end) if from <= end => end,
            _ => {
                let end = text[from..].find('\n').map_or(text.len(), |n| from + n);
                line_end = Some(end);
                close = None;
                end
            }
        };
        let found_close = match close {
            Some(Some(c)) if c >= from => Some(c),
            Some(None) => None,
            _ => {
                let c = text[from..end].find("}}").map(|n| from + n);
                close = Some(c);
                c
            }
        };
        // A directive sits on one line; anything else is prose with braces.
        let Some(len) = found_close.map(|c| c - from) else {
            from = end;
            continue;
        };
        if text[..start].ends_with('\\') {
            continue;
        }
        let inner = &text[from..from + len];
        let mut words = inner.split_whitespace();
        let Some(name) = words.next() else { continue };
        if !wanted(name) {
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

/// The leading whitespace of the directive's line when the directive is all
/// the line holds, `None` when text stands beside it.
pub fn alone_indent<'t>(text: &'t str, range: &Range<usize>) -> Option<&'t str> {
    // Walk out from the directive over blanks only: text beside it ends the
    // walk at once, so many directives on one long line stay linear.
    let blank = |c: char| c.is_whitespace() && c != '\n';
    let indent_start = text[..range.start].trim_end_matches(blank).len();
    let after = text[range.end..].trim_start_matches(blank);
    let alone = (indent_start == 0 || text[..indent_start].ends_with('\n'))
        && (after.is_empty() || after.starts_with('\n'));
    alone.then(|| &text[indent_start..range.start])
}

/// `{{#name …}}` whose name no tool knows but is close to one that is
/// (`image-url`, `cpu-arch`): nothing would expand it and readers would get
/// the braces. Names under four characters are left alone (`{{#if}}`).
pub(crate) fn unknown(text: &str, known: &[Spec]) -> Vec<Problem> {
    let names = names(known);
    find_where(text, |name| name.len() >= 4 && !names.contains(&name))
        .into_iter()
        .filter_map(|d| {
            let near = crate::diagnostics::suggest::closest(d.name, names.iter().copied())?;
            let problem = Problem::raise(
                IMAGE_URI_UNKNOWN_DIRECTIVE,
                d.range.clone(),
                format!("unknown directive `{{{{#{}}}}}`", d.name),
            )
            .with_hint(format!("did you mean `{{{{#{near}}}}}`?"));
            // Only the name changes, and only when no other name is as likely.
            Some(
                match crate::diagnostics::suggest::only(d.name, names.iter().copied()) {
                    Some(only) => {
                        let at = d.name.as_ptr() as usize - text.as_ptr() as usize;
                        problem.with_fix(at..at + d.name.len(), only)
                    }
                    None => problem,
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_directive_is_declared_once() {
        let all = registry();
        let mut seen = std::collections::HashSet::new();
        for spec in &all {
            assert!(seen.insert(spec.name), "{} declared twice", spec.name);
        }
        for name in [
            "include",
            "iam-policy",
            "procedure",
            "value",
            "arch",
            "image-uri",
        ] {
            assert!(seen.contains(name), "{name}");
        }
    }

    #[test]
    fn alone_means_only_whitespace_beside_it() {
        let text = "a\n  {{#x}}  \nb {{#x}}\n";
        let first = text.find("{{#x}}").unwrap();
        assert_eq!(alone_indent(text, &(first..first + 6)), Some("  "));
        let second = text.rfind("{{#x}}").unwrap();
        assert_eq!(alone_indent(text, &(second..second + 6)), None);
    }

    #[test]
    fn near_misses_of_known_names_are_unknown_directives() {
        let text = "{{#inclde a.md}} {{#include a.md}} {{#if x}} {{#tabs}} \\{{#valeu k}}";
        let found: Vec<_> = unknown(text, &registry())
            .into_iter()
            .map(|p| (text[p.range].to_string(), p.hint.unwrap()))
            .collect();
        assert_eq!(
            found,
            [(
                "{{#inclde a.md}}".to_string(),
                "did you mean `{{#include}}`?".to_string()
            )]
        );
    }

    #[test]
    fn a_near_miss_with_one_candidate_is_fixed_by_its_name_alone() {
        let text = "Run {{#image-ur  arm64}} and {{#cpu-arch amd64}}.";
        let fixes: Vec<_> = unknown(text, &registry())
            .into_iter()
            .map(|p| {
                let fix = p
                    .fixes()
                    .first()
                    .map(|f| (&text[f.range.clone()], f.replacement.clone()));
                (text[p.range].to_string(), fix)
            })
            .collect();
        assert_eq!(
            fixes,
            [
                (
                    "{{#image-ur  arm64}}".to_string(),
                    Some(("image-ur", "image-uri".to_string()))
                ),
                // `cpu-architecture` and `arch` are both likely: no fix.
                ("{{#cpu-arch amd64}}".to_string(), None),
            ]
        );
    }

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

//! `{{#iam-policy NAME}}`: the policy `policies/NAME.json` as a JSON block,
//! byte for byte the file, under a header bar with the file's name and a
//! download link to the same file in the built site. Pure over text; the
//! file lookup is passed in.

use crate::model::directive;

crate::diagnostics::codes::declare! {
    POLICY_DIRECTIVE_ARGUMENTS = "policy::directive-arguments", error: "`{{#iam-policy}}` without exactly one policy name";
    POLICY_UNKNOWN_POLICY = "policy::unknown-policy", error: "`{{#iam-policy NAME}}` with no `policies/NAME.json`";
}

pub(crate) const NAME: &str = "iam-policy";

pub(crate) const DIRECTIVE: directive::Spec = directive::Spec {
    name: NAME,
    owner: NAME,
    args: "NAME",
    stands: directive::Stands::Anywhere,
};

/// What looking a policy up by name gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The file's content.
    Policy(String),
    /// No such file in `policies/`.
    Missing,
    /// The file leads out of `policies/` (a symlink out).
    Outside,
    /// The file is there but is no text (not UTF-8, a FIFO, too large): the
    /// policy checker reports it at the file, once; the directive stays.
    Unreadable,
}

pub(crate) use crate::diagnostics::Problem;

/// Expands every `{{#iam-policy NAME}}` of a chapter. `chapter` is the
/// chapter's path relative to `src/` (for the download link), `known` the
/// stems of `policies/*.json`, `find` reads one. A directive that cannot be
/// expanded stays as written and is reported.
pub fn expand(
    text: &str,
    chapter: &str,
    known: &[String],
    find: &dyn Fn(&str) -> Found,
) -> (String, Vec<Problem>) {
    let mut problems = Vec::new();
    let expanded = directive::replace(text, &[NAME], |d| {
        let written = text[d.range.clone()].to_string();
        let problem = |code, message: String, hint: String| {
            Problem::raise(code, d.range.clone(), message).with_hint(hint)
        };
        let [name] = d.args.as_slice() else {
            problems.push(problem(
                POLICY_DIRECTIVE_ARGUMENTS,
                format!(
                    "`{{{{#iam-policy}}}}` takes one policy name, found {}",
                    d.args.len()
                ),
                format!("write `{{{{#iam-policy NAME}}}}`; {}", known_list(known)),
            ));
            return written;
        };
        if let Some(why) = refused(name) {
            problems.push(problem(
                crate::checks::policy::POLICY_REFUSED_PATH,
                format!("`{name}` is refused: {why}"),
                format!("name a policy by its file stem; {}", known_list(known)),
            ));
            return written;
        }
        match find(name) {
            Found::Policy(content) => {
                block(name, &content, chapter, indent_of(text, d.range.start))
            }
            Found::Outside => {
                problems.push(problem(
                    crate::checks::policy::POLICY_REFUSED_PATH,
                    format!("`policies/{name}.json` is refused: it leads out of policies/"),
                    "keep the policy itself in policies/, not a link to a file elsewhere".into(),
                ));
                written
            }
            Found::Unreadable => written,
            Found::Missing => {
                let stem = name.strip_suffix(".json").unwrap_or(name);
                let suggestion =
                    crate::diagnostics::suggest::closest(stem, known.iter().map(String::as_str));
                let hint = match suggestion {
                    Some(s) => format!("did you mean `{s}`? {}", known_list(known)),
                    None => known_list(known),
                };
                problems.push(problem(
                    POLICY_UNKNOWN_POLICY,
                    format!("no policy `{name}`: there is no policies/{name}.json"),
                    hint,
                ));
                written
            }
        }
    });
    (expanded, problems)
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "policies/ holds no policy".to_string()
    } else {
        format!("known policies: {}", known.join(", "))
    }
}

/// Why a NAME is not a plain file stem, if it is not.
fn refused(name: &str) -> Option<&'static str> {
    if name.starts_with('/') || name.starts_with('\\') || name.contains(':') {
        Some("an absolute path")
    } else if name.contains('/') || name.contains('\\') {
        Some("a path, not a policy name (policies are named by their file stem in policies/)")
    } else if name.starts_with('.') {
        Some("a hidden or relative name (`.`, `..`)")
    } else {
        None
    }
}

/// The indentation a block must carry to stay inside the list item (or
/// other container) the directive sits in.
fn indent_of(text: &str, at: usize) -> (String, bool) {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    if before.trim().is_empty() {
        return (before.to_string(), false);
    }
    // After text on the same line: indent to the list item's content.
    let leading = before.len() - before.trim_start().len();
    let rest = before.trim_start();
    let marker = if rest.starts_with("- ") || rest.starts_with("* ") || rest.starts_with("+ ") {
        2
    } else {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        match rest[digits..].chars().next() {
            Some('.' | ')') if digits > 0 && rest[digits + 1..].starts_with(' ') => digits + 2,
            _ => 0,
        }
    };
    (" ".repeat(leading + marker), true)
}

/// The Markdown that replaces the directive.
fn block(name: &str, content: &str, chapter: &str, (indent, inline): (String, bool)) -> String {
    let depth = chapter.matches('/').count();
    let href = html_escape(&format!("{}policies/{name}.json", "../".repeat(depth)));
    let file = html_escape(&format!("{name}.json"));
    // A fence longer than any backtick run in the policy, so nothing closes it early.
    let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    // The name and the link above the block, where the reader sees them
    // before the policy's lines; plain HTML, so it needs no script. The
    // link's name carries the file's (hidden from view: the bar shows it).
    let mut lines = vec![
        format!(
            r#"<div class="policy-file"><span class="policy-file-name">{file}</span> <a href="{href}" download>Download<span class="visually-hidden"> {file}</span></a></div>"#
        ),
        String::new(),
        format!("{fence}json"),
    ];
    lines.extend(
        content
            .strip_suffix('\n')
            .unwrap_or(content)
            .split('\n')
            .map(str::to_string),
    );
    lines.push(fence);
    let mut out = String::new();
    if inline {
        out.push_str("\n\n");
    }
    for (i, line) in lines.iter().enumerate() {
        if (i > 0 || inline) && !line.is_empty() {
            out.push_str(&indent);
        }
        out.push_str(line);
        if i + 1 < lines.len() {
            out.push('\n');
        }
    }
    out
}

/// Text safe in HTML content and in a double-quoted attribute: a file name
/// is whatever the file system allows.
fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = "{\n  \"Version\": \"2012-10-17\"\n}\n";

    fn known() -> Vec<String> {
        vec!["task-role-policy".into(), "task-role-trust".into()]
    }

    fn find(name: &str) -> Found {
        match name {
            "task-role-policy" => Found::Policy(POLICY.into()),
            "escaping" => Found::Outside,
            _ => Found::Missing,
        }
    }

    #[test]
    fn a_directive_becomes_a_header_with_name_and_download_link_then_the_block() {
        let (out, problems) = expand(
            "Intro\n\n{{#iam-policy task-role-policy}}\n\nEnd\n",
            "iam.md",
            &known(),
            &find,
        );
        assert!(problems.is_empty());
        assert_eq!(
            out,
            "Intro\n\n<div class=\"policy-file\"><span class=\"policy-file-name\">task-role-policy.json</span> <a href=\"policies/task-role-policy.json\" download>Download<span class=\"visually-hidden\"> task-role-policy.json</span></a></div>\n\n```json\n{\n  \"Version\": \"2012-10-17\"\n}\n```\n\nEnd\n"
        );
    }

    #[test]
    fn the_block_is_the_file_byte_for_byte() {
        let (out, _) = expand("{{#iam-policy task-role-policy}}", "a.md", &known(), &find);
        assert!(out.contains(&format!("```json\n{POLICY}```")));
    }

    #[test]
    fn links_climb_out_of_subfolders_and_blocks_keep_list_indentation() {
        let text = "1. Paste:\n\n   {{#iam-policy task-role-policy}}\n";
        let (out, _) = expand(text, "guide/iam/roles.md", &known(), &find);
        assert!(
            out.contains("\n   ```json\n   {\n     \"Version\""),
            "{out}"
        );
        assert!(
            out.contains(
                "\n   <div class=\"policy-file\"><span class=\"policy-file-name\">task-role-policy.json</span> <a href=\"../../policies/task-role-policy.json\" download>"
            ),
            "{out}"
        );
        let (out, _) = expand(
            "1. Paste: {{#iam-policy task-role-policy}}",
            "a.md",
            &known(),
            &find,
        );
        assert!(
            out.starts_with("1. Paste: \n\n   <div class=\"policy-file\"><span class=\"policy-file-name\">task-role-policy.json</span> <a href=\"policies/task-role-policy.json\" download>Download<span class=\"visually-hidden\"> task-role-policy.json</span></a></div>\n\n   ```json\n"),
            "{out}"
        );
    }

    #[test]
    fn a_file_name_cannot_write_html() {
        let find = |_: &str| Found::Policy("{}".into());
        let (out, _) = expand("{{#iam-policy a\"<b>&c}}", "a.md", &known(), &find);
        assert!(
            out.starts_with(
                "<div class=\"policy-file\"><span class=\"policy-file-name\">a&quot;&lt;b&gt;&amp;c.json</span> <a href=\"policies/a&quot;&lt;b&gt;&amp;c.json\" download>"
            ),
            "{out}"
        );
    }

    #[test]
    fn backticks_in_a_policy_get_a_longer_fence() {
        let find = |_: &str| Found::Policy("{\"Id\": \"```\"}".into());
        let (out, _) = expand("{{#iam-policy x}}", "a.md", &known(), &find);
        assert!(out.contains("````json\n{\"Id\": \"```\"}\n````"), "{out}");
    }

    #[test]
    fn unknown_names_list_the_known_ones_with_a_suggestion() {
        let text = "x {{#iam-policy task-role-polcy}}";
        let (out, problems) = expand(text, "a.md", &known(), &find);
        assert_eq!(out, text);
        assert_eq!(problems.len(), 1);
        let p = &problems[0];
        assert_eq!(
            (p.code, p.range.clone()),
            (POLICY_UNKNOWN_POLICY, 2..text.len())
        );
        assert_eq!(
            p.message,
            "no policy `task-role-polcy`: there is no policies/task-role-polcy.json"
        );
        assert_eq!(
            p.hint.as_deref(),
            Some(
                "did you mean `task-role-policy`? known policies: task-role-policy, task-role-trust"
            )
        );
    }

    #[test]
    fn paths_and_names_leading_out_are_refused() {
        for name in ["../secret", "/etc/passwd", "sub/x", "..", "escaping", "C:x"] {
            let (_, problems) = expand(
                &format!("{{{{#iam-policy {name}}}}}"),
                "a.md",
                &known(),
                &find,
            );
            assert_eq!(problems.len(), 1, "{name}");
            assert_eq!(
                problems[0].code,
                crate::checks::policy::POLICY_REFUSED_PATH,
                "{name}"
            );
        }
    }

    #[test]
    fn a_wrong_number_of_arguments_is_reported() {
        let (_, problems) = expand(
            "{{#iam-policy}} {{#iam-policy a b}}",
            "a.md",
            &known(),
            &find,
        );
        let codes: Vec<_> = problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, [POLICY_DIRECTIVE_ARGUMENTS; 2]);
    }
}

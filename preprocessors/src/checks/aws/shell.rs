//! Just enough of the shell to find the AWS CLI commands in a code block:
//! words with their byte ranges (quotes removed, `\` continuations joined),
//! commands split on newlines, `;`, `&&`, `||` and `|`, the commands inside
//! `$(…)` and backticks, comments, redirections and here-documents.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// The word as the shell passes it on; a substitution is kept as `$(…)`.
    pub text: String,
    /// Where the word is in the script, quotes included.
    pub range: Range<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Command {
    pub words: Vec<Word>,
    /// The file after `>` or `>>`, if any.
    pub output: Option<Word>,
    /// The text of its here-document (`<<EOF` … `EOF`), if it has one.
    pub input: Option<String>,
    /// Where that text starts in the script.
    pub input_at: usize,
}

/// A command of a block of a chapter, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct At {
    pub chapter: usize,
    pub block: usize,
    pub command: usize,
}
/// The commands of a `console` block: lines after a `$ ` prompt and their
/// continuations, a trailing `\` or bash's `> ` prompt (PS2: a line that
/// goes on, or a here-document's); everything else is output and becomes
/// blank (offsets kept).
pub(crate) fn console_script(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut continued = false;
    let mut in_command = false;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let prompted = |p: &str| body.starts_with(p);
        let keep = if prompted("$ ") {
            Some(format!("  {}", &body[2..]))
        } else if in_command && (prompted("> ") || body == ">") {
            Some(format!(
                "{}{}",
                " ".repeat(body.len().min(2)),
                body.get(2..).unwrap_or("")
            ))
        } else if continued {
            Some(body.to_string())
        } else {
            None
        };
        match keep {
            Some(keep) => {
                out.push_str(&keep);
                continued = body.ends_with('\\');
                in_command = true;
            }
            None => {
                out.extend(
                    body.chars()
                        .map(|c| if c.len_utf8() == 1 { ' ' } else { c }),
                );
                continued = false;
                in_command = false;
            }
        }
        out.push_str(&line[body.len()..]);
    }
    out
}

/// Every command of `script`, those inside substitutions included.
pub(crate) fn commands(script: &str) -> Vec<Command> {
    let mut out = Vec::new();
    Lexer { s: script, base: 0 }.run(&mut out);
    out
}

struct Lexer<'a> {
    s: &'a str,
    base: usize,
}

impl Lexer<'_> {
    fn run(&self, out: &mut Vec<Command>) {
        let s = self.s;
        let b = s.as_bytes();
        let mut i = 0;
        let mut cmd = Command::default();
        let mut word: Option<(String, usize)> = None;
        // The next word is the file of a `>` (Some(true)) or of a `2>` or `<` (Some(false)).
        let mut to_output: Option<bool> = None;
        let mut heredoc: Option<String> = None;
        // The command the here-document feeds, once pushed.
        let mut heredoc_owner: Option<usize> = None;
        let mut owns_heredoc = false;
        macro_rules! end_word {
            () => {
                if let Some((text, start)) = word.take() {
                    let w = Word {
                        text,
                        range: self.base + start..self.base + i,
                    };
                    match to_output.take() {
                        Some(true) => cmd.output = Some(w),
                        Some(false) => {}
                        None => cmd.words.push(w),
                    }
                }
            };
        }
        macro_rules! end_command {
            () => {
                end_word!();
                let done = std::mem::take(&mut cmd);
                if !done.words.is_empty() {
                    out.push(done);
                    if std::mem::take(&mut owns_heredoc) {
                        heredoc_owner = Some(out.len() - 1);
                    }
                }
                to_output = None;
            };
        }
        while i < b.len() {
            let c = b[i];
            match c {
                b'\\' if b.get(i + 1) == Some(&b'\n') => {
                    end_word!();
                    i += 2;
                }
                b'\\' => {
                    let start = word.as_ref().map_or(i, |w| w.1);
                    let next = s[i + 1..].chars().next();
                    let mut text = word.take().map(|w| w.0).unwrap_or_default();
                    text.extend(next);
                    word = Some((text, start));
                    i += 1 + next.map_or(0, char::len_utf8);
                }
                b' ' | b'\t' | b'\r' => {
                    end_word!();
                    i += 1;
                }
                b'\n' => {
                    end_command!();
                    i += 1;
                    if let Some(delimiter) = heredoc.take() {
                        let (end, body) = heredoc_body(s, i, &delimiter);
                        if let Some(owner) = heredoc_owner.take().and_then(|o| out.get_mut(o)) {
                            owner.input = Some(body.to_string());
                            owner.input_at = i;
                        }
                        i = end;
                    }
                }
                b';' | b'&' | b'|' | b'(' | b')' if word.is_none() || c != b'(' => {
                    end_command!();
                    i += 1;
                }
                b'#' if word.is_none() => {
                    i = s[i..].find('\n').map_or(b.len(), |n| i + n);
                }
                // `<value>` is a placeholder the reader replaces, not a redirection.
                b'<' if is_placeholder_at(s, i) => {
                    let start = word.as_ref().map_or(i, |w| w.1);
                    let end = i + s[i..].find('>').unwrap_or(0) + 1;
                    let mut text = word.take().map(|w| w.0).unwrap_or_default();
                    text.push_str(&s[i..end]);
                    word = Some((text, start));
                    i = end;
                }
                b'>' | b'<' => {
                    // `2>` names a descriptor, not an argument.
                    let descriptor = word
                        .as_ref()
                        .is_some_and(|w| w.0.chars().all(|c| c.is_ascii_digit()));
                    if descriptor {
                        word = None;
                    }
                    end_word!();
                    if s[i..].starts_with("<<") {
                        // The delimiter word; the rest of the line is
                        // still the command's (`cat <<'EOF' > file.json`).
                        let after = s[i..].trim_start_matches(['<', '-']);
                        let lead = after.len() - after.trim_start().len();
                        let at = s.len() - after.len() + lead;
                        let len = s[at..]
                            .find(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '>'))
                            .unwrap_or(s.len() - at);
                        let delimiter: String = s[at..at + len]
                            .chars()
                            .filter(|c| !matches!(c, '\'' | '"' | '\\'))
                            .collect();
                        heredoc = Some(delimiter);
                        owns_heredoc = true;
                        i = at + len;
                        continue;
                    }
                    to_output = Some(c == b'>' && !descriptor);
                    i += 1;
                    while i < b.len() && (b[i] == b'>' || b[i] == b'&') {
                        i += 1;
                    }
                }
                b'\'' => {
                    let start = word.as_ref().map_or(i, |w| w.1);
                    let end = s[i + 1..].find('\'').map_or(b.len(), |n| i + 1 + n);
                    let mut text = word.take().map(|w| w.0).unwrap_or_default();
                    text.push_str(&s[i + 1..end]);
                    word = Some((text, start));
                    i = (end + 1).min(b.len());
                }
                b'"' => {
                    let start = word.as_ref().map_or(i, |w| w.1);
                    let mut text = word.take().map(|w| w.0).unwrap_or_default();
                    i += 1;
                    while i < b.len() && b[i] != b'"' {
                        if b[i] == b'\\' && i + 1 < b.len() {
                            let next = s[i + 1..].chars().next().unwrap_or(' ');
                            text.push(next);
                            i += 1 + next.len_utf8();
                        } else if s[i..].starts_with("$(") || b[i] == b'`' {
                            i = self.substitution(i, &mut text, out);
                        } else {
                            let ch = s[i..].chars().next().unwrap_or(' ');
                            text.push(ch);
                            i += ch.len_utf8();
                        }
                    }
                    i = (i + 1).min(b.len());
                    word = Some((text, start));
                }
                _ if s[i..].starts_with("$(") || c == b'`' => {
                    let start = word.as_ref().map_or(i, |w| w.1);
                    let mut text = word.take().map(|w| w.0).unwrap_or_default();
                    i = self.substitution(i, &mut text, out);
                    word = Some((text, start));
                }
                _ => {
                    let start = word.as_ref().map_or(i, |w| w.1);
                    let ch = s[i..].chars().next().unwrap_or(' ');
                    let mut text = word.take().map(|w| w.0).unwrap_or_default();
                    text.push(ch);
                    word = Some((text, start));
                    i += ch.len_utf8();
                }
            }
        }
        end_word!();
        if !cmd.words.is_empty() {
            out.push(cmd);
        }
    }

    /// Lexes the `$(…)` or backtick substitution at `i` into `out`, appends
    /// `$(…)` to `text`, and returns the offset after it.
    fn substitution(&self, i: usize, text: &mut String, out: &mut Vec<Command>) -> usize {
        let s = self.s;
        let (inner_start, end) = if s[i..].starts_with('`') {
            let end = s[i + 1..].find('`').map_or(s.len(), |n| i + 1 + n);
            (i + 1, end)
        } else {
            (i + 2, matching_paren(s, i + 2))
        };
        Lexer {
            s: &s[inner_start..end],
            base: self.base + inner_start,
        }
        .run(out);
        text.push_str("$(…)");
        (end + 1).min(s.len())
    }
}

/// Whether `<` at `i` opens a `<placeholder>` closed on the same word.
fn is_placeholder_at(s: &str, i: usize) -> bool {
    let rest = &s[i + 1..];
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '<')
        .unwrap_or(rest.len());
    rest[..end].find('>').is_some_and(|close| close > 0)
}

/// The offset of the `)` closing a `$(` whose body starts at `from`.
fn matching_paren(s: &str, from: usize) -> usize {
    let b = s.as_bytes();
    let (mut depth, mut i, mut quote) = (1, from, None);
    while i < b.len() {
        match (quote, b[i]) {
            (None, b'\'' | b'"') => quote = Some(b[i]),
            (Some(q), c) if c == q => quote = None,
            (None, b'(') => depth += 1,
            (None, b')') => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// The here-document that starts at `i`: where the script goes on after
/// its delimiter line, and its text.
fn heredoc_body<'s>(s: &'s str, mut i: usize, delimiter: &str) -> (usize, &'s str) {
    let start = i;
    while i < s.len() {
        let end = s[i..].find('\n').map_or(s.len(), |n| i + n);
        let line = s[i..end].trim();
        if line == delimiter {
            return ((end + 1).min(s.len()), &s[start..i]);
        }
        i = (end + 1).min(s.len());
    }
    (i, &s[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(script: &str) -> Vec<Vec<String>> {
        commands(script)
            .into_iter()
            .map(|c| c.words.into_iter().map(|w| w.text).collect())
            .collect()
    }

    #[test]
    fn continuations_quotes_and_substitutions() {
        let script = "VPC=$(aws ec2 describe-vpcs --filters Name=is-default,Values=true \\\n  --query 'Vpcs[0].VpcId' --output text)\naws ecs list-tasks --cluster \"$C\" | head -1 # first\n";
        assert_eq!(
            words(script),
            [
                vec![
                    "aws",
                    "ec2",
                    "describe-vpcs",
                    "--filters",
                    "Name=is-default,Values=true",
                    "--query",
                    "Vpcs[0].VpcId",
                    "--output",
                    "text"
                ],
                vec!["VPC=$(…)"],
                vec!["aws", "ecs", "list-tasks", "--cluster", "$C"],
                vec!["head", "-1"],
            ]
        );
        let cmds = commands(script);
        let query = &cmds[0].words[6];
        assert_eq!(&script[query.range.clone()], "'Vpcs[0].VpcId'");
    }

    #[test]
    fn redirections_and_heredocs() {
        let cmds = commands(
            "sed s/a/b/ t.json > out.json 2>/dev/null && cat <<EOF\naws nothing here\nEOF\necho done\n",
        );
        assert_eq!(cmds[0].output.as_ref().unwrap().text, "out.json");
        assert_eq!(
            cmds[0]
                .words
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>(),
            ["sed", "s/a/b/", "t.json"]
        );
        assert_eq!(
            words("cat <<EOF\naws x\nEOF\necho done\n"),
            [vec!["cat"], vec!["echo", "done"]]
        );
        // The here-document's text is the command's input, and the rest
        // of its line is still the command's.
        let cmds = commands("cat <<'JSON' > in.json\n{\"a\": 1}\nJSON\naws x\n");
        assert_eq!(cmds[0].input.as_deref(), Some("{\"a\": 1}\n"));
        assert_eq!(cmds[0].output.as_ref().unwrap().text, "in.json");
        assert_eq!(cmds[1].words[0].text, "aws");
        let cmds = commands("tee in.json <<-EOF >/dev/null\n\tx\n\tEOF\n");
        assert_eq!(cmds[0].input.as_deref(), Some("\tx\n"));
        assert_eq!(
            words("aws ecs list-tasks --cluster <cluster-name>"),
            [vec![
                "aws",
                "ecs",
                "list-tasks",
                "--cluster",
                "<cluster-name>"
            ]]
        );
    }

    #[test]
    fn console_blocks_keep_only_prompted_lines() {
        let text =
            "$ aws sts get-caller-identity \\\n    --output text\n111122223333 arn:aws:iam::x\n";
        let script = console_script(text);
        assert_eq!(script.len(), text.len());
        // Bash's continuation prompt, after a `\` or in a here-document.
        let prompted = "$ aws ecs describe-services \\\n>   --cluster c \\\n>   --services s\nout\n> not a command\n";
        let continued = console_script(prompted);
        assert_eq!(continued.len(), prompted.len());
        assert_eq!(
            words(&continued),
            [vec![
                "aws",
                "ecs",
                "describe-services",
                "--cluster",
                "c",
                "--services",
                "s"
            ]]
        );
        assert_eq!(
            words(&script),
            [vec![
                "aws",
                "sts",
                "get-caller-identity",
                "--output",
                "text"
            ]]
        );
    }
}

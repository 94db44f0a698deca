//! The guide as something to run: the shell blocks of one deployment path,
//! taken from the book as rendered for one architecture, in chapter order.
//!
//! A block joins a path through an HTML comment on the line just before its
//! fence, which readers never see:
//!
//! ```text
//! <!-- run: cli -->
//! <!-- run: cli cloudformation stand-in -->
//! ```
//!
//! One or more path names, then `stand-in` for a block that needs what the
//! emulator cannot give (a running task, a public IP, the internet); the
//! session then answers those commands with the documented stand-ins of
//! `prelude.sh`. This module is pure: text in, blocks or problems out.

pub mod guide;
pub mod session;

use responder_docs::model::code_blocks;
use responder_docs::model::origin::Origin;
use responder_docs::model::run_paths;

pub use responder_docs::model::run_paths::{Marker, PATHS, parse_marker};

/// A fenced code block of a rendered chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    /// The chapter's file, relative to the book root.
    pub chapter: String,
    /// The source line (1-based) of the opening fence.
    pub line: usize,
    /// The info string's first word (`bash`, `json`, …).
    pub info: String,
    /// The code, without the fences.
    pub code: String,
    /// The source line of each line of `code`.
    pub lines: Vec<usize>,
    /// The paths it belongs to, from its marker (empty: not run).
    pub paths: Vec<String>,
    pub stand_in: bool,
}

impl Fence {
    /// `src/service.md:72`, the block's opening fence.
    pub fn at(&self) -> String {
        format!("{}:{}", self.chapter, self.line)
    }

    /// The source line of the block's `n`th line (1-based), or its fence.
    pub fn source_line(&self, n: usize) -> usize {
        n.checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .copied()
            .unwrap_or(self.line)
    }
}

/// A marker the harness cannot use, at its source line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub chapter: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.chapter, self.line, self.message)
    }
}

/// The fenced blocks of one rendered chapter that a reader of `arch` sees
/// (other architectures' panels left out), with their source lines found
/// through `source`, the file the writer edits. The markers are read by the
/// crate's parser (`responder_docs::model::run_paths`), the one `check` reports from.
pub fn fences(
    chapter: &str,
    source: &str,
    rendered: &str,
    arch: &str,
) -> (Vec<Fence>, Vec<Problem>) {
    let origin = Origin::new(chapter, source, rendered);
    let source_line = |offset: usize| origin.locate(offset..offset).line;
    let blocks = code_blocks::fenced(rendered);
    let (marks, found) = run_paths::scan(rendered, &blocks);
    let fences = blocks
        .iter()
        .zip(marks)
        .filter(|(_, m)| m.arch.as_ref().is_none_or(|(_, a)| a == arch))
        .map(|(block, m)| {
            let (paths, stand_in) = m
                .marker
                .map_or((Vec::new(), false), |m| (m.paths, m.stand_in));
            let mut starts = vec![0];
            starts.extend(block.text.match_indices('\n').map(|(i, _)| i + 1));
            starts.retain(|&s| s < block.text.len());
            Fence {
                chapter: chapter.to_string(),
                line: source_line(block.range.start),
                info: block.lang.clone(),
                code: block.text.clone(),
                lines: starts
                    .into_iter()
                    .map(|s| source_line(block.chapter_range(s..s).start))
                    .collect(),
                paths,
                stand_in,
            }
        })
        .collect();
    let problems = found
        .into_iter()
        .map(|p| Problem {
            chapter: chapter.to_string(),
            line: source_line(p.range.start),
            message: p.message,
        })
        .collect();
    (fences, problems)
}

/// The blocks of `path`, in book order.
pub fn path_blocks<'a>(fences: &'a [Fence], path: &str) -> Vec<&'a Fence> {
    fences
        .iter()
        .filter(|f| f.paths.iter().any(|p| p == path))
        .collect()
}

/// Where `got` departs from `want`, which it must contain: every key of an
/// object (the emulator adds its own, such as `revision`), every item of an
/// array, every value.
pub fn differs(got: &serde_json::Value, want: &serde_json::Value, at: &str) -> Option<String> {
    use serde_json::Value;
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => w.iter().find_map(|(k, wv)| match g.get(k) {
            Some(gv) => differs(gv, wv, &format!("{at}.{k}")),
            None => Some(format!("`{at}.{k}` is missing (want {wv})")),
        }),
        (Value::Array(g), Value::Array(w)) if g.len() == w.len() => g
            .iter()
            .zip(w)
            .enumerate()
            .find_map(|(i, (gv, wv))| differs(gv, wv, &format!("{at}[{i}]"))),
        _ if got == want => None,
        _ => Some(format!("`{at}` is {got}, want {want}")),
    }
}

/// Whether an Allow statement of an identity policy grants `action` on
/// `resource` (wildcards `*` and `?`; conditions and Deny are not weighed:
/// the question is whether a permission is there at all).
pub fn policy_allows(policy: &serde_json::Value, action: &str, resource: &str) -> bool {
    let list = |v: &serde_json::Value| -> Vec<String> {
        match v {
            serde_json::Value::String(s) => vec![s.clone()],
            serde_json::Value::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
        }
    };
    let statements = match &policy["Statement"] {
        serde_json::Value::Array(a) => a.clone(),
        one => vec![one.clone()],
    };
    statements.iter().any(|st| {
        st["Effect"] == "Allow"
            && list(&st["Action"])
                .iter()
                .any(|a| glob(&a.to_ascii_lowercase(), &action.to_ascii_lowercase()))
            && list(&st["Resource"]).iter().any(|r| glob(r, resource))
    })
}

/// `policy` with every statement's `Resource` set to `"*"`, actions and
/// conditions untouched: moto matches a statement's resources against the
/// request's only for an IAM request naming an existing role, STS, SQS and
/// S3, and against `"*"` for every other service, so an ARN-limited
/// statement of ECS, EC2, CloudWatch Logs, Elastic Load Balancing or
/// CloudFormation would never match there.
/// The resources are the static permission check's to judge.
pub fn widen_resources(policy: &serde_json::Value) -> serde_json::Value {
    let mut widened = policy.clone();
    let star = |st: &mut serde_json::Value| {
        if let Some(st) = st.as_object_mut()
            && st.contains_key("Resource")
        {
            st.insert("Resource".into(), "*".into());
        }
    };
    match widened.get_mut("Statement") {
        Some(serde_json::Value::Array(all)) => all.iter_mut().for_each(star),
        Some(one) => star(one),
        None => {}
    }
    widened
}

/// IAM's wildcard match: `*` any run of characters, `?` one.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests;

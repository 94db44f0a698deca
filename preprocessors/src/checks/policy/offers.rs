//! Prose that offers a policy an attachment it does not fit: "add it to
//! your IAM user as an inline policy" in a chapter that shows a policy of
//! 5,342 characters, when a user's inline policies may have 2,048.
//!
//! A sentence offers an inline attachment when it has the word "inline"
//! (or `put-user-policy`, `put-group-policy`, `put-role-policy`, "embed"),
//! names whose policy it becomes (a user, a group, a role, a permission
//! set; another cell of its table row may) and a verb that attaches (add,
//! attach, paste, put, give, grant, …). A shell block's `aws iam
//! put-user-policy` naming a policy's file (or a `NAME.mine.json` copy)
//! offers that policy. It
//! does not when it turns the offer down ("rather than", "not", "never",
//! "refuses", "too large", a quota, …) or the next sentence does ("Don't:
//! IAM refuses it"). The policy it is about is the one the sentence names,
//! else the one its section shows or links, else every one the chapter
//! does; none when it speaks only of another ("a small policy", "the
//! read-only policy"). A lone "inline" counts only when the policy is what
//! is attached ("add it inline", not "creates the log group inline"), and
//! a user or group the reader comes from ("the role you assume from your
//! IAM user") is not whose policy it becomes. Plain-text heuristics: the README says what they miss, and
//! `<!-- allow policy-attachment -->` at the end of a line silences it.
//! The rule `policy::attachment`.

use super::Policies;
use super::attach::{Attachment, Size, grouped};
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostics, Problem};
use crate::model::paths;
use mdbook_markdown::pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use std::collections::BTreeMap;
use std::ops::Range;

crate::checks::rule::rule! {
    check: check;
    POLICY_ATTACHMENT = "policy::attachment", error: "prose that offers a policy an inline attachment (a user's, a group's, …) whose size quota it exceeds";
}

/// The shell: [`problems`] of each chapter that shows or links a policy
/// some inline attachment refuses (no other can be offered wrongly),
/// located in the writer's source.
fn check(model: &Model<'_, '_>, diagnostics: &mut Diagnostics) -> anyhow::Result<()> {
    let policies = model.shared::<Policies>();
    let sizes = &policies.sizes;
    let known: Vec<String> = sizes.keys().cloned().collect();
    let large: Vec<&String> = sizes
        .iter()
        .filter(|(_, size)| INLINE.iter().any(|a| !size.fits(*a)))
        .map(|(stem, _)| stem)
        .collect();
    if large.is_empty() {
        return Ok(());
    }
    let model = model.chapters;
    for chapter in &model.chapters {
        let page_dir = chapter.path.rsplit_once('/').map_or("", |(dir, _)| dir);
        let links_large = chapter.page.links.iter().any(|link| {
            policy_of_link(page_dir, &link.dest, &known).is_some_and(|s| large.contains(&&s))
        });
        // A chapter that only names the policy (`put-user-policy … file://
        // policies/deployer-policy.json`, "the deployer policy") offers it by
        // name.
        let lower = chapter.content().to_lowercase();
        let names_large = large.iter().any(|stem| {
            lower.contains(&format!("{stem}.json")) || lower.contains(&stem.replace('-', " "))
        });
        if !links_large && !names_large {
            continue;
        }
        let parsed = crate::model::markdown::parse(chapter.content(), &model.markdown);
        let origin = chapter.origin();
        for problem in problems(chapter.content(), &parsed.events, page_dir, sizes) {
            let diagnostic = problem.locate(|r| origin.locate(r));
            if !diagnostic.location.line_text.contains(ALLOW) {
                diagnostics.push(diagnostic);
            }
        }
    }
    Ok(())
}

/// Ends a line whose offer the writer means despite the check.
pub(crate) const ALLOW: &str = "<!-- allow policy-attachment -->";

/// The attachments prose can offer: inline ones (a managed policy's and a
/// trust policy's quotas are the policy checker's alone).
pub(crate) const INLINE: [Attachment; 4] = [
    Attachment::UserInline,
    Attachment::GroupInline,
    Attachment::RoleInline,
    Attachment::PermissionSetInline,
];

/// One offer of an inline attachment in a chapter's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Offer {
    /// The words that say "inline" (`inline policy`), in the chapter's text.
    pub range: Range<usize>,
    /// Whose inline policy it becomes, each once.
    pub targets: Vec<Attachment>,
    /// Policies the sentence names (by file stem).
    pub names: Vec<String>,
    /// The sentence is about another policy than those shown: it speaks of
    /// "a small policy" or "the read-only policy" and never of "the
    /// policy", "this policy" or "it" (or "it" stands for such a policy
    /// named in the sentence before).
    pub other: bool,
    /// The heading section it is in (0 before the first heading).
    pub section: usize,
}

/// What the check reads of one chapter.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Prose {
    pub offers: Vec<Offer>,
    /// Each policy the chapter shows or links, with the section it is in.
    pub shown: Vec<(String, usize)>,
}

/// Reads the offers in a chapter's parsed text, and the policies (of
/// `known`) that it links; `page_dir` is the page's folder under `src/`.
pub(crate) fn read(
    text: &str,
    events: &[(Event<'_>, Range<usize>)],
    page_dir: &str,
    known: &[String],
) -> Prose {
    let Blocks {
        prose: blocks,
        links,
        shell,
    } = blocks(text, events);
    let mut prose = Prose {
        offers: Vec::new(),
        shown: links
            .iter()
            .filter_map(|(dest, section)| Some((policy_of_link(page_dir, dest, known)?, *section)))
            .collect(),
    };
    let sentences: Vec<Sentence> = blocks
        .iter()
        .enumerate()
        .flat_map(|(b, block)| sentences(b, block))
        .collect();
    for i in 0..sentences.len() {
        prose
            .offers
            .extend(sentence_offers(&sentences, &blocks, i, known));
    }
    for block in &shell {
        prose.offers.extend(command_offers(block, known));
    }
    prose
}

/// The `aws iam put-user-policy` and `put-group-policy` commands of a shell
/// block (continuation lines joined) that name a known policy's file: each
/// offers that policy as the inline policy of a user or a group.
fn command_offers(block: &Block, known: &[String]) -> Vec<Offer> {
    let mut out = Vec::new();
    let text = &block.text;
    // `POLICY=deployer-policy.json` earlier in the block: `"$POLICY"` is it.
    let mut assigned: Vec<(String, String)> = text
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let line = line.strip_prefix("export ").unwrap_or(line);
            let (name, value) = line.split_once('=')?;
            let plain = |c: char| c.is_ascii_alphanumeric() || c == '_';
            (!name.is_empty() && name.chars().all(plain) && !value.contains(char::is_whitespace))
                .then(|| {
                    (
                        name.to_string(),
                        value.trim_matches(['"', '\'']).to_string(),
                    )
                })
        })
        .collect();
    // `$POLICY_FILE` before `$POLICY`.
    assigned.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
    let expand = |word: &str| {
        let mut word = word.to_string();
        for (name, value) in &assigned {
            word = word
                .replace(&format!("${{{name}}}"), value)
                .replace(&format!("${name}"), value);
        }
        word
    };
    let mut start = 0;
    while start < text.len() {
        // A command runs to the first line end not escaped by `\`.
        let mut end = start;
        loop {
            end = text[end..].find('\n').map_or(text.len(), |i| end + i);
            if end >= text.len() || !text[..end].trim_end().ends_with('\\') {
                break;
            }
            end += 1;
        }
        let command = &text[start..end];
        let words: Vec<(usize, &str)> = command
            .split_ascii_whitespace()
            .map(|w| (w.as_ptr() as usize - command.as_ptr() as usize, w))
            .collect();
        let is_aws = words.iter().any(|(_, w)| *w == "aws");
        let found = words.iter().find_map(|&(at, w)| {
            let target = match w {
                "put-user-policy" => Attachment::UserInline,
                "put-group-policy" => Attachment::GroupInline,
                _ => return None,
            };
            Some((at, w.len(), target))
        });
        if let (true, Some((at, len, target))) = (is_aws, found) {
            let names: Vec<String> = known
                .iter()
                .filter(|k| {
                    words.iter().any(|(_, w)| {
                        // The policy's file, or a copy the guide makes of it
                        // (`NAME.mine.json`, the account filled in), also
                        // through a variable or `"$(cat FILE)"`.
                        expand(w)
                            .trim_matches(['"', '\'', '(', ')'])
                            .strip_suffix(".json")
                            .and_then(|p| p.rsplit(['/', ':', '=']).next())
                            .is_some_and(|f| {
                                f == k.as_str()
                                    || f.strip_prefix(k.as_str())
                                        .is_some_and(|rest| rest.starts_with('.'))
                            })
                    })
                })
                .cloned()
                .collect();
            if !names.is_empty() {
                out.push(Offer {
                    range: block.source(start + at..start + at + len),
                    targets: vec![target],
                    names,
                    other: false,
                    section: block.section,
                });
            }
        }
        start = end + 1;
    }
    out
}

/// The policy a link leads to, when it is `policies/NAME.json` of a known NAME.
pub(crate) fn policy_of_link(page_dir: &str, dest: &str, known: &[String]) -> Option<String> {
    let path = dest.split(['#', '?']).next()?;
    if path.contains("://") || path.starts_with('/') {
        return None;
    }
    let target = paths::normalize(&paths::join(page_dir, path))?;
    let stem = target
        .strip_prefix(super::POLICIES_DIR)?
        .strip_prefix('/')?
        .strip_suffix(".json")?;
    known.iter().find(|k| k.as_str() == stem).cloned()
}

/// A stretch of prose: a paragraph, a list item's text, a table cell, a
/// heading. Its text is what readers read; pieces map it to the chapter.
#[derive(Debug, Default)]
struct Block {
    text: String,
    pieces: Vec<Piece>,
    section: usize,
    /// The list it is an item of, if any (an earlier item names the target
    /// a later step's "Create inline policy" is for).
    list: Option<usize>,
    /// The table row it is a cell of, if any (another cell names the target).
    row: Option<usize>,
}

#[derive(Debug, Clone)]
struct Piece {
    /// Where it starts in the block's text, and its length there.
    at: usize,
    len: usize,
    /// Where it starts in the chapter's text; byte for byte when `exact`.
    source: usize,
    exact: bool,
    code: bool,
}

impl Block {
    fn push(&mut self, text: &str, source: usize, exact: bool, code: bool) {
        self.pieces.push(Piece {
            at: self.text.len(),
            len: text.len(),
            source,
            exact,
            code,
        });
        self.text.push_str(text);
    }

    fn piece(&self, at: usize) -> Option<&Piece> {
        let i = self.pieces.partition_point(|p| p.at <= at).checked_sub(1)?;
        self.pieces.get(i)
    }

    /// The chapter range of `range` of the block's text: exact when one
    /// piece copies it byte for byte, else where its piece starts.
    fn source(&self, range: Range<usize>) -> Range<usize> {
        match self.piece(range.start) {
            Some(p) if p.exact && range.end <= p.at + p.len => {
                let start = p.source + (range.start - p.at);
                start..start + range.len()
            }
            Some(p) if p.exact => {
                let start = p.source + (range.start - p.at);
                start..p.source + p.len
            }
            Some(p) => p.source..p.source,
            None => 0..0,
        }
    }

    fn in_code(&self, at: usize) -> bool {
        self.piece(at).is_some_and(|p| p.code)
    }
}

/// The prose blocks of a chapter (code, HTML and front matter left out),
/// its links with the section each is in, and its shell blocks.
fn blocks(text: &str, events: &[(Event<'_>, Range<usize>)]) -> Blocks {
    let mut out: Vec<Block> = Vec::new();
    let mut links = Vec::new();
    let mut shell: Vec<Block> = Vec::new();
    let mut in_shell = false;
    let mut current: Option<Block> = None;
    let mut section = 0;
    let mut lists: Vec<usize> = Vec::new();
    let mut next_list = 0;
    let mut row: Option<usize> = None;
    let mut next_row = 0;
    let mut skipped = 0usize;
    // An HTML block's text (`<p>Add it …</p>`), tags left out.
    let mut html: Option<Block> = None;
    let flush = |current: &mut Option<Block>, out: &mut Vec<Block>| {
        if let Some(block) = current.take()
            && !block.text.trim().is_empty()
        {
            out.push(block);
        }
    };
    for (event, range) in events {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                flush(&mut current, &mut out);
                skipped += 1;
                // A shell block's `aws iam put-user-policy` offers what it names.
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split([' ', ',']).next().unwrap_or(""),
                    CodeBlockKind::Indented => "",
                };
                in_shell = matches!(lang, "sh" | "bash" | "shell" | "console" | "zsh");
                if in_shell {
                    shell.push(Block {
                        section,
                        ..Block::default()
                    });
                }
            }
            Event::Text(t) if in_shell => {
                let written = text.get(range.clone()).unwrap_or("");
                let exact = written == t.as_ref();
                if let Some(block) = shell.last_mut() {
                    block.push(t, range.start, exact, true);
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                flush(&mut current, &mut out);
                skipped += 1;
                html = Some(Block {
                    section,
                    ..Block::default()
                });
            }
            Event::Start(Tag::MetadataBlock(_)) => {
                flush(&mut current, &mut out);
                skipped += 1;
            }
            Event::End(TagEnd::HtmlBlock) => {
                skipped = skipped.saturating_sub(1);
                flush(&mut html, &mut out);
            }
            Event::End(TagEnd::CodeBlock | TagEnd::MetadataBlock(_)) => {
                skipped = skipped.saturating_sub(1);
                in_shell = false;
            }
            Event::Start(Tag::TableRow | Tag::TableHead) => {
                flush(&mut current, &mut out);
                row = Some(next_row);
                next_row += 1;
            }
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                flush(&mut current, &mut out);
                row = None;
            }
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut current, &mut out);
                section += 1;
            }
            Event::Start(Tag::List(_)) => {
                flush(&mut current, &mut out);
                lists.push(next_list);
                next_list += 1;
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut current, &mut out);
                lists.pop();
            }
            Event::Start(tag) if !inline(&tag.to_end()) => flush(&mut current, &mut out),
            Event::End(end) if !inline(end) => flush(&mut current, &mut out),
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push((dest_url.to_string(), section));
            }
            // `{{#iam-policy}}` writes its download link as HTML, and so may
            // a writer: a link is a link whichever way it is written.
            Event::Html(written) | Event::InlineHtml(written) => {
                links.extend(
                    crate::model::html::attributes(written)
                        .into_iter()
                        .filter(crate::model::html::is_link)
                        .map(|attr| (attr.value, section)),
                );
                if let (Event::Html(_), Some(block)) = (event, html.as_mut()) {
                    html_text(block, written, text.get(range.clone()), range.start);
                    // Code, scripts and comments are not prose.
                    let lower = written.to_ascii_lowercase();
                    if ["<script", "<style", "<pre", "<code", "<!--"]
                        .iter()
                        .any(|t| lower.contains(t))
                    {
                        html = None;
                    }
                }
            }
            Event::Text(t) | Event::Code(t) if skipped == 0 => {
                let code = matches!(event, Event::Code(_));
                let written = text.get(range.clone()).unwrap_or("");
                // A code span's text sits inside its backticks.
                let (source, exact) = match written.find(t.as_ref()) {
                    Some(i) if code || i == 0 => (range.start + i, true),
                    _ => (range.start, false),
                };
                let exact = exact && (code || written.len() == t.len());
                current
                    .get_or_insert_with(|| Block {
                        section,
                        list: lists.last().copied(),
                        row,
                        ..Block::default()
                    })
                    .push(t, source, exact, code);
            }
            Event::SoftBreak | Event::HardBreak if skipped == 0 => {
                if let Some(block) = current.as_mut() {
                    block.push(" ", range.start, false, false);
                }
            }
            _ => {}
        }
    }
    flush(&mut current, &mut out);
    Blocks {
        prose: out,
        links,
        shell,
    }
}

/// Adds the text of one line of an HTML block, between its tags, to `block`:
/// byte for byte when the line is as written at `source`.
fn html_text(block: &mut Block, line: &str, written: Option<&str>, source: usize) {
    let exact = written == Some(line);
    let mut rest = line;
    let mut at = 0;
    while !rest.is_empty() {
        let (text, skip) = match rest.find('<') {
            Some(0) => ("", rest.find('>').map_or(rest.len(), |i| i + 1)),
            Some(i) => (&rest[..i], i),
            None => (rest, rest.len()),
        };
        if !text.is_empty() {
            block.push(text, source + at, exact, false);
        } else if skip > 0 {
            // A tag parts words as a space would.
            block.push(" ", source + at, false, false);
        }
        at += skip;
        rest = &rest[skip..];
    }
}

/// What [`blocks`] reads of a chapter.
struct Blocks {
    prose: Vec<Block>,
    /// Links, with the section each is in.
    links: Vec<(String, usize)>,
    /// Shell code blocks.
    shell: Vec<Block>,
}

/// A tag inside a line of prose: it does not end the sentence it is in.
fn inline(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

#[derive(Debug, Clone)]
struct Token {
    /// Lower-cased, `’` read as `'`.
    word: String,
    range: Range<usize>,
    /// Punctuation (one character), not a word.
    punct: bool,
    code: bool,
}

/// Words (letters and digits, joined by `'`, `-`, `.`, `/`, `:` or `_`
/// between two of them) and the punctuation that splits sentences and clauses.
fn tokens(block: &Block) -> Vec<Token> {
    let text = &block.text;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let word_char = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let (at, c) = chars[i];
        if word_char(c) {
            let mut j = i + 1;
            while j < chars.len() {
                let (_, d) = chars[j];
                let joins = matches!(d, '\'' | '’' | '-' | '.' | '/' | ':')
                    && chars.get(j + 1).is_some_and(|&(_, e)| word_char(e));
                if word_char(d) || joins {
                    j += 1;
                } else {
                    break;
                }
            }
            let end = chars.get(j).map_or(text.len(), |&(k, _)| k);
            out.push(Token {
                // "in-line" is how some write "inline".
                word: text[at..end]
                    .to_lowercase()
                    .replace('’', "'")
                    .replace("in-line", "inline"),
                range: at..end,
                punct: false,
                code: block.in_code(at),
            });
            i = j;
        } else {
            if matches!(c, ',' | ';' | ':' | '.' | '!' | '?' | '(' | ')' | '—' | '–')
                && !block.in_code(at)
            {
                out.push(Token {
                    word: c.to_string(),
                    range: at..at + c.len_utf8(),
                    punct: true,
                    code: false,
                });
            }
            i += 1;
        }
    }
    out
}

#[derive(Debug)]
struct Sentence {
    block: usize,
    tokens: Vec<Token>,
}

fn sentences(b: usize, block: &Block) -> Vec<Sentence> {
    let tokens = tokens(block);
    let mut out = Vec::new();
    let mut current: Vec<Token> = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        current.push(token.clone());
        // A full stop ends a sentence unless a lower-case word follows ("e.g. the").
        let ends = token.punct
            && matches!(token.word.as_str(), "." | "!" | "?")
            && tokens.get(i + 1).is_none_or(|next| {
                next.punct
                    || next.code
                    || !block.text[next.range.clone()]
                        .chars()
                        .next()
                        .is_some_and(char::is_lowercase)
            });
        if ends {
            out.push(Sentence {
                block: b,
                tokens: std::mem::take(&mut current),
            });
        }
    }
    if !current.is_empty() {
        out.push(Sentence {
            block: b,
            tokens: current,
        });
    }
    out
}

/// Whether `word` is one of the space-separated `words`.
fn among(word: &str, words: &str) -> bool {
    words.split_ascii_whitespace().any(|w| w == word)
}

/// Splits a sentence into clauses (token index ranges): at `;`, `:`,
/// dashes and brackets, and at a comma that starts a new clause (", or
/// creates …", ", but …"), not one that lists ("user, group, or role").
fn clauses(tokens: &[Token]) -> Vec<Range<usize>> {
    let word = |i: usize| tokens.get(i).map_or("", |t| t.word.as_str());
    let mut out = Vec::new();
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        let new_clause = |after: &Token| {
            after.punct
                || verb_form(&after.word).is_some()
                || among(&after.word, "it you they we if when in then")
        };
        let splits = token.punct
            && match token.word.as_str() {
                ";" | ":" | "(" | ")" | "—" | "–" => true,
                "," if among(
                    word(i + 1),
                    "but while whereas although though because since so which then",
                ) =>
                {
                    true
                }
                "," if among(word(i + 1), "and or") => tokens.get(i + 2).is_some_and(new_clause),
                _ => false,
            };
        if splits {
            if start < i {
                out.push(start..i);
            }
            start = i + 1;
        }
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

/// What a verb that attaches looks like: its base or third-person form
/// (an offer: "add", "adds"), a participle (only after "be", "is", …) or a
/// gerund (only after "by", "consider", …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Finite,
    Participle,
    Gerund,
}

/// The verbs that attach a policy: finite forms | participles | gerunds.
const VERBS: &[&str] = &[
    "add adds | added | adding",
    "attach attaches | attached | attaching",
    "put puts | put | putting",
    "paste pastes | pasted | pasting",
    "embed embeds | embedded | embedding",
    "give gives | given gave | giving",
    "create creates | created | creating",
    "use uses | used | using",
    "insert inserts | inserted | inserting",
    "assign assigns | assigned | assigning",
    "apply applies | applied | applying",
    "go goes | gone | going",
    "place places | placed | placing",
    "copy copies | copied | copying",
    "make makes | made | making",
    "store stores | stored | storing",
    "become becomes | | becoming",
    "grant grants | granted | granting",
    "get gets | got gotten | getting",
    "set sets | set | setting",
    "save saves | saved | saving",
];

fn verb_form(word: &str) -> Option<Form> {
    VERBS.iter().find_map(|forms| {
        let mut parts = forms.split('|');
        let mut next = |form| parts.next().filter(|p| among(word, p)).map(|_| form);
        next(Form::Finite)
            .or_else(|| next(Form::Participle))
            .or_else(|| next(Form::Gerund))
    })
}

/// Whether the tokens in `range` have a verb that attaches, in a form that offers.
fn attaches(tokens: &[Token], range: Range<usize>) -> bool {
    let after = |i: usize, words: &str| {
        (1..=2).any(|back| {
            i.checked_sub(back)
                .and_then(|j| tokens.get(j))
                .is_some_and(|t| among(&t.word, words))
        })
    };
    let start = range.start;
    range.into_iter().any(|i| {
        let t = &tokens[i];
        match verb_form(&t.word) {
            _ if t.punct || t.code => false,
            // "permission set" names a permission set.
            _ if t.word == "set" && after(i, "permission") => false,
            // "Adding it to your user as an inline policy works": the subject.
            Some(Form::Gerund) if i == start => true,
            Some(Form::Finite) => true,
            Some(Form::Participle) => after(i, "be is are was were been being get gets got"),
            Some(Form::Gerund) => after(
                i,
                "by consider considering try recommend recommends suggest suggests prefer prefers",
            ),
            // "It can be an inline policy of your user."
            None if t.word == "be" => after(i, "can may could might should will would must"),
            // "Another option is an inline policy on your user", "an inline
            // policy is quickest".
            None => {
                among(&t.word, "is are")
                    && (after(i, "option options way alternative choice")
                        || tokens
                            .get(i + 1..(i + 3).min(tokens.len()))
                            .is_some_and(|next| {
                                next.iter().any(|n| {
                                    among(
                                        &n.word,
                                        "quickest easiest simplest fastest quicker easier simpler",
                                    )
                                })
                            }))
            }
        }
    })
}

/// The sentence turns an offer down or states a limit: then it offers nothing.
fn refuses(tokens: &[Token]) -> bool {
    const WORDS: &str = "not never no nor neither cannot unlike avoid avoids avoiding except \
        refuse refuses refused reject rejects rejected fit fits fail fails failed tempted \
        tempting larger longer bigger remove removes removed removing delete deletes deleted \
        deleting detach detaches detached detaching";
    const LIMITS: &str = "quota quotas limit limits limited characters";
    let word = |i: usize| tokens.get(i).map_or("", |t| t.word.as_str());
    // "well under the quota", "within IAM's limits", "see IAM quotas": a
    // limit that reassures (a "not" before it still refuses, by itself).
    let reassures = |i: usize| {
        tokens[..i]
            .iter()
            .rev()
            .take_while(|t| !t.punct)
            .take(3)
            .any(|t| among(&t.word, "under within below inside see"))
    };
    tokens.iter().enumerate().any(|(i, t)| {
        let w = t.word.as_str();
        if !t.code && among(w, LIMITS) {
            return !reassures(i);
        }
        // The error IAM answers with, written as code: `LimitExceeded`.
        (t.code && w.contains("exceed"))
            || !t.code
                && (among(w, WORDS)
                    || w.ends_with("n't")
                    || w.contains("exceed")
                    || (w == "too" && among(word(i + 1), "large long big many much"))
                    || (w == "at" && word(i + 1) == "most")
                    || (w == "over" && i > 0 && among(word(i - 1), "is are be goes"))
                    || (among(w, "turn turns turned") && (1..=3).any(|k| word(i + k) == "down")))
    })
}

/// A next sentence that turns the one before down: "Don't: …", "It is too
/// large for that", "But IAM refuses it".
fn turns_down_the_last(tokens: &[Token]) -> bool {
    // "Don't forget the account ID" turns down nothing: the sentence must be
    // elliptic ("Don't: …", "No.") or speak of the policy or what IAM does.
    let about_it = tokens.get(1).is_some_and(|t| t.punct)
        || tokens
            .iter()
            .any(|t| !t.code && among(&t.word, "it this that policy inline iam"));
    let opens = tokens.first().is_some_and(|t| {
        among(
            &t.word,
            "don't do never but however that this it iam avoid unfortunately",
        )
        // "No: it is over IAM's limit", not "No need for …".
        || (t.word == "no" && tokens.get(1).is_some_and(|n| n.punct))
    });
    opens && about_it && refuses(tokens)
}

/// Words before "user" or "group" that make it IAM's ("your user", "a
/// group", "IAM user"), unlike "security group" or "log group".
const IAM_LIKE_BEFORE: &str = "your a an the this that these those each every any one same own \
    its their my our iam or and to of in into on for with as new existing another other single \
    separate dedicated deployer deployers admin admins administrator administrators developer \
    developers operator operators team user choose select open click";

/// Whose inline policy a word names, if anyone's.
fn target(tokens: &[Token], i: usize) -> Option<Attachment> {
    let word = tokens[i].word.as_str();
    let next = tokens.get(i + 1).map_or("", |t| t.word.as_str());
    let iam_like = || {
        i.checked_sub(1)
            .map(|j| &tokens[j])
            .is_none_or(|p| p.punct || p.code || among(&p.word, IAM_LIKE_BEFORE))
    };
    // "Choose Users and your user name": a console step picks the user.
    let console_choice = || {
        next == "name"
            && tokens[..i]
                .iter()
                .rev()
                .take_while(|t| !t.punct)
                .any(|t| among(&t.word, "choose select click"))
    };
    match word {
        "put-user-policy" => Some(Attachment::UserInline),
        "put-group-policy" => Some(Attachment::GroupInline),
        "put-role-policy" => Some(Attachment::RoleInline),
        "user" | "users" | "user's"
            if (!among(
                next,
                "group groups group's guide name names interface data pool pools id ids agent",
            ) || console_choice())
                && iam_like() =>
        {
            Some(Attachment::UserInline)
        }
        "group" | "groups" | "group's" if iam_like() => Some(Attachment::GroupInline),
        "role" | "roles" | "role's" if !among(next, "name names arn arns") => {
            Some(Attachment::RoleInline)
        }
        "permission" | "permissions" if among(next, "set sets set's") => {
            Some(Attachment::PermissionSetInline)
        }
        "permission-set" | "permission-sets" => Some(Attachment::PermissionSetInline),
        _ => None,
    }
}

fn inline_marker(tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    let next = tokens.get(i + 1).map_or("", |t| t.word.as_str());
    let w = t.word.as_str();
    if t.punct || beside_existing(tokens, i) {
        return false;
    }
    if w == "inline" {
        return match next {
            "policy" | "policies" | "policy's" => true,
            _ if next_is_word(tokens, i) => false,
            // "inline" on its own: only as how a policy is attached.
            _ => attaches_a_policy_inline(tokens, i),
        };
    }
    (w.starts_with("inline") && !among(next, "code html image link math element comment style"))
        || w.starts_with("embed")
        || among(w, "put-user-policy put-group-policy put-role-policy")
}

/// "beside its inline policies", "alongside the existing inline ones", "if
/// your user already has inline policies": the word names policies already
/// there, next to which the offer puts another.
fn beside_existing(tokens: &[Token], i: usize) -> bool {
    tokens[..i]
        .iter()
        .rev()
        .take_while(|t| !t.punct)
        .take(4)
        .find(|t| {
            !among(
                &t.word,
                "its your the their any other current own user's some",
            )
        })
        .is_some_and(|t| among(&t.word, "beside besides alongside next has have existing"))
}

/// Whether a word (not punctuation) follows token `i`, other than one
/// that goes on from an adverb ("inline to your user", "inline in").
fn next_is_word(tokens: &[Token], i: usize) -> bool {
    tokens.get(i + 1).is_some_and(|t| {
        !t.punct
            && !among(
                &t.word,
                "to into on in for as with through when if so and or but then too instead",
            )
    })
}

/// Words between a verb and "inline" when its object is the policy and
/// the identity it goes to: "add it inline", "give your user the policy inline".
const POLICY_OBJECT: &str = "it them the this that a an your my our their its iam own policy \
    policies json document user users group groups role roles permission set";

/// Words that stand for the policy a chapter shows.
fn policy_reference(word: &str) -> bool {
    among(word, "it them policy policies json document")
}

/// "inline" as an adverb: "add it inline", "it is added inline", never
/// "creates the log group inline" or "the rule is added inline".
fn attaches_a_policy_inline(tokens: &[Token], i: usize) -> bool {
    let mut j = i;
    while let Some(k) = j.checked_sub(1) {
        let t = &tokens[k];
        if t.punct {
            return false;
        }
        if verb_form(&t.word).is_some() {
            if k + 1 < i {
                return (k + 1..i).any(|m| policy_reference(&tokens[m].word));
            }
            // Passive or without an object: the subject must be the policy.
            return tokens[..k]
                .iter()
                .rev()
                .take_while(|t| !t.punct)
                .any(|t| policy_reference(&t.word));
        }
        if !among(&t.word, POLICY_OBJECT) || t.code {
            return false;
        }
        j = k;
    }
    false
}

fn managed_marker(token: &Token) -> bool {
    let w = token.word.as_str();
    w.contains("managed")
        || among(
            w,
            "attach-user-policy attach-group-policy attach-role-policy create-policy",
        )
}

/// In IAM Identity Center, users and groups get permission sets, whose
/// inline policy is what the sentence offers.
fn identity_center(tokens: &[Token]) -> bool {
    (0..tokens.len()).any(|i| {
        target(tokens, i) == Some(Attachment::PermissionSetInline)
            || (tokens[i].word == "identity"
                && tokens.get(i + 1).is_some_and(|t| t.word == "center"))
            || tokens[i].word == "sso"
    })
}

/// The targets of a clause, each nearer an inline marker than a managed
/// one. `inline` and `managed` are the sentence's markers, in order.
fn clause_targets(
    tokens: &[Token],
    clause: Range<usize>,
    inline: &[usize],
    managed: &[usize],
) -> Vec<Attachment> {
    let within = |marks: &[usize]| {
        let from = marks.partition_point(|&m| m < clause.start);
        let to = marks.partition_point(|&m| m < clause.end);
        marks[from..to].to_vec()
    };
    let (inline, managed) = (within(inline), within(managed));
    // Markers are sorted: the nearest is beside where `i` would go.
    let nearest = |marks: &[usize], i: usize| {
        let at = marks.partition_point(|&m| m < i);
        [at.checked_sub(1), Some(at)]
            .into_iter()
            .flatten()
            .filter_map(|k| marks.get(k))
            .map(|&m| m.abs_diff(i))
            .min()
    };
    let clause_range = clause.clone();
    let mut out = Vec::new();
    for i in clause {
        let Some(t) = target(tokens, i) else {
            continue;
        };
        let inline_wins = match (nearest(&inline, i), nearest(&managed, i)) {
            (Some(a), Some(b)) => a < b,
            (Some(_), None) => true,
            // A clause without markers lends its targets to one with a marker.
            (None, None) => true,
            (None, Some(_)) => false,
        };
        if inline_wins && !out.contains(&t) {
            out.push(t);
        }
    }
    // "the role you assume from your IAM user", "sign in as an IAM user
    // and switch to a role": the role gets the policy, not the user.
    if out.contains(&Attachment::RoleInline) {
        out.retain(|&t| {
            !matches!(t, Attachment::UserInline | Attachment::GroupInline)
                || clause_targets_of(tokens, clause_range.clone(), t)
                    .any(|i| !where_one_comes_from(tokens, i))
        });
    }
    out
}

/// The tokens of `range` that name `target`.
fn clause_targets_of(
    tokens: &[Token],
    range: Range<usize>,
    target: Attachment,
) -> impl Iterator<Item = usize> + '_ {
    range.filter(move |&i| self::target(tokens, i) == Some(target))
}

/// A user or group the reader starts from ("from your IAM user", "as an
/// IAM user"), not one that gets the policy.
fn where_one_comes_from(tokens: &[Token], i: usize) -> bool {
    let mut j = i;
    while let Some(k) = j.checked_sub(1) {
        let w = tokens[k].word.as_str();
        if tokens[k].punct {
            return false;
        }
        if among(w, "from as") {
            return true;
        }
        if !among(w, "your a an the this that their my our iam own") {
            return false;
        }
        j = k;
    }
    false
}

/// Where a leading phrase ends ("If you don't have an administrator,",
/// "To avoid waiting,", "Rather than a managed policy,"): the index of its
/// comma, when the clause opens with one and the comma comes before the
/// first inline marker.
fn leading_phrase(tokens: &[Token], clause: Range<usize>, markers: &[usize]) -> Option<usize> {
    let first = tokens.get(clause.start)?;
    if !among(&first.word, "if to instead rather unless when") {
        return None;
    }
    let comma = (clause.start..clause.end).find(|&j| tokens[j].punct && tokens[j].word == ",")?;
    let marker = markers.iter().find(|&&m| m >= clause.start)?;
    (comma < *marker).then_some(comma)
}

/// Whether a sentence turns its inline offer down or states a limit. A
/// clause only about the managed alternative does not ("No need for a
/// managed policy: add …"), unless it puts that alternative in the offer's
/// place ("…; ask them to use a managed policy instead"); nor does a leading
/// phrase without "inline" ("If you don't have an administrator, add …").
fn turns_down(
    tokens: &[Token],
    clauses: &[Range<usize>],
    markers: &[usize],
    managed: &[usize],
) -> bool {
    let has = |marks: &[usize], c: &Range<usize>| marks.iter().any(|m| c.contains(m));
    clauses.iter().any(|c| {
        if has(managed, c) && !has(markers, c) {
            return c.clone().any(|j| {
                tokens[j].word == "instead" && tokens.get(j + 1).is_none_or(|n| n.word != "of")
            });
        }
        let from = leading_phrase(tokens, c.clone(), markers).map_or(c.start, |comma| comma + 1);
        refuses(&tokens[from..c.end])
    })
}

/// The offers of sentence `i`. Everything about the whole sentence is
/// worked out once, so a long sentence costs its length, not its square.
fn sentence_offers(
    sentences: &[Sentence],
    blocks: &[Block],
    i: usize,
    known: &[String],
) -> Vec<Offer> {
    let tokens = &sentences[i].tokens;
    let block = &blocks[sentences[i].block];
    let markers: Vec<usize> = (0..tokens.len())
        .filter(|&m| inline_marker(tokens, m))
        .collect();
    if markers.is_empty() {
        return Vec::new();
    }
    let managed: Vec<usize> = (0..tokens.len())
        .filter(|&j| managed_marker(&tokens[j]))
        .collect();
    let clauses = clauses(tokens);
    if turns_down(tokens, &clauses, &markers, &managed) {
        return Vec::new();
    }
    let next = sentences
        .get(i + 1)
        .filter(|s| s.block == sentences[i].block);
    if next.is_some_and(|s| turns_down_the_last(&s.tokens)) {
        return Vec::new();
    }
    let names: Vec<String> = known
        .iter()
        .filter(|k| {
            let k = k.to_lowercase();
            // `deployer-policy.json`, or in words: "the deployer policy".
            let parts: Vec<&str> = k.split('-').collect();
            tokens
                .iter()
                .any(|t| t.word == k || t.word.strip_suffix(".json") == Some(k.as_str()))
                || (parts.len() > 1
                    && tokens
                        .windows(parts.len())
                        .any(|w| w.iter().zip(&parts).all(|(t, p)| t.word == *p)))
        })
        .cloned()
        .collect();
    let other = names.is_empty() && about_another_policy(sentences, blocks, i, known);
    let has = |marks: &[usize], c: &Range<usize>| {
        marks
            .get(marks.partition_point(|&m| m < c.start))
            .is_some_and(|&m| m < c.end)
    };
    // "rather than …", "instead of …": what follows is turned down, up to
    // the comma that ends it when it opens the sentence ("Rather than a
    // managed policy, add …" turns down the managed one).
    let turned_down_from = tokens
        .windows(2)
        .position(|w| {
            matches!(
                (w[0].word.as_str(), w[1].word.as_str()),
                ("rather", "than") | ("instead", "of")
            )
        })
        .unwrap_or(usize::MAX);
    let turned_down_to = match leading_phrase(tokens, 0..tokens.len(), &markers) {
        Some(end) if turned_down_from == 0 => end,
        _ => usize::MAX,
    };
    // A verb that attaches in a clause about no managed policy serves every
    // clause ("Open your user, then choose Create inline policy").
    let unmanaged_attaches = clauses
        .iter()
        .any(|c| !has(&managed, c) && attaches(tokens, c.clone()));
    // Targets of clauses with no marker at all, lent to a clause without its own.
    let lent: Vec<Attachment> = clauses
        .iter()
        .filter(|c| !has(&markers, c) && !has(&managed, c))
        .flat_map(|c| clause_targets(tokens, c.clone(), &markers, &managed))
        .collect();
    // IAM Identity Center may be named one sentence earlier ("In IAM
    // Identity Center, create a permission set. Give your users …").
    let in_identity_center = identity_center(tokens)
        || i.checked_sub(1)
            .map(|p| &sentences[p])
            .is_some_and(|p| p.block == sentences[i].block && identity_center(&p.tokens));
    let mut earlier: Option<Vec<Attachment>> = None;
    let mut out = Vec::new();
    for clause in &clauses {
        let first = markers.partition_point(|&m| m < clause.start);
        let Some(&marker) = markers.get(first).filter(|&&m| m < clause.end) else {
            continue;
        };
        let turned_down = marker > turned_down_from && marker < turned_down_to;
        if turned_down || !(unmanaged_attaches || attaches(tokens, clause.clone())) {
            continue;
        }
        let mut targets = clause_targets(tokens, clause.clone(), &markers, &managed);
        if targets.is_empty() {
            targets = lent.clone();
        }
        if targets.is_empty() {
            targets = row_targets(sentences, blocks, i);
        }
        if targets.is_empty() {
            targets = earlier
                .get_or_insert_with(|| earlier_targets(sentences, blocks, i))
                .clone();
        }
        let mut unique: Vec<Attachment> = Vec::new();
        for t in targets {
            let t = match t {
                // In IAM Identity Center, users and groups get permission sets.
                Attachment::UserInline | Attachment::GroupInline if in_identity_center => {
                    Attachment::PermissionSetInline
                }
                other => other,
            };
            if !unique.contains(&t) {
                unique.push(t);
            }
        }
        if unique.is_empty() {
            continue;
        }
        let first = &tokens[marker];
        let last = tokens
            .get(marker + 1)
            .filter(|t| matches!(t.word.as_str(), "policy" | "policies"))
            .unwrap_or(first);
        out.push(Offer {
            range: block.source(first.range.start..last.range.end),
            targets: unique,
            names: names.clone(),
            other,
            section: block.section,
        });
    }
    out
}

/// How a sentence speaks of a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mention {
    /// "the policy", "this policy", "it": the one the chapter shows.
    Shown,
    /// "a small policy", "the read-only policy": another one.
    Other,
}

/// Words before "policy" that say what kind of policy it is, not which.
const POLICY_KIND: &str = "inline managed trust permissions permission identity iam customer aws \
    session resource-based boundary json whole same above below following full complete \
    entire guide's deployer's";

/// Words before "policy" that point at the one in view.
const POLICY_DETERMINER: &str = "the this that these those your our its my";

/// The policies a sentence speaks of, in order (names of `known` policies
/// count as the one shown: the offer names them anyway).
fn mentions(tokens: &[Token], known: &[String]) -> Vec<Mention> {
    let stem_word = |w: &str| {
        known
            .iter()
            .any(|k| k.split('-').any(|part| part == w && part != "policy"))
    };
    let mut out = Vec::new();
    for (j, t) in tokens.iter().enumerate() {
        if t.punct || t.code {
            continue;
        }
        match t.word.as_str() {
            "it" | "them" => out.push(Mention::Shown),
            "policy" | "policies" => {
                let before = j.checked_sub(1).map(|k| &tokens[k]);
                match before {
                    None => out.push(Mention::Shown),
                    Some(b) if b.punct || b.code => out.push(Mention::Shown),
                    Some(b) if among(&b.word, POLICY_DETERMINER) => out.push(Mention::Shown),
                    Some(b) if among(&b.word, POLICY_KIND) => {}
                    Some(b) if among(&b.word, "a an") => {}
                    Some(b) if stem_word(&b.word) => out.push(Mention::Shown),
                    Some(_) => out.push(Mention::Other),
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether sentence `i` offers another policy than the chapter shows: it
/// speaks of one ("add a small policy …", "the read-only policy") and not
/// of the shown one, or its "it" stands for the other policy the sentence
/// before ends with ("… the read-only policy below is short. Paste it …").
fn about_another_policy(
    sentences: &[Sentence],
    blocks: &[Block],
    i: usize,
    known: &[String],
) -> bool {
    let here = mentions(&sentences[i].tokens, known);
    if here.contains(&Mention::Other) {
        return !here.contains(&Mention::Shown);
    }
    // "it" alone: the sentence names no policy, shown or other.
    let pronouns_only = sentences[i].tokens.iter().enumerate().all(|(j, t)| {
        !among(&t.word, "policy policies")
            || j.checked_sub(1)
                .is_some_and(|k| among(&sentences[i].tokens[k].word, POLICY_KIND))
    });
    if !pronouns_only || !here.contains(&Mention::Shown) {
        return false;
    }
    let section = blocks[sentences[i].block].section;
    sentences[..i]
        .last()
        .filter(|s| blocks[s.block].section == section)
        .and_then(|s| mentions(&s.tokens, known).last().copied())
        == Some(Mention::Other)
}

/// How many sentences back a target is looked for.
const LOOK_BACK: usize = 4;

/// The targets of the nearest earlier sentence of the same block or list
/// that names one and offers no managed policy ("Open your IAM user." before
/// "Choose Create inline policy.").
fn earlier_targets(sentences: &[Sentence], blocks: &[Block], i: usize) -> Vec<Attachment> {
    let here = sentences[i].block;
    let list = blocks[here].list;
    // A step's target is in the sentences just before it; looking further
    // back would cost a long list of such steps its length squared.
    for s in sentences[..i].iter().rev().take(LOOK_BACK) {
        if s.block != here && (list.is_none() || blocks[s.block].list != list) {
            break;
        }
        let tokens = &s.tokens;
        if tokens.iter().any(managed_marker) {
            break;
        }
        let found: Vec<Attachment> = (0..tokens.len())
            .filter_map(|j| target(tokens, j))
            .collect();
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// The targets the other cells of a table row name ("| IAM user | Add the
/// JSON as an inline policy |"), unless a cell offers a managed policy.
fn row_targets(sentences: &[Sentence], blocks: &[Block], i: usize) -> Vec<Attachment> {
    let here = sentences[i].block;
    let Some(row) = blocks[here].row else {
        return Vec::new();
    };
    // A row's cells are next to each other.
    let same = |s: &&Sentence| blocks[s.block].row == Some(row) && s.block != here;
    let before = sentences[..i]
        .iter()
        .rev()
        .take_while(|s| blocks[s.block].row == Some(row));
    let after = sentences[i + 1..]
        .iter()
        .take_while(|s| blocks[s.block].row == Some(row));
    let cells: Vec<&Sentence> = before.chain(after).filter(same).collect();
    if cells.iter().any(|s| s.tokens.iter().any(managed_marker)) {
        return Vec::new();
    }
    cells
        .iter()
        .flat_map(|s| (0..s.tokens.len()).filter_map(|j| target(&s.tokens, j)))
        .collect()
}

/// Every offer in a chapter's text of an inline attachment that a policy
/// it is about does not fit. `sizes` holds each policy in `policies/`.
pub(crate) fn problems(
    text: &str,
    events: &[(Event<'_>, Range<usize>)],
    page_dir: &str,
    sizes: &BTreeMap<String, Size>,
) -> Vec<Problem> {
    let known: Vec<String> = sizes.keys().cloned().collect();
    let prose = read(text, events, page_dir, &known);
    let mut out = Vec::new();
    for offer in &prose.offers {
        for stem in about(offer, &prose) {
            let Some(&size) = sizes.get(&stem) else {
                continue;
            };
            let refused: Vec<Attachment> = offer
                .targets
                .iter()
                .copied()
                .filter(|a| !size.fits(*a))
                .collect();
            if !refused.is_empty() {
                out.push(
                    Problem::raise(
                        POLICY_ATTACHMENT,
                        offer.range.clone(),
                        message(&stem, size, &refused),
                    )
                    .with_hint(hint(size)),
                );
            }
        }
    }
    out
}

/// The policies an offer is about: those its sentence names, else those its
/// section shows or links, else those the chapter does.
fn about(offer: &Offer, prose: &Prose) -> Vec<String> {
    let in_section = |section: Option<usize>| {
        let mut out: Vec<String> = prose
            .shown
            .iter()
            .filter(|(_, s)| section.is_none_or(|wanted| *s == wanted))
            .map(|(stem, _)| stem.clone())
            .collect();
        out.sort();
        out.dedup();
        out
    };
    if !offer.names.is_empty() {
        return offer.names.clone();
    }
    if offer.other {
        return Vec::new();
    }
    let here = in_section(Some(offer.section));
    if here.is_empty() {
        in_section(None)
    } else {
        here
    }
}

/// "`deployer-policy` has 5,342 characters; a user's inline policies may
/// have 2,048 together, a group's 5,120".
pub(crate) fn message(stem: &str, size: Size, refused: &[Attachment]) -> String {
    let mut parts = Vec::new();
    let mut bytes = false;
    for a in refused {
        let first = parts.is_empty();
        parts.push(match a.byte_limit() {
            Some(limit) if size.characters <= a.limit() => {
                bytes = true;
                format!(
                    "{} inline policy may have {} bytes, whitespace included",
                    a.owner(),
                    grouped(limit)
                )
            }
            _ => {
                let limit = grouped(a.limit());
                match (first, a.shared()) {
                    (true, true) => {
                        format!("{} inline policies may have {limit} together", a.owner())
                    }
                    (true, false) => format!("{} inline policy may have {limit}", a.owner()),
                    _ => format!("{} {limit}", a.owner()),
                }
            }
        });
    }
    let bytes = if bytes {
        format!(" ({} bytes)", grouped(size.bytes))
    } else {
        String::new()
    };
    format!(
        "`{stem}` has {} characters{bytes}; {}",
        grouped(size.characters),
        parts.join(", ")
    )
}

fn hint(size: Size) -> String {
    let escape = format!("if the sentence offers no such thing, end its line with `{ALLOW}`");
    if size.fits(Attachment::CustomerManaged) {
        format!(
            "IAM counts a policy's characters without whitespace and refuses it there: offer a customer managed policy (up to {}) instead; {escape}",
            grouped(Attachment::CustomerManaged.limit())
        )
    } else {
        format!(
            "IAM counts a policy's characters without whitespace and refuses it there: split the policy, or offer only what it fits; {escape}"
        )
    }
}

#[cfg(test)]
mod tests;

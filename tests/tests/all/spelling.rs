//! Spell check of the guide's Markdown: every `.md` file under `src/`, prose
//! only (code blocks, inline code, URLs, HTML and `{{#…}}` directives are
//! skipped). Known misspellings come from the `typos` project's dictionary;
//! `tests/spelling-words.txt` allows project words that dictionary would
//! flag, and `tests/spelling-corrections.txt` adds words and phrases that are
//! real English but wrong in this book. Findings read
//! `path:line:col: word → suggestion`.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use responder_docs_tests::{fixture, repo_root};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use typos::tokens::{Case, Identifier, Tokenizer, Word};
use typos::{Dictionary, Status};
use unicase::UniCase;

/// One misspelling: where it is, what it says and what it should say.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Finding {
    path: String,
    line: usize,
    col: usize,
    word: String,
    suggestion: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {} → {}",
            self.path, self.line, self.col, self.word, self.suggestion
        )
    }
}

/// The project's additions to the `typos` dictionary.
struct ProjectDictionary {
    /// Lower-cased words that are right in this book.
    allowed: HashSet<String>,
    /// Lower-cased single words that are wrong in this book, and their fix.
    words: HashMap<String, String>,
    /// Lower-cased phrases that are wrong in this book, and their fix.
    phrases: Vec<(String, String)>,
}

impl ProjectDictionary {
    fn load() -> Self {
        let root = repo_root();
        let words = std::fs::read_to_string(root.join("tests/spelling-words.txt"))
            .expect("tests/spelling-words.txt");
        let corrections = std::fs::read_to_string(root.join("tests/spelling-corrections.txt"))
            .expect("tests/spelling-corrections.txt");
        Self::parse(&words, &corrections)
    }

    fn parse(words: &str, corrections: &str) -> Self {
        let allowed = entries(words).map(str::to_lowercase).collect();
        let mut single = HashMap::new();
        let mut phrases = Vec::new();
        for entry in entries(corrections) {
            let (wrong, right) = entry
                .split_once('→')
                .unwrap_or_else(|| panic!("`{entry}` is not `wrong → right`"));
            let (wrong, right) = (wrong.trim().to_lowercase(), right.trim().to_string());
            if wrong.contains(' ') {
                phrases.push((wrong, right));
            } else {
                single.insert(wrong, right);
            }
        }
        ProjectDictionary {
            allowed,
            words: single,
            phrases,
        }
    }
}

/// The non-empty, non-comment lines of a word list.
fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Dictionary for ProjectDictionary {
    fn correct_ident<'s>(&'s self, ident: Identifier<'_>) -> Option<Status<'s>> {
        let lower = ident.token().to_lowercase();
        if self.allowed.contains(&lower) {
            return Some(Status::Valid);
        }
        self.words
            .get(&lower)
            .map(|right| Status::Corrections(vec![Cow::Owned(same_case(ident.token(), right))]))
    }

    fn correct_word<'s>(&'s self, word: Word<'_>) -> Option<Status<'s>> {
        if word.case() == Case::None {
            return None;
        }
        let token = word.token();
        let lower = token.to_lowercase();
        if self.allowed.contains(&lower) {
            return Some(Status::Valid);
        }
        let fixes: Vec<String> = match self.words.get(&lower) {
            Some(right) => vec![right.clone()],
            None => typos_dict::WORD
                .find(&UniCase::new(token))?
                .iter()
                .map(|s| s.to_string())
                .collect(),
        };
        if fixes.is_empty() {
            return Some(Status::Invalid);
        }
        Some(Status::Corrections(
            fixes
                .iter()
                .map(|fix| Cow::Owned(same_case(token, fix)))
                .collect(),
        ))
    }
}

/// `fix` written in the case of `like`: "Suport" → "Support", "TP" → "TO".
fn same_case(like: &str, fix: &str) -> String {
    let letters: Vec<char> = like.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        fix.to_uppercase()
    } else if letters.first().is_some_and(|c| c.is_uppercase()) {
        let mut chars = fix.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        fix.to_string()
    }
}

/// The prose of a Markdown text: byte ranges of text outside code, HTML and
/// autolinks, each with what follows a closing emphasis delimiter.
fn prose_ranges(markdown: &str) -> (Vec<std::ops::Range<usize>>, Vec<usize>) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    let mut ranges = Vec::new();
    let mut emphasis_ends = Vec::new();
    let mut code_block = 0usize;
    let mut autolink = 0usize;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code_block += 1,
            Event::End(TagEnd::CodeBlock) => code_block = code_block.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. })
                if markdown[range.clone()].starts_with('<')
                    || markdown[range.clone()] == *dest_url =>
            {
                autolink += 1
            }
            Event::End(TagEnd::Link) if autolink > 0 => autolink -= 1,
            Event::End(TagEnd::Strong | TagEnd::Emphasis) => emphasis_ends.push(range.end),
            Event::Text(_) if code_block == 0 && autolink == 0 => ranges.push(range),
            _ => {}
        }
    }
    (ranges, emphasis_ends)
}

/// `text` with directives and bare URLs blanked out, byte for byte, so
/// offsets still point into the original.
fn blank_non_words(text: &str) -> String {
    let mut out = text.to_string();
    let blank = |out: &mut String, start: usize, end: usize| {
        let spaces = " ".repeat(end - start);
        out.replace_range(start..end, &spaces);
    };
    let mut from = 0;
    while let Some(start) = text[from..].find("{{#").map(|i| i + from) {
        let end = text[start..]
            .find("}}")
            .map_or(text.len(), |i| start + i + 2);
        blank(&mut out, start, end);
        from = end;
    }
    for scheme in ["https://", "http://"] {
        let mut from = 0;
        while let Some(start) = text[from..].find(scheme).map(|i| i + from) {
            let end = text[start..]
                .find(|c: char| c.is_whitespace() || c == ')' || c == '>')
                .map_or(text.len(), |i| start + i);
            blank(&mut out, start, end);
            from = end;
        }
    }
    out
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Every misspelling in one Markdown text.
fn check_markdown(path: &str, markdown: &str, dictionary: &ProjectDictionary) -> Vec<Finding> {
    let tokenizer = Tokenizer::new();
    let mut found: Vec<(usize, String, String)> = Vec::new();
    let (ranges, emphasis_ends) = prose_ranges(markdown);
    for range in ranges {
        let prose = blank_non_words(&markdown[range.clone()]);
        for typo in typos::check_str(&prose, &tokenizer, dictionary) {
            let suggestion = match &typo.corrections {
                Status::Corrections(fixes) => fixes.join(", "),
                _ => "?".to_string(),
            };
            found.push((
                range.start + typo.byte_offset,
                typo.typo.to_string(),
                suggestion,
            ));
        }
        let lower = prose.to_lowercase();
        for (wrong, right) in &dictionary.phrases {
            for (at, _) in lower.match_indices(wrong.as_str()) {
                let end = at + wrong.len();
                let starts_word = !lower[..at].ends_with(char::is_alphanumeric);
                let ends_word = !lower[end..].starts_with(char::is_alphanumeric);
                if starts_word && ends_word {
                    let wrote = &prose[at..end];
                    found.push((range.start + at, wrote.to_string(), same_case(wrote, right)));
                }
            }
        }
        found.extend(
            doubled_words(&prose)
                .map(|(at, word)| (range.start + at, format!("{word} {word}"), word)),
        );
    }
    // "**Desired tasks**to": a closing delimiter glued to the next word.
    for end in emphasis_ends {
        if markdown[end..].starts_with(char::is_alphanumeric) {
            let closed = markdown[..end].trim_end_matches(['*', '_']);
            let before = closed
                .rfind(|c: char| !c.is_alphanumeric())
                .map_or(0, |i| i + 1);
            let after = markdown[end..]
                .find(|c: char| !c.is_alphanumeric())
                .map_or(markdown.len(), |i| end + i);
            let delimiter = &markdown[closed.len()..end];
            found.push((
                before,
                markdown[before..after].to_string(),
                format!("{}{delimiter} {}", &closed[before..], &markdown[end..after]),
            ));
        }
    }
    found.sort();
    found.dedup();
    found
        .into_iter()
        .map(|(offset, word, suggestion)| {
            let (line, col) = line_col(markdown, offset);
            Finding {
                path: path.to_string(),
                line,
                col,
                word,
                suggestion,
            }
        })
        .collect()
}

/// Words that English doubles on purpose ("he had had", "so that that").
const DOUBLES_ALLOWED: [&str; 2] = ["had", "that"];

/// The same word twice in a row ("the the"), with the offset of the second.
fn doubled_words(prose: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    let words: Vec<(usize, &str)> = prose
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .scan(0usize, |offset, word| {
            let at = *offset;
            *offset += word.len() + 1;
            Some((at, word))
        })
        .collect();
    words
        .windows(2)
        .filter(|pair| {
            let ((a_at, a), (b_at, b)) = (pair[0], pair[1]);
            !a.is_empty()
                && a.chars().any(char::is_alphabetic)
                && a.eq_ignore_ascii_case(b)
                && !DOUBLES_ALLOWED.contains(&a.to_lowercase().as_str())
                && prose[a_at + a.len()..b_at].chars().all(|c| c == ' ')
        })
        .map(|pair| (pair[1].0, pair[1].1.to_string()))
        .collect::<Vec<_>>()
        .into_iter()
}

/// Every `.md` file under `dir`, as (path relative to `base`, text), in
/// path order. Symlinks (`src/policies`, `src/templates`) are not followed.
fn markdown_files(dir: &Path, base: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("readable src/"))
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let rel = e.path().strip_prefix(base).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            (
                rel,
                std::fs::read_to_string(e.path()).expect("UTF-8 Markdown"),
            )
        })
        .collect();
    files.sort();
    files
}

fn check_dir(dir: &Path, base: &Path) -> Vec<String> {
    let dictionary = ProjectDictionary::load();
    markdown_files(dir, base)
        .iter()
        .flat_map(|(path, text)| check_markdown(path, text, &dictionary))
        .map(|f| f.to_string())
        .collect()
}

#[test]
fn the_guide_has_no_misspellings() {
    let root = repo_root();
    let findings = check_dir(&root.join("src"), &root);
    assert!(
        findings.is_empty(),
        "misspellings in the guide (fix them, or add a real word to tests/spelling-words.txt):\n{}",
        findings.join("\n")
    );
}

#[test]
fn the_check_reads_every_chapter_and_procedure() {
    let root = repo_root();
    let files: Vec<String> = markdown_files(&root.join("src"), &root)
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    for expected in [
        "src/SUMMARY.md",
        "src/introduction.md",
        "src/procedures/create-service.md",
    ] {
        assert!(
            files.iter().any(|f| f == expected),
            "{expected} not checked: {files:?}"
        );
    }
    assert!(
        files
            .iter()
            .all(|f| !f.starts_with("src/policies/") && !f.starts_with("src/templates/"))
    );
}

#[test]
fn every_typo_of_the_draft_is_caught() {
    let findings = check_dir(&fixture("spelling/draft"), &fixture("spelling"));
    assert_eq!(
        findings,
        [
            "draft/typos.md:3:22: Responser → Responder",
            "draft/typos.md:4:18: avilable → available",
            "draft/typos.md:5:29: hed → head",
            "draft/typos.md:6:32: knw → know",
            "draft/typos.md:7:22: erlier → earlier",
            "draft/typos.md:9:42: Earl → Early",
            "draft/typos.md:11:5: Suport → Support",
            "draft/typos.md:13:25: tp → to",
            "draft/typos.md:14:19: your will → you will",
            "draft/typos.md:15:27: with will → which will",
            "draft/typos.md:16:8: en existing → an existing",
            "draft/typos.md:17:18: tasks**to → tasks** to",
            "draft/typos.md:18:11: the the → the",
        ]
    );
}

#[test]
fn code_urls_directives_and_project_words_are_not_flagged() {
    let findings = check_dir(&fixture("spelling/clean"), &fixture("spelling"));
    assert_eq!(findings, Vec::<String>::new());
}

#[test]
fn the_word_list_allows_what_the_dictionary_flags() {
    let text = "Set the ser field.\n";
    let without = ProjectDictionary::parse("", "");
    assert_eq!(
        check_markdown("x.md", text, &without)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["x.md:1:9: ser → set"]
    );
    let with = ProjectDictionary::parse("# a project word\nser\n", "");
    assert_eq!(check_markdown("x.md", text, &with), []);
}

#[test]
fn every_listed_word_is_one_the_dictionary_would_flag() {
    // A word the dictionary already accepts has no business in the list:
    // keeping it there would hide nothing today and a real typo tomorrow.
    let words = std::fs::read_to_string(repo_root().join("tests/spelling-words.txt")).unwrap();
    let bare = ProjectDictionary::parse("", "");
    let needless: Vec<&str> = entries(&words)
        .filter(|word| check_markdown("x.md", &format!("{word}\n"), &bare).is_empty())
        .collect();
    assert!(
        needless.is_empty(),
        "not needed in tests/spelling-words.txt: {needless:?}"
    );
}

#[test]
fn suggestions_follow_the_case_of_the_typo() {
    assert_eq!(same_case("Suport", "support"), "Support");
    assert_eq!(same_case("SUPORT", "support"), "SUPPORT");
    assert_eq!(same_case("suport", "support"), "support");
    assert_eq!(same_case("Your will", "you will"), "You will");
}

#[test]
fn columns_count_characters_not_bytes() {
    assert_eq!(line_col("a → b\nxy", 6), (1, 5));
    assert_eq!(line_col("a → b\nxy", 9), (2, 2));
}

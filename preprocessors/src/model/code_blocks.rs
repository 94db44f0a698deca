//! Fenced code blocks of a chapter, with a map from each byte of a block's
//! text back to the chapter, so a check of the block reports at the line the
//! writer typed (even for blocks indented inside a list).

use mdbook_markdown::pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The info string's first word (`bash`, `json`, …).
    pub lang: String,
    pub text: String,
    /// The whole block in the chapter, from its opening fence.
    pub range: Range<usize>,
    /// (offset in `text`, offset in the chapter) at the start of each piece.
    pieces: Vec<(usize, usize)>,
}

impl Block {
    /// The chapter range of a range of `text`.
    pub fn chapter_range(&self, range: Range<usize>) -> Range<usize> {
        let map = |at: usize| {
            let i = self
                .pieces
                .partition_point(|(t, _)| *t <= at)
                .saturating_sub(1);
            self.pieces.get(i).map_or(at, |(t, c)| c + (at - t))
        };
        let start = map(range.start);
        start..start.max(map(range.end))
    }
}

/// Every fenced code block of `markdown`.
pub fn fenced(markdown: &str) -> Vec<Block> {
    let events: Vec<_> = Parser::new(markdown).into_offset_iter().collect();
    fenced_in(&events)
}

/// Every fenced code block in a chapter's events (parsed once, shared).
pub(crate) fn fenced_in(events: &[(Event<'_>, Range<usize>)]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    for (event, range) in events {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                current = Some(Block {
                    lang: info
                        .split(|c: char| c.is_whitespace() || c == ',')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    text: String::new(),
                    range: range.clone(),
                    pieces: Vec::new(),
                });
            }
            Event::Text(text) => {
                if let Some(block) = current.as_mut() {
                    block.pieces.push((block.text.len(), range.start));
                    block.text.push_str(text);
                }
            }
            Event::End(TagEnd::CodeBlock) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_keep_their_language_and_map_back_to_the_chapter() {
        let md = "Intro\n\n1. Step\n\n   ```bash\n   aws ecs list-tasks\n   echo hi\n   ```\n\n```json\n{}\n```\n";
        let blocks = fenced(md);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].lang, "bash");
        assert_eq!(blocks[0].text, "aws ecs list-tasks\necho hi\n");
        let at = blocks[0].text.find("echo").unwrap();
        let range = blocks[0].chapter_range(at..at + 4);
        assert_eq!(&md[range], "echo");
        assert!(md[blocks[0].range.clone()].starts_with("```bash\n"));
        assert_eq!(blocks[1].lang, "json");
    }
}

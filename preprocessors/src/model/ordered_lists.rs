//! Ordered lists ("steps") in a Markdown text, parsed exactly as mdBook
//! parses them, with each step's words and where they came from.

use crate::model::markdown;
use mdbook_markdown::MarkdownOptions;
use mdbook_markdown::pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::Range;

/// How a piece of a step's text was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Plain,
    /// `` `code` ``
    Code,
    /// `**strong**` or `*emphasis*`
    Emphasis,
    /// A fenced or indented code block inside the step.
    Block,
}

/// One text event of a step: its words and its byte range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub mark: Mark,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The number the writer typed, when the marker could be read.
    pub number: Option<u64>,
    /// The marker (`12.`) in the text.
    pub marker: Range<usize>,
    /// The whole item.
    pub range: Range<usize>,
    /// The step's own words; nested ordered lists are steps of their own.
    pub segments: Vec<Segment>,
}

impl Step {
    /// The step's words with whitespace collapsed and emphasis and code
    /// marks dropped: the form two copies of a step are compared in.
    pub fn normalized(&self) -> String {
        let mut joined = String::new();
        for segment in &self.segments {
            joined.push_str(&segment.text);
        }
        joined.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepList {
    /// The first number, as mdBook renders it.
    pub start: u64,
    pub range: Range<usize>,
    /// 0 for a list that is not inside another list.
    pub depth: usize,
    /// How many headings come before the list (lists in one section share it).
    pub section: usize,
    pub steps: Vec<Step>,
}

/// A reference such as "step 9" in a text, outside code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prose {
    pub text: String,
    pub range: Range<usize>,
    pub section: usize,
}

#[derive(Debug, Default, Clone)]
pub struct Document {
    pub lists: Vec<StepList>,
    /// Every text event outside code, for references to steps.
    pub prose: Vec<Prose>,
    /// Inline code and code blocks, everywhere.
    pub code: Vec<Prose>,
    /// Each heading's words, in order (a list's `section` counts them).
    pub headings: Vec<String>,
}

/// The ordered lists of `text`, in order of their start (a text that is
/// not a chapter: chapters come with their events parsed once).
pub fn parse(text: &str) -> Document {
    from_events(
        text,
        &markdown::parse(text, &MarkdownOptions::default()).events,
    )
}

/// The ordered lists of `text`, read from its events.
pub(crate) fn from_events(text: &str, events: &[(Event<'_>, Range<usize>)]) -> Document {
    let mut doc = Document::default();
    // One entry per open list: the index in `doc.lists` for an ordered one.
    let mut lists: Vec<Option<usize>> = Vec::new();
    // Open items, innermost last: (list index, step index) for a step,
    // `None` for a bullet.
    let mut open_steps: Vec<Option<(usize, usize)>> = Vec::new();
    let mut section = 0;
    let mut mark_depth = 0usize;
    let mut in_code_block = false;
    let mut in_heading = false;
    for (event, range) in events {
        let range = range.clone();
        match event {
            Event::Start(Tag::Heading { .. }) => {
                section += 1;
                in_heading = true;
                doc.headings.push(String::new());
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::List(first)) => {
                let entry = first.map(|start| {
                    doc.lists.push(StepList {
                        start,
                        range: range.clone(),
                        depth: lists.len(),
                        section,
                        steps: Vec::new(),
                    });
                    doc.lists.len() - 1
                });
                lists.push(entry);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                let step = lists.last().copied().flatten();
                // A bullet inside a step: its words are apart from the step's.
                push(
                    &mut doc,
                    &open_steps,
                    " ",
                    Mark::Plain,
                    range.start..range.start,
                );
                if let Some(list) = step {
                    let (number, marker) = marker_at(text, range.start);
                    let steps = &mut doc.lists[list].steps;
                    steps.push(Step {
                        number,
                        marker,
                        range: range.clone(),
                        segments: Vec::new(),
                    });
                    open_steps.push(Some((list, steps.len() - 1)));
                } else {
                    open_steps.push(None);
                }
            }
            Event::End(TagEnd::Item) => {
                open_steps.pop();
            }
            Event::Start(Tag::Emphasis | Tag::Strong) => mark_depth += 1,
            Event::End(TagEnd::Emphasis | TagEnd::Strong) => {
                mark_depth = mark_depth.saturating_sub(1);
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                // A block ends a sentence: keep its words apart from the prose.
                push(&mut doc, &open_steps, " ", Mark::Plain, range.clone());
            }
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::End(TagEnd::Paragraph) => {
                push(
                    &mut doc,
                    &open_steps,
                    " ",
                    Mark::Plain,
                    range.end..range.end,
                );
            }
            Event::Text(words) => {
                if in_heading && let Some(heading) = doc.headings.last_mut() {
                    heading.push_str(words);
                }
                let mark = if in_code_block {
                    Mark::Block
                } else if mark_depth > 0 {
                    Mark::Emphasis
                } else {
                    Mark::Plain
                };
                let piece = Prose {
                    text: words.as_ref().to_owned(),
                    range: range.clone(),
                    section,
                };
                if in_code_block {
                    doc.code.push(piece);
                } else {
                    doc.prose.push(piece);
                }
                push(&mut doc, &open_steps, words, mark, range);
            }
            Event::Code(words) => {
                if in_heading && let Some(heading) = doc.headings.last_mut() {
                    heading.push_str(words);
                }
                // The words without their backticks, when they are verbatim.
                let range = match text[range.clone()].find(&**words) {
                    Some(at) => range.start + at..range.start + at + words.len(),
                    None => range,
                };
                doc.code.push(Prose {
                    text: words.as_ref().to_owned(),
                    range: range.clone(),
                    section,
                });
                push(&mut doc, &open_steps, words, Mark::Code, range);
            }
            Event::SoftBreak | Event::HardBreak => {
                push(&mut doc, &open_steps, " ", Mark::Plain, range);
            }
            _ => {}
        }
    }
    doc
}

fn push(
    doc: &mut Document,
    open: &[Option<(usize, usize)>],
    text: &str,
    mark: Mark,
    range: Range<usize>,
) {
    if let Some((list, step)) = open.iter().rev().find_map(|item| *item) {
        doc.lists[list].steps[step].segments.push(Segment {
            text: text.to_string(),
            mark,
            range,
        });
    }
}

/// The number and extent of an ordered-list marker (`12.` or `12)`) at `at`.
fn marker_at(text: &str, at: usize) -> (Option<u64>, Range<usize>) {
    let rest = &text[at.min(text.len())..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let start = at + skipped;
    let digits = text[start..].bytes().take_while(u8::is_ascii_digit).count();
    let end = start + digits;
    let delimiter = text[end..].starts_with(['.', ')']);
    if digits == 0 || !delimiter {
        return (None, start..start);
    }
    (text[start..end].parse().ok(), start..end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_keep_their_numbers_words_and_offsets() {
        let text = "# T\n\n1. Open the **ECS** console.\n2. Set `CPU` to *.5 vCPU*.\n   More words.\n4. Click **Create**\n";
        let doc = parse(text);
        assert_eq!(doc.lists.len(), 1);
        let list = &doc.lists[0];
        assert_eq!((list.start, list.depth, list.section), (1, 0, 1));
        assert_eq!(doc.headings, ["T"]);
        let numbers: Vec<_> = list.steps.iter().map(|s| s.number).collect();
        assert_eq!(numbers, [Some(1), Some(2), Some(4)]);
        assert_eq!(
            list.steps[1].normalized(),
            "Set CPU to .5 vCPU. More words."
        );
        assert_eq!(&text[list.steps[2].marker.clone()], "4.");
        let cpu = &list.steps[1].segments[1];
        assert_eq!((cpu.mark, &text[cpu.range.clone()]), (Mark::Code, "CPU"));
        let value = &list.steps[1].segments[3];
        assert_eq!(
            (value.mark, value.text.as_str()),
            (Mark::Emphasis, ".5 vCPU")
        );
    }

    #[test]
    fn nested_ordered_lists_are_lists_of_their_own() {
        let text = "1. a\n   1. x\n   2. y\n2. b\n   - bullet words\n";
        let doc = parse(text);
        assert_eq!(doc.lists.len(), 2);
        assert_eq!(doc.lists[0].steps[0].normalized(), "a");
        assert_eq!(doc.lists[0].steps[1].normalized(), "b bullet words");
        assert_eq!(doc.lists[1].depth, 1);
        assert_eq!(doc.lists[1].steps.len(), 2);
    }

    #[test]
    fn bullet_lists_and_code_are_not_steps() {
        let doc = parse("- a\n- b\n\n```\n1. not a step\n```\n");
        assert!(doc.lists.is_empty());
        assert_eq!(doc.prose.len(), 2, "code is not prose");
    }
}

//! One pass of pulldown-cmark over a chapter, with mdBook's own options:
//! every link and image (with its byte range), every id the HTML page will
//! carry (headings and terms by mdBook's rules, `{#custom-id}`, footnotes,
//! `id` attributes of inline HTML), and reference links with no definition.

pub(crate) mod heading_ids;

use crate::model::html;
use crate::model::markdown::Parsed;
use heading_ids::{UniqueIds, id_from_content};
use mdbook_markdown::MarkdownOptions;
use mdbook_markdown::pulldown_cmark::{Event, LinkType, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Image,
    /// `<https://…>`.
    Autolink,
    /// `href`/`src` of raw HTML.
    Html,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    pub kind: LinkKind,
    /// The whole `[text](dest)` (or the attribute value), in bytes.
    pub range: Range<usize>,
}

pub(crate) use crate::model::markdown::UndefinedReference;

#[derive(Debug, Default, Clone)]
pub struct Page {
    pub links: Vec<Link>,
    /// Every id on the rendered page, in document order (may repeat).
    pub ids: Vec<String>,
    pub undefined: Vec<UndefinedReference>,
}

/// A heading or term whose text is being gathered for its id.
struct Pending {
    text: String,
    custom_id: Option<String>,
}

/// Parses `text` and reads its page (SUMMARY.md, the 404 page, tests).
pub fn extract(text: &str, markdown: &MarkdownOptions) -> Page {
    from_parsed(text, &crate::model::markdown::parse(text, markdown))
}

/// The links, ids and undefined references of a text parsed once.
pub(crate) fn from_parsed(text: &str, parsed: &Parsed<'_>) -> Page {
    let mut page = Page::default();
    walk(text, parsed.events.iter(), &mut page);
    page.undefined = parsed.undefined.clone();
    page
}

fn walk<'e, 'a: 'e>(
    text: &str,
    events: impl Iterator<Item = &'e (Event<'a>, Range<usize>)>,
    page: &mut Page,
) {
    let mut unique = UniqueIds::default();
    let mut pending: Option<Pending> = None;
    let mut image_depth = 0usize;
    // name -> (number shown, references so far), as mdBook numbers footnotes.
    let mut footnotes: HashMap<String, (usize, u32)> = HashMap::new();
    let mut defined: Vec<String> = Vec::new();
    let mut skip_depth: Option<usize> = None;
    for (event, range) in events {
        let range = range.clone();
        if let Some(depth) = skip_depth.as_mut() {
            // mdBook drops a repeated footnote definition whole.
            match event {
                Event::Start(_) => *depth += 1,
                Event::End(_) if *depth == 0 => skip_depth = None,
                Event::End(_) => *depth -= 1,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { id, attrs, .. }) => {
                let attr_id = attrs
                    .iter()
                    .rev()
                    .find(|(k, _)| k.as_ref() == "id")
                    .map(|(_, v)| v.as_deref().unwrap_or("").to_string());
                pending = Some(Pending {
                    text: String::new(),
                    custom_id: id.as_ref().map(|i| i.to_string()).or(attr_id),
                });
            }
            Event::Start(Tag::DefinitionListTitle) => {
                pending = Some(Pending {
                    text: String::new(),
                    custom_id: None,
                });
            }
            Event::End(TagEnd::Heading(_) | TagEnd::DefinitionListTitle) => {
                if let Some(p) = pending.take() {
                    let id = match p.custom_id {
                        Some(id) => id,
                        None => unique.unique(&id_from_content(&p.text)),
                    };
                    page.ids.push(id);
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let kind = match link_type {
                    LinkType::Email => None,
                    LinkType::Autolink => Some(LinkKind::Autolink),
                    _ => Some(LinkKind::Link),
                };
                if let Some(kind) = kind {
                    page.links.push(Link {
                        dest: dest_url.to_string(),
                        kind,
                        range,
                    });
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                image_depth += 1;
                page.links.push(Link {
                    dest: dest_url.to_string(),
                    kind: LinkKind::Image,
                    range,
                });
            }
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            Event::Start(Tag::FootnoteDefinition(name)) => {
                if defined.iter().any(|d| d == name.as_ref()) {
                    skip_depth = Some(0);
                } else {
                    defined.push(name.to_string());
                }
            }
            Event::FootnoteReference(name) => {
                let next = footnotes.len() + 1;
                let entry = footnotes.entry(name.to_string()).or_insert((next, 0));
                entry.1 += 1;
                page.ids.push(format!("fr-{name}-{}", entry.1));
                if let Some(p) = pending.as_mut() {
                    p.text.push_str(&entry.0.to_string());
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if image_depth == 0
                    && let Some(p) = pending.as_mut()
                {
                    p.text.push_str(t);
                }
            }
            Event::SoftBreak => {
                if let Some(p) = pending.as_mut() {
                    p.text.push('\n');
                }
            }
            Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) => {
                scan_html(text, range, page);
            }
            _ => {}
        }
    }
    for name in defined {
        if footnotes.contains_key(&name) {
            page.ids.push(format!("footnote-{name}"));
        }
    }
}

fn scan_html(text: &str, range: Range<usize>, page: &mut Page) {
    let Some(html) = text.get(range.clone()) else {
        return;
    };
    for attr in html::attributes(html) {
        if html::is_anchor(&attr) {
            page.ids.push(attr.value);
        } else if html::is_link(&attr) {
            page.links.push(Link {
                dest: attr.value,
                kind: LinkKind::Html,
                range: range.start + attr.range.start..range.start + attr.range.end,
            });
        }
    }
}

#[cfg(test)]
mod tests;

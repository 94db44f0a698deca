//! What a rebuild under `serve` must render again, judged from what the last
//! site was made of. mdBook's page for a chapter is made of the chapter's
//! processed content, its title, its neighbours' names and paths, the book's
//! configuration and theme, and the hashed names of the shared files
//! (`toc-….js` holds the outline, `searchindex-….js` every chapter). So when
//! the outline, the configuration and the theme are unchanged, only the
//! pages whose content or title changed differ; everything else, and every
//! case this module cannot vouch for, is a full render.

use mdbook_driver::config::Config;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What the site being served was rendered from.
#[derive(Debug, Clone)]
pub(crate) struct Rendered {
    pub book: Book,
    pub titles: HashMap<PathBuf, String>,
    pub config: Config,
}

/// The pages to render again: chapter paths (`part/ch.md`), in book order.
#[derive(Debug, PartialEq, Eq)]
pub struct Pages {
    pub chapters: Vec<PathBuf>,
    /// The first chapter changed, so `index.html` (its copy) did too.
    pub index: bool,
}

/// The pages that differ between the site `last` was rendered from and
/// `book`, or `None` when the whole site must be rendered again: the
/// configuration or the outline changed, or an edited file may reach the
/// site other than through a chapter's content (`changed` lists the files
/// edited since `last`, absolute, in the book at `root`).
pub(crate) fn pages(
    last: &Rendered,
    book: &Book,
    titles: &HashMap<PathBuf, String>,
    config: &Config,
    root: &Path,
    changed: &[PathBuf],
) -> Option<Pages> {
    if custom_page_template(root, config)
        || last.config != *config
        || !same_outline(&last.book.items, &book.items)
        || !changed
            .iter()
            .all(|p| reaches_only_chapters(p, root, config))
    {
        return None;
    }
    let before: HashMap<&Path, &Chapter> = last
        .book
        .chapters()
        .filter_map(|ch| Some((ch.path.as_deref()?, ch)))
        .collect();
    let mut pages = Pages {
        chapters: Vec::new(),
        index: false,
    };
    for (i, ch) in book.chapters().enumerate() {
        let path = ch.path.as_deref()?;
        let old = before.get(path)?;
        if old.content != ch.content || last.titles.get(path) != titles.get(path) {
            pages.chapters.push(path.to_path_buf());
            pages.index |= i == 0;
        }
    }
    Some(pages)
}

/// Whether an edited file reaches the site only through the chapters'
/// processed content (which [`pages`] compares): a Markdown file under the
/// sources (a chapter, an included file) or a file outside both the sources
/// (whose other files are copied into the site) and the theme, and not one
/// of the extra stylesheets or scripts. `SUMMARY.md` and `book.toml` are
/// judged by the outline and the configuration.
fn reaches_only_chapters(path: &Path, root: &Path, config: &Config) -> bool {
    let html = config.html_config().unwrap_or_default();
    let src = root.join(&config.book.src);
    let input_404 = src.join(html.input_404.as_deref().unwrap_or("404.md"));
    let extra = html.additional_css.iter().chain(&html.additional_js);
    if path == input_404
        || path.starts_with(html.theme_dir(root))
        || extra.into_iter().any(|f| path == root.join(f))
    {
        return false;
    }
    !path.starts_with(&src) || path.extension().is_some_and(|e| e == "md")
}

/// A theme's own page template or its partials may show the outline
/// (mdBook hands them every chapter), which a reduced book would change.
fn custom_page_template(root: &Path, config: &Config) -> bool {
    let html = config.html_config().unwrap_or_default();
    let theme = html.theme_dir(root);
    ["index.hbs", "head.hbs", "header.hbs"]
        .iter()
        .any(|name| theme.join(name).exists())
}

/// The items of two books alike but for the chapters' content: same
/// chapters, names, numbers, files, nesting, parts and separators.
pub(crate) fn same_outline(a: &[BookItem], b: &[BookItem]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|pair| match pair {
            (BookItem::Chapter(a), BookItem::Chapter(b)) => {
                let Chapter {
                    name,
                    content: _,
                    number,
                    sub_items,
                    path,
                    source_path,
                    parent_names,
                } = a;
                *name == b.name
                    && *number == b.number
                    && *path == b.path
                    && *source_path == b.source_path
                    && *parent_names == b.parent_names
                    && same_outline(sub_items, &b.sub_items)
            }
            (a, b) => a == b,
        })
}

/// A book of the chapters to render and their neighbours (the previous and
/// next links of a page name them), flat, in book order; a neighbour's
/// content is left out, its page is not kept.
pub(crate) fn reduced(book: &Book, pages: &Pages) -> Book {
    let wanted: HashSet<&Path> = pages.chapters.iter().map(PathBuf::as_path).collect();
    let all: Vec<&Chapter> = book.chapters().collect();
    let mut keep = vec![false; all.len()];
    for (i, ch) in all.iter().enumerate() {
        if ch.path.as_deref().is_some_and(|p| wanted.contains(p)) {
            keep[i.saturating_sub(1)..(i + 2).min(all.len())].fill(true);
        }
    }
    let mut reduced = Book::new();
    for (ch, _) in all.iter().zip(&keep).filter(|(_, k)| **k) {
        let mut ch = Chapter {
            sub_items: Vec::new(),
            ..(*ch).clone()
        };
        if !ch.path.as_deref().is_some_and(|p| wanted.contains(p)) {
            ch.content.clear();
        }
        reduced.push_item(BookItem::Chapter(ch));
    }
    reduced
}

/// How the shared files the reduced book's pages name (`toc-1a2b3c4d.js`)
/// are named in the site (`toc-5e6f7a8b.js`): each hashed file of `staged`
/// the site lacks, paired with the site's one file of the same name and
/// another hash. `None` when one has no such counterpart. A page names no
/// other file by its content, so other names the site lacks (a file under
/// the sources the watcher ignores, such as an editor's) change no page.
pub(crate) fn shared_names(staged: &[String], site: &[String]) -> Option<Vec<(String, String)>> {
    let present: HashSet<&str> = site.iter().map(String::as_str).collect();
    staged
        .iter()
        .filter(|name| !present.contains(name.as_str()))
        .filter_map(|name| Some((name, unhashed(name)?)))
        .map(|(name, key)| {
            let mut same = site.iter().filter(|s| unhashed(s) == Some(key));
            match (same.next(), same.next()) {
                (Some(one), None) => Some((name.clone(), one.clone())),
                _ => None,
            }
        })
        .collect()
}

/// `("toc", "js")` for mdBook's hashed `toc-1a2b3c4d.js`.
pub(crate) fn unhashed(name: &str) -> Option<(&str, &str)> {
    let (head, suffix) = name.split_once('.')?;
    let (stem, hash) = head.rsplit_once('-')?;
    (hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some((stem, suffix))
}

/// `page` with every shared file's name replaced by the site's.
pub(crate) fn rename_shared(page: &[u8], renames: &[(String, String)]) -> Vec<u8> {
    let mut page = page.to_vec();
    for (from, to) in renames {
        let mut out = Vec::with_capacity(page.len());
        let mut rest = &page[..];
        while let Some(at) = memchr::memmem::find(rest, from.as_bytes()) {
            out.extend_from_slice(&rest[..at]);
            out.extend_from_slice(to.as_bytes());
            rest = &rest[at + from.len()..];
        }
        out.extend_from_slice(rest);
        page = out;
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_shared_file_is_matched_with_the_sites_one_of_another_hash() {
        let staged = names(&["index.html", "toc-1a2b3c4d.js", "book-00000000.js"]);
        let site = names(&["index.html", "toc-5e6f7a8b.js", "book-00000000.js"]);
        assert_eq!(
            shared_names(&staged, &site),
            Some(vec![("toc-1a2b3c4d.js".into(), "toc-5e6f7a8b.js".into())])
        );
        // No counterpart, or two of them.
        assert_eq!(shared_names(&staged, &names(&["index.html"])), None);
        let two = names(&["toc-5e6f7a8b.js", "toc-99999999.js", "book-00000000.js"]);
        assert_eq!(shared_names(&staged, &two), None);
        // A name mdBook did not hash is no page's business.
        assert_eq!(shared_names(&names(&["4913"]), &site), Some(Vec::new()));
    }

    #[test]
    fn every_name_in_a_page_is_replaced() {
        let renames = [("toc-1a2b3c4d.js".to_string(), "toc-5e6f7a8b.js".to_string())];
        let page = b"<script src=\"../toc-1a2b3c4d.js\"></script>toc-1a2b3c4d.js";
        assert_eq!(
            rename_shared(page, &renames),
            b"<script src=\"../toc-5e6f7a8b.js\"></script>toc-5e6f7a8b.js"
        );
    }

    fn chapter(name: &str, content: &str, path: &str) -> Chapter {
        Chapter::new(name, content.into(), path, Vec::new())
    }

    fn book(chapters: &[Chapter]) -> Book {
        let mut book = Book::new();
        for ch in chapters {
            book.push_item(BookItem::Chapter(ch.clone()));
        }
        book
    }

    #[test]
    fn the_outline_ignores_content_alone() {
        let a = book(&[chapter("A", "one", "a.md"), chapter("B", "two", "b.md")]);
        let edited = book(&[chapter("A", "1", "a.md"), chapter("B", "2", "b.md")]);
        assert!(same_outline(&a.items, &edited.items));
        let renamed = book(&[chapter("A", "one", "a.md"), chapter("C", "two", "b.md")]);
        assert!(!same_outline(&a.items, &renamed.items));
        let mut more = a.clone();
        more.push_item(BookItem::Separator);
        assert!(!same_outline(&a.items, &more.items));
    }

    #[test]
    fn changed_pages_are_found_and_rendered_with_their_neighbours() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let config = Config::default();
        let chapters = [
            chapter("A", "a", "a.md"),
            chapter("B", "b", "b.md"),
            chapter("C", "c", "c.md"),
            chapter("D", "d", "d.md"),
        ];
        let last = Rendered {
            book: book(&chapters),
            titles: HashMap::new(),
            config: config.clone(),
        };
        let mut edited = chapters.clone();
        edited[2].content = "changed".into();
        let edited = book(&edited);
        let file = root.join("src/c.md");
        let pages = pages(&last, &edited, &HashMap::new(), &config, &root, &[file]);
        let expected = Pages {
            chapters: vec![PathBuf::from("c.md")],
            index: false,
        };
        assert_eq!(pages.as_ref(), Some(&expected));
        let reduced = reduced(&edited, &expected);
        let kept: Vec<_> = reduced
            .chapters()
            .map(|c| (c.name.as_str(), c.content.as_str()))
            .collect();
        assert_eq!(kept, [("B", ""), ("C", "changed"), ("D", "")]);
        // An asset under the sources, the theme or the book's title: everything.
        for file in ["src/logo.png", "theme/book.js"] {
            let changed = [root.join(file)];
            assert_eq!(
                super::pages(&last, &edited, &HashMap::new(), &config, &root, &changed),
                None,
                "{file}"
            );
        }
        let mut titled = config.clone();
        titled.book.title = Some("Other".into());
        assert_eq!(
            super::pages(&last, &edited, &HashMap::new(), &titled, &root, &[]),
            None
        );
    }
}

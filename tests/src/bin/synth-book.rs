//! Writes a deterministic synthetic mdBook book for benchmarks: thousands of
//! chapters, tens of thousands of links (a quarter with fragments, a known
//! number broken on purpose), and ordered step lists of which some are exact
//! duplicates and some differ in one step.
//!
//! `synth-book OUT_DIR [--chapters 2000] [--links 80000] [--seed N] [--clean]`
//! prints what it wrote and leaves `synth-manifest.json` (the broken links
//! and the step lists) beside `book.toml`.

use clap::Parser;
use serde_json::json;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Parser)]
#[command(about = "Write a synthetic mdBook book for benchmarks")]
struct Args {
    out_dir: PathBuf,
    #[arg(long, default_value_t = 2000)]
    chapters: usize,
    #[arg(long, default_value_t = 80000)]
    links: usize,
    #[arg(long, default_value_t = 6)]
    seed: u64,
    /// Break nothing on purpose (no broken links, no near-duplicate steps),
    /// so `responder-docs build` writes the site: for build benchmarks.
    #[arg(long)]
    clean: bool,
}

/// splitmix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "cluster",
    "service",
    "task",
    "container",
    "role",
    "policy",
    "image",
    "registry",
    "network",
    "subnet",
    "gateway",
    "listener",
    "target",
    "health",
    "check",
    "log",
    "stream",
    "metric",
    "alarm",
    "secret",
    "parameter",
    "template",
    "stack",
    "region",
    "account",
    "endpoint",
    "capacity",
    "provider",
    "scaling",
    "deployment",
    "revision",
    "family",
    "port",
    "mapping",
    "volume",
    "mount",
    "agent",
    "instance",
    "profile",
    "trust",
];
const SECTIONS: &[&str] = &[
    "Overview",
    "Before you begin",
    "Configure",
    "Verify",
    "Clean up",
    "Troubleshooting",
    "Limits",
    "Next steps",
];
const VERBS: &[&str] = &[
    "Open", "Choose", "Enter", "Select", "Confirm", "Copy", "Review", "Attach", "Create", "Delete",
];
const ASSETS: usize = 10;
/// Broken links per thousand.
const BROKEN_PER_MILLE: u64 = 5;

struct Chapter {
    path: String,
    title: String,
    /// Section headings as written, and their ids as mdBook derives them.
    sections: Vec<(String, String)>,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let mut rng = Rng(args.seed);
    let per_part = 100;
    let chapters: Vec<Chapter> = (0..args.chapters)
        .map(|i| {
            let path = format!("part-{:02}/chapter-{:04}.md", i / per_part + 1, i + 1);
            let title = format!(
                "Chapter {}: {} {}",
                i + 1,
                capitalise(rng.pick(WORDS)),
                rng.pick(WORDS)
            );
            let mut seen: Vec<String> = vec![slug(&title)];
            let mut sections = Vec::new();
            for s in 0..5 {
                let heading = if s > 0 && rng.chance(200) {
                    // A repeated heading: mdBook suffixes its id.
                    sections
                        .last()
                        .map(|(h, _): &(String, String)| h.clone())
                        .unwrap_or_default()
                } else {
                    format!(
                        "{} the {} {}",
                        rng.pick(SECTIONS),
                        rng.pick(WORDS),
                        rng.pick(WORDS)
                    )
                };
                let id = unique(&slug(&heading), &mut seen);
                sections.push((heading, id));
            }
            Chapter {
                path,
                title,
                sections,
            }
        })
        .collect();

    let out = &args.out_dir;
    std::fs::create_dir_all(out.join("src/assets"))?;
    std::fs::write(
        out.join("book.toml"),
        "[book]\ntitle = \"Synthetic book\"\n\n[build]\ncreate-missing = false\n\n\
         [output.html.print]\nenable = false\n\n[output.html.search]\nenable = false\n",
    )?;
    for a in 0..ASSETS {
        std::fs::write(
            out.join(format!("src/assets/diagram-{a:02}.svg")),
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        )?;
    }
    // mdBook also writes the first chapter as `index.html` at the top, where
    // relative links from a sub-folder would break; a top-level first page
    // keeps that copy faithful.
    std::fs::write(
        out.join("src/introduction.md"),
        "# Introduction\n\nA synthetic book for link-checker and procedure benchmarks.\n",
    )?;
    let mut summary = String::from("# Summary\n\n[Introduction](introduction.md)\n\n");
    for ch in &chapters {
        writeln!(summary, "- [{}]({})", ch.title, ch.path).unwrap();
    }
    std::fs::write(out.join("src/SUMMARY.md"), summary)?;

    let procedures = procedure_plan(&mut rng, args.chapters, args.clean);
    let mut broken = Vec::new();
    let mut fragments = 0usize;
    let mut listed = Vec::new();
    let base = args.links / args.chapters.max(1);
    let extra = args.links % args.chapters.max(1);
    for (i, ch) in chapters.iter().enumerate() {
        let count = base + usize::from(i < extra);
        let mut text = format!("# {}\n\n", ch.title);
        let mut line = 3;
        let per_section = count.div_ceil(ch.sections.len());
        let mut made = 0;
        for (s, (heading, _)) in ch.sections.iter().enumerate() {
            writeln!(text, "## {heading}\n").unwrap();
            line += 2;
            if s == 1
                && let Some(plan) = procedures.iter().find(|p| p.chapter == i)
            {
                listed.push(json!({
                    "chapter": format!("src/{}", ch.path),
                    "line": line,
                    "group": plan.group,
                    "kind": plan.kind,
                    "steps": plan.steps.len(),
                }));
                for (n, step) in plan.steps.iter().enumerate() {
                    writeln!(text, "{}. {step}", n + 1).unwrap();
                    line += 1;
                }
                text.push('\n');
                line += 1;
            }
            let here = per_section.min(count - made);
            for k in 0..here {
                let index = made + k;
                let (dest, broke) = link(&mut rng, &chapters, i, index, &mut fragments, args.clean);
                let label = format!("{} {}", rng.pick(WORDS), rng.pick(WORDS));
                let image = dest.contains("/assets/") && !dest.ends_with(".json");
                let bang = if image { "!" } else { "" };
                writeln!(text, "See {bang}[{label}]({dest}) for the {label}.").unwrap();
                if let Some(kind) = broke {
                    broken.push(json!({
                        "chapter": format!("src/{}", ch.path),
                        "line": line,
                        "dest": dest,
                        "kind": kind,
                    }));
                }
                line += 1;
            }
            made += here;
            text.push('\n');
            line += 1;
        }
        let path = out.join("src").join(&ch.path);
        std::fs::create_dir_all(path.parent().unwrap())?;
        std::fs::write(path, text)?;
    }
    let exact = procedures.iter().filter(|p| p.kind == "exact").count();
    let near = procedures.iter().filter(|p| p.kind == "near").count();
    write_manifest(out, &broken, &listed)?;
    println!(
        "wrote {} chapters, {} links ({} with fragments), {} broken on purpose ({} missing pages, {} missing anchors, {} missing files)",
        chapters.len(),
        args.links,
        fragments,
        broken.len(),
        count_kind(&broken, "page"),
        count_kind(&broken, "anchor"),
        count_kind(&broken, "file"),
    );
    println!(
        "step lists: {} ({} exact duplicates, {} near-duplicates differing in one step); manifest: {}",
        procedures.len(),
        exact,
        near,
        out.join("synth-manifest.json").display()
    );
    Ok(())
}

/// One link from chapter `from`; a quarter carry a fragment. Returns the
/// destination and, when broken on purpose, what is broken.
fn link(
    rng: &mut Rng,
    chapters: &[Chapter],
    from: usize,
    index: usize,
    fragments: &mut usize,
    clean: bool,
) -> (String, Option<&'static str>) {
    let here = &chapters[from];
    let with_fragment = index.is_multiple_of(4);
    let broken = rng.chance(BROKEN_PER_MILLE) && !clean;
    if with_fragment {
        *fragments += 1;
        let same_page = rng.chance(300);
        let target = if same_page {
            from
        } else {
            rng.below(chapters.len())
        };
        let id = if broken {
            format!("no-such-{}", rng.pick(WORDS))
        } else {
            let t = &chapters[target];
            let k = rng.below(t.sections.len() + 1);
            if k == 0 {
                slug(&t.title)
            } else {
                t.sections[k - 1].1.clone()
            }
        };
        let dest = if same_page {
            format!("#{id}")
        } else {
            format!("{}#{id}", relative(&here.path, &chapters[target].path))
        };
        return (dest, broken.then_some("anchor"));
    }
    if broken {
        return if rng.chance(500) {
            let dir = here.path.rsplit_once('/').map_or("", |(d, _)| d);
            let missing = format!("{dir}/chapter-9{:03}.md", rng.below(1000));
            (relative(&here.path, &missing), Some("page"))
        } else {
            (
                relative(
                    &here.path,
                    &format!("assets/missing-{:02}.svg", rng.below(ASSETS)),
                ),
                Some("file"),
            )
        };
    }
    match rng.below(100) {
        0..=84 => {
            let target = rng.below(chapters.len());
            (relative(&here.path, &chapters[target].path), None)
        }
        85..=94 => (
            relative(
                &here.path,
                &format!("assets/diagram-{:02}.svg", rng.below(ASSETS)),
            ),
            None,
        ),
        _ => (
            format!(
                "https://docs.example.com/{}/{}",
                rng.pick(WORDS),
                rng.pick(WORDS)
            ),
            None,
        ),
    }
}

struct Procedure {
    chapter: usize,
    group: usize,
    kind: &'static str,
    steps: Vec<String>,
}

/// About one chapter in ten gets a step list: originals, exact copies of an
/// earlier one, and copies with one step changed.
fn procedure_plan(rng: &mut Rng, chapters: usize, clean: bool) -> Vec<Procedure> {
    let mut plan: Vec<Procedure> = Vec::new();
    let mut originals: Vec<(usize, Vec<String>)> = Vec::new();
    for chapter in (0..chapters).filter(|c| c % 10 == 3) {
        let roll = rng.below(100);
        if originals.is_empty() || roll < 60 {
            let steps: Vec<String> = (0..3 + rng.below(5)).map(|_| step(rng)).collect();
            let group = originals.len();
            originals.push((group, steps.clone()));
            plan.push(Procedure {
                chapter,
                group,
                kind: "original",
                steps,
            });
        } else {
            let (group, steps) = originals[rng.below(originals.len())].clone();
            if roll < 85 || clean {
                plan.push(Procedure {
                    chapter,
                    group,
                    kind: "exact",
                    steps,
                });
            } else {
                let mut steps = steps;
                let k = rng.below(steps.len());
                let mut changed = step(rng);
                while changed == steps[k] {
                    changed = step(rng);
                }
                steps[k] = changed;
                plan.push(Procedure {
                    chapter,
                    group,
                    kind: "near",
                    steps,
                });
            }
        }
    }
    plan
}

fn step(rng: &mut Rng) -> String {
    format!(
        "{} the **{} {}** {}.",
        rng.pick(VERBS),
        capitalise(rng.pick(WORDS)),
        rng.pick(WORDS),
        rng.pick(&["setting", "page", "field", "option", "tab"])
    )
}

fn write_manifest(
    out: &Path,
    broken: &[serde_json::Value],
    procedures: &[serde_json::Value],
) -> std::io::Result<()> {
    let manifest = json!({ "broken_links": broken, "step_lists": procedures });
    std::fs::write(
        out.join("synth-manifest.json"),
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
}

fn count_kind(items: &[serde_json::Value], kind: &str) -> usize {
    items.iter().filter(|b| b["kind"] == kind).count()
}

/// The path of `to` as written in `from` (both relative to `src/`).
fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> =
        from.split('/').collect::<Vec<_>>()[..from.matches('/').count()].to_vec();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// mdBook's id for text made of ASCII words, digits, spaces and colons.
fn slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

fn unique(id: &str, seen: &mut Vec<String>) -> String {
    let mut candidate = id.to_string();
    let mut n = 0;
    while seen.contains(&candidate) {
        n += 1;
        candidate = format!("{id}-{n}");
    }
    seen.push(candidate.clone());
    candidate
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

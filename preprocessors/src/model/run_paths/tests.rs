use super::*;
use crate::model::code_blocks::fenced;

fn scanned(text: &str) -> (Vec<Fence>, Vec<String>) {
    let blocks = fenced(text);
    let (fences, problems) = scan(text, &blocks);
    let index = crate::diagnostics::location::LineIndex::new(text);
    let shown = problems
        .into_iter()
        .map(|p| format!("{}: {}", index.line_of(p.range.start).0 + 1, p.message))
        .collect();
    (fences, shown)
}

#[test]
fn marked_blocks_keep_their_paths_and_unmarked_ones_none() {
    let text = "\
Before the list:

<!-- run: cli -->
```console
$ aws ecs list-clusters
```

1. A step

   <!-- run: cli cloudformation stand-in -->
   ```sh
   curl -s http://203.0.113.20:8080/
   ```

~~~bash
echo a block no marker names
~~~
";
    let (fences, problems) = scanned(text);
    assert_eq!(problems, Vec::<String>::new());
    let markers: Vec<_> = fences.iter().map(|f| f.marker.clone()).collect();
    assert_eq!(
        markers,
        [
            Some(Marker {
                paths: vec!["cli".into()],
                stand_in: false
            }),
            Some(Marker {
                paths: vec!["cli".into(), "cloudformation".into()],
                stand_in: true
            }),
            None,
        ]
    );
    assert!(fences.iter().all(|f| f.arch.is_none()));
}

#[test]
fn markers_that_cannot_be_used_are_reported_at_their_line() {
    let text = "\
<!-- run: cli -->

```bash
echo a blank line between
```
<!-- run: clii -->
```bash
echo x
```
<!-- run: cli -->
```json
{}
```
<!-- run: stand-in -->
```bash
echo y
```
<!-- run: cli
```bash
echo z
```
<!-- run: cli -->
";
    let (fences, problems) = scanned(text);
    assert_eq!(
        problems,
        [
            "1: a run marker must sit on the line just before a code fence",
            "6: unknown path `clii` in a run marker (known: cli, cloudformation, update, alb-cli, alb-cloudformation, alb-cloudformation-undo, cleanup-cli, cleanup-cloudformation, cleanup-alb)",
            "10: a run marker before a `json` block: only shell blocks (`bash`, `zsh`, `sh`, `shell`, `console`) run",
            "14: a run marker names at least one path",
            "18: a run marker is one line: `<!-- run: PATH… [stand-in] -->`",
            "22: a run marker must sit on the line just before a code fence",
        ]
    );
    assert!(fences.iter().all(|f| f.marker.is_none()));
}

#[test]
fn a_marker_inside_a_code_block_is_code() {
    let (fences, problems) = scanned("```markdown\n<!-- run: nonsense -->\n```\n");
    assert_eq!(problems, Vec::<String>::new());
    assert_eq!(fences, [Fence::default()]);
}

/// An `{{#arch}}` group with two run blocks per architecture, then a block
/// after it, rendered as the architecture pass renders it.
fn arch_rendered() -> String {
    use crate::checks::image_uri::arch_blocks::{Ids, render};
    use crate::model::release::Architecture;
    let arch = |docker: &str, ecs: &str| Architecture {
        docker: docker.into(),
        ecs: ecs.into(),
        console: format!("Linux/{ecs}"),
    };
    let source = "\
Intro
{{#arch amd64}}
<!-- run: cli -->
```bash
echo registry/r:1.0-amd64
```

<!-- run: cli -->
```bash
echo second amd64
```
{{#arch arm64}}
<!-- run: cli -->
```bash
echo registry/r:1.0-arm64
```

<!-- run: cli -->
```bash
echo second arm64
```
{{#endarch}}

<!-- run: cli update -->
```bash
echo after the group
```
";
    let archs = [arch("amd64", "X86_64"), arch("arm64", "ARM64")];
    render(source, &archs, &mut Ids::new("a.md"))
}

#[test]
fn architecture_variants_are_one_step_and_blocks_after_the_group_are_not_in_it() {
    let (fences, problems) = scanned(&arch_rendered());
    assert_eq!(problems, Vec::<String>::new());
    let arch: Vec<_> = fences.iter().map(|f| f.arch.clone()).collect();
    assert_eq!(
        arch,
        [
            Some((1, "amd64".to_string())),
            Some((1, "amd64".to_string())),
            Some((1, "arm64".to_string())),
            Some((1, "arm64".to_string())),
            None,
        ]
    );
    let mut run = RunPaths {
        paths: PATHS.iter().map(|p| (*p, Vec::new())).collect(),
        problems: Vec::new(),
    };
    add_steps(&mut run, 0, &fences);
    let cli: Vec<Vec<usize>> = run
        .steps("cli")
        .iter()
        .map(|s| s.variants.iter().map(|v| v.block).collect())
        .collect();
    assert_eq!(cli, [vec![0, 2], vec![1, 3], vec![4]]);
    assert_eq!(run.steps("update").len(), 1);
    assert!(run.steps("cleanup-alb").is_empty());
}

#[test]
fn hostile_text_never_panics() {
    for text in [
        "<!-- run:",
        "<!-- run: cli -->",
        "<div class=\"arch-panel\" data-arch=\"é\">\n<!-- run: cli -->\n```bash\né\n```\n</div></div></div>",
        "</div>\n<!-- run: cli -->\n```",
        "<!-- run: cli -->\n```bash\nunclosed",
        "é<!-- run: cli -->\n   ```sh\n   x\n   ```",
    ] {
        let _ = scanned(text);
    }
}

#[test]
fn markers_spaced_otherwise_or_in_a_blockquote_are_read_and_capitals_refused() {
    let text = "\
<!--run:cli-->
```bash
aws ecs list-clusters
```

> <!-- run: cli -->
> ```bash
> aws ecs list-clusters
> ```

<!-- RUN: CLI -->
```sh
aws ecs list-clusters
```

<!-- run: cli stand-in stand-in -->
```sh
aws ecs list-clusters
```
";
    let (fences, problems) = scanned(text);
    let cli = Some(Marker {
        paths: vec!["cli".into()],
        stand_in: false,
    });
    assert_eq!(fences[0].marker, cli);
    assert_eq!(fences[1].marker, cli);
    assert_eq!(
        problems,
        [
            "11: a run marker is written in lower case: `<!-- run: PATH… [stand-in] -->`",
            "16: `stand-in` is written once, after the paths: `<!-- run: PATH… stand-in -->`",
        ]
    );
}

#[test]
fn a_near_miss_that_names_a_path_is_reported_and_other_comments_are_not_markers() {
    let text = "\
<!-- runs: cli -->
```bash
aws ecs list-clusters
```

<!-- run cli -->
```bash
aws ecs list-clusters
```

<!-- run= cli -->
```bash
aws ecs list-clusters
```

<!-- running notes: check this later -->
```bash
aws ecs list-clusters
```

<!-- run this once the stack exists -->
```bash
aws ecs list-clusters
```
";
    let (fences, problems) = scanned(text);
    assert!(fences.iter().all(|f| f.marker.is_none()));
    assert_eq!(
        problems,
        [
            "1: `<!-- runs: cli -->` names a path but is not a run marker: write `<!-- run: PATH… [stand-in] -->`",
            "6: `<!-- run cli -->` names a path but is not a run marker: write `<!-- run: PATH… [stand-in] -->`",
            "11: `<!-- run= cli -->` names a path but is not a run marker: write `<!-- run: PATH… [stand-in] -->`",
        ]
    );
}

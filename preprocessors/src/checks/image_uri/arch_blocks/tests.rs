use super::*;

fn archs() -> Vec<Architecture> {
    vec![
        Architecture {
            docker: "amd64".into(),
            ecs: "X86_64".into(),
            console: "Linux/X86_64".into(),
        },
        Architecture {
            docker: "arm64".into(),
            ecs: "ARM64".into(),
            console: "Linux/ARM64".into(),
        },
    ]
}

/// `(code, the text the problem points at)` for each problem.
fn problems(text: &str) -> Vec<(&'static str, &str)> {
    let (_, found) = parse(text, &archs());
    found
        .into_iter()
        .map(|p| (p.code.as_str(), &text[p.range]))
        .collect()
}

#[test]
fn a_group_has_one_variant_per_architecture_with_its_body() {
    let text = "intro\n{{#arch amd64}}\nA\n{{#arch arm64}}\nB\nB2\n{{#endarch}}\nafter\n";
    let (groups, found) = parse(text, &archs());
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(groups.len(), 1);
    let g = &groups[0];
    assert_eq!(
        &text[g.range.clone()],
        "{{#arch amd64}}\nA\n{{#arch arm64}}\nB\nB2\n{{#endarch}}"
    );
    let bodies: Vec<_> = g
        .variants
        .iter()
        .map(|v| (v.arch.as_str(), &text[v.body.clone()]))
        .collect();
    assert_eq!(bodies, [("amd64", "A\n"), ("arm64", "B\nB2\n")]);
    assert_eq!(g.indent, "");
}

#[test]
fn structural_mistakes_are_each_reported_at_their_directive() {
    let text = "\
{{#endarch}}
{{#arch x86_64}}
{{#arch amd64}}
a
{{#arch amd64}}
{{#endarch}}
{{#arch arm64}} and more
{{#arch arm64}}
b
{{#endarch extra}}
{{#arch}}
{{#arch amd64}}
never closed
";
    assert_eq!(
        problems(text),
        [
            ("image-uri::stray-endarch", "{{#endarch}}"),
            ("image-uri::unknown-architecture", "{{#arch x86_64}}"),
            // The unknown name opened the group: no stray `{{#endarch}}`,
            // and no second report that a known variant is missing.
            ("image-uri::duplicate-variant", "{{#arch amd64}}"),
            ("image-uri::not-alone", "{{#arch arm64}}"),
            ("image-uri::bad-arguments", "{{#endarch extra}}"),
            ("image-uri::missing-variant", "{{#arch arm64}}"),
            ("image-uri::bad-arguments", "{{#arch}}"),
            ("image-uri::unclosed-arch", "{{#arch amd64}}"),
        ]
    );
    let (_, found) = parse(text, &archs());
    assert_eq!(
        found[1].hint.as_deref().unwrap_or_default(),
        "write `amd64`: directives take the Docker name and print the ECS or console name where needed"
    );
    assert_eq!(
        found[5].message,
        "this architecture group has no amd64 variant"
    );
}

#[test]
fn directives_inside_code_blocks_are_refused_fences_are_tracked() {
    let text = "```markdown\n{{#arch amd64}}\n```\n~~~\n````\n{{#endarch}}\n~~~\n";
    assert_eq!(
        problems(text),
        [
            ("image-uri::arch-in-code", "{{#arch amd64}}"),
            ("image-uri::arch-in-code", "{{#endarch}}"),
        ]
    );
    assert!(problems("Write `\\{{#arch amd64}}` to start a group.\n").is_empty());
}

#[test]
fn a_variant_naming_the_other_architecture_is_reported_with_the_value() {
    let text = "{{#arch amd64}}\n\"cpuArchitecture\": \"X86_64\"\n{{#arch arm64}}\n\"cpuArchitecture\": \"X86_64\",\n\"image\": \"{{#image-uri amd64}}\"\n{{#endarch}}\n";
    let (_, found) = parse(text, &archs());
    let got: Vec<_> = found
        .iter()
        .map(|p| (p.code.as_str(), &text[p.range.clone()], p.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "image-uri::other-architecture",
                "X86_64",
                "the arm64 variant names `X86_64`, a value of amd64"
            ),
            (
                "image-uri::other-architecture",
                "amd64",
                "the arm64 variant names `amd64`, a value of amd64"
            ),
        ]
    );
    assert_eq!(found[0].range.start, text.rfind("X86_64").unwrap());
}

#[test]
fn rendering_gives_labelled_panels_with_blank_lines_around_the_markdown() {
    let text = "{{#arch amd64}}\n*A*\n{{#arch arm64}}\n*B*\n{{#endarch}}\n";
    let html = render(text, &archs(), &mut Ids::new("guide/run.md"));
    let expected = r#"<div class="arch-group" data-arch-group>
<div class="arch-tabs" role="tablist" aria-label="Architecture" hidden>
<button type="button" role="tab" class="arch-tab" id="arch-guide-run-1-amd64-tab" aria-controls="arch-guide-run-1-amd64" aria-selected="true" tabindex="0" data-arch="amd64">amd64</button>
<button type="button" role="tab" class="arch-tab" id="arch-guide-run-1-arm64-tab" aria-controls="arch-guide-run-1-arm64" aria-selected="false" tabindex="-1" data-arch="arm64">arm64</button>
</div>
<div class="arch-panel" role="tabpanel" id="arch-guide-run-1-amd64" aria-labelledby="arch-guide-run-1-amd64-tab" data-arch="amd64" tabindex="0">
<p class="arch-label">For amd64 (Linux/X86_64):</p>

*A*

</div>
<div class="arch-panel" role="tabpanel" id="arch-guide-run-1-arm64" aria-labelledby="arch-guide-run-1-arm64-tab" data-arch="arm64" tabindex="0">
<p class="arch-label">For arm64 (Linux/ARM64):</p>

*B*

</div>
</div>
"#;
    assert_eq!(html, expected);
}

#[test]
fn an_indented_group_stays_inside_its_list_item_and_ids_are_unique() {
    let text = "1. Step\n\n   {{#arch amd64}}\n   a\n   {{#arch arm64}}\n   b\n   {{#endarch}}\n2. Next\n{{#arch amd64}}\nc\n{{#arch arm64}}\nd\n{{#endarch}}\n";
    let html = render(text, &archs(), &mut Ids::new("x.md"));
    for line in html.lines().skip(2).take(18) {
        assert!(
            line.is_empty() || line.starts_with("   "),
            "{line:?} left the list item"
        );
    }
    assert!(html.contains(r#"   <div class="arch-group" data-arch-group>"#));
    assert!(html.contains(r#"id="arch-x-1-amd64""#));
    assert!(html.contains(r#"id="arch-x-2-amd64""#));
    assert!(html.contains("\n2. Next\n"));
}

use super::*;

use crate::model::book_root::temp_book as book_with;

fn no_templates(_: &str) -> Result<String, TemplateError> {
    Err(TemplateError::Missing(Vec::new()))
}

#[test]
fn a_hand_written_uri_is_reported_in_the_source_but_not_the_directive_output() {
    let source = "# T\n\nRun `709825985650.dkr.ecr.us-east-1.amazonaws.com/x/y:1.0.3-amd64`.\n";
    let env = Env {
        release: None,
        read_template: &no_templates,
        release_invalid: false,
    };
    let (out, found) = process_chapter("src/t.md", source, source, &env, Ids::new("t.md"));
    assert_eq!(out, source);
    let shorts: Vec<_> = found.iter().map(Diagnostic::short).collect();
    assert_eq!(
        shorts,
        [
            "src/t.md:3:6: error[image-uri::hand-written-uri]: an AWS Marketplace image URI written by hand"
        ]
    );
    assert_eq!(
        &found[0].location.line_text[found[0].location.span_in_line()],
        "709825985650.dkr.ecr.us-east-1.amazonaws.com/x/y:1.0.3-amd64"
    );
}

#[test]
fn problems_in_included_text_point_at_the_line_that_included_it() {
    let source = "# T\n\n{{#procedure pick}}\n\nDone.\n";
    let content = "# T\n\n1. Pick {{#image-uri sparc}}.\n\nDone.\n";
    let env = Env {
        release: None,
        read_template: &no_templates,
        release_invalid: false,
    };
    let (_, found) = process_chapter("src/t.md", source, content, &env, Ids::new("t.md"));
    let shorts: Vec<_> = found.iter().map(Diagnostic::short).collect();
    assert_eq!(
        shorts,
        [
            "src/t.md:3:1: error[image-uri::no-release]: `{{#image-uri}}` needs the release facts, and book.toml has none"
        ]
    );
}

#[test]
fn templates_are_read_only_from_templates() {
    let (dir, root) = book_with(&[
        (
            "templates/task-definition.json",
            "{\"image\": \"${ImageUri}\"}\n",
        ),
        ("templates/nested/stack.json", "{}\n"),
        ("book.toml", "[book]\n"),
    ]);
    assert_eq!(
        read_template(&root, "task-definition").unwrap(),
        "{\"image\": \"${ImageUri}\"}\n"
    );
    assert!(read_template(&root, "nested/stack.json").is_ok());
    for outside in ["../book.toml", "/etc/passwd", "nested/../../book.toml", ""] {
        assert_eq!(
            read_template(&root, outside),
            Err(TemplateError::Outside),
            "{outside}"
        );
    }
    assert_eq!(
        read_template(&root, "nope.json"),
        Err(TemplateError::Missing(vec![
            "nested/stack.json".to_string(),
            "task-definition.json".to_string()
        ]))
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            dir.path().join("book.toml"),
            dir.path().join("templates/link.json"),
        )
        .unwrap();
        assert_eq!(
            read_template(&root, "link.json"),
            Err(TemplateError::Outside)
        );
    }
}

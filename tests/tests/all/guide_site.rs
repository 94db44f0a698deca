//! The published site of the real guide: it builds cleanly, and the pages a
//! reader relies on besides the chapters (search, print, 404, edit links,
//! downloads, the diagram) are there.

use responder_docs_tests::{copy_real_book, run};

#[test]
fn the_real_guide_builds_with_search_print_404_and_edit_links() {
    let book = copy_real_book();
    let root = book.path();
    let built = run(&["build", root.to_str().unwrap()]);
    assert_eq!(
        built.code, 0,
        "build failed:\n{}\n{}",
        built.stdout, built.stderr
    );
    let site = root.join("book");
    let files: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for page in [
        "index.html",
        "print.html",
        "404.html",
        "troubleshooting.html",
    ] {
        assert!(files.iter().any(|f| f == page), "no {page} in {files:?}");
    }
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("searchindex") && f.ends_with(".js")),
        "no search index in {files:?}"
    );
    for download in [
        "policies/execution-role-policy.json",
        "policies/task-role-trust.json",
        "templates/task-definition.json",
        "templates/responderapi-stack.json",
        "images/architecture.svg",
    ] {
        assert!(site.join(download).is_file(), "{download} is not published");
    }
    let cluster = std::fs::read_to_string(site.join("cluster.html")).unwrap();
    assert!(cluster.contains("https://github.com/certograph/aws/edit/main/src/cluster.md"));
    let not_found = std::fs::read_to_string(site.join("404.html")).unwrap();
    assert!(not_found.contains("Page not found"));
    // Procedures are included into chapters, never published on their own.
    assert!(!site.join("procedures/create-service.html").exists());
    // The linter's data (its schema, catalog and the policies' manifest) is
    // not part of the site: nothing of it anywhere, and `policies/` in the
    // site holds exactly the policy documents of the repository's `policies/`.
    let data: Vec<_> = walkdir::WalkDir::new(&site)
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .filter(|p| {
            let name = p.to_string_lossy();
            name.ends_with(".schema.json") || name.ends_with(".toml")
        })
        .collect();
    assert!(data.is_empty(), "{data:?}");
    let names = |dir: &std::path::Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let policies = names(&root.join("policies"));
    assert!(
        policies.len() >= 5 && policies.iter().all(|name| name.ends_with(".json")),
        "{policies:?}"
    );
    assert_eq!(names(&site.join("policies")), policies);
}

//! The README stays the short way in: at most 12 KB, and exactly two set-up
//! commands (serve, and the tests); the reference is the docs book.

use responder_docs_tests::repo_root;

/// The commands in the `sh` blocks of the README's "Set up" section.
fn setup_commands(readme: &str) -> Vec<String> {
    let section = readme
        .split_once("\n## Set up\n")
        .expect("the README has a \"Set up\" section")
        .1;
    let section = section.split("\n## ").next().unwrap_or(section);
    section
        .split("```sh\n")
        .skip(1)
        .flat_map(|block| block.split("```").next().unwrap_or_default().lines())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_readme_is_short_and_sets_up_with_two_commands() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    assert!(
        readme.len() <= 12 * 1024,
        "README.md is {} bytes",
        readme.len()
    );
    assert_eq!(
        setup_commands(&readme),
        [
            "cargo run --release -- serve",
            "cargo test --workspace --locked"
        ]
    );
}

#[test]
fn the_command_reader_sees_every_command_of_the_section_only() {
    let readme = "intro\n\n## Set up\n\ntext\n\n```sh\na\nb\n```\n\n```text\nc\n```\n\
                  ```sh\nd\n```\n\n## Next\n\n```sh\ne\n```\n";
    assert_eq!(setup_commands(readme), ["a", "b", "d"]);
}

use super::*;

/// The one-line form of every problem `check_table` finds in `text`'s
/// `[preprocessor.TABLE]`, with `env` naming the keys set by variables.
fn problems(text: &str, table: &str, env: &[&str]) -> Vec<String> {
    let doc: toml::Table = toml::from_str(text).unwrap();
    let raw = doc["preprocessor"][table].as_table().unwrap();
    check_table(&BookToml::new(text), table, raw, &|k| env.contains(&k))
        .iter()
        .map(|d| format!("{} | {}", d.short(), d.hint.as_deref().unwrap_or("")))
        .collect()
}

#[test]
fn a_misspelt_key_is_reported_at_its_line_with_the_right_key() {
    let text = "[book]\ntitle = \"t\"\n\n[preprocessor.validate]\ncommand = \"x\"\ndeny-warings = true\nlink-ignor = [\"a\"]\n";
    assert_eq!(
        problems(text, "validate", &[]),
        [
            "book.toml:6:1: error[config::unknown-key]: unknown key `deny-warings` in [preprocessor.validate] | did you mean `deny-warnings`?",
            "book.toml:7:1: error[config::unknown-key]: unknown key `link-ignor` in [preprocessor.validate] | did you mean `link-ignore`?",
        ]
    );
}

#[test]
fn a_quoted_boolean_is_an_error_at_its_value() {
    let text = "[preprocessor.validate]\ndeny-warnings = \"true\"\nlink-retries = -1\n";
    assert_eq!(
        problems(text, "validate", &[]),
        [
            "book.toml:2:17: error[config::wrong-type]: `deny-warnings` in [preprocessor.validate] must be true or false, not the string \"true\" | write the value without quotes: `deny-warnings = true`",
            "book.toml:3:16: error[config::wrong-type]: `link-retries` in [preprocessor.validate] must be a whole number, not the number -1 | write a whole number",
        ]
    );
}

#[test]
fn a_quoted_word_that_is_no_value_is_not_offered_unquoted() {
    let text = "[preprocessor.validate]\ndeny-warnings = \"yes\"\nlink-retries = \"2\"\n";
    assert_eq!(
        problems(text, "validate", &[]),
        [
            "book.toml:2:17: error[config::wrong-type]: `deny-warnings` in [preprocessor.validate] must be true or false, not the string \"yes\" | write true or false",
            "book.toml:3:16: error[config::wrong-type]: `link-retries` in [preprocessor.validate] must be a whole number, not the string \"2\" | write the value without quotes: `link-retries = 2`",
        ]
    );
}

#[test]
fn one_and_zero_are_booleans_and_other_words_from_the_environment_are_refused() {
    let on: toml::Table = toml::from_str("deny-warnings = 1\nonline = 0\n").unwrap();
    let read: Validate = typed(&on, VALIDATE);
    assert!(read.deny_warnings && !read.online);
    assert!(
        problems(
            "[preprocessor.validate]\ndeny-warnings = 1\n",
            "validate",
            &[]
        )
        .is_empty()
    );

    let text = "[book]\n\n[preprocessor.validate]\ndeny-warnings = \"yes\"\n";
    assert_eq!(
        problems(text, "validate", &["deny-warnings"]),
        [
            "book.toml:4:17: error[config::wrong-type]: `deny-warnings` in [preprocessor.validate] must be true or false, not the string \"yes\" (set by the environment variable `MDBOOK_PREPROCESSOR__VALIDATE__DENY_WARNINGS`) | set `MDBOOK_PREPROCESSOR__VALIDATE__DENY_WARNINGS` to true or false"
        ]
    );
    let wrong: toml::Table = toml::from_str("deny-warnings = \"yes\"\n").unwrap();
    assert!(!typed::<Validate>(&wrong, VALIDATE).deny_warnings);
    assert_eq!(
        env_name("image-uri", "version"),
        "MDBOOK_PREPROCESSOR__IMAGE_URI__VERSION"
    );
}

#[test]
fn keys_inside_arrays_of_tables_and_list_items_are_located() {
    let text = "[preprocessor.image-uri]\nregions = [\"us-east-1\", 3]\n\n[[preprocessor.image-uri.architectures]]\ndocker = \"amd64\"\n\n[[preprocessor.image-uri.architectures]]\ndockr = \"arm64\"\n";
    assert_eq!(
        problems(text, "image-uri", &[]),
        [
            "book.toml:8:1: error[config::unknown-key]: unknown key `architectures[1].dockr` in [preprocessor.image-uri] | did you mean `docker`?",
            "book.toml:2:25: error[config::wrong-type]: `regions [1]` in [preprocessor.image-uri] must be a string, not the number 3 | write a string",
        ]
    );
}

#[test]
fn a_table_with_only_mdbooks_keys_says_so() {
    let text = "[preprocessor.procedure]\ncommand = \"x\"\nbefore = [\"links\"]\nverbose = true\n";
    assert_eq!(
        problems(text, "procedure", &[]),
        [
            "book.toml:4:1: error[config::unknown-key]: unknown key `verbose` in [preprocessor.procedure] | this table takes only mdBook's own keys (command, before, after, renderers, optional)"
        ]
    );
}

#[test]
fn the_guides_own_book_toml_is_clean_and_reads_as_typed() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/guide-files/book.toml"
    ))
    .unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    for (table, _) in TABLES {
        let raw = doc["preprocessor"][*table].as_table().unwrap();
        let found = check_table(&BookToml::new(&text), table, raw, &|_| false);
        assert!(found.is_empty(), "{table}: {found:?}");
    }
    let facts: ImageUri = typed(
        doc["preprocessor"]["image-uri"].as_table().unwrap(),
        IMAGE_URI,
    );
    assert_eq!(facts.architectures.unwrap()[1].console, "Linux/ARM64");
}

#[test]
fn values_from_the_environment_reach_the_typed_settings_or_are_reported() {
    let text = "[book]\ntitle = \"t\"\n\n[preprocessor.validate]\ndeny-warnings = false\n";
    let (_dir, mut book) = crate::model::book_root::temp_book(&[("book.toml", text)]);
    book.config = text.parse().unwrap();
    // What mdBook makes of MDBOOK_PREPROCESSOR__VALIDATE__DENY_WARNINGS=1.
    let one: serde_json::Value = serde_json::from_str("1").unwrap();
    book.config
        .set("preprocessor.validate.deny-warnings", one)
        .unwrap();
    assert!(book.deny_warnings());
    assert!(check(&book.config, text, "validate").is_empty());

    book.config
        .set("preprocessor.validate.deny-warnings", "on")
        .unwrap();
    assert!(!book.deny_warnings());
    let found: Vec<_> = check(&book.config, text, "validate")
        .iter()
        .map(|d| d.short())
        .collect();
    assert_eq!(
        found,
        [
            "book.toml:5:17: error[config::wrong-type]: `deny-warnings` in [preprocessor.validate] must be true or false, not the string \"on\""
        ]
    );
}

/// The renames `check_table` proposes: (what is written, what it becomes).
fn renames(text: &str, table: &str) -> Vec<(String, String)> {
    let doc: toml::Table = toml::from_str(text).unwrap();
    let raw = doc["preprocessor"][table].as_table().unwrap();
    check_table(&BookToml::new(text), table, raw, &|_| false)
        .iter()
        .flat_map(|d| d.fixes.clone())
        .map(|e| {
            assert_eq!(e.path, "book.toml");
            assert_eq!(text[e.range.clone()], e.original);
            (e.original, e.replacement)
        })
        .collect()
}

#[test]
fn a_misspelt_key_with_one_right_name_is_renamed_in_place() {
    let text = "[preprocessor.validate]\ndeny-warings = true\nlink-ignor = [\"a\"]\n\"link-timout-seconds\" = 3\nverbose = true\n";
    assert_eq!(
        renames(text, "validate"),
        [
            ("deny-warings".to_string(), "deny-warnings".to_string()),
            ("link-ignor".to_string(), "link-ignore".to_string()),
        ],
        "a quoted key and a key with no likely name are left to the writer"
    );
    let nested = "[[preprocessor.image-uri.architectures]]\ndockr = \"arm64\"\n";
    assert_eq!(
        renames(nested, "image-uri"),
        [("dockr".to_string(), "docker".to_string())]
    );
}

#[test]
fn a_rename_onto_a_key_already_set_is_not_proposed() {
    let text = "[preprocessor.validate]\ndeny-warnings = true\ndeny-warings = false\n";
    assert_eq!(renames(text, "validate"), []);
}

//! The run markers, read by the crate's one parser: a marker the paths
//! cannot use fails `check` at its line, as it fails the guide-run harness.

use responder_docs_tests::{check_shorts, fixture};

#[test]
fn markers_the_paths_cannot_use_fail_at_their_lines() {
    let (code, shorts) = check_shorts(&fixture("aws/run-markers"));
    let known = responder_docs::model::run_paths::PATHS.join(", ");
    assert_eq!(
        shorts,
        [
            "src/markers.md:5:1: error[aws::run-marker]: a run marker must sit on the line just before a code fence".to_string(),
            format!("src/markers.md:13:1: error[aws::run-marker]: unknown path `cli-only` in a run marker (known: {known})"),
            "src/markers.md:18:1: error[aws::run-marker]: a run marker before a `json` block: only shell blocks (`bash`, `zsh`, `sh`, `shell`, `console`) run".to_string(),
            "src/markers.md:30:1: error[aws::run-marker]: a run marker names at least one path".to_string(),
            "src/markers.md:54:1: error[aws::run-marker]: a run marker is written in lower case: `<!-- run: PATH… [stand-in] -->`".to_string(),
            "src/markers.md:59:1: error[aws::run-marker]: `stand-in` is written once, after the paths: `<!-- run: PATH… stand-in -->`".to_string(),
            "src/markers.md:72:1: error[aws::run-marker]: a run marker before a fence with no language: only shell blocks (`bash`, `zsh`, `sh`, `shell`, `console`) run".to_string(),
            "src/markers.md:77:1: error[aws::run-marker]: one run marker per line: list every path in one marker, `<!-- run: PATH PATH… -->`".to_string(),
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn a_marker_in_the_real_guide_moved_off_its_fence_fails_there() {
    let book = responder_docs_tests::copy_real_book();
    let path = book.path().join("src/cluster.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let marker = "<!-- run: cli -->\n```bash\naws ecs create-cluster";
    assert!(text.contains(marker));
    std::fs::write(
        &path,
        text.replacen(
            marker,
            "<!-- run: cli -->\n\n```bash\naws ecs create-cluster",
            1,
        ),
    )
    .unwrap();
    let line = text.lines().position(|l| l == "<!-- run: cli -->").unwrap() + 1;
    let (_, shorts) = check_shorts(book.path());
    assert_eq!(
        shorts,
        [format!(
            "src/cluster.md:{line}:1: error[aws::run-marker]: a run marker must sit on the line just before a code fence"
        )]
    );
}

/// An `{{#arch}}` variant left without the marker its sibling has is run by
/// no path: a warning at its fence (the paths would otherwise judge only
/// the marked variant, silently).
#[test]
fn an_arch_variant_without_its_siblings_marker_is_a_warning() {
    let book = responder_docs_tests::copy_real_book();
    let path = book.path().join("src/cloudformation.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let marked = "{{#arch arm64}}\n<!-- run: cloudformation -->\n";
    assert!(text.contains(marked));
    std::fs::write(&path, text.replacen(marked, "{{#arch arm64}}\n", 1)).unwrap();
    let at = text.find(marked).unwrap();
    let line = text[..at].lines().count() + 2;
    let (_, shorts) = check_shorts(book.path());
    assert_eq!(
        shorts,
        [format!(
            "src/cloudformation.md:{line}:1: warning[aws::unmarked-block]: the `arm64` variant of a marked `{{{{#arch}}}}` block has no run marker: no path runs it, so nothing judges it"
        )]
    );
}

/// The variants of one step carry one marker: readers never see markers,
/// so a variant marked for another path would run where the paths do not
/// model it.
#[test]
fn arch_variants_marked_for_different_paths_fail_at_the_later_marker() {
    let book = responder_docs_tests::copy_real_book();
    let path = book.path().join("src/load-balancer.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let marked = "{{#arch arm64}}\n<!-- run: alb-cloudformation -->\n";
    assert!(text.contains(marked));
    let edited = text.replacen(
        marked,
        "{{#arch arm64}}\n<!-- run: alb-cloudformation-undo -->\n",
        1,
    );
    std::fs::write(&path, &edited).unwrap();
    let line = text[..text.find(marked).unwrap()].lines().count() + 2;
    let (_, shorts) = check_shorts(book.path());
    assert_eq!(
        shorts,
        [format!(
            "src/load-balancer.md:{line}:1: error[aws::run-marker]: the `arm64` variant of this step is marked `alb-cloudformation-undo`, its `amd64` sibling `alb-cloudformation`"
        )]
    );
    // The same paths in another order are the same marker.
    let book2 = responder_docs_tests::copy_real_book();
    let path2 = book2.path().join("src/cloudformation.md");
    let text2 = std::fs::read_to_string(&path2).unwrap();
    let (amd, arm) = (
        "{{#arch amd64}}\n<!-- run: cloudformation -->\n",
        "{{#arch arm64}}\n<!-- run: cloudformation -->\n",
    );
    assert!(text2.contains(amd) && text2.contains(arm));
    let text2 = text2
        .replacen(
            amd,
            "{{#arch amd64}}\n<!-- run: cloudformation update -->\n",
            1,
        )
        .replacen(
            arm,
            "{{#arch arm64}}\n<!-- run: update cloudformation -->\n",
            1,
        );
    std::fs::write(&path2, text2).unwrap();
    let markers: Vec<String> = check_shorts(book2.path())
        .1
        .into_iter()
        .filter(|s| s.contains("[aws::run-marker]"))
        .collect();
    assert_eq!(markers, Vec::<String>::new());
    // `stand-in` on one variant alone differs too.
    std::fs::write(
        &path,
        text.replacen(
            marked,
            "{{#arch arm64}}\n<!-- run: alb-cloudformation stand-in -->\n",
            1,
        ),
    )
    .unwrap();
    let (_, shorts) = check_shorts(book.path());
    assert_eq!(
        shorts,
        [format!(
            "src/load-balancer.md:{line}:1: error[aws::run-marker]: the `arm64` variant of this step is marked `alb-cloudformation stand-in`, its `amd64` sibling `alb-cloudformation`"
        )]
    );
}

//! Paths as links and book.toml write them: `/`-separated, relative, with
//! `.` and `..` resolved in the text. (What the operating system makes of a
//! path, symlinks included, is `BookRoot::resolve`.)

/// Resolves `.` and `..`; `None` when it climbs above the start.
pub(crate) fn normalize(path: &str) -> Option<String> {
    // Most links are already plain: no copy of their parts to make.
    if !path.split('/').any(|part| matches!(part, "" | "." | "..")) {
        return Some(path.to_string());
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// `dir/name`, or `name` at the top (`""` or `.`).
pub(crate) fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() || dir == "." {
        name.to_string()
    } else {
        [dir, "/", name].concat()
    }
}

/// The scheme a browser reads in `value` (`javascript` in ` JavaScript:x`),
/// lower-cased; `None` for an address without one (a relative path).
pub(crate) fn scheme(value: &str) -> Option<String> {
    let (scheme, _) = value.split_once(':')?;
    let scheme = scheme.trim().to_ascii_lowercase();
    (!scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
    .then_some(scheme)
}

/// Whether a relative path never climbs above its starting point.
pub fn stays_inside(path: &std::path::Path) -> bool {
    let mut depth = 0i32;
    for component in path.components() {
        match component {
            std::path::Component::Normal(_) => depth += 1,
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            std::path::Component::RootDir | std::path::Component::Prefix(_) => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_resolves_in_the_text() {
        assert_eq!(join("", "a.md"), "a.md");
        assert_eq!(join(".", "a.md"), "a.md");
        assert_eq!(join("src", "a.md"), "src/a.md");
        assert_eq!(normalize("a/./b/../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(normalize("a/../../x"), None);
        assert!(stays_inside(std::path::Path::new("policies/a.json")));
        assert!(stays_inside(std::path::Path::new("src/../policies/a.json")));
        assert!(!stays_inside(std::path::Path::new("../etc/passwd")));
    }
}

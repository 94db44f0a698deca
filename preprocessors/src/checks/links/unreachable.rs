//! External links that do not answer, asked only with `--online`.

use super::targets::{Verdict, broken};
use super::{CACHE_FILE, Links, external};
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostics, Severity};
use std::time::Duration;

crate::checks::rule::rule! {
    check: check;
    LINKS_UNREACHABLE = "links::unreachable", either: "(with `--online`) an external link that does not answer";
}

fn check(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let links = model.shared::<Links>();
    let settings = &links.settings;
    if !settings.online {
        return Ok(());
    }
    // Every valid URL, in the order of the texts and their links.
    let mut urls: Vec<String> = Vec::new();
    links.each(&model.chapters.chapters, |_, resolved| {
        for target in &resolved.targets {
            if let Verdict::External(url) = &target.verdict
                && external::syntax(url).is_ok()
            {
                urls.push(url.clone());
            }
        }
    });
    if urls.is_empty() {
        return Ok(());
    }
    let asked: Vec<String> = urls
        .into_iter()
        .filter(|url| !links.ignore.iter().any(|re| re.is_match(url)))
        .collect();
    let defaults = external::Options::default();
    let options = external::Options {
        concurrency: settings.link_concurrency.unwrap_or(defaults.concurrency),
        per_host: settings.link_per_host.unwrap_or(defaults.per_host),
        timeout: settings
            .link_timeout_seconds
            .map_or(defaults.timeout, Duration::from_secs),
        retries: settings.link_retries.unwrap_or(defaults.retries),
        max_age: settings
            .link_cache_max_age_hours
            .map_or(defaults.max_age, |h| Duration::from_secs(h * 3600)),
        cache_file: Some(model.root.root.join(CACHE_FILE)),
        env_proxy: true,
    };
    let answers = external::reachability(&asked, &options);
    links.each(&model.chapters.chapters, |at, resolved| {
        for target in &resolved.targets {
            let Verdict::External(url) = &target.verdict else {
                continue;
            };
            let (why, doubtful) = match answers.get(url) {
                Some(external::Answer::Broken(why)) => (why, false),
                Some(external::Answer::Doubtful(why)) => (why, true),
                _ => continue,
            };
            let mut problem = broken(
                LINKS_UNREACHABLE,
                format!("`{url}` {why}"),
                Some(
                    "fix or remove the link, or add a pattern for it to `link-ignore` in [preprocessor.validate]"
                        .into(),
                ),
            );
            // A doubtful answer (a time-out, 403, 5xx) is only a warning.
            if doubtful {
                problem.severity = Severity::Warning;
            }
            out.push(at.place(problem.at(target.link.range.clone()), None));
        }
    });
    Ok(())
}

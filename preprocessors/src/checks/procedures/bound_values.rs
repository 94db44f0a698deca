//! Values typed by hand in console steps, checked against the templates.
//! A step names a console field ("**CPU**", "Container port", "Desired
//! tasks") and then the value to enter, marked up as `code`, *emphasis* or
//! **strong** (numbers may be plain). Each field is bound to a template value;
//! a value that disagrees fails the build. `{{#value KEY}}` renders the same
//! values, so a step written with it always passes: the rule
//! `procedures::value-mismatch`.

use super::kept::VALUE_MISMATCH;
use super::values::{self, Bind, Compare, TABLE, Values};
use super::{ALLOW_VALUE, Templates, Text, Texts};
use crate::checks::rule::Model;
use crate::diagnostics::{Diagnostics, Problem, Related};
use crate::model::ordered_lists::{Document, Mark, Step};
use std::ops::Range;
use std::sync::LazyLock;

crate::checks::rule::rule! {
    check: check_book;
    PROCEDURES_VALUE_MISMATCH = "procedures::value-mismatch", error: "a value typed in a step that disagrees with the template";
}

fn check_book(model: &Model<'_, '_>, out: &mut Diagnostics) -> anyhow::Result<()> {
    let templates = model.shared::<Templates>();
    let texts = model.shared::<Texts>();
    let texts = texts.gather(model.chapters)?;
    let found = VALUE_MISMATCH.per_text(model.root, model.chapters, &texts, |_, text| {
        check_text(text, &templates)
    });
    for found in found {
        out.extend(found);
    }
    Ok(())
}

fn check_text(text: &Text<'_>, templates: &Templates) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    let Some(values) = &templates.values else {
        return diagnostics;
    };
    let origin = &text.origin();
    let explain = |key: &str, problem: Problem| explain(templates, key, problem);
    for problem in check(text.steps, values, &explain) {
        if text.in_expansion(origin, problem.range.clone()) {
            continue;
        }
        let at = origin.locate(problem.range.clone());
        if at.line_text.contains(ALLOW_VALUE) {
            continue;
        }
        diagnostics.push(problem.locate(|_| at));
    }
    diagnostics
}

/// The template field a value mismatching `key` disagrees with, and how
/// to write the step so it follows the template.
fn explain(templates: &Templates, key: &str, mut problem: Problem) -> Problem {
    let field = if key == "task.platform" {
        templates
            .task
            .as_ref()
            .map(|t| (t.locate("/runtimePlatform"), "runtimePlatform"))
    } else {
        templates
            .field(key)
            .map(|(at, v)| (at, v.pointer.rsplit('/').next().unwrap_or("")))
    };
    if let Some((location, name)) = field {
        problem.related.push(Related {
            location,
            message: format!("the template's `{name}`"),
        });
    }
    let hint = match key {
        "task.platform" => format!(
            "write {}",
            templates
                .shipped
                .iter()
                .map(|a| format!("`{{{{#console-platform {}}}}}`", a.docker))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        key => format!(
            "write `{{{{#value {}}}}}` so the step shows the template's value",
            values::key(key).and_then(|k| k.console).unwrap_or(key)
        ),
    };
    problem.with_hint(hint)
}

/// A value that disagrees with the template field of its key (the key
/// names the field, for [`check`]'s `explain`).
type Found = (&'static str, Problem);

/// Console labels that bind to no key: they only stop a shorter label
/// matching inside them ("Memory soft limit" is not "Memory").
const UNBOUND: &[&str] = &["memory soft limit"];

/// One console label: the key it binds to and how, from the key table; or
/// `None` for an unbound label.
type Rule = (&'static str, &'static str, Option<Compare>, Bind);

/// Every label of the key table, and the unbound ones.
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let bound = TABLE.iter().flat_map(|key| {
        key.labels
            .iter()
            .map(|l| (l.text, key.name, Some(l.compare), l.bind))
    });
    let unbound = UNBOUND.iter().map(|&l| (l, "", None, Bind::Always));
    bound.chain(unbound).collect()
});

/// What a step is about, as the nearest words that say tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum About {
    /// The task definition, the service or the cluster being created.
    Ours,
    /// A running service being changed (paused, scaled, updated).
    Changing,
    /// Another resource: a load balancer, an alarm, a scaling policy.
    Other,
    Unknown,
}

/// Words that put a step on another resource's form. A security group is
/// not among them: the task's own group opens the container port.
const OTHER: &[&str] = &[
    "load balancer",
    "load balancing",
    "listener",
    "target group",
    "alarm",
    "threshold",
    "percent",
    "%",
    "utilization",
    "utilisation",
    "metric",
    "auto scaling",
    "scaling policy",
];
const CHANGING: &[&str] = &[
    "update service",
    "update the service",
    "pause",
    "stop the service",
    "scale",
    "resize",
];
const OURS: &[&str] = &[
    "task definition",
    "task size",
    "container",
    "port mapping",
    "create service",
    "create the service",
    "service name",
    "cluster",
    "fargate",
    "launch type",
    "health check",
    "healthcheck",
    "infrastructure requirements",
    "compute configuration",
];

fn about(lower: &str) -> About {
    let says = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if says(OTHER) {
        About::Other
    } else if says(CHANGING) {
        About::Changing
    } else if says(OURS) {
        About::Ours
    } else {
        About::Unknown
    }
}

/// The step's own words decide; else the earlier steps of its list, the
/// nearest first; else the words of its section before the list (with its
/// heading); else the headings above. When nothing says, nothing is bound.
/// `context` is what the first of the others that says something says.
fn decide(own: &str, context: About) -> About {
    match about(own) {
        About::Unknown => context,
        said => said,
    }
}

/// The first of `texts` that says something, else `Unknown`.
fn first_said<'a>(texts: impl IntoIterator<Item = &'a str>) -> About {
    texts
        .into_iter()
        .map(about)
        .find(|a| *a != About::Unknown)
        .unwrap_or(About::Unknown)
}

fn binds(bind: Bind, about: About) -> bool {
    match bind {
        Bind::Always => true,
        Bind::Ours => matches!(about, About::Ours | About::Changing),
        Bind::Creating => about == About::Ours,
    }
}

/// Every labelled value in the document's steps that disagrees with `values`,
/// and every `/ecs/…` log group named anywhere that is not the template's;
/// `explain` adds to each what the key of its template field tells (the
/// field, the hint).
pub(crate) fn check(
    doc: &Document,
    values: &Values,
    explain: &dyn Fn(&str, Problem) -> Problem,
) -> Vec<Problem> {
    let mut found = Vec::new();
    for list in &doc.lists {
        let lead_in: String = doc
            .prose
            .iter()
            .filter(|p| p.section == list.section && p.range.end <= list.range.start)
            .map(|p| p.text.to_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
        let headings = doc.headings[..list.section.min(doc.headings.len())]
            .iter()
            .rev()
            .map(|h| h.to_lowercase());
        let above: Vec<String> = std::iter::once(lead_in).chain(headings).collect();
        let above = first_said(above.iter().map(String::as_str));
        // The nearest earlier step that says something, carried along the
        // list: each step is read once, however long the list.
        let mut nearest = About::Unknown;
        for step in &list.steps {
            let context = if nearest == About::Unknown {
                above
            } else {
                nearest
            };
            check_step(step, values, context, &mut found);
            let said = about(&step.normalized().to_lowercase());
            if said != About::Unknown {
                nearest = said;
            }
        }
    }
    if let Some(group) = values.get("task.log-group") {
        for piece in doc.prose.iter().chain(&doc.code) {
            for (at, name) in log_groups(&piece.text) {
                if name != group.text {
                    found.push((
                        "task.log-group",
                        Problem::raise(
                            PROCEDURES_VALUE_MISMATCH,
                            sub_range(&piece.range, piece.text.len(), at..at + name.len()),
                            format!(
                                "log group `{name}` is not the task definition's `{}`",
                                group.text
                            ),
                        ),
                    ));
                }
            }
        }
    }
    found.sort_by_key(|(key, problem)| (problem.range.start, *key));
    found.dedup();
    found
        .into_iter()
        .map(|(key, problem)| explain(key, problem))
        .collect()
}

/// Problems inside the task definition itself: a log group that is not
/// `/ecs/<family>`. As (key, message). (A Fargate size is the AWS checks'
/// rule, `aws::fargate`, on every task definition.)
pub(crate) fn check_template(values: &Values) -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    if let (Some(family), Some(group)) = (values.get("task.family"), values.get("task.log-group"))
        && group.text != format!("/ecs/{}", family.text)
    {
        found.push((
            "task.log-group",
            format!(
                "log group `{}` is not `/ecs/{}`, the family's group",
                group.text, family.text
            ),
        ));
    }
    found
}

fn check_step(step: &Step, values: &Values, context: About, found: &mut Vec<Found>) {
    // The step's text flattened, remembering which segment each byte is in.
    let mut flat = String::new();
    let mut owner = Vec::new();
    for (i, segment) in step.segments.iter().enumerate() {
        if segment.mark == Mark::Block {
            flat.push(' ');
            owner.push(i);
            continue;
        }
        flat.push_str(&segment.text.to_ascii_lowercase());
        owner.extend(std::iter::repeat_n(i, segment.text.len()));
    }
    let health = flat.contains("health");
    let labels = find_labels(&flat);
    let about = decide(&flat, context);
    for (n, (label_range, rule)) in labels.iter().enumerate() {
        let rule = *rule;
        let (_, key, compare, bind) = RULES[rule];
        // The container's health check has no protocol: a protocol in a
        // health-check step is a load balancer's.
        if !binds(bind, about) || (key == "task.protocol" && health) {
            continue;
        }
        // Words inside code are commands, not console labels; "Command"
        // is a label only when marked up as one, in a health-check step.
        let label_mark = owner.get(label_range.start).map(|&i| step.segments[i].mark);
        // A marked label is the whole marked phrase: in "**OS, Architecture,
        // Network mode**" the words "network mode" are part of a section name.
        let whole_phrase = owner.get(label_range.start).is_none_or(|&i| {
            let segment = &step.segments[i];
            segment.mark != Mark::Emphasis
                || segment
                    .text
                    .trim()
                    .trim_end_matches(':')
                    .eq_ignore_ascii_case(RULES[rule].0)
        });
        let Some(compare) = compare else {
            continue;
        };
        if !whole_phrase
            || matches!(label_mark, Some(Mark::Code | Mark::Block))
            || (matches!(compare, Compare::HealthCheck)
                && (!health || label_mark != Some(Mark::Emphasis)))
        {
            continue;
        }
        let window_end = labels.get(n + 1).map_or(flat.len(), |(r, _)| r.start);
        let window_start = n.checked_sub(1).map_or(0, |p| labels[p].0.end);
        let Some(value) = value_after(step, &owner, &flat, label_range.end, window_end, compare)
            .or_else(|| value_before(step, &owner, &flat, window_start, label_range.start))
        else {
            continue;
        };
        let Some(expected) = values.get(key) else {
            continue;
        };
        if let Some(message) = disagree(compare, &value.0, values, key) {
            let key = if matches!(compare, Compare::HealthCheck) {
                "task.health-check"
            } else {
                expected.key
            };
            found.push((
                key,
                Problem::raise(PROCEDURES_VALUE_MISMATCH, value.1, message),
            ));
        }
    }
    // OS/architecture pairs are labels in their own right.
    for segment in &step.segments {
        if matches!(segment.mark, Mark::Code | Mark::Emphasis)
            && let Some(message) = platform_problem(&segment.text, values.platforms())
        {
            found.push((
                "task.platform",
                Problem::raise(PROCEDURES_VALUE_MISMATCH, segment.range.clone(), message),
            ));
        }
    }
}

/// Label matches in a lower-cased step, longest first, at word boundaries,
/// not overlapping: (range, rule index), in order.
fn find_labels(flat: &str) -> Vec<(Range<usize>, usize)> {
    let mut taken: Vec<(Range<usize>, usize)> = Vec::new();
    let mut order: Vec<usize> = (0..RULES.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(RULES[i].0.len()));
    for rule in order {
        let label = RULES[rule].0;
        for (at, _) in flat.match_indices(label) {
            let range = at..at + label.len();
            let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
            let whole = boundary(flat[..at].chars().next_back())
                && boundary(flat[range.end..].chars().next());
            if whole
                && !taken
                    .iter()
                    .any(|(r, _)| r.start < range.end && range.start < r.end)
            {
                taken.push((range, rule));
            }
        }
    }
    taken.sort_by_key(|(r, _)| r.start);
    taken
}

/// The value written for a label: the first marked segment after it (before
/// the next label), or for numbers the first number in the plain words.
fn value_after(
    step: &Step,
    owner: &[usize],
    flat: &str,
    from: usize,
    to: usize,
    compare: Compare,
) -> Option<(String, Range<usize>)> {
    let first = *owner.get(from)?;
    let last = owner.get(to.saturating_sub(1)).copied().unwrap_or(first);
    // The label's own segment, when marked, is the label, not the value.
    let label_segment = owner.get(from.saturating_sub(1)).copied();
    for i in first..=last {
        let segment = &step.segments[i];
        if Some(i) == label_segment && i == first {
            continue;
        }
        if matches!(segment.mark, Mark::Code | Mark::Emphasis) && !segment.text.trim().is_empty() {
            // Only a value that follows closely, in the same sentence
            // ("select **Launch type** for the task. Match it to the
            // **Infrastructure** section" names two fields, no value).
            let starts = owner.iter().position(|&o| o == i).unwrap_or(from);
            let between = flat.get(from..starts).unwrap_or("");
            if between.len() > 40 || between.contains(". ") || between.contains(';') {
                break;
            }
            return Some((segment.text.trim().to_string(), segment.range.clone()));
        }
    }
    if !matches!(compare, Compare::Number | Compare::Cpu | Compare::Memory) {
        return None;
    }
    // A plain number only right after the label: "**Desired tasks** to 1".
    let i = if Some(first) == label_segment {
        first
    } else {
        (first..=last).find(|&i| Some(i) != label_segment)?
    };
    let segment = &step.segments[i];
    if segment.mark != Mark::Plain {
        return None;
    }
    let skip = if Some(i) == label_segment {
        from - owner.iter().position(|&o| o == i).unwrap_or(from)
    } else {
        0
    };
    let text = &segment.text;
    let skip = skip.min(text.len());
    let offset = text[skip..].find(|c: char| c.is_ascii_digit() || c == '.')? + skip;
    let between = text[skip..offset]
        .trim()
        .trim_end_matches([':', '='])
        .trim();
    if !["", "to", "is", "of", "at", "set to", "to be"]
        .contains(&between.to_ascii_lowercase().as_str())
    {
        return None;
    }
    let (words, consumed) = number_with_unit(&text[offset..]);
    if !words.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let range = sub_range(&segment.range, text.len(), offset..offset + consumed);
    Some((words, range))
}

/// `2`, `1 GB`, `.5 vCPU` at the start of a text (a unit only when it is one).
fn number_with_unit(text: &str) -> (String, usize) {
    let digits = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let number = text[..digits].trim_end_matches('.');
    let rest = text[digits..].trim_start();
    let unit: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
    let units = ["vcpu", "gb", "gib", "mb", "mib"];
    if units.contains(&unit.to_ascii_lowercase().as_str()) {
        let consumed = text.len() - rest.len() + unit.len();
        (format!("{number} {unit}"), consumed)
    } else {
        (number.to_string(), number.len())
    }
}

/// "type *x* into the **Field** field": the marked value just before the
/// label, when the words between them say "into".
fn value_before(
    step: &Step,
    owner: &[usize],
    flat: &str,
    from: usize,
    label: usize,
) -> Option<(String, Range<usize>)> {
    let label_segment = *owner.get(label)?;
    let first = *owner.get(from).unwrap_or(&0);
    let i = (first..label_segment)
        .rev()
        .find(|&i| matches!(step.segments[i].mark, Mark::Code | Mark::Emphasis))?;
    let value_end = owner.iter().rposition(|&o| o == i)? + 1;
    if !flat[value_end..label].contains(" into ") {
        return None;
    }
    let segment = &step.segments[i];
    Some((segment.text.trim().to_string(), segment.range.clone()))
}

/// Why `written` is not the template's value for `key`, if it is not.
fn disagree(compare: Compare, written: &str, values: &Values, key: &str) -> Option<String> {
    let expected = values.get(key)?;
    let written = written
        .trim()
        .trim_end_matches(['.', ',', ';', ':'])
        .trim_matches('"');
    let same = match compare {
        Compare::Exact => written == expected.text,
        // "Protocol: All" is a security group rule, not the container's.
        Compare::AnyCase => {
            written.eq_ignore_ascii_case(&expected.text) || written.eq_ignore_ascii_case("all")
        }
        Compare::Number => written.parse::<u64>().ok()? == expected.text.parse::<u64>().ok()?,
        Compare::Cpu => cpu_units(written)? == expected.text.parse::<f64>().ok()?,
        Compare::Memory => memory_mib(written)? == expected.text.parse::<f64>().ok()?,
        Compare::LaunchType => {
            let console = values
                .get("task.launch-type")
                .map(|v| v.text.to_ascii_lowercase());
            let written = written.to_ascii_lowercase();
            let written = written.trim_end_matches(" (serverless)");
            written == expected.text.to_ascii_lowercase() || Some(written) == console.as_deref()
        }
        Compare::HealthCheck => {
            let words: Vec<String> = match serde_json::from_str::<Vec<String>>(written) {
                Ok(json) => json,
                Err(_) => written.split(',').map(|w| w.trim().to_string()).collect(),
            };
            let expected: Vec<String> = serde_json::from_str(&expected.text).ok()?;
            words == expected
        }
    };
    if same {
        return None;
    }
    let shown = match compare {
        Compare::Cpu => values.get("task.cpu").map_or(expected.text.clone(), |v| {
            format!("{} ({} CPU units)", v.text, expected.text)
        }),
        Compare::Memory => values
            .get("task.memory")
            .map_or(expected.text.clone(), |v| {
                format!("{} ({} MiB)", v.text, expected.text)
            }),
        Compare::LaunchType => values
            .get("task.launch-type")
            .map_or(expected.text.clone(), |v| {
                format!("{} ({})", v.text, expected.text)
            }),
        Compare::HealthCheck => values
            .get("task.health-check")
            .map_or(expected.text.clone(), |v| v.text.clone()),
        _ => expected.text.clone(),
    };
    Some(format!("`{written}` disagrees with the template: {shown}"))
}

/// A number and an optional unit: the value and the unit's lower-cased word.
fn quantity(text: &str) -> Option<(f64, String)> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let number = text[..digits].parse::<f64>().ok()?;
    Some((number, text[digits..].trim().to_ascii_lowercase()))
}

/// CPU units from `.5 vCPU`, `0.5` (vCPU) or `512` (units).
fn cpu_units(text: &str) -> Option<f64> {
    let (number, unit) = quantity(text)?;
    if unit.starts_with("vcpu") || (unit.is_empty() && number < 64.0) {
        Some(number * 1024.0)
    } else {
        Some(number)
    }
}

/// MiB from `1 GB`, `1` (GB) or `1024` (MiB).
fn memory_mib(text: &str) -> Option<f64> {
    let (number, unit) = quantity(text)?;
    if unit.starts_with("gb") || unit.starts_with("gib") || (unit.is_empty() && number < 64.0) {
        Some(number * 1024.0)
    } else {
        Some(number)
    }
}

/// `Linux ARM64`, `Linux/AMD64`: an OS/architecture the console does not
/// offer for the product (`platforms`, from the release facts; none known,
/// nothing to check against).
fn platform_problem(text: &str, platforms: &[String]) -> Option<String> {
    let lower = text.trim().to_ascii_lowercase();
    let rest = lower.strip_prefix("linux")?;
    let arch = rest.strip_prefix(['/', ' '])?;
    if platforms.is_empty() || arch.is_empty() || arch.contains(' ') {
        return None;
    }
    if platforms.iter().any(|p| p == text.trim()) {
        return None;
    }
    Some(format!(
        "`{}` is not an OS/architecture the console offers: {}",
        text.trim(),
        platforms.join(" or ")
    ))
}

/// `/ecs/NAME` log group names in a text: (byte offset, name).
fn log_groups(text: &str) -> Vec<(usize, &str)> {
    text.match_indices("/ecs/")
        .filter(|(at, _)| {
            text[..*at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric() && c != '.' && c != ':')
        })
        .filter_map(|(at, _)| {
            let len = text[at + 5..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || "-_./#".contains(c)))
                .unwrap_or(text.len() - at - 5);
            let name = text[at..at + 5 + len].trim_end_matches(['.', '/']);
            // `/ecs/<family>` and the like are patterns, not names.
            let follows = text[at + 5 + len..].chars().next();
            (name.len() > 5 && follows != Some('<')).then_some((at, name))
        })
        .collect()
}

/// The source range of `within` (bytes of an event's text) when the event's
/// text is its source verbatim; otherwise the whole event.
fn sub_range(event: &Range<usize>, text_len: usize, within: Range<usize>) -> Range<usize> {
    if event.len() == text_len {
        event.start + within.start..event.start + within.end
    } else {
        event.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::super::templates::{JsonFile, STACK, TASK_DEFINITION};
    use super::*;
    use crate::model::ordered_lists::parse;

    fn values() -> Values {
        let read = |rel: &str| {
            let text = std::fs::read_to_string(format!(
                "{}/../tests/fixtures/guide-files/{rel}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            JsonFile::parse(rel, text).unwrap()
        };
        Values::read(&read(TASK_DEFINITION), Some(&read(STACK)))
            .with_platforms(vec!["Linux/X86_64".into(), "Linux/ARM64".into()])
    }

    /// Each mismatch, with its key standing for what explains it.
    fn found(text: &str, values: &Values) -> Vec<String> {
        check(&parse(text), values, &|key, problem| problem.with_hint(key))
            .into_iter()
            .map(|m| format!("{} [{}] {}", &text[m.range], m.hint.unwrap(), m.message))
            .collect()
    }

    fn mismatches(text: &str) -> Vec<String> {
        found(text, &values())
    }

    #[test]
    fn the_console_platforms_are_the_shipped_architectures_labels() {
        let text = "1. Pick **Linux/ARM64**, not **Linux/X86_64**.\n";
        let platform = |platforms: Vec<String>| -> Vec<String> {
            found(text, &values().with_platforms(platforms))
        };
        // Only amd64 shipped: the console's ARM64 label is not the product's.
        assert_eq!(
            platform(vec!["Linux/X86_64".into()]),
            [
                "Linux/ARM64 [task.platform] `Linux/ARM64` is not an OS/architecture the console offers: Linux/X86_64"
            ]
        );
        assert_eq!(
            platform(vec!["Linux/X86_64".into(), "Linux/ARM64".into()]),
            Vec::<String>::new()
        );
        // No release facts: nothing to check against, no false alarm.
        assert_eq!(platform(Vec::new()), Vec::<String>::new());
    }

    #[test]
    fn correct_steps_in_every_spelling_pass() {
        let text = "1. In **Task definition family**, type `responderapi-task`.\n\
2. In the **Task size**, select **CPU** **.5 vCPU** and **Memory** *1 GB*.\n\
3. Set **Container port** to *8080*, **Protocol** to *TCP*, and **App protocol** to *HTTP*.\n\
4. Set **CPU** to *0.5*, **Memory hard limit** to *1* and **Memory soft limit** to *0.5*.\n\
5. In **Health check**, set **Command** to `CMD, /sbin/healthcheck, --url=http://localhost:8080/healthcheck`.\n\
6. Select **Launch type** *AWS Fargate*; **Desired tasks**: 1. Pick **Linux/ARM64**.\n\
7. In **Task role** choose *ResponderAPIECSTaskRole*; **Task execution role**: `ResponderAPIECSTaskExecutionRole`.\n\
8. Name the new service `responderapi-service`, logs go to `/ecs/responderapi-task`.\n";
        assert_eq!(mismatches(text), Vec::<String>::new());
    }

    #[test]
    fn the_drafts_wrong_values_are_each_caught() {
        let text = "1. Type *responderapi_task* into the **Task definition family** field.\n\
2. Open **Task definition family** and type *responderapi_task*.\n\
3. In the **Task size**, select **CPU** **1 vCPU**. In **Memory** select **3GB**.\n\
4. In **OS, Architecture** select **Linux ARM64**.\n\
5. In the **Task execution role** section select *ecsTaskExecutionRole*.\n\
6. Set **Command** to `/sbin/healthcheck --url=http://localhost:8080/healthcheck` for the health check.\n\
7. Set **Desired tasks** to 2 and **Container port** to `80`.\n\
8. Look in `/ecs/responderapi_task`.\n";
        assert_eq!(
            mismatches(text),
            [
                "responderapi_task [task.family] `responderapi_task` disagrees with the template: responderapi-task",
                "responderapi_task [task.family] `responderapi_task` disagrees with the template: responderapi-task",
                "1 vCPU [task.cpu-units] `1 vCPU` disagrees with the template: .5 vCPU (512 CPU units)",
                "3GB [task.memory-mib] `3GB` disagrees with the template: 1 GB (1024 MiB)",
                "Linux ARM64 [task.platform] `Linux ARM64` is not an OS/architecture the console offers: Linux/X86_64 or Linux/ARM64",
                "ecsTaskExecutionRole [task.execution-role] `ecsTaskExecutionRole` disagrees with the template: ResponderAPIECSTaskExecutionRole",
                "/sbin/healthcheck --url=http://localhost:8080/healthcheck [task.health-check] `/sbin/healthcheck --url=http://localhost:8080/healthcheck` disagrees with the template: CMD, /sbin/healthcheck, --url=http://localhost:8080/healthcheck",
                "2 [service.desired-count] `2` disagrees with the template: 1",
                "80 [task.container-port] `80` disagrees with the template: 8080",
                "/ecs/responderapi_task [task.log-group] log group `/ecs/responderapi_task` is not the task definition's `/ecs/responderapi-task`",
            ]
        );
    }

    #[test]
    fn a_label_without_a_value_is_not_a_claim() {
        assert!(mismatches("1. In the **Compute configuration** section, click **Launch type**.\n2. Open the **Memory** tab.\n3. x\n").is_empty());
        let commands = "1. Run `aws ecs register-task-definition --cpu 256` and check the health in step 3.\n\
2. Check the health: run the command `aws ecs describe-services`.\n\
3. Add an outbound rule: **Protocol** `All`, **Port range** `All`.\n\
4. The **CPU** graph in step 2 shows the load.\n\
5. Select **Launch type** for the task. Match it to the **Infrastructure** section.\n\
6. In the **OS, Architecture, Network mode** section select **Linux/X86_64**.\n";
        assert_eq!(mismatches(commands), Vec::<String>::new());
    }

    #[test]
    fn fields_of_other_forms_with_the_same_names_are_not_bound() {
        let plausible = [
            // An alarm's threshold.
            "1. Set **CPU** above **80** percent.\n",
            "## Alarm when the service is busy\n\n1. Open **Alarms**.\n2. Set **CPU** to **80**.\n",
            // A load balancer's listener and its security group.
            "## The load balancer\n\n1. Set **Protocol** to **HTTPS**.\n2. Set **Port range** to `443`.\n",
            "1. For the listener, set **Protocol** to **HTTPS** and **Port range** `443`.\n",
            // The target group's health check.
            "1. For the health check, set **Protocol** to **HTTP**.\n",
            // Pausing the service.
            "## Pause the service\n\n1. Open the service and choose **Update service**.\n2. Set **Desired tasks** to `0`.\n",
            "To pause the service:\n\n1. Open the service.\n2. Set **Desired tasks** to `0`.\n",
            // Nothing says what the step is about: no finding.
            "1. Set **CPU** to **1 vCPU**.\n",
        ];
        for text in plausible {
            assert_eq!(mismatches(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn the_same_fields_on_our_forms_are_still_checked() {
        let cases = [
            (
                "## Task size\n\n1. Set **CPU** to **1 vCPU**.\n",
                "1 vCPU [task.cpu-units] `1 vCPU` disagrees with the template: .5 vCPU (512 CPU units)",
            ),
            (
                "1. In **Port mappings**, set **Protocol** to **UDP**.\n",
                "UDP [task.protocol] `UDP` disagrees with the template: TCP",
            ),
            (
                "1. In the security group of the container, set **Port range** to `443`.\n",
                "443 [task.container-port] `443` disagrees with the template: 8080",
            ),
            (
                "## Create the service\n\n1. Choose **Create service**.\n2. Set **Desired tasks** to `0`.\n",
                "0 [service.desired-count] `0` disagrees with the template: 1",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(mismatches(text), [expected], "{text}");
        }
    }

    #[test]
    fn the_template_itself_must_be_a_fargate_size_and_log_to_its_family() {
        assert!(check_template(&values()).is_empty());
    }
}

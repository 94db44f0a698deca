//! Every problem code, in one table with the help text the README lists.
//! A code is `pass::problem` and never changes meaning once published: CI
//! filters on it. Adding a check means adding its row here.

use serde::{Serialize, Serializer};
use std::fmt;

/// A stable problem code; the only values are the constants below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code(&'static str);

impl Code {
    pub const fn as_str(self) -> &'static str {
        self.0
    }

    /// One sentence saying what the code means.
    #[cfg(test)]
    pub(crate) fn help(self) -> &'static str {
        ALL.iter()
            .find(|(code, _)| *code == self)
            .map_or("", |(_, help)| help)
    }

    /// A code outside the table, for the diagnostics module's own tests.
    #[cfg(test)]
    pub(crate) const fn test(name: &'static str) -> Code {
        Code(name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

macro_rules! codes {
    ($($konst:ident = $name:literal: $help:literal;)*) => {
        $(pub const $konst: Code = Code($name);)*
        /// Every code with its help text, in the README's order.
        pub const ALL: &[(Code, &str)] = &[$(($konst, $help)),*];
    };
}

codes! {
    BOOK_UNREADABLE = "book::unreadable": "a book that cannot be loaded at all (no `book.toml`, invalid TOML, a `SUMMARY.md` entry for a missing file, …): exit status 2";
    CONFIG_UNKNOWN_KEY = "config::unknown-key": "a key in one of the book's `[preprocessor.*]` tables that the preprocessor does not read (usually a misspelling)";
    CONFIG_WRONG_TYPE = "config::wrong-type": "a `[preprocessor.*]` setting (in book.toml or an `MDBOOK_PREPROCESSOR__…` variable) whose value has the wrong type";

    LINKS_BAD_REDIRECT = "links::bad-redirect": "an `[output.html.redirect]` target that is neither a relative address nor an http(s) one";
    LINKS_BAD_SETTING = "links::bad-setting": "a `link-ignore` pattern that is not a valid regular expression";
    LINKS_BAD_SITE_URL = "links::bad-site-url": "a `git-repository-url` or `edit-url-template` that is not an http(s) address";
    LINKS_BAD_URL = "links::bad-url": "an `http(s)` URL that does not parse";
    LINKS_DRAFT_CHAPTER = "links::draft-chapter": "a link to a draft chapter, which has no page";
    LINKS_EMPTY_LINK = "links::empty-link": "a link with no destination, such as a `[later]()` placeholder (a warning: it leads back to its own page)";
    LINKS_INCLUDE_BUDGET = "links::include-budget": "a chapter or book whose includes exceed the include count or expanded size budget (see Security)";
    LINKS_INCLUDE_DEPTH = "links::include-depth": "an include nested more than 10 deep (usually an include cycle), whose text mdBook drops";
    LINKS_INDEX_COPY = "links::index-copy": "a link on the first chapter that breaks on its `index.html` copy";
    LINKS_MISSING_ANCHOR = "links::missing-anchor": "a `#fragment` that names no heading or `id` on its page";
    LINKS_MISSING_FILE = "links::missing-file": "a link or image to a file that does not exist";
    LINKS_MISSING_INCLUDE = "links::missing-include": "an `{{#include}}` or `{{#rustdoc_include}}` of a missing file";
    LINKS_MISSING_INCLUDE_ANCHOR = "links::missing-include-anchor": "an include of an anchor or line range the file does not have";
    LINKS_NOT_IN_SITE = "links::not-in-site": "a link to a file outside `src/`, which is not published with the site";
    LINKS_NOT_IN_SUMMARY = "links::not-in-summary": "a link to a Markdown file that `SUMMARY.md` does not list";
    LINKS_OUTSIDE_BOOK = "links::outside-book": "a link or include that leaves the book";
    LINKS_PLAYPEN = "links::playpen": "`{{#playpen}}`, the old name of `{{#playground}}` (a warning)";
    LINKS_README_LINK = "links::readme-link": "a link to `README.md`, which mdBook renames to `index.html`";
    LINKS_UNDEFINED_REFERENCE = "links::undefined-reference": "a reference link with no definition";
    LINKS_UNREACHABLE = "links::unreachable": "(with `--online`) an external link that does not answer";

    POLICY_ALLOW_NOT_ACTION = "policy::allow-not-action": "`Allow` with `NotAction`, which grants every other action";
    POLICY_ALLOW_NOT_PRINCIPAL = "policy::allow-not-principal": "`Allow` with `NotPrincipal`, which trusts every other principal";
    POLICY_ATTACHMENT = "policy::attachment": "prose that offers a policy an inline attachment (a user's, a group's, …) whose size quota it exceeds";
    POLICY_CHARACTER = "policy::character": "a character outside the range IAM accepts";
    POLICY_CONFUSED_DEPUTY = "policy::confused-deputy": "a service trust policy without an `aws:SourceAccount` or `aws:SourceArn` condition";
    POLICY_DIRECTIVE_ARGUMENTS = "policy::directive-arguments": "`{{#iam-policy}}` without exactly one policy name";
    POLICY_DUPLICATE_ACTION = "policy::duplicate-action": "an action listed twice in one statement";
    POLICY_DUPLICATE_KEY = "policy::duplicate-key": "a JSON key repeated in one object";
    POLICY_DUPLICATE_SID = "policy::duplicate-sid": "two statements with the same `Sid`";
    POLICY_JSON_SYNTAX = "policy::json-syntax": "a policy file that is not valid JSON";
    POLICY_MANIFEST = "policy::manifest": "a problem in `policies.toml`";
    POLICY_NOT_A_POLICY = "policy::not-a-policy": "a file in `policies/` that is not a policy document (`.json`)";
    POLICY_REDUNDANT_ACTION = "policy::redundant-action": "an action already granted by a wildcard in the same statement";
    POLICY_REFUSED_PATH = "policy::refused-path": "a policy name or file that leads out of `policies/`";
    POLICY_RESOURCE_STAR = "policy::resource-star": "`Resource: \"*\"` on an action that takes resource ARNs, without a reason in the manifest";
    POLICY_RETIRED_SERVICE = "policy::retired-service": "an action of a service AWS has retired (`deepracer`, `iot1click`, `zocalo`, …)";
    POLICY_SCHEMA = "policy::schema": "a policy that breaks the IAM policy grammar";
    POLICY_SIZE = "policy::size": "a policy over the IAM size quota of an attachment `policies.toml` declares for it (by default, a managed or a trust policy's)";
    POLICY_TRUST_PRINCIPAL = "policy::trust-principal": "a trust policy whose principal is not an AWS service";
    POLICY_UNKNOWN_ACTION = "policy::unknown-action": "an action the service does not have";
    POLICY_UNKNOWN_CONDITION_KEY = "policy::unknown-condition-key": "a service condition key (`ecr:ResourceTag/…`) the service does not have";
    POLICY_UNKNOWN_POLICY = "policy::unknown-policy": "`{{#iam-policy NAME}}` with no `policies/NAME.json`";
    POLICY_UNKNOWN_SERVICE = "policy::unknown-service": "an action whose service prefix is unknown";
    POLICY_UNREADABLE = "policy::unreadable": "a policy file that cannot be read";
    POLICY_WILDCARD_ACTION = "policy::wildcard-action": "`*` or `service:*` as an action";

    IMAGE_URI_ARCH_IN_CODE = "image-uri::arch-in-code": "an `{{#arch}}` group inside a code block";
    IMAGE_URI_BAD_ARCHITECTURE = "image-uri::bad-architecture": "an architecture in the release facts that ECS does not have, or named inconsistently";
    IMAGE_URI_BAD_ARGUMENTS = "image-uri::bad-arguments": "a directive with missing or extra arguments";
    IMAGE_URI_BAD_REGISTRY = "image-uri::bad-registry": "a `registry` that is not an Amazon ECR registry";
    IMAGE_URI_BAD_REPOSITORY = "image-uri::bad-repository": "a `repository` that is not an ECR repository name";
    IMAGE_URI_BAD_SETTING = "image-uri::bad-setting": "a release fact with a value of the wrong shape";
    IMAGE_URI_BAD_TAG = "image-uri::bad-tag": "a tag pattern that gives an invalid image tag";
    IMAGE_URI_BAD_VERSION = "image-uri::bad-version": "a malformed `version`";
    IMAGE_URI_DUPLICATE_REGION = "image-uri::duplicate-region": "a Region listed twice";
    IMAGE_URI_DUPLICATE_VARIANT = "image-uri::duplicate-variant": "an `{{#arch}}` group with the same architecture twice";
    IMAGE_URI_HAND_WRITTEN_URI = "image-uri::hand-written-uri": "a Marketplace image URI typed by hand instead of a directive";
    IMAGE_URI_MISSING_SETTING = "image-uri::missing-setting": "a release fact that is missing";
    IMAGE_URI_MISSING_TEMPLATE = "image-uri::missing-template": "`{{#template NAME}}` with no `templates/NAME`";
    IMAGE_URI_MISSING_VARIANT = "image-uri::missing-variant": "an `{{#arch}}` group without every shipped architecture";
    IMAGE_URI_NO_RELEASE = "image-uri::no-release": "a directive that needs the release facts in a book without them";
    IMAGE_URI_NOT_ALONE = "image-uri::not-alone": "a block directive that does not stand alone on its line";
    IMAGE_URI_OTHER_ARCHITECTURE = "image-uri::other-architecture": "an architecture block that names the other architecture's values";
    IMAGE_URI_STRAY_ENDARCH = "image-uri::stray-endarch": "`{{#endarch}}` without an open group";
    IMAGE_URI_TEMPLATE_OUTSIDE = "image-uri::template-outside": "a template name that leads out of `templates/`";
    IMAGE_URI_UNCLOSED_ARCH = "image-uri::unclosed-arch": "an `{{#arch}}` group without `{{#endarch}}`";
    IMAGE_URI_UNKNOWN_ARCHITECTURE = "image-uri::unknown-architecture": "a directive argument that is not a shipped architecture";
    IMAGE_URI_UNKNOWN_DIRECTIVE = "image-uri::unknown-directive": "a `{{#…}}` that no preprocessor knows (usually a misspelling)";
    IMAGE_URI_UNKNOWN_REGION = "image-uri::unknown-region": "a Region code that AWS does not have";
    IMAGE_URI_URI_TOO_LONG = "image-uri::uri-too-long": "an image URI longer than ECS accepts";

    REACH_CREATE_OVERWRITES = "reach::create-overwrites": "a `SUMMARY.md` entry missing as written (`new/../a.md`) that `create-missing` would have mdBook create by writing over a file that exists";
    REACH_GIT_FOLDER = "reach::git-folder": "a file inside a `.git` folder (it may hold credentials) that an include, a chapter, a theme file or a file of `src/` would read or publish";
    REACH_INCLUDE_OUTSIDE = "reach::include-outside": "an include (or a file a directive expands) that reads outside the repository";
    REACH_MDBOOK_LINKS = "reach::mdbook-links": "an include in a book that leaves mdBook's own `links` preprocessor on under stock `mdbook`, which would open the file unjudged";
    REACH_OVER_BUDGET = "reach::over-budget": "an input over one of the build's budgets (a template of more than 500 resources or over 1 MiB, a policy over 128 KiB, a chapter with more than 100,000 Markdown delimiters): nothing is checked further";
    REACH_NOT_A_FILE = "reach::not-a-file": "a source or include that is not a regular file (a FIFO, a device, …)";
    REACH_OUTSIDE_SOURCE = "reach::outside-source": "a file under `src/` or the theme folder that resolves outside the repository, which mdBook would publish in the site";
    REACH_SETTING_OUTSIDE = "reach::setting-outside": "a path in book.toml's `[output.html]` or `[build]` (`input-404`, `additional-css`, `additional-js`, `theme`, `build-dir`, `extra-watch-dirs`) that resolves outside the repository";
    REACH_SUMMARY_ABSOLUTE = "reach::summary-absolute": "a `SUMMARY.md` entry with an absolute path, which mdBook's loader cannot read";
    REACH_TOO_LARGE = "reach::too-large": "a source or include over the size limit";
    REACH_UNREADABLE_SOURCE = "reach::unreadable-source": "a file under `src/` that cannot be read (a symlink loop or a dangling link), or a chapter or `SUMMARY.md` that is not UTF-8";
    REACH_WRITES_OUTSIDE = "reach::writes-outside": "a path that mdBook would write outside the site: a `SUMMARY.md` entry that climbs out of the sources, an `input-404` outside `src/`, an `additional-css` or `additional-js` entry that is absolute or climbs out, a redirect whose page lands outside";

    AWS_AWSLOGS = "aws::awslogs": "the awslogs log driver without an option it needs, or with one it does not know";
    AWS_CFN_ENUM = "aws::cfn-enum": "a template property value that its resource schema does not allow";
    AWS_CFN_REQUIRED = "aws::cfn-required": "a template resource without a property its schema requires";
    AWS_CFN_SCHEMA = "aws::cfn-schema": "a template property that breaks another rule of its resource schema";
    AWS_CFN_TYPE = "aws::cfn-type": "a template property, or the intrinsic function giving it, of the wrong kind of value";
    AWS_CFN_UNKNOWN_PROPERTY = "aws::cfn-unknown-property": "a template property its resource schema does not have (usually a misspelling)";
    AWS_CFN_UNKNOWN_REF = "aws::cfn-unknown-ref": "a `Ref` or `Fn::GetAtt` to no parameter or resource of the template";
    AWS_CFN_UNKNOWN_TYPE = "aws::cfn-unknown-type": "a resource type CloudFormation does not have";
    AWS_CLI_INVALID_VALUE = "aws::cli-invalid-value": "an AWS CLI option value the service model does not allow";
    AWS_CLI_MISSING_FILE = "aws::cli-missing-file": "a `file://` argument naming no file of the book and none an earlier command writes";
    AWS_CLI_MISSING_OPTION = "aws::cli-missing-option": "an AWS CLI command without an option its operation requires";
    AWS_CLI_UNKNOWN_OPERATION = "aws::cli-unknown-operation": "an AWS CLI command the service does not have";
    AWS_CLI_UNKNOWN_OPTION = "aws::cli-unknown-option": "an AWS CLI option the operation does not take";
    AWS_CLI_UNKNOWN_SERVICE = "aws::cli-unknown-service": "an `aws` command for a service that does not exist";
    AWS_CLI_UNKNOWN_WAITER = "aws::cli-unknown-waiter": "`aws … wait NAME` with a waiter the service does not have";
    AWS_DEPLOYER_PERMISSION = "aws::deployer-permission": "the deployer policy does not allow an API call that a run path makes, directly or through the AWS CLI or CloudFormation";
    AWS_FARGATE = "aws::fargate": "a task definition Fargate cannot run (CPU/memory pair, network mode)";
    AWS_HEALTH_CHECK = "aws::health-check": "a health-check command that does not start with `CMD` or `CMD-SHELL`";
    AWS_INVALID_ENUM = "aws::invalid-enum": "a task-definition value the ECS model does not allow";
    AWS_INVALID_VALUE = "aws::invalid-value": "a task-definition value outside the length, range or pattern the ECS model states";
    AWS_MISSING_MEMBER = "aws::missing-member": "a task definition without a member the ECS model requires";
    AWS_MISSING_PERMISSION = "aws::missing-permission": "a role that does not allow what the task definition needs";
    AWS_MISSING_ROLE = "aws::missing-role": "a task definition that needs a role and names none";
    AWS_PROPERTY_KEPT = "aws::property-kept": "a deploy over a stack drops a property CloudFormation keeps unless it is given an empty list (an ECS service's `LoadBalancers`): the resource keeps what the earlier template gave it";
    AWS_REPLACEMENT = "aws::replacement": "a deploy over a stack changes a create-only property (by another template or another parameter value): CloudFormation replaces the resource, which gets a new identity (a warning)";
    AWS_REPLACEMENT_REFUSED = "aws::replacement-refused": "a deploy over a stack changes a create-only property of a custom-named resource (by another template or another parameter value), which CloudFormation must replace and refuses to";
    AWS_RUN_MARKER = "aws::run-marker": "a run marker the run paths cannot use: not on the line just before a code fence, an unknown path, or before a block that is not a shell block";
    AWS_STACK_REFUSED = "aws::stack-refused": "a stack command CloudFormation refuses where the way through the guide runs it: a create with a parameter left without a value, a create of a stack that exists, an update of one that does not";
    AWS_TRUST = "aws::trust": "a role that ECS tasks cannot assume";
    AWS_UNJUDGED = "aws::unjudged": "a command or template resource the AWS behaviour checks cannot judge: a service or resource type whose AWS data is not vendored, or a stack or template named by a shell variable nothing sets (a warning)";
    AWS_UNMARKED_BLOCK = "aws::unmarked-block": "a shell block in an `{{#arch}}` group with no run marker while a sibling variant has one: no path runs it, so nothing judges it (a warning)";
    AWS_UNKNOWN_MEMBER = "aws::unknown-member": "a task-definition member the ECS model does not have (usually a misspelling)";
    AWS_UNNEEDED_PERMISSION = "aws::unneeded-permission": "a role that allows an action the task definition does not need";
    AWS_WRONG_TYPE = "aws::wrong-type": "a task-definition value of the wrong JSON type";

    PROCEDURES_BAD_RANGE = "procedures::bad-range": "a step range outside the procedure";
    PROCEDURES_DUPLICATE = "procedures::duplicate": "a list of steps that repeats another list word for word";
    PROCEDURES_INLINE_PROCEDURE = "procedures::inline-procedure": "`{{#procedure}}` inside a line of prose";
    PROCEDURES_MISSING_STEP = "procedures::missing-step": "a \"step N\" reference to a step that does not exist";
    PROCEDURES_NEAR_DUPLICATE = "procedures::near-duplicate": "a step list that nearly repeats another";
    PROCEDURES_NESTED_PROCEDURE = "procedures::nested-procedure": "a procedure that includes a procedure";
    PROCEDURES_NUMBERING = "procedures::numbering": "step numbers that skip or repeat";
    PROCEDURES_TEMPLATE_INVALID = "procedures::template-invalid": "a template that is not valid JSON";
    PROCEDURES_TEMPLATE_VALUE = "procedures::template-value": "a template field a step relies on that is missing or invalid";
    PROCEDURES_TEMPLATES_DISAGREE = "procedures::templates-disagree": "the CloudFormation template and the task definition disagree";
    PROCEDURES_UNKNOWN_PROCEDURE = "procedures::unknown-procedure": "`{{#procedure NAME}}` with no `src/procedures/NAME.md`";
    PROCEDURES_UNKNOWN_VALUE = "procedures::unknown-value": "`{{#value KEY}}` with an unknown key";
    PROCEDURES_UNREADABLE = "procedures::unreadable": "a procedure file that cannot be read (not UTF-8, not a regular file, over the size limit)";
    PROCEDURES_VALUE_MISMATCH = "procedures::value-mismatch": "a value typed in a step that disagrees with the template";
    PROCEDURES_VALUE_UNAVAILABLE = "procedures::value-unavailable": "`{{#value KEY}}` whose template field is missing";
}

/// Codes once published and no longer reported: CI filters may still name
/// them, so their names are never given to another problem.
pub const RETIRED: &[(&str, &str)] = &[(
    "policy::missing-file",
    "superseded by `links::missing-file`, which reports every link to a missing file",
)];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_named_by_pass_and_explained() {
        let mut seen = std::collections::HashSet::new();
        for (code, help) in ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            let (pass, problem) = code.as_str().split_once("::").unwrap();
            assert!(
                [
                    "book",
                    "config",
                    "links",
                    "policy",
                    "image-uri",
                    "procedures",
                    "reach",
                    "aws"
                ]
                .contains(&pass),
                "{code}"
            );
            assert!(!problem.is_empty() && !help.is_empty(), "{code}");
        }
        for (retired, _) in RETIRED {
            assert!(!seen.contains(retired), "{retired} is retired");
        }
        assert_eq!(
            LINKS_MISSING_FILE.help(),
            "a link or image to a file that does not exist"
        );
    }
}

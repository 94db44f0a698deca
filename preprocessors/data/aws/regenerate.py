#!/usr/bin/env python3
"""Regenerates the vendored AWS data in this folder from PyPI.

    python3 preprocessors/data/aws/regenerate.py

With --managed-policies, rereads managed-policies.json's AWS managed
policies through the AWS CLI instead (the one step that needs credentials).

Downloads the pinned wheels of botocore (service models and waiters),
cfn-lint (CloudFormation resource provider schemas) and awscli (argument
renames), keeps only what the checks in preprocessors/src/aws/ read, and
writes minified JSON plus SOURCE. The build and the tests never run this
and never touch the network. Bump a version below and rerun to update.

The tables written by hand beside the data (cli-calls.toml, arn-names.toml,
cloudformation/handler-properties.toml, cloudformation/replacement.toml) are
not rewritten; cli-calls.toml is checked against the awscli source it cites,
so a new awscli that calls other operations stops the regeneration.
"""

import ast
import json
import tomllib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

BOTOCORE = "1.44.8"
CFN_LINT = "1.58.0"
AWSCLI = "1.46.3"

SERVICES = ["ecs", "iam", "logs", "ec2", "ecr", "cloudformation", "sts", "meteringmarketplace", "elbv2"]

# The resource types the templates use, and the ones a template may add
# (inline policies, a load balancer in front of the service).
CFN_TYPES = [
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::ECS::Cluster",
    "AWS::ECS::Service",
    "AWS::ECS::TaskDefinition",
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::RolePolicy",
    "AWS::Logs::LogGroup",
]
CFN_PREFIXES = ["AWS::ElasticLoadBalancingV2::"]

# The schemas are kept whole: besides the JSON Schema the template check
# validates with, they hold how CloudFormation behaves (createOnlyProperties,
# readOnlyProperties, primaryIdentifier, handlers.*.permissions, tagging).
# Only documentation is dropped, to keep the binary small.
DOC_KEYS = {"description", "$comment", "$schema", "examples", "markdownDescription", "documentationUrl", "sourceUrl"}
# Keys whose value is a map of names to schemas (names are not keywords).
SCHEMA_MAPS = {"properties", "patternProperties", "definitions"}

# Shape fields the shape and CLI checks read.
SHAPE_FIELDS = ["type", "required", "enum", "min", "max", "pattern"]

HERE = Path(__file__).resolve().parent


def download(workdir: Path) -> dict:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", str(workdir),
         f"botocore=={BOTOCORE}", f"cfn-lint=={CFN_LINT}", f"awscli=={AWSCLI}"],
        check=True,
    )
    wheels = {}
    for name in ("botocore", "cfn_lint", "awscli"):
        [wheel] = workdir.glob(f"{name}-*.whl")
        wheels[name] = zipfile.ZipFile(wheel)
    return wheels


def latest_version_dir(names, service):
    prefix = f"botocore/data/{service}/"
    versions = sorted({n[len(prefix):].split("/")[0] for n in names if n.startswith(prefix) and n.count("/") == 4})
    return prefix + versions[-1]


def xform_name(name: str) -> str:
    """The AWS CLI's kebab-case name of a model name, computed by botocore
    itself (imported from the wheel), so the rule cannot drift."""
    return XFORM(name, "-")


def reachable(shapes, roots):
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen or name not in shapes:
            continue
        seen.add(name)
        shape = shapes[name]
        for member in shape.get("members", {}).values():
            todo.append(member["shape"])
        for key in ("member", "key", "value"):
            if key in shape:
                todo.append(shape[key]["shape"])
    return seen


def compact_shape(shape):
    out = {k: shape[k] for k in SHAPE_FIELDS if k in shape}
    if "members" in shape:
        out["members"] = {m: v["shape"] for m, v in shape["members"].items()}
    for key in ("member", "key", "value"):
        if key in shape:
            out[key] = shape[key]["shape"]
    return out


def service_model(wheel, service):
    import gzip

    names = wheel.namelist()
    folder = latest_version_dir(names, service)
    raw = wheel.read(f"{folder}/service-2.json.gz")
    model = json.loads(gzip.decompress(raw))
    shapes = model["shapes"]
    operations = {}
    roots = []
    for name, op in sorted(model["operations"].items()):
        entry = {"cli": xform_name(name)}
        if "input" in op:
            entry["input"] = op["input"]["shape"]
            roots.append(op["input"]["shape"])
            members = shapes[op["input"]["shape"]].get("members", {})
            entry["args"] = {xform_name(m): m for m in members}
        operations[name] = entry
    waiters = {}
    if f"{folder}/waiters-2.json" in names:
        for name, waiter in json.loads(wheel.read(f"{folder}/waiters-2.json"))["waiters"].items():
            waiters[xform_name(name)] = waiter["operation"]
    paginated = []
    if f"{folder}/paginators-1.json" in names:
        paginated = sorted(json.loads(wheel.read(f"{folder}/paginators-1.json")).get("pagination", {}))
    kept = reachable(shapes, roots)
    return {
        "source": f"botocore {BOTOCORE} (PyPI), {folder.removeprefix('botocore/')}/service-2.json.gz, waiters-2.json, paginators-1.json",
        "service": service,
        # The IAM service prefix of the operations' actions (elbv2 signs as
        # `elasticloadbalancing`, meteringmarketplace as `aws-marketplace`).
        "signing_name": model["metadata"].get("signingName", model["metadata"]["endpointPrefix"]),
        "operations": operations,
        "waiters": waiters,
        "paginated": paginated,
        "shapes": {n: compact_shape(shapes[n]) for n in sorted(kept)},
    }


def strip_schema(node, in_map=False):
    """The schema without its documentation strings; every other key stays."""
    if isinstance(node, list):
        return [strip_schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    if in_map:
        return {k: strip_schema(v) for k, v in node.items()}
    return {k: strip_schema(v, k in SCHEMA_MAPS) for k, v in node.items() if k not in DOC_KEYS}


def cfn_schemas(wheel):
    names = set(wheel.namelist())
    providers = json.loads(wheel.read("cfnlint/data/schemas/providers/us-east-1.json"))
    wanted = sorted(t for t in providers if t in CFN_TYPES or any(t.startswith(p) for p in CFN_PREFIXES))
    out = {}
    for type_name in wanted:
        path = f"cfnlint/data/schemas/resources/{providers[type_name]}.json"
        assert path in names, path
        out[type_name] = strip_schema(json.loads(wheel.read(path)))
    schema_date = json.loads(wheel.read("cfnlint/data/schemas/version.json"))["schema_date"]
    return {
        "source": f"cfn-lint {CFN_LINT} (PyPI), cfnlint/data/schemas/resources (CloudFormation registry, us-east-1, {schema_date})",
        "resources": out,
    }


def cli_renames(wheel):
    source = wheel.read("awscli/customizations/argrename.py").decode()
    tables = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in ("ARGUMENT_RENAMES", "HIDDEN_ALIASES"):
                tables[node.targets[0].id] = ast.literal_eval(node.value)
    keep = lambda table: {k: v for k, v in sorted(table.items()) if k.split(".")[0] in SERVICES}
    return {
        "source": f"awscli {AWSCLI} (PyPI), awscli/customizations/argrename.py",
        "renames": keep(tables["ARGUMENT_RENAMES"]),
        "aliases": keep(tables["HIDDEN_ALIASES"]),
    }


def check_cli_calls(wheel):
    """Each AWS CLI command in cli-calls.toml whose source is a file of the
    awscli wheel must call, in that file, every operation and waiter the
    table lists (botocore's snake_case names)."""
    table = tomllib.loads((HERE / "cli-calls.toml").read_text())
    names = set(wheel.namelist())
    problems = []
    for command, entry in table["commands"].items():
        path = entry["source"]
        if path not in names:
            continue
        text = wheel.read(path).decode()
        for call in entry["calls"]:
            name = XFORM(call["operation"]) if "operation" in call else call["waiter"].replace("-", "_")
            if name not in text:
                problems.append(f"{command}: {path} no longer calls {name}")
    if problems:
        sys.exit("cli-calls.toml disagrees with awscli " + AWSCLI + ":\n" + "\n".join(problems))


def service_names(wheel):
    """Every service botocore models, so a command for a service whose model
    is not vendored is left alone rather than called a typo."""
    names = sorted({n.split("/")[2] for n in wheel.namelist() if n.startswith("botocore/data/") and n.count("/") >= 4})
    return {"source": f"botocore {BOTOCORE} (PyPI), botocore/data/", "services": names}


# AWS managed policies a task or execution role plausibly uses, kept whole
# at their default version. No package carries them: with
# `--managed-policies`, the AWS CLI (any account's credentials) reads them.
MANAGED_POLICIES = [
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
]


def managed_policies():
    def aws(*args):
        return json.loads(subprocess.run(["aws", *args, "--output", "json"], check=True, capture_output=True, text=True).stdout)

    policies = {}
    for arn in MANAGED_POLICIES:
        version = aws("iam", "get-policy", "--policy-arn", arn)["Policy"]["DefaultVersionId"]
        document = aws("iam", "get-policy-version", "--policy-arn", arn, "--version-id", version)["PolicyVersion"]["Document"]
        policies[arn] = {"version": version, "document": document}
    path = HERE / "managed-policies.json"
    source = json.loads(path.read_text())["source"]
    path.write_text(json.dumps({"source": source, "policies": policies}, indent=2) + "\n")


def write(path: Path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, separators=(",", ":"), sort_keys=False) + "\n")


def main():
    global XFORM
    if "--managed-policies" in sys.argv:
        managed_policies()
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        wheels = download(workdir)
        wheels["botocore"].extractall(workdir / "botocore-src", [n for n in wheels["botocore"].namelist() if n.endswith(".py")])
        sys.path.insert(0, str(workdir / "botocore-src"))
        from botocore import xform_name as XFORM  # noqa: E402

        for service in SERVICES:
            write(HERE / "botocore" / f"{service}.json", service_model(wheels["botocore"], service))
        write(HERE / "cloudformation" / "resource-schemas.json", cfn_schemas(wheels["cfn_lint"]))
        write(HERE / "cli-renames.json", cli_renames(wheels["awscli"]))
        check_cli_calls(wheels["awscli"])
        write(HERE / "botocore" / "service-names.json", service_names(wheels["botocore"]))
    (HERE / "SOURCE").write_text(
        "Vendored AWS data, regenerated by regenerate.py in this folder (minified; service models keep what the checks read, resource schemas are whole but for documentation strings).\n\n"
        f"botocore/*.json                    botocore {BOTOCORE}, PyPI, Apache-2.0: service-2.json.gz, waiters-2.json, paginators-1.json of\n"
        f"                                   {', '.join(SERVICES)}; service-names.json lists every service botocore models\n"
        f"cloudformation/resource-schemas.json  cfn-lint {CFN_LINT}, PyPI, MIT-0: cfnlint/data/schemas (CloudFormation registry resource provider schemas)\n"
        f"cli-renames.json                   awscli {AWSCLI}, PyPI, Apache-2.0: awscli/customizations/argrename.py\n"
        f"cli-customizations.toml            written by hand from awscli {AWSCLI} (PyPI) awscli/customizations/ and the AWS CLI v2 command reference\n"
        f"cli-calls.toml                     written by hand from awscli {AWSCLI} (PyPI) awscli/customizations/ (cloudformation/deployer.py, ecr.py,\n"
        "                                   ecs/executecommand.py, logs/startlivetail.py) and AWS CLI v2 awscli/customizations/logs/tail.py;\n"
        "                                   regenerate.py checks it against the awscli wheel\n"
        "arn-names.toml                     written by hand from ../iam/catalog.tsv (ARN formats), the botocore models (CLI options) and the resource schemas\n"
        "cloudformation/handler-properties.toml  written by hand from the resource schemas' handlers and properties\n"
        "cloudformation/replacement.toml    written by hand from the CloudFormation User Guide (update behaviors, name type)\n"
        "managed-policies.json              AWS managed policies at their default version (IAM GetPolicyVersion, as the AWS Managed Policy\n"
        "                                   Reference Guide prints them): AmazonECSTaskExecutionRolePolicy v1; regenerate.py --managed-policies\n"
    )


if __name__ == "__main__":
    main()

"""The GitHub Actions workflows: valid against the published schema, and doing what the README says.

ci.yml runs the README's test command on every push and pull request; pages.yml
builds the site with `make build` and deploys site/ to GitHub Pages from main
with GitHub's own Pages actions.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
CI = WORKFLOWS / "ci.yml"
PAGES = WORKFLOWS / "pages.yml"


def load(path: Path) -> dict:
    """A workflow as data. YAML 1.1 reads the key `on` as True; give it its name back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def run_commands(workflow: dict) -> list[str]:
    """Every `run:` script of every job, in order."""
    return [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


def uses(workflow: dict) -> list[str]:
    """Every `uses:` action reference of every job."""
    return [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]


def readme_command(target: str) -> str:
    """The README's command for `make <target>` (e.g. "make test"), taken from its code block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"\bmake {target}\b", readme), f"README has no `make {target}` command"
    return f"make {target}"


def check_jsonschema() -> str:
    found = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    if not Path(found).exists():
        pytest.fail("check-jsonschema is missing: it is pinned in requirements.txt (`make setup`)")
    return found


@pytest.mark.parametrize("workflow", [CI, PAGES], ids=lambda p: p.name)
def test_workflow_is_valid_against_the_github_workflow_schema(workflow):
    result = subprocess.run(
        [check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("name: x\non: push\njobs:\n  test:\n    steps:\n      - run: make test\n")  # no runs-on
    result = subprocess.run(
        [check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0


def test_ci_runs_on_every_push_and_pull_request():
    triggers = load(CI)["on"]
    assert "push" in triggers
    assert "pull_request" in triggers
    for event in ("push", "pull_request"):
        config = triggers[event] or {}
        assert "branches" not in config, f"{event} is limited to some branches"
        assert "paths" not in config, f"{event} is limited to some paths"


def test_ci_runs_the_readme_test_command():
    assert readme_command("test") in [line.strip() for cmd in run_commands(load(CI)) for line in cmd.splitlines()]


def test_ci_can_only_read_the_repository():
    assert load(CI)["permissions"] == {"contents": "read"}


def test_pages_deploys_only_from_main():
    triggers = load(PAGES)["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert "pull_request" not in triggers


def test_pages_builds_with_the_readme_build_command_and_uploads_site():
    workflow = load(PAGES)
    build = workflow["jobs"]["build"]
    commands = [line.strip() for step in build["steps"] if "run" in step for line in step["run"].splitlines()]
    assert readme_command("build") in commands
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"


def test_pages_deploys_with_the_official_action_after_the_build():
    workflow = load(PAGES)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


@pytest.mark.parametrize("workflow", [CI, PAGES], ids=lambda p: p.name)
def test_workflow_uses_only_github_actions_pinned_to_a_major_version(workflow):
    for ref in uses(load(workflow)):
        assert re.fullmatch(r"actions/[a-z-]+@v\d+", ref), ref


@pytest.mark.parametrize("workflow", [CI, PAGES], ids=lambda p: p.name)
def test_workflow_builds_on_the_same_debian_and_node_as_a_developer(workflow):
    data = load(workflow)
    first_job = next(iter(data["jobs"].values()))
    assert first_job["container"] == "debian:12"
    node = next(s for s in first_job["steps"] if s.get("uses", "").startswith("actions/setup-node@"))
    required = json.loads((ROOT / "package.json").read_text())["engines"]["node"]
    assert required == f">={node['with']['node-version']}"

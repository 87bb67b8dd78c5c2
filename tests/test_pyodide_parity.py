"""Parity: the same session transcripts give byte-identical JSON in CPython and in real Pyodide.

One Node process (scripts/pyodide_run.mjs) loads the runtime the site ships (the pinned
Pyodide with its standard library trimmed to the engine's import trace) once and installs
the same wheel; every transcript goes through it, so a module the trace missed fails here.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest
from engine.simulator import engine_policy

from diag import Answered, Session, Tried, bridge, default_model, encode
from diag.knowledge import DONT_KNOW

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "scripts" / "pyodide_run.mjs"
pytestmark = [pytest.mark.pyodide, pytest.mark.slow]


def walks(count, seed):
    """Engine-driven sessions with random answers and outcomes (some "don't know" and skips)."""
    model = default_model()
    policy = engine_policy(model)
    rng = random.Random(seed)
    result = []
    for _ in range(count):
        session = Session()
        for _ in range(rng.randint(0, 14)):
            kind, ident = policy(session)
            if kind == "ask":
                answers = [a.id for a in model.question(ident).answers] + [DONT_KNOW]
                session = session.add(Answered(ident, rng.choice(answers)))
            else:
                session = session.add(Tried(ident, rng.choice(["failed", "failed", "skipped", "fixed"])))
                if session.events[-1].outcome == "fixed" or model.fix(ident).escalation:
                    break
        result.append(session)
    return result


def transcripts():
    """(call, argument) pairs: valid sessions, vignettes, links, and invalid input."""
    model = default_model()
    sessions = walks(40, seed=11)
    vignettes = tomllib.loads((ROOT / "tests" / "engine" / "vignettes.toml").read_text(encoding="utf-8"))
    sessions += [Session(tuple(Answered(q, a) for q, a in v["answers"].items())) for v in vignettes["vignette"]]
    calls = [("catalog", "")]
    calls += [("next_step", json.dumps(s.to_json())) for s in sessions]
    calls += [("encode", json.dumps(s.to_json())) for s in sessions[:10]]
    calls += [("decode", encode(model, s)) for s in sessions[:10]]
    calls += [
        ("next_step", "not json"),
        ("next_step", '{"events": [{"question": "symptom", "answer": "purple"}]}'),
        ("next_step", '{"events": [{"fix": "restart", "outcome": "fixed"}, {"fix": "restart", "outcome": "failed"}]}'),
        ("decode", "v1.AAAAAAAAAA"),
        ("decode", "v2.AAAA"),
        ("decode", "#s=" + encode(model, sessions[0])),
    ]
    return calls


def shipped_runtime(site_dir: Path) -> Path:
    """The site's Pyodide runtime directory (assets/pyodide/<version>/), as the browser gets it."""
    version = json.loads((site_dir / "assets" / "diag" / "manifest.json").read_text())["pyodide"]
    return site_dir / "assets" / "pyodide" / version


def run_in_pyodide(site_dir: Path, lines: list[str]) -> list[dict]:
    """Replies of scripts/pyodide_run.mjs on the shipped runtime and wheel: the header line, then one per line."""
    if shutil.which("node") is None or not (ROOT / "node_modules" / "pyodide").is_dir():
        pytest.fail("Node and node_modules/pyodide are required (run `make setup`)")
    (wheel,) = sorted((site_dir / "assets" / "diag").glob("diag-*.whl"))[-1:]
    result = subprocess.run(
        ["node", str(RUNNER), str(wheel), str(shipped_runtime(site_dir))],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=ROOT,
    )
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def pyodide_replies(site_dir):
    calls = transcripts()
    lines = [json.dumps({"call": call, "arg": arg}) for call, arg in calls]
    out = run_in_pyodide(site_dir, lines)
    header, replies = out[0], out[1:]
    assert header["ready"]
    assert header["python"].startswith("3.14")
    assert len(replies) == len(calls)
    return header, list(zip(calls, replies, strict=True))


def native(call, arg):
    return bridge.catalog() if call == "catalog" else getattr(bridge, call)(arg)


def test_pyodide_really_runs_python_3_14(pyodide_replies):
    """Assert the parity run used Pyodide's own Python (3.14), not the native 3.11."""
    header, _ = pyodide_replies
    assert header["pyodide"] == json.loads((ROOT / "node_modules" / "pyodide" / "package.json").read_text())["version"]


def test_every_transcript_gives_identical_json(pyodide_replies):
    """Assert each bridge reply is byte-identical in CPython and in Pyodide."""
    _, pairs = pyodide_replies
    mismatches = []
    for (call, arg), reply in pairs:
        assert reply["ok"], reply
        if reply["out"] != native(call, arg):
            mismatches.append((call, arg[:80]))
    assert not mismatches


def test_transcripts_cover_questions_steps_escalation_and_errors(pyodide_replies):
    """Assert the transcripts exercise asks, plans, finished sessions and error replies."""
    _, pairs = pyodide_replies
    results = [json.loads(reply["out"]) for (call, _), reply in pairs if call == "next_step"]
    assert any(r["ok"] and r["result"]["ask"] for r in results)
    assert any(r["ok"] and not r["result"]["ask"] and not r["result"]["done"] for r in results)
    assert any(r["ok"] and r["result"]["done"] for r in results)
    assert any(not r["ok"] for r in results)


BYTECODE_CHECK = """
import importlib.util, json, pathlib, diag
offenders = []
for source in sorted(pathlib.Path(diag.__file__).parent.glob("*.py")):
    cached = pathlib.Path(importlib.util.cache_from_source(str(source)))
    pyc = cached.read_bytes() if cached.is_file() else b""
    checked_hash = int.from_bytes(pyc[4:8], "little") == 3
    fresh = pyc[8:16] == importlib.util.source_hash(source.read_bytes())
    if not (pyc[:4] == importlib.util.MAGIC_NUMBER and checked_hash and fresh):
        offenders.append(source.name)
json.dumps({"modules": len(list(pathlib.Path(diag.__file__).parent.glob("*.py"))), "offenders": offenders})
"""


def test_pyodide_imports_diag_from_the_wheels_own_bytecode(site_dir):
    """Assert the wheel gives Pyodide a hash-checked .pyc matching every diag module's source."""
    reply = run_in_pyodide(site_dir, [json.dumps({"python": BYTECODE_CHECK})])[1]
    assert reply["ok"], reply
    report = json.loads(reply["out"])
    assert report["modules"] >= 10
    assert report["offenders"] == []


def test_the_shipped_standard_library_is_trimmed_to_the_engines_imports(site_dir):
    """Assert the runtime the site ships (and the parity run uses) lacks modules the engine never imports."""
    shipped = zipfile.ZipFile(shipped_runtime(site_dir) / "python_stdlib.zip").namelist()
    pinned = zipfile.ZipFile(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip").namelist()
    assert "json/__init__.py" in shipped
    assert "encodings/utf_8.py" in shipped
    assert not any(name.startswith(("email/", "sqlite3/", "unittest/", "xml/")) for name in shipped)
    assert len(shipped) < len(pinned) / 3


def test_a_module_left_out_of_the_trimmed_runtime_fails_to_import(site_dir):
    """Assert the parity runtime really is the trimmed one: a stdlib module outside the trace is missing there."""
    reply = run_in_pyodide(site_dir, [json.dumps({"python": "import email.message"})])[1]
    assert not reply["ok"]
    assert "loading-packages" in reply["error"] or "No module named" in reply["error"]


def test_the_shipped_runtime_has_no_lock_file_and_the_manifest_carries_its_header(site_dir):
    """Assert the engine's runtime directory ships no pyodide-lock.json; the manifest has the header Pyodide checks."""
    assert not (shipped_runtime(site_dir) / "pyodide-lock.json").exists()
    manifest = json.loads((site_dir / "assets" / "diag" / "manifest.json").read_text())
    pinned = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text())
    assert manifest["lock"] == pinned["info"]

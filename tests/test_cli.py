"""The command line contract: `python -m diag catalog` and `python -m diag next`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def run(tmp_path, *args, stdin=""):
    # Run from a directory without diag/ so the installed wheel is what runs.
    return subprocess.run(
        [sys.executable, "-m", "diag", *args], input=stdin, capture_output=True, text=True, cwd=tmp_path, check=False
    )


def test_catalog_prints_questions_fixes_and_causes(tmp_path):
    """Assert `catalog` prints JSON with exactly the contract's keys."""
    result = run(tmp_path, "catalog")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"questions", "fixes", "causes"}
    assert set(data["questions"][0]) == {"id", "text", "answers"}
    assert set(data["questions"][0]["answers"][0]) == {"id", "text"}
    assert set(data["fixes"][0]) == {"id", "title", "minutes", "article"}
    assert set(data["causes"][0]) == {"id", "title"}


def test_next_on_empty_session_asks_the_symptom_question(tmp_path):
    """Assert `next` with no events returns the contract's keys and asks the symptom question."""
    result = run(tmp_path, "next", stdin='{"events": []}')
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"ask", "plan", "causes", "escalate", "expected_minutes", "done"}
    assert data["ask"]["id"] == "symptom"
    assert set(data["plan"][0]) == {"id", "title", "probability", "minutes"}
    assert set(data["causes"][0]) == {"id", "probability"}
    assert data["done"] is False


def test_next_after_fixed_is_done(tmp_path):
    """Assert a fixed outcome gives done = true and no question."""
    events = [{"question": "symptom", "answer": "red-not-delivered"}, {"fix": "restart", "outcome": "fixed"}]
    data = json.loads(run(tmp_path, "next", stdin=json.dumps({"events": events})).stdout)
    assert data["done"] is True
    assert data["ask"] is None


@pytest.mark.parametrize(
    "stdin",
    [
        "not json",
        "[]",
        '{"events": {}}',
        '{"events": [{"question": "symptom"}]}',
        '{"events": [{"question": "symptom", "answer": "purple"}]}',
        '{"events": [{"fix": "restart", "outcome": "maybe"}]}',
        '{"events": [], "extra": 1}',
    ],
)
def test_next_rejects_invalid_input_with_status_2_and_one_line(tmp_path, stdin):
    """Assert invalid input exits 2 with a single line on stderr and nothing on stdout."""
    result = run(tmp_path, "next", stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_interactive_mode_walks_to_a_fix(tmp_path):
    """Assert the terminal troubleshooter asks, accepts answers and ends on "fixed"."""
    result = run(tmp_path, stdin="1\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0\n0\nf\n")
    assert result.returncode == 0, result.stderr
    assert "What do you see?" in result.stdout
    assert "Done." in result.stdout


def test_interactive_mode_back_and_quit(tmp_path):
    """Assert b goes back to the previous question and q quits cleanly."""
    result = run(tmp_path, stdin="1\nb\nq\n")
    assert result.returncode == 0
    assert result.stdout.count("\nWhat do you see?\n") == 2

"""Benchmark of the guide's words: how easy the step texts of every fix page are to read.

Reads the built site (site/fixes/*/index.html, built by `make bench` first), takes the
text of each page's "Steps" section (the numbered steps, without the drawn Settings
figures and the "Which iOS do I have?" tip) and scores it with textstat: Flesch
Reading Ease (higher is easier; 60-70 is plain English) and the Flesch-Kincaid grade
(the US school grade that can read it). The guide aims at grade 8 or easier.
"""

from __future__ import annotations

import re
import statistics
from html import unescape
from pathlib import Path

import textstat

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
TARGET_GRADE = 8.0
"""Steps should read at about US grade 8 or easier (GOV.UK aims lower still)."""

STEPS = re.compile(r'<h2 id="steps".*?</h2>(.*?)(?=<h2 |</article>)', re.S)
DROPPED = re.compile(r"<figure\b.*?</figure>|<details\b.*?</details>|<svg\b.*?</svg>", re.S)


def steps_text(html: str) -> str:
    """The plain text of a page's Steps section: one sentence per list item at least."""
    match = STEPS.search(html)
    if match is None:
        return ""
    body = DROPPED.sub(" ", match.group(1))
    body = re.sub(r"</li>|</p>", ". ", body)
    text = unescape(re.sub(r"<[^>]+>", " ", body))
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"(?:\s*\.){2,}", ".", text).strip()


def score(text: str) -> tuple[float, float, int, float]:
    """(Flesch Reading Ease, Flesch-Kincaid grade, words, words per sentence) of `text`."""
    words = textstat.lexicon_count(text)
    sentences = max(1, textstat.sentence_count(text))
    return textstat.flesch_reading_ease(text), textstat.flesch_kincaid_grade(text), words, words / sentences


def run() -> list[tuple[str, list[str], list[list[str]]]]:
    """One row per fix page, hardest first, and a summary table."""
    rows = []
    for page in sorted((SITE / "fixes").glob("*/index.html")):
        text = steps_text(page.read_text(encoding="utf-8"))
        if not text:
            continue
        ease, grade, words, per_sentence = score(text)
        rows.append((page.parent.name, ease, grade, words, per_sentence))
    if not rows:
        raise RuntimeError(f"no fix page with a Steps section under {SITE / 'fixes'}: build the site first")
    rows.sort(key=lambda row: -row[2])
    grades = [row[2] for row in rows]
    over = [row for row in rows if row[2] > TARGET_GRADE]
    per_page = [
        [name, f"{ease:.0f}", f"{grade:.1f}", str(words), f"{per_sentence:.1f}", "over" if grade > TARGET_GRADE else ""]
        for name, ease, grade, words, per_sentence in rows
    ]
    summary = [
        ["fix pages scored", str(len(rows))],
        ["median Flesch-Kincaid grade", f"{statistics.median(grades):.1f}"],
        ["median Flesch Reading Ease", f"{statistics.median(row[1] for row in rows):.0f}"],
        [f"pages over grade {TARGET_GRADE:.0f}", f"{len(over)} of {len(rows)}"],
        ["hardest page", f"{rows[0][0]} (grade {rows[0][2]:.1f})"],
    ]
    return [
        ("Reading ease of the fix pages' steps (textstat; hardest first)",
         ["page", "reading ease", "grade", "words", "words/sentence", f"> grade {TARGET_GRADE:.0f}"], per_page),
        ("Reading ease of the steps: summary", ["measure", "value"], summary),
    ]  # fmt: skip

"""The knowledge model: the packaged file loads, links every fix page, and bad files fail clearly."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import textstat
from engine.fixtures import ARTICLES, TINY, tiny_model

import diag
from diag.articles import load_articles
from diag.errors import ModelError
from diag.knowledge import default_model, load

ROOT = Path(__file__).resolve().parent.parent


def test_diag_is_imported_from_the_installed_wheel():
    """Assert the tests exercise the installed wheel in site-packages, not the source tree."""
    assert "site-packages" in Path(diag.__file__).parts
    assert Path(diag.__file__).resolve().parent != ROOT / "diag"


def test_packaged_model_has_the_fact_base_causes_and_an_escape_hatch():
    """Assert causes C1-C35 and S23 are present (C29, a child's account, is C27's fix), plus "something else"."""
    codes = {c.code for c in default_model().causes}
    assert codes == ({f"C{i}" for i in range(36)} - {"C29"}) | {"S23"}
    assert default_model().cause("something-else").prior > 0


PART_TWO_PAGES = {
    "choose-your-line",
    "free-up-icloud-storage",
    "screen-time-restrictions",
    "managed-device",
    "reconnect-apple-watch",
    "send-photos-and-videos",
    "messages-via-satellite",
    "receive-verification-codes",
    "verify-contact",
}
"""The fix pages issue 13 added for the fact base's part 2 situations (CONTRACTS §4)."""

PART_TWO_SYMPTOMS = {
    "wrong-number-dual-sim",
    "imessage-greyed-out",
    "apple-watch",
    "photos-videos-fail",
    "no-signal",
    "codes-missing",
    "leaving-iphone",
}
"""The pages the part 2 answers of the symptom question lead to."""


def test_every_part_two_fix_page_is_a_step_that_solves_something():
    """Assert each new fix page is linked by a step that solves at least one cause."""
    model = default_model()
    for article in PART_TWO_PAGES:
        steps = [f for f in model.fixes if f.article == article]
        assert steps, article
        assert all(step.solves for step in steps), article


def test_every_part_two_situation_is_a_symptom_answer():
    """Assert the first question offers an answer for each new situation, linking its page."""
    linked = {a.article for a in default_model().question("symptom").answers}
    assert linked >= PART_TWO_SYMPTOMS


def test_priors_sum_to_one():
    """Assert the prior is a probability distribution."""
    assert sum(c.prior for c in default_model().causes) == pytest.approx(1.0)


def test_every_fix_page_is_linked_by_a_step():
    """Assert each article of kind "fix" (F1-F45 that have a page) has a step whose article is that page."""
    model = default_model()
    fix_pages = {a.id for a in model.articles.values() if a.kind == "fix"}
    assert len(fix_pages) == 31 + len(PART_TWO_PAGES)
    assert fix_pages <= {f.article for f in model.fixes}


def test_fix_titles_come_from_the_article_registry():
    """Assert a fix's title is its article's title, and fix ids are article ids."""
    model = default_model()
    for fix in model.fixes:
        if fix.kind != "advice":
            assert fix.id == fix.article
            assert fix.title == model.articles[fix.article].title


def test_installed_model_matches_the_source_file():
    """Assert the wheel ships the same knowledge.toml as the source tree."""
    data = tomllib.loads((ROOT / "diag" / "knowledge.toml").read_text(encoding="utf-8"))
    assert [f["id"] for f in data["fix"]] == [f.id for f in default_model().fixes]


def test_installed_model_reads_the_parsed_copy_the_wheel_build_wrote():
    """Assert the wheel carries diag/parsed.json, so Pyodide never has to run tomllib."""
    assert (Path(diag.__file__).parent / "parsed.json").is_file()


def test_parsed_copy_gives_the_same_model_as_the_source_toml():
    """Assert the model from the wheel's parsed.json equals the model parsed from the TOML sources."""
    articles = load_articles((ROOT / "diag" / "articles.toml").read_text(encoding="utf-8"))
    from_source = load((ROOT / "diag" / "knowledge.toml").read_text(encoding="utf-8"), articles=articles)
    assert from_source == default_model()


def test_symptom_question_comes_first_and_maps_answers_to_symptom_pages():
    """Assert the first question is the symptom one; its answers link symptom pages (leaving iPhone: a people page)."""
    model = default_model()
    first = [q for q in model.questions if q.first]
    assert [q.id for q in first] == ["symptom"]
    kinds = {a.id: model.articles[a.article].kind for a in first[0].answers}
    assert {answer for answer, kind in kinds.items() if kind != "symptom"} == {"left-iphone"}
    linked = {a.article for a in first[0].answers}
    symptom_pages = {a.id for a in model.articles.values() if a.kind == "symptom"}
    assert symptom_pages - linked == {"one-contact-or-everyone"}
    assert model.question("scope").article == "one-contact-or-everyone"


def test_exactly_one_escalation_step_exists():
    """Assert the model has one escalation step and it links Apple Support."""
    assert default_model().escalation.id == "contact-apple-support"


def test_last_resorts_are_the_resets_erase_and_pairing_the_watch_again():
    """Assert the resets, erase and unpairing the Apple Watch (F39) are flagged as last resorts."""
    flagged = {f.id for f in default_model().fixes if f.last_resort}
    assert flagged == {"reset-network-settings", "reset-all-settings", "erase-iphone", "pair-apple-watch-again"}


def test_every_number_in_the_file_has_a_reason():
    """Assert each prior, cost, likelihood row and solve probability carries a reason string."""
    data = tomllib.loads((ROOT / "diag" / "knowledge.toml").read_text(encoding="utf-8"))
    for cause in data["cause"]:
        assert cause["reason"].strip()
    for question in data["question"]:
        assert question["cost_reason"].strip()
        for row in question["likelihood"].values():
            assert row["reason"].strip()
    for fix in data["fix"]:
        assert fix["minutes_reason"].strip()
        assert fix["surcharge_reason"].strip()
        for item in fix.get("solves", {}).values():
            assert item["reason"].strip()


def test_tiny_model_loads():
    """Assert the fixture model used by other tests is valid."""
    assert [c.id for c in tiny_model().causes] == ["x", "y", "z"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'x = { p = 0.99, reason = "fixes X" }',
            'w = { p = 0.99, reason = "fixes X" }',
            "fix 'fix-a' solves 'w': unknown cause",
        ),
        ("x = { is-x = 1.0,", "x = { is-x = 0.9,", "question 'which' likelihood 'x': sums to 0.900000, not 1"),
        ('article = "fix-b"', 'article = "nope"', "fix 'fix-b': links to unknown article 'nope'"),
        (
            'prior = 0.2\nreason = "least"',
            'prior = 1.2\nreason = "least"',
            "cause 'z': prior = 1.2 is outside [0.0, 1.0]",
        ),
        ('reason = "fixes Y"', 'reason = ""', "fix 'fix-b' solves 'y': p has no reason"),
        ('risk_note = "Low"', 'risk_note = "Low"\nstale = ["which"]', "fix 'fix-b': stale is no longer read"),
        ('who = "carrier"', 'who = "nobody"', "cause 'y': who must be one of"),
        (
            '{ id = "not-x", text = "Not X" }',
            '{ id = "not-x", text = "Not X", implies = { what = "x" } }',
            "question 'which' answer 'not-x' implies: names unknown question 'what'",
        ),
        (
            'risk_note = "Low"',
            'risk_note = "Low"\nnot_when = { which = ["maybe"] }\nnot_when_reason = "r"',
            "fix 'fix-b' not_when: question 'which' has no answer 'maybe'",
        ),
        (
            'risk_note = "Low"',
            'risk_note = "Low"\nonly_when = { which = ["is-x"] }',
            "fix 'fix-b': only_when has no only_when_reason",
        ),
        (
            'risk_note = "Low"',
            'risk_note = "Low"\nwho = "other-person"',
            "fix 'fix-b': a step with the other person needs message",
        ),
        (
            '{ id = "is-x", text = "X", article = "sym-x" }',
            '{ id = "is-x", text = "X", article = "sym-q" }',
            "links to unknown article 'sym-q'",
        ),
        (
            '{ id = "not-x", text = "Not X" }',
            '{ id = "not-x", text = "Not X", only_steps = ["fix-q"], only_steps_reason = "r" }',
            "question 'which' answer 'not-x' only_steps: unknown step 'fix-q'",
        ),
        (
            '{ id = "not-x", text = "Not X" }',
            '{ id = "not-x", text = "Not X", only_steps = ["fix-b"] }',
            "question 'which' answer 'not-x': only_steps has no only_steps_reason",
        ),
        ('risk = "low"', 'risk = "spicy"', "fix 'fix-b': risk must be one of"),
        ("minutes = 4\n", 'minutes = "four"\n', "fix 'fix-c': minutes must be a number"),
        (
            '{ id = "not-x", text = "Not X" }',
            '{ id = "not-x", text = "Not X", hint = "[[settings:fax-machine]]" }',
            "question 'which' answer 'not-x': hint names Settings path 'fax-machine', which diag/settings_paths.toml",
        ),
        (
            '{ id = "not-x", text = "Not X" }',
            '{ id = "not-x", text = "Not X", hint = "Settings › Apps › Messages" }',
            "question 'which' answer 'not-x': hint writes a Settings path by hand",
        ),
    ],
)
def test_invalid_entry_is_named_in_the_error(old, new, message):
    """Assert each kind of bad entry raises ModelError naming the file and the entry."""
    assert old in TINY
    with pytest.raises(ModelError) as caught:
        tiny_model(TINY.replace(old, new, 1))
    assert "tiny.toml" in str(caught.value)
    assert message in str(caught.value)


def test_only_steps_leaves_no_other_step_after_that_answer():
    """Assert an answer's only_steps rules out every other step (the escalation stays)."""
    text = TINY.replace(
        '{ id = "not-x", text = "Not X" }',
        '{ id = "not-x", text = "Not X", only_steps = ["fix-b"], only_steps_reason = "r" }',
        1,
    )
    model = tiny_model(text)
    allowed = [f.id for f in model.fixes if f.applies({"which": "not-x"})]
    assert allowed == ["fix-b", *(f.id for f in model.fixes if f.escalation)]
    assert all(f.applies({"which": "is-x"}) for f in model.fixes)


def test_every_offender_is_listed_at_once():
    """Assert two independent problems are both reported by one error."""
    text = TINY.replace('article = "fix-b"', 'article = "nope"').replace("prior = 0.3", "prior = 0.31")
    with pytest.raises(ModelError) as caught:
        tiny_model(text)
    problems = caught.value.problems
    assert "[[cause]]: priors sum to 1.010000, not 1" in problems
    assert "fix 'fix-b': links to unknown article 'nope'" in problems
    assert caught.value.source == "tiny.toml"


def test_cause_no_step_solves_is_an_orphan():
    """Assert a cause that nothing can fix is rejected as an orphan."""
    text = TINY.replace('z = { p = 0.99, reason = "fixes Z" }', "").replace(
        'z = { p = 0.5, reason = "half the time" }', ""
    )
    with pytest.raises(ModelError, match="cause 'z': orphan"):
        tiny_model(text)


def test_unlinked_fix_page_is_reported():
    """Assert a fix page in the registry that no step links is an error."""
    from diag.articles import Article

    articles = {**ARTICLES, "fix-d": Article("fix-d", "fix", "fixes/d.md", "Fix D")}
    with pytest.raises(ModelError, match="article 'fix-d': fix page not linked"):
        diag.load(TINY, articles=articles, source_name="tiny.toml")


def test_invalid_toml_names_the_file():
    """Assert a syntax error is a ModelError naming the source."""
    with pytest.raises(ModelError, match=re.escape("broken.toml: 1 problem(s): not valid TOML")):
        diag.load("[model", articles=ARTICLES, source_name="broken.toml")


def _strings(value):
    """Yield every string inside a parsed TOML value, depth first."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


# "turn iMessage off", "switch off iMessage", "toggling iMessage off" ... followed in the
# same sentence by a test or a try: each switch-on may cost an international SMS and up
# to a day of activation (A2, K2), so no step or hint may ask for it as a test.
IMESSAGE_OFF_FOR_A_TEST = re.compile(
    r"\b(turn|switch|toggl)\w*\s+(imessage\s+off|off\s+imessage)\b[^.!?]*\b(test|try|check|see)",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    "text",
    [
        "Try a friend with an Android phone, or turn iMessage off for one test",
        "Switch off iMessage to test whether texts work",
        "Toggle iMessage off and try again",
    ],
)
def test_the_imessage_off_for_a_test_pattern_catches_known_phrasings(text):
    """Assert the pattern below recognises the phrasings issue 13 found and close variants."""
    assert IMESSAGE_OFF_FOR_A_TEST.search(text)


def test_no_knowledge_text_tells_the_reader_to_switch_imessage_off_for_a_test():
    """Assert no text in knowledge.toml asks to turn iMessage off to test something (a switch-on may cost an SMS)."""
    data = tomllib.loads((ROOT / "diag" / "knowledge.toml").read_text(encoding="utf-8"))
    offenders = [text for text in _strings(data) if IMESSAGE_OFF_FOR_A_TEST.search(text)]
    assert not offenders


def _reader_texts():
    """(where, text) for every text of knowledge.toml that a reader sees in the widget or the CLI."""
    data = tomllib.loads((ROOT / "diag" / "knowledge.toml").read_text(encoding="utf-8"))
    for cause in data["cause"]:
        yield f"cause {cause['id']}", cause["title"]
        yield f"cause {cause['id']} admin", cause.get("admin", "")
    for question in data["question"]:
        yield f"question {question['id']}", question["text"]
        yield f"question {question['id']} hint", question.get("hint", "")
        for answer in question["answers"]:
            yield f"answer {question['id']}={answer['id']}", answer["text"]
            yield f"answer {question['id']}={answer['id']} hint", answer.get("hint", "")
    for fix in data["fix"]:
        yield f"fix {fix['id']} title", fix.get("title", "")
        yield f"fix {fix['id']} risk", fix["risk_note"]


def test_reader_texts_have_no_percentages_or_rates():
    """Assert no text a reader sees speaks in percentages or "per minute" (the numbers live in reasons)."""
    offenders = [(where, text) for where, text in _reader_texts() if re.search(r"%|per cent|per minute", text, re.I)]
    assert not offenders


def test_reader_texts_keep_sentences_short():
    """Assert every sentence a reader sees has at most 16 words (about grade 8, as the style guide asks)."""
    long = [
        (where, sentence)
        for where, text in _reader_texts()
        for sentence in re.split(r"(?<=[.!?;])\s+", text)
        if len(sentence.split()) > 16
    ]
    assert not long


def test_no_text_says_the_duplicate_sim_fix_needs_an_update():
    """Assert no knowledge text ties the iOS 26 duplicate-SIM fix to iOS 26.1 (Apple's fix needs no update)."""
    data = tomllib.loads((ROOT / "diag" / "knowledge.toml").read_text(encoding="utf-8"))
    assert not [text for text in _strings(data) if "26.1" in text]


def test_reset_network_settings_warns_that_data_roaming_may_turn_off():
    """Assert the reset's risk note says roaming may go off, which a traveller abroad must know (A14, A25)."""
    assert "Data Roaming" in default_model().fix("reset-network-settings").risk_note


def test_reader_texts_read_at_grade_eight_or_easier():
    """Assert the widget's texts from knowledge.toml, taken together, score Flesch-Kincaid grade 8 or lower."""
    text = ". ".join(t.rstrip(".?") for _, t in _reader_texts() if t) + "."
    assert textstat.flesch_kincaid_grade(text) <= 8.0

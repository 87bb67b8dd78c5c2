"""The "Find my fix" widget in Debian's Chromium: real Pyodide, the real diag wheel, the built site.

Each test opens the widget page served on 127.0.0.1, drives it like a person
would, and compares what the page shows with what the same engine (the wheel
installed natively) says for the same answers. Every test ends by asserting
that no request left 127.0.0.1.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from conftest import ROOT, RequestLog, describe_violations, record_requests

pytestmark = [pytest.mark.browser, pytest.mark.pyodide]

READY_TIMEOUT_MS = 60_000
WIDGET = "#find-my-fix"


@pytest.fixture
def context(chromium):
    """A fresh context at phone width with service workers blocked.

    The offline service worker precaches the whole site (Pyodide included) from any page; it has its
    own tests. Blocking it here keeps each test to what the page itself loads. One test below runs a
    session with the service worker allowed.
    """
    ctx = chromium.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=1, service_workers="block")
    yield ctx
    ctx.close()


# --- The engine, natively -------------------------------------------------------------------------


def native(name: str, *args: str) -> dict:
    """Call diag.bridge natively (the wheel the browser also runs) and return its result."""
    from diag import bridge

    reply = json.loads(getattr(bridge, name)(*args))
    assert reply["ok"], reply
    return reply["result"]


def native_next(events: list[dict]) -> dict:
    return native("next_step", json.dumps({"events": events}))


def first_question() -> dict:
    return native_next([])["ask"]


def symptom_answer(article: str) -> str:
    """The first-question answer whose article is `article` (a symptom page id)."""
    return next(a["id"] for a in first_question()["answers"] if a.get("article") == article)


def is_dont_know(answer: dict) -> bool:
    return answer["id"] in {"unknown", "dont-know", "not-sure"} or "know" in answer["text"].lower()


# --- Driving the page ------------------------------------------------------------------------------


def open_widget(page, site_url: str, fragment: str = "") -> None:
    page.goto(f"{site_url}find-my-fix/{fragment}")


def wait_engine(page, state: str = "ready") -> None:
    page.wait_for_selector(f'{WIDGET}[data-engine="{state}"]', timeout=READY_TIMEOUT_MS)


def wait_step(page, step: int) -> None:
    page.wait_for_selector(f'{WIDGET}[data-step="{step}"]', timeout=10_000)


def current_question(page) -> str | None:
    form = page.locator(f"{WIDGET} [data-diag-question]:visible")
    return form.get_attribute("data-question") if form.count() else None


def answer(page, answer_id: str, step: int) -> None:
    """Pick an answer by clicking its label, press Continue, wait for the plan of `step`."""
    form = page.locator(f"{WIDGET} [data-diag-question]")
    form.locator(f'.diag-radio[data-answer="{answer_id}"] label').click()
    form.get_by_role("button", name="Continue").click()
    wait_step(page, step)


def plan_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        f"{WIDGET} [data-diag-plan] li.diag-step", "items => items.map(li => li.dataset.fix)"
    )


def mark(page, fix: str, label: str, step: int) -> None:
    outcomes = page.locator(f'{WIDGET} [data-diag-plan] li[data-fix="{fix}"] .diag-outcomes')
    outcomes.get_by_role("button", name=label).click()
    wait_step(page, step)


def assert_no_axe_violations(page) -> None:
    """Run axe-core on the widget (#find-my-fix) and fail with one line per violation."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page, context=WIDGET).response["violations"]
    assert violations == [], describe_violations(violations)


def play_session(page, symptom: str, choose) -> list[dict]:
    """Answer the symptom, then every question the engine asks with `choose(ask)`; return the events."""
    events = [{"question": "symptom", "answer": symptom}]
    answer(page, symptom, 1)
    while (asked := current_question(page)) is not None and len(events) < 12:
        ask = native_next(events)["ask"]
        assert ask["id"] == asked
        chosen = choose(ask)
        events.append({"question": asked, "answer": chosen})
        answer(page, chosen, len(events))
    return events


# --- Complete sessions -----------------------------------------------------------------------------

SESSIONS = [
    # (symptom page, how the person answers the follow-up questions)
    ("not-delivered", "first"),
    ("no-delivered-status", "first"),
    ("green-bubbles", "last"),
    ("waiting-for-activation", "first"),
    ("delivered-not-received", "dont-know"),
    ("text-message-failed", "last"),
]


def _chooser(style: str):
    def choose(ask: dict) -> str:
        real = [a for a in ask["answers"] if not is_dont_know(a)]
        if style == "first":
            return real[0]["id"]
        if style == "last":
            return real[-1]["id"]
        return next(a["id"] for a in ask["answers"] if is_dont_know(a))

    return choose


@pytest.mark.parametrize(("symptom_page", "style"), SESSIONS)
def test_complete_session_reaches_the_engines_first_fix(page, site_url, requests_log, symptom_page, style):
    """Assert a whole session from a symptom ends with the first fix the engine ranks for those answers."""
    open_widget(page, site_url)
    wait_engine(page)
    events = play_session(page, symptom_answer(symptom_page), _chooser(style))
    expected = native_next(events)
    assert expected["ask"] is None or len(events) >= 12
    shown = plan_ids(page)
    assert shown[0] == expected["plan"][0]["id"]
    assert shown == [step["id"] for step in expected["plan"]]
    first = page.locator(f"{WIDGET} li.diag-step").first
    assert first.locator(".diag-step__title").inner_text() == expected["plan"][0]["title"]
    assert requests_log.foreign == []


def test_answer_given_before_the_engine_is_ready_is_applied_when_it_is(context, site_url, requests_log):
    """Assert the first question works while Pyodide loads, and the answer is used once it has."""
    held = []
    context.route("**/*.wasm", lambda route: (requests_log.record(route.request.url), held.append(route)))
    page = context.new_page()
    open_widget(page, site_url)
    symptom = symptom_answer("not-delivered")
    page.locator(f'{WIDGET} .diag-radio[data-answer="{symptom}"] label').click()
    page.locator(WIDGET).get_by_role("button", name="Continue").click()
    assert page.locator(WIDGET).get_attribute("data-engine") == "loading"
    assert "as soon as" in page.locator(f"{WIDGET} [data-diag-status]").inner_text()
    while not held:
        page.wait_for_timeout(50)
    held[0].continue_()
    wait_engine(page)
    wait_step(page, 1)
    expected = native_next([{"question": "symptom", "answer": symptom}])
    assert plan_ids(page)[0] == expected["plan"][0]["id"]
    assert current_question(page) == (expected["ask"] or {}).get("id")
    assert requests_log.foreign == []


# --- Moving around -----------------------------------------------------------------------------------


def test_back_returns_to_the_previous_question_and_plan(page, site_url, requests_log):
    """Assert Back undoes the last answer: the earlier question and plan come back."""
    open_widget(page, site_url)
    wait_engine(page)
    # A symptom the engine always follows with a question ("Which device has the problem?").
    symptom = symptom_answer("cannot-receive")
    answer(page, symptom, 1)
    second = current_question(page)
    ask = native_next([{"question": "symptom", "answer": symptom}])["ask"]
    answer(page, ask["answers"][0]["id"], 2)
    page.locator(WIDGET).get_by_role("button", name="Back").click()
    wait_step(page, 1)
    assert current_question(page) == second
    assert plan_ids(page)[0] == native_next([{"question": "symptom", "answer": symptom}])["plan"][0]["id"]
    assert page.evaluate("document.activeElement.closest('legend') !== null")
    assert requests_log.foreign == []


def test_start_over_forgets_every_answer(page, site_url, requests_log):
    """Assert Start over returns to the first question with the general plan, and clears the saved session."""
    open_widget(page, site_url)
    wait_engine(page)
    answer(page, symptom_answer("green-bubbles"), 1)
    page.locator(WIDGET).get_by_role("button", name="Start over").first.click()
    wait_step(page, 0)
    assert current_question(page) == "symptom"
    assert page.locator(f"{WIDGET} input[name=answer]:checked").count() == 0
    assert plan_ids(page)[: len(native_next([])["plan"])] == [s["id"] for s in native_next([])["plan"]]
    assert page.evaluate("localStorage.length") == 0 or page.evaluate(
        "!Object.keys(localStorage).some(k => k.includes('find-my-fix.v1'))"
    )
    assert "#s=" not in page.url
    assert requests_log.foreign == []


def test_didnt_help_moves_the_step_out_and_reranks_the_plan(page, site_url, requests_log):
    """Assert marking the top step "Didn't help" re-ranks the plan exactly as the engine does."""
    open_widget(page, site_url)
    wait_engine(page)
    symptom = symptom_answer("not-delivered")
    answer(page, symptom, 1)
    top = plan_ids(page)[0]
    mark(page, top, "Didn't help", 2)
    events = [{"question": "symptom", "answer": symptom}, {"fix": top, "outcome": "failed"}]
    expected = native_next(events)
    assert plan_ids(page) == [s["id"] for s in expected["plan"]]
    assert plan_ids(page)[0] != top
    progress = page.locator(f"{WIDGET} [data-diag-progress]").inner_text()
    # The widget rounds half up (Math.round); Python's round() would round 36.5 to the even 36.
    assert f"about {max(1, math.floor(expected['expected_minutes'] + 0.5))} minutes" in progress
    assert requests_log.foreign == []


def test_why_this_step_shows_the_causes_behind_it(page, site_url, requests_log):
    """Assert "Why this step?" opens and names at least one cause the engine gives for the step."""
    open_widget(page, site_url)
    wait_engine(page)
    symptom = symptom_answer("not-delivered")
    answer(page, symptom, 1)
    first = page.locator(f"{WIDGET} li.diag-step").first
    first.get_by_text("Why this step?").click()
    why = first.locator(".diag-why").inner_text()
    step = native_next([{"question": "symptom", "answer": symptom}])["plan"][0]
    assert step["why"] in why
    assert "What your answers changed" in why
    causes = [c["title"] for c in native_next([{"question": "symptom", "answer": symptom}])["causes"]]
    assert any(title.lower() in why.lower() for title in causes)
    assert requests_log.foreign == []


def test_steps_inline_follow_the_chosen_ios_version(page, site_url, requests_log, site_dir: Path):
    """Assert a step's instructions are shown inline, and switching iOS version switches the tab shown."""
    open_widget(page, site_url)
    wait_engine(page)
    answer(page, symptom_answer("not-delivered"), 1)
    body = page.locator(f"{WIDGET} li.diag-step").first.locator(".diag-howto__body")
    body.locator("ol, ul, p").first.wait_for()
    assert body.locator("script").count() == 0
    page.select_option("#diag-ios", "17")
    with_tabs = page.evaluate(
        "() => [...document.querySelectorAll('#find-my-fix .diag-tab__label')].map(n => n.textContent)"
    )
    assert all(label == "iOS 17 and earlier" for label in with_tabs)
    assert requests_log.foreign == []


# --- Share link and reload -------------------------------------------------------------------------


def test_share_link_restores_the_session_in_a_new_browser(page, site_url, requests_log, chromium):
    """Assert the share link, opened in a fresh context, shows the same question and plan."""
    open_widget(page, site_url)
    wait_engine(page)
    symptom = symptom_answer("no-delivered-status")
    answer(page, symptom, 1)
    top = plan_ids(page)[0]
    mark(page, top, "Couldn't do it", 2)
    link = page.locator("#diag-share-url").input_value()
    assert "#s=" in link
    other = chromium.new_context(viewport={"width": 375, "height": 812})
    log = RequestLog()
    other.route("**/*", lambda route: (log.record(route.request.url), route.continue_()))
    fresh = other.new_page()
    fresh.goto(link)
    wait_engine(fresh)
    wait_step(fresh, 2)
    assert plan_ids(fresh) == plan_ids(page)
    assert current_question(fresh) == current_question(page)
    other.close()
    assert requests_log.foreign == []
    assert log.foreign == []


def test_tampered_share_link_says_so_and_starts_afresh(page, site_url, requests_log):
    """Assert a damaged #s= link gives a readable message, a Start over button, and a fresh first question."""
    open_widget(page, site_url)
    wait_engine(page)
    answer(page, symptom_answer("not-delivered"), 1)
    link = page.locator("#diag-share-url").input_value()
    session = link.split("#s=", 1)[1]
    tampered = session[:-3] + ("AAA" if not session.endswith("AAA") else "BBB")
    page.evaluate("localStorage.clear()")
    page.goto("about:blank")
    open_widget(page, site_url, f"#s={tampered}")
    wait_engine(page)
    message = page.locator(f"{WIDGET} [data-diag-message]")
    message.wait_for()
    assert "could not be restored" in message.inner_text()
    assert message.get_by_role("button", name="Start over").is_visible()
    wait_step(page, 0)
    assert current_question(page) == "symptom"
    assert "#s=" not in page.url
    assert requests_log.foreign == []


def test_reload_restores_the_session(page, site_url, requests_log):
    """Assert reloading the page brings back the same answers, question and plan."""
    open_widget(page, site_url)
    wait_engine(page)
    answer(page, symptom_answer("green-bubbles"), 1)
    before = (current_question(page), plan_ids(page))
    page.goto(f"{site_url}find-my-fix/")  # no fragment: localStorage alone must restore it
    wait_engine(page)
    wait_step(page, 1)
    assert (current_question(page), plan_ids(page)) == before
    assert requests_log.foreign == []


def test_start_from_this_symptom_link_preanswers_the_symptom(page, site_url, requests_log):
    """Assert the symptom page's "Start from this symptom" opens the widget with that symptom answered."""
    page.goto(f"{site_url}symptoms/waiting-for-activation/")
    page.get_by_role("link", name="Start from this symptom").click()
    wait_engine(page)
    wait_step(page, 1)
    symptom = symptom_answer("waiting-for-activation")
    expected = native_next([{"question": "symptom", "answer": symptom}])
    assert plan_ids(page)[0] == expected["plan"][0]["id"]
    assert current_question(page) == (expected["ask"] or {}).get("id")
    assert requests_log.foreign == []


# --- Endings -----------------------------------------------------------------------------------------


def test_this_fixed_it_ends_with_a_summary_of_what_was_tried(page, site_url, requests_log):
    """Assert "This fixed it" shows a summary listing the answer and the fix, in order."""
    open_widget(page, site_url)
    wait_engine(page)
    answer(page, symptom_answer("not-delivered"), 1)
    top = page.locator(f"{WIDGET} li.diag-step").first
    title = top.locator(".diag-step__title").inner_text()
    mark(page, plan_ids(page)[0], "This fixed it", 2)
    summary = page.locator(f"{WIDGET} [data-diag-summary]")
    assert summary.is_visible()
    items = summary.locator("li").all_inner_texts()
    assert items[0].startswith("Asked")
    assert title in items[1]
    assert "fixed it" in items[1]
    assert summary.get_by_role("button", name="Copy summary").is_visible()
    assert summary.get_by_role("button", name="Print").is_visible()
    assert requests_log.foreign == []


def test_giving_up_shows_a_summary_for_carrier_or_apple(page, site_url, requests_log):
    """Assert "Stop here and get a summary" lists every step tried, in order, for staff to read."""
    open_widget(page, site_url)
    wait_engine(page)
    answer(page, symptom_answer("waiting-for-activation"), 1)
    tried = []
    for step in (2, 3):
        fix = plan_ids(page)[0]
        tried.append(page.locator(f'{WIDGET} [data-diag-plan] li[data-fix="{fix}"] .diag-step__title').inner_text())
        mark(page, fix, "Didn't help", step)
    page.get_by_role("button", name="Stop here and get a summary").click()
    summary = page.locator(f"{WIDGET} [data-diag-summary]")
    items = summary.locator("li").all_inner_texts()
    assert [t for t in tried if any(t in item and "didn't help" in item for item in items)] == tried
    assert "carrier" in summary.inner_text()
    assert requests_log.foreign == []


def test_the_engine_escalates_after_the_safe_steps_run_out(page, site_url, requests_log):
    """Assert that when the engine escalates, the summary appears without being asked for."""
    open_widget(page, site_url)
    wait_engine(page)
    symptom = symptom_answer("not-delivered")
    answer(page, symptom, 1)
    events = [{"question": "symptom", "answer": symptom}]
    while not native_next(events)["escalate"] and len(events) < 40:
        result = native_next(events)
        if result["ask"]:
            choice = next(a["id"] for a in result["ask"]["answers"] if is_dont_know(a))
            events.append({"question": result["ask"]["id"], "answer": choice})
            answer(page, choice, len(events))
        else:
            fix = result["plan"][0]["id"]
            events.append({"fix": fix, "outcome": "failed"})
            mark(page, fix, "Didn't help", len(events))
    assert native_next(events)["escalate"]
    summary = page.locator(f"{WIDGET} [data-diag-summary]")
    assert summary.is_visible()
    assert_no_axe_violations(page)
    assert requests_log.foreign == []


# --- Without the engine -------------------------------------------------------------------------------


@pytest.fixture
def no_js_page(chromium):
    ctx = chromium.new_context(viewport={"width": 375, "height": 812}, java_script_enabled=False)
    log = RequestLog()
    ctx.route("**/*", lambda route: (log.record(route.request.url), route.continue_()))
    page = ctx.new_page()
    page.request_log = log
    yield page
    ctx.close()


def test_with_javascript_off_the_page_shows_the_ordered_checklist(no_js_page, site_url):
    """Assert that with JavaScript disabled the first question and the general ordered checklist are there."""
    page = no_js_page
    open_widget(page, site_url)
    assert page.locator(f"{WIDGET} fieldset legend").first.inner_text() == first_question()["text"]
    links = page.eval_on_selector_all(f"{WIDGET} [data-diag-steps] li.diag-step", "l => l.map(x => x.dataset.fix)")
    expected = [s["id"] for s in native_next([])["plan"]]
    assert links == expected[: len(links)]
    assert len(links) >= 5
    assert page.locator(f"{WIDGET} noscript").count() == 1
    assert not any(u.endswith(".wasm") or "pyodide" in u for u in page.request_log.urls)
    assert page.request_log.foreign == []


@pytest.mark.parametrize("blocked", ["**/*.wasm", "**/diag-worker.js"])
def test_blocked_engine_says_so_and_keeps_the_checklist(context, requests_log, site_url, blocked):
    """Assert a blocked wasm file or worker gives data-engine="failed", a plain message, and the checklist."""
    context.route(blocked, lambda route: (requests_log.record(route.request.url), route.abort()))
    page = context.new_page()
    open_widget(page, site_url)
    wait_engine(page, "failed")
    status = page.locator(f"{WIDGET} [data-diag-status]").inner_text()
    assert "could not start" in status
    assert "checklist" in status
    assert page.locator(f"{WIDGET} [data-diag-steps] li.diag-step").count() >= 5
    assert page.locator(f"{WIDGET} [data-diag-static]").is_visible()
    assert_no_axe_violations(page)
    assert requests_log.foreign == []


def test_damaged_wheel_download_is_refused_with_a_message(context, requests_log, site_url, site_dir):
    """Assert a wheel whose bytes do not match the manifest's SHA-256 is not installed: failure message, checklist."""
    wheel = next((site_dir / "assets" / "diag").glob("*.whl")).read_bytes()
    damaged = wheel[:-100] + bytes(b ^ 0xFF for b in wheel[-100:])

    def serve_damaged(route):
        requests_log.record(route.request.url)
        route.fulfill(status=200, body=damaged, headers={"Content-Type": "application/zip"})

    context.route("**/*.whl", serve_damaged)
    page = context.new_page()
    open_widget(page, site_url)
    wait_engine(page, "failed")
    status = page.locator(f"{WIDGET} [data-diag-status]").inner_text()
    assert "damaged" in status
    assert page.locator(f"{WIDGET} [data-diag-static]").is_visible()
    assert requests_log.foreign == []


def test_engine_that_never_loads_times_out_with_a_message(context, requests_log, site_url):
    """Assert a hung download ends in the failure message once nothing arrived for 20 s, not a spinner forever."""
    context.route("**/*.wasm", lambda route: requests_log.record(route.request.url))  # never answered
    page = context.new_page()
    page.clock.install()
    open_widget(page, site_url)
    page.locator(WIDGET).wait_for()
    page.wait_for_timeout(500)
    assert page.locator(WIDGET).get_attribute("data-engine") == "loading"
    page.clock.run_for(31_000)
    wait_engine(page, "failed")
    assert "nothing arrived for 20 seconds" in page.locator(f"{WIDGET} [data-diag-status]").inner_text()
    assert requests_log.foreign == []


def test_answer_after_failure_opens_that_symptoms_static_checklist(context, requests_log, site_url):
    """Assert that when the engine failed, answering the first question opens that symptom's checklist."""
    context.route("**/*.wasm", lambda route: (requests_log.record(route.request.url), route.abort()))
    page = context.new_page()
    open_widget(page, site_url)
    wait_engine(page, "failed")
    symptom = symptom_answer("green-bubbles")
    page.locator(f'{WIDGET} .diag-radio[data-answer="{symptom}"] label').click()
    page.locator(WIDGET).get_by_role("button", name="Continue").click()
    assert page.locator(f'{WIDGET} details[data-symptom="{symptom}"]').get_attribute("open") is not None
    assert requests_log.foreign == []


# --- The theme's own script starts after the engine (theme-after-engine.js) -------------------------------

_THEME_SCRIPT = (ROOT / "docs/assets/javascripts/theme-after-engine.js").read_text()
THEME_WAIT_MS = int(re.search(r"const THEME_WAIT_MS = (\d+);", _THEME_SCRIPT).group(1))  # type: ignore[union-attr]
"""theme-after-engine.js's longest wait for the engine before it starts the theme anyway (read from it)."""

THEME_STARTED = "() => performance.getEntriesByType('resource').some(e => e.name.includes('/workers/search.'))"
"""True once Material's bundle has initialised: its search starts the search worker."""


def theme_bundle_requested_at(page) -> float | None:
    """When the page asked for Material's bundle.js (ms from navigation start), or None if it has not."""
    return page.evaluate(
        "performance.getEntriesByType('resource')"
        ".find(e => /\\/bundle\\.[0-9a-f]+\\.min\\.js$/.test(e.name))?.startTime ?? null"
    )


def open_with_the_runtime_hung(context, requests_log, site_url: str):
    """Open the widget page in `context` with the Pyodide wasm download never answered (engine stays loading)."""
    context.route("**/*.wasm", lambda route: requests_log.record(route.request.url))
    page = context.new_page()
    open_widget(page, site_url)
    page.locator(WIDGET).wait_for()
    return page


def test_theme_script_is_requested_only_once_the_engine_is_ready(page, site_url, requests_log):
    """Assert the page, left alone, asks for Material's bundle.js after the engine-ready mark, not before.

    On a machine busy enough that the engine takes longer than THEME_WAIT_MS, the 4 s bound
    comes first (tested on its own below); the bundle is never asked for before either.
    """
    open_widget(page, site_url)
    wait_engine(page)
    page.wait_for_function(THEME_STARTED, timeout=15_000)
    ready_at = page.evaluate("performance.getEntriesByName('diag:engine-ready')[0].startTime")
    assert theme_bundle_requested_at(page) >= min(ready_at, THEME_WAIT_MS)
    assert requests_log.foreign == []


def test_search_works_on_the_widget_page_once_the_theme_has_started(page, site_url, requests_log):
    """Assert Material initialises although it starts after DOMContentLoaded: search answers a query."""
    open_widget(page, site_url)
    wait_engine(page)
    page.wait_for_function(THEME_STARTED, timeout=15_000)
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("activation", delay=30)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    assert "activation" in page.locator(".md-search-result").inner_text().lower()
    assert requests_log.foreign == []


def test_a_key_pressed_while_the_engine_loads_starts_the_theme_at_once(context, requests_log, site_url):
    """Assert a reader who reaches for the page does not wait for the engine to get search and the toggles."""
    page = open_with_the_runtime_hung(context, requests_log, site_url)
    assert theme_bundle_requested_at(page) is None
    page.keyboard.press("Tab")
    page.wait_for_function(THEME_STARTED, timeout=15_000)
    assert page.locator(WIDGET).get_attribute("data-engine") == "loading"
    assert requests_log.foreign == []


def test_the_key_that_starts_the_theme_still_works_as_its_shortcut(context, requests_log, site_url):
    """Assert "/" pressed before the theme listens opens search once the theme has started."""
    page = open_with_the_runtime_hung(context, requests_log, site_url)
    assert theme_bundle_requested_at(page) is None
    page.keyboard.press("/")
    page.wait_for_function("() => document.getElementById('__search').checked", timeout=15_000)
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    assert page.locator(WIDGET).get_attribute("data-engine") == "loading"
    assert requests_log.foreign == []


def test_theme_starts_after_four_seconds_when_the_engine_has_not(context, requests_log, site_url):
    """Assert a slow or hung engine delays the theme by THEME_WAIT_MS (4 s), not for ever."""
    page = open_with_the_runtime_hung(context, requests_log, site_url)
    page.wait_for_timeout(2_000)
    assert theme_bundle_requested_at(page) is None
    page.wait_for_function(THEME_STARTED, timeout=15_000)
    assert theme_bundle_requested_at(page) >= THEME_WAIT_MS
    assert page.locator(WIDGET).get_attribute("data-engine") == "loading"
    assert requests_log.foreign == []


def test_theme_starts_as_soon_as_the_engine_fails(context, requests_log, site_url):
    """Assert a failed engine releases the theme at once (search still works beside the static checklist)."""
    context.route("**/*.wasm", lambda route: (requests_log.record(route.request.url), route.abort()))
    page = context.new_page()
    page.add_init_script(
        "new MutationObserver(() => { const w = document.getElementById('find-my-fix');"
        " if (w && w.dataset.engine === 'failed') window.__failedAt ??= performance.now(); })"
        ".observe(document, { attributes: true, subtree: true, attributeFilter: ['data-engine'] });"
    )
    open_widget(page, site_url)
    wait_engine(page, "failed")
    page.wait_for_function(THEME_STARTED, timeout=15_000)
    assert theme_bundle_requested_at(page) - page.evaluate("window.__failedAt") < 1_000
    assert requests_log.foreign == []


# --- Page weight, layout and accessibility ----------------------------------------------------------------


def test_article_pages_download_none_of_the_engine(page, site_url, requests_log):
    """Assert a fix page and the home page request no Pyodide, wasm, wheel or widget script."""
    for path in ("", "fixes/restart/", "symptoms/not-delivered/"):
        page.goto(f"{site_url}{path}")
        page.wait_for_load_state("networkidle")
    markers = ("pyodide", ".wasm", ".whl", "diag-worker", "find-my-fix.js")
    engine = [u for u in requests_log.urls if any(k in u for k in markers)]
    assert engine == []
    assert requests_log.foreign == []


def test_nothing_shifts_when_the_engine_arrives(page, site_url, requests_log):
    """Assert the cumulative layout shift from page load until the engine is ready stays at zero."""
    page.add_init_script(
        "window.__cls = 0; new PerformanceObserver(list => { for (const e of list.getEntries())"
        " if (!e.hadRecentInput) window.__cls += e.value; }).observe({type: 'layout-shift', buffered: true});"
    )
    open_widget(page, site_url)
    wait_engine(page)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__cls") < 0.01
    assert requests_log.foreign == []


def test_readable_at_375_pixels_without_sideways_scrolling(page, site_url, requests_log):
    """Assert the widget with a plan fits a 375 px wide screen."""
    open_widget(page, site_url)
    wait_engine(page)
    answer(page, symptom_answer("not-delivered"), 1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    box = page.locator(WIDGET).bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375
    assert requests_log.foreign == []


def test_keyboard_alone_answers_a_question_and_focus_moves_to_the_next(page, site_url, requests_log):
    """Assert Tab, arrow keys and Enter answer a question, and focus lands on the next question's legend."""
    open_widget(page, site_url)
    wait_engine(page)
    page.locator(f"{WIDGET} input[name=answer]").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")  # submits the form
    wait_step(page, 1)
    focused = page.evaluate("document.activeElement.textContent")
    ask = native_next([{"question": "symptom", "answer": first_question()["answers"][0]["id"]}])["ask"]
    assert focused == (ask["text"] if ask else "Try these in this order")
    assert page.locator(f"{WIDGET} [data-diag-live]").get_attribute("aria-live") == "polite"
    page.wait_for_function("document.querySelector('#find-my-fix [data-diag-live]').textContent.includes('Plan')")
    assert requests_log.foreign == []


def test_submitting_without_an_answer_explains_what_to_do(page, site_url, requests_log):
    """Assert Continue with nothing chosen shows an error message tied to the question, and no request is made."""
    open_widget(page, site_url)
    wait_engine(page)
    page.locator(WIDGET).get_by_role("button", name="Continue").click()
    error = page.locator(f"{WIDGET} .diag-error")
    assert "I don't know" in error.inner_text()
    assert page.locator(WIDGET).get_attribute("data-step") == "0"
    assert requests_log.foreign == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_while_loading_and_on_a_question_and_plan(chromium, site_url, scheme):
    """Assert axe-core finds nothing on the widget while loading, then with a question and a plan, in light and dark."""
    ctx = chromium.new_context(viewport={"width": 375, "height": 812}, color_scheme=scheme)
    log = RequestLog()
    held = []

    def handle(route):
        log.record(route.request.url)
        if route.request.url.endswith(".wasm") and not held:
            held.append(route)  # the first download waits: the widget stays in its loading state
            return
        route.continue_()

    ctx.route("**/*", handle)
    page = ctx.new_page()
    open_widget(page, site_url)
    page.locator(WIDGET).wait_for()
    while not held:
        page.wait_for_timeout(50)
    assert page.locator(WIDGET).get_attribute("data-engine") == "loading"
    assert_no_axe_violations(page)
    held[0].continue_()
    wait_engine(page)
    assert_no_axe_violations(page)
    answer(page, symptom_answer("not-delivered"), 1)
    page.locator(f"{WIDGET} li.diag-step").first.locator(".diag-howto__body ol, .diag-howto__body p").first.wait_for()
    assert_no_axe_violations(page)
    ctx.close()
    assert log.foreign == []


def test_session_works_with_the_offline_service_worker_active(chromium, site_url):
    """Assert a session still reaches the engine's plan when the offline service worker is allowed to run."""
    ctx = chromium.new_context(viewport={"width": 375, "height": 812})
    log = record_requests(ctx)
    page = ctx.new_page()
    open_widget(page, site_url)
    wait_engine(page)
    symptom = symptom_answer("green-bubbles")
    answer(page, symptom, 1)
    assert plan_ids(page) == [s["id"] for s in native_next([{"question": "symptom", "answer": symptom}])["plan"]]
    ctx.close()
    assert log.foreign == []

"""The "Find my fix" widget in Debian's Chromium: real Pyodide, the real diag wheel, the built site.

Each test opens the widget page served on 127.0.0.1, drives it like a person
would, and compares what the page shows with what the same engine (the wheel
installed natively) says for the same answers. Every test ends by asserting
that no request left 127.0.0.1.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT, RequestLog, describe_violations, record_requests
from playwright.sync_api import expect

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


def native_view(events: list[dict]) -> dict:
    return native_next(events)["view"]


def current_question(page) -> str | None:
    form = page.locator(f"{WIDGET} [data-diag-question]:visible")
    return form.get_attribute("data-question") if form.count() else None


def answer(page, answer_id: str, step: int) -> None:
    """Pick an answer by clicking its label, press Continue, wait for the plan of `step`."""
    form = page.locator(f"{WIDGET} [data-diag-question]")
    form.locator(f'.diag-radio[data-answer="{answer_id}"] label').click()
    form.get_by_role("button", name="Continue").click()
    wait_step(page, step)


def choose(page, answer_id: str) -> None:
    """Pick an answer and press Continue, without waiting for anything."""
    form = page.locator(f"{WIDGET} [data-diag-question]")
    form.locator(f'.diag-radio[data-answer="{answer_id}"] label').click()
    form.get_by_role("button", name="Continue").click()


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


class HeldRuntime:
    """The Pyodide wasm download of `context`, held back until `release` (the widget stays loading meanwhile)."""

    def __init__(self, context, requests_log: RequestLog) -> None:
        self.routes: list = []
        context.route("**/*.wasm", lambda route: (requests_log.record(route.request.url), self.routes.append(route)))

    def release(self, page) -> None:
        """Let the download through, once the page has asked for it."""
        while not self.routes:
            page.wait_for_timeout(50)
        self.routes[0].continue_()


def open_with_the_runtime_hung(context, requests_log, site_url: str):
    """Open the widget page in `context` with the Pyodide wasm download never answered (engine stays loading)."""
    HeldRuntime(context, requests_log)
    page = context.new_page()
    open_widget(page, site_url)
    page.locator(WIDGET).wait_for()
    return page


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


def test_answer_given_before_the_engine_is_ready_shows_the_engines_plan_at_once(context, site_url, requests_log):
    """Assert the first tap, with the runtime download held back, shows the engine's own plan (precomputed)."""
    page = open_with_the_runtime_hung(context, requests_log, site_url)
    symptom = symptom_answer("not-delivered")
    answer(page, symptom, 1)
    events = [{"question": "symptom", "answer": symptom}]
    assert page.locator(WIDGET).get_attribute("data-engine") == "loading"
    assert page.locator(WIDGET).get_attribute("data-source") == "precomputed"
    assert plan_ids(page) == [s["id"] for s in native_next(events)["plan"]]
    assert current_question(page) == (native_next(events)["ask"] or {}).get("id")
    assert requests_log.foreign == []


def test_second_tap_before_the_engine_is_ready_shows_the_engines_plan_at_once(context, site_url, requests_log):
    """Assert the second tap (the next question's answer) is answered from the precomputed results too."""
    page = open_with_the_runtime_hung(context, requests_log, site_url)
    symptom = symptom_answer("green-bubbles")
    answer(page, symptom, 1)
    events = [{"question": "symptom", "answer": symptom}]
    ask = native_next(events)["ask"]
    answer(page, ask["answers"][0]["id"], 2)
    events.append({"question": ask["id"], "answer": ask["answers"][0]["id"]})
    assert page.locator(WIDGET).get_attribute("data-engine") == "loading"
    assert plan_ids(page) == [s["id"] for s in native_next(events)["plan"]]
    assert requests_log.foreign == []


def test_marking_the_top_step_before_the_engine_is_ready_is_answered_at_once(context, site_url, requests_log):
    """Assert "Didn't help" on the first plan's top step, as the second tap, needs no runtime either."""
    page = open_with_the_runtime_hung(context, requests_log, site_url)
    symptom = symptom_answer("not-delivered")
    answer(page, symptom, 1)
    top = plan_ids(page)[0]
    mark(page, top, "Didn't help", 2)
    events = [{"question": "symptom", "answer": symptom}, {"fix": top, "outcome": "failed"}]
    assert plan_ids(page) == [s["id"] for s in native_next(events)["plan"]]
    assert page.locator(WIDGET).get_attribute("data-engine") == "loading"
    assert requests_log.foreign == []


def test_a_third_tap_waits_for_the_engine_with_progress_then_applies(context, site_url, requests_log):
    """Assert a tap past the precomputed sessions says the plan comes when the tool is ready, then applies it."""
    runtime = HeldRuntime(context, requests_log)
    page = context.new_page()
    open_widget(page, site_url)
    symptom = symptom_answer("not-delivered")
    answer(page, symptom, 1)
    events = [{"question": "symptom", "answer": symptom}]
    top = plan_ids(page)[0]
    mark(page, top, "Didn't help", 2)
    events.append({"fix": top, "outcome": "failed"})
    second = plan_ids(page)[0]
    page.locator(f'{WIDGET} li[data-fix="{second}"] .diag-outcomes').get_by_role("button", name="Didn't help").click()
    waiting = page.locator(f"{WIDGET} [data-diag-waiting]")
    waiting.wait_for()
    assert "as soon as the tool is ready" in waiting.inner_text()
    assert page.locator(WIDGET).get_attribute("data-step") == "2"
    runtime.release(page)
    wait_engine(page)
    wait_step(page, 3)
    events.append({"fix": second, "outcome": "failed"})
    assert plan_ids(page) == [s["id"] for s in native_next(events)["plan"]]
    assert page.locator(WIDGET).get_attribute("data-source") == "engine"
    assert not waiting.is_visible()
    assert requests_log.foreign == []


def test_the_engine_takes_over_a_precomputed_session_without_redrawing_it(context, site_url, requests_log):
    """Assert the runtime's arrival leaves the shown plan as it is, and the live engine agrees with it."""
    runtime = HeldRuntime(context, requests_log)
    page = context.new_page()
    open_widget(page, site_url)
    symptom = symptom_answer("waiting-for-activation")
    answer(page, symptom, 1)
    page.evaluate(f"document.querySelector('{WIDGET} li.diag-step').__marked = true")
    shown = plan_ids(page)
    runtime.release(page)
    wait_engine(page)
    assert page.evaluate(f"document.querySelector('{WIDGET} li.diag-step').__marked === true")
    assert plan_ids(page) == shown
    live = page.evaluate(
        """async (events) => {
            const { engine } = await import(new URL('../assets/javascripts/engine-boot.js', document.baseURI).href);
            return (await engine.request('next', { events })).plan.map((s) => s.id);
        }""",
        [{"question": "symptom", "answer": symptom}],
    )
    assert live == shown
    assert requests_log.foreign == []


SHOWN_HTML = """() => {
    const root = document.getElementById("find-my-fix");
    const copy = root.cloneNode(true);
    for (const body of copy.querySelectorAll("[data-diag-howto]")) body.replaceChildren();
    const varying = "template, script, [data-diag-live], [data-diag-status], [data-offline-status]";
    for (const node of copy.querySelectorAll(varying)) node.remove();
    for (const node of [copy, ...copy.querySelectorAll("*")]) {
        for (const name of ["data-source", "data-engine", "aria-busy", "data-loaded"]) node.removeAttribute(name);
    }
    return copy.innerHTML;
}"""
"""The widget as a person sees it, minus what legitimately differs (loading state, async inline steps)."""


def test_the_engine_renders_a_precomputed_session_identically(context, site_url, requests_log):
    """Assert the same two taps, answered from the precomputed file and then by the live engine, give the same page."""
    runtime = HeldRuntime(context, requests_log)
    page = context.new_page()
    open_widget(page, site_url)
    symptom = symptom_answer("not-delivered")
    answer(page, symptom, 1)
    top = plan_ids(page)[0]
    mark(page, top, "Didn't help", 2)
    assert page.locator(WIDGET).get_attribute("data-source") == "precomputed"
    precomputed = page.evaluate(SHOWN_HTML)
    runtime.release(page)
    wait_engine(page)
    page.locator(WIDGET).get_by_role("button", name="Back").click()
    wait_step(page, 1)
    mark(page, top, "Didn't help", 2)
    assert page.locator(WIDGET).get_attribute("data-source") == "engine"
    assert page.evaluate(SHOWN_HTML) == precomputed
    assert requests_log.foreign == []


def test_a_session_works_with_the_cpu_slowed_four_times(context, site_url, requests_log):
    """Assert a phone-speed CPU (4x slower, Chromium's own throttling) still gets the plan and then the engine."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    open_widget(page, site_url)
    symptom = symptom_answer("no-delivered-status")
    answer(page, symptom, 1)
    events = [{"question": "symptom", "answer": symptom}]
    assert plan_ids(page) == [s["id"] for s in native_next(events)["plan"]]
    wait_engine(page)
    top = plan_ids(page)[0]
    mark(page, top, "Couldn't do it", 2)
    events.append({"fix": top, "outcome": "skipped"})
    assert plan_ids(page) == [s["id"] for s in native_next(events)["plan"]]
    assert requests_log.foreign == []


# --- The first screen (375 x 667) ------------------------------------------------------------------------

PHONE = {"width": 375, "height": 667}
TWO_SCREENS = 2 * PHONE["height"]
ANSWERS_TO_PLAN_FOR = 18
"""The first question may grow to about this many answers (new situations); its layout must still fit."""


@pytest.fixture
def phone(chromium):
    ctx = chromium.new_context(viewport=PHONE, device_scale_factor=1, service_workers="block")
    log = record_requests(ctx)
    page = ctx.new_page()
    page.request_log = log
    yield page
    ctx.close()
    assert log.foreign == []


def test_before_any_answer_the_page_shows_the_first_question_on_two_screens_and_no_plan(phone, site_url):
    """Assert at 375 px wide every answer of the first question ends within 1,334 px, and no plan shows."""
    open_widget(phone, site_url)
    bottoms = phone.eval_on_selector_all(
        f"{WIDGET} [data-diag-question] .diag-radio",
        "rows => rows.map(r => r.getBoundingClientRect().bottom + scrollY)",
    )
    assert len(bottoms) == len(first_question()["answers"])
    assert bottoms[-1] <= TWO_SCREENS
    assert phone.locator(f"{WIDGET} [data-diag-plan]").is_hidden()
    assert phone.locator(f"{WIDGET} li.diag-step:visible").count() == 0


def test_the_first_questions_layout_has_room_for_eighteen_answers(phone, site_url):
    """Assert the answers' mean height, extended to 18 answers, still ends within two phone screens."""
    open_widget(phone, site_url)
    boxes = phone.eval_on_selector_all(
        f"{WIDGET} [data-diag-question] .diag-radio",
        "rows => rows.map(r => [r.getBoundingClientRect().top + scrollY, r.getBoundingClientRect().bottom + scrollY])",
    )
    pitch = (boxes[-1][1] - boxes[0][0]) / len(boxes)
    assert boxes[0][0] + pitch * ANSWERS_TO_PLAN_FOR <= TWO_SCREENS


def _on_first_screen(page, selector: str) -> bool:
    return page.eval_on_selector(
        selector, "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    )


def symptom_followed_by_a_question() -> str:
    """The first symptom answer after which the engine asks another question."""
    return next(
        a["id"] for a in first_question()["answers"] if native_next([{"question": "symptom", "answer": a["id"]}])["ask"]
    )


def test_after_an_answer_the_first_screen_shows_the_next_question_and_its_answers(phone, site_url):
    """Assert that after the symptom answer the next question's heading and first answers are on screen."""
    open_widget(phone, site_url)
    symptom = symptom_followed_by_a_question()
    answer(phone, symptom, 1)
    form = f"{WIDGET} [data-diag-question]:visible"
    assert _on_first_screen(phone, f"{form} legend")
    assert _on_first_screen(phone, f"{form} .diag-radio")
    assert _on_first_screen(phone, f"{form} .diag-continue")


def _below_header(page, selector: str) -> bool:
    """Whether the element is whole on screen and not under the theme's fixed header."""
    return page.eval_on_selector(
        selector,
        """el => {
          const r = el.getBoundingClientRect();
          const header = document.querySelector(".md-header").getBoundingClientRect().bottom;
          return r.top >= header && r.bottom <= innerHeight;
        }""",
    )


def test_after_an_answer_back_and_start_over_show_whole_below_the_header(phone, site_url):
    """Assert that the page scrolls Back / Start over into view with the next question, not half under the header."""
    open_widget(phone, site_url)
    answer(phone, symptom_followed_by_a_question(), 1)
    assert _below_header(phone, f"{WIDGET} [data-action=back]")
    assert _below_header(phone, f"{WIDGET} [data-action=restart]")
    assert _below_header(phone, f"{WIDGET} [data-diag-question]:visible legend")


def test_choosing_the_ios_version_rewrites_the_question_hint_for_that_version(phone, site_url):
    """Assert that a hint naming a Settings path shows both versions' paths, then only the chosen version's."""
    symptom = next(
        a["id"]
        for a in first_question()["answers"]
        if "(iOS" in ((native_next([{"question": "symptom", "answer": a["id"]}])["ask"] or {}).get("hint") or "")
    )
    open_widget(phone, site_url)
    wait_engine(phone)
    answer(phone, symptom, 1)
    hint = phone.locator(f"{WIDGET} [data-diag-question]:visible [id^=diag-hint-]")
    assert "(iOS 17 and earlier)" in hint.inner_text()
    version = [{"question": "ios-version", "answer": "ios-17-or-earlier"}]
    expected = native_next([*version, {"question": "symptom", "answer": symptom}])["ask"]["hint"]
    phone.select_option("#diag-ios", "ios-17-or-earlier")
    expect(hint).to_have_text(expected)
    assert "(iOS" not in expected


def _answer_until_the_plan(page, site_url: str) -> list[dict[str, str]]:
    """Open the widget, pick "green bubbles" and then each question's first answer until none is left; the events."""
    open_widget(page, site_url)
    wait_engine(page)
    events = [{"question": "symptom", "answer": symptom_answer("green-bubbles")}]
    answer(page, events[0]["answer"], 1)
    while (ask := native_next(events)["ask"]) is not None:
        events.append({"question": ask["id"], "answer": ask["answers"][0]["id"]})
        answer(page, ask["answers"][0]["id"], len(events))
    page.locator(f"{WIDGET} li.diag-step--top").wait_for()
    return events


def _under_header(page, selector: str) -> bool:
    """Whether the element is wholly hidden under the theme's fixed header (or above it)."""
    return page.eval_on_selector(
        selector,
        "el => el.getBoundingClientRect().bottom"
        " <= document.querySelector('.md-header').getBoundingClientRect().bottom",
    )


def test_when_an_answer_brings_the_plan_back_and_start_over_are_never_cut_in_half(phone, site_url):
    """Assert that with the plan scrolled to, Back and Start over are whole below the header or wholly out of view."""
    _answer_until_the_plan(phone, site_url)
    for control in ("back", "restart"):
        selector = f"{WIDGET} [data-action={control}]"
        assert _below_header(phone, selector) or _under_header(phone, selector)
    assert _below_header(phone, f"{WIDGET} #diag-plan-title")


def test_when_no_question_is_left_the_first_screen_shows_the_top_step_and_its_instructions(phone, site_url):
    """Assert that when the engine asks nothing, the top step's title and its first instruction are on screen."""
    events = _answer_until_the_plan(phone, site_url)
    top = f"{WIDGET} li.diag-step--top"
    phone.locator(f"{top} .diag-howto__body li, {top} .diag-howto__body p").first.wait_for()
    assert phone.locator(f"{top} .diag-step__title").inner_text() == native_next(events)["plan"][0]["title"]
    assert _on_first_screen(phone, f"{top} .diag-step__title")
    first_line_on_screen = (
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top + 40 <= innerHeight; }"
    )
    assert phone.eval_on_selector(f"{top} .diag-howto__body :is(li, p)", first_line_on_screen)


def test_the_explanation_and_ruled_out_causes_sit_behind_a_disclosure(phone, site_url):
    """Assert "why" and "ruled out" are in a closed <details> until opened, and name the engine's reason."""
    open_widget(phone, site_url)
    symptom = symptom_answer("not-delivered")
    answer(phone, symptom, 1)
    why = phone.locator(f"{WIDGET} [data-diag-why] details")
    assert why.get_attribute("open") is None
    why.locator("summary").click()
    result = native_next([{"question": "symptom", "answer": symptom}])
    expected = (result.get("explanation") or {}).get("why") or result["plan"][0]["why"]
    assert expected in why.inner_text()


def test_nothing_covers_the_widget(phone, site_url):
    """Assert every widget button is the topmost element at its centre (no back-to-top or other overlay)."""
    open_widget(phone, site_url)
    answer(phone, symptom_answer("not-delivered"), 1)
    for y in (0, 400, 900, 1500):
        phone.evaluate(f"scrollTo(0, {y})")
        covered = phone.evaluate(
            f"""[...document.querySelectorAll('{WIDGET} button, {WIDGET} summary, {WIDGET} label')].filter((el) => {{
                const r = el.getBoundingClientRect();
                if (!el.checkVisibility() || !r.width || r.top < 60 || r.bottom > innerHeight) return false;
                const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                return top && !el.contains(top) && !top.closest('label')?.contains(el);
            }}).map((el) => el.textContent.trim())"""
        )
        assert covered == []
    assert phone.locator(".md-top").is_hidden()


def _small_targets(page) -> list[str]:
    return page.evaluate(
        f"""[...document.querySelectorAll('{WIDGET} button, {WIDGET} select, {WIDGET} summary, {WIDGET} .diag-radio')]
            .filter((el) => el.getClientRects().length)
            .map((el) => [el.textContent.trim().slice(0, 30), el.getBoundingClientRect()])
            .filter(([, r]) => r.width < 44 || r.height < 44)
            .map(([name, r]) => `${{name}}: ${{Math.round(r.width)}}x${{Math.round(r.height)}}`)"""
    )


def test_every_widget_control_is_at_least_44_pixels_square(phone, site_url):
    """Assert buttons, the select, disclosures and answer rows measure >= 44 x 44 px on a question, plan and summary."""
    open_widget(phone, site_url)
    assert _small_targets(phone) == []
    answer(phone, symptom_answer("not-delivered"), 1)
    phone.locator(f"{WIDGET} [data-diag-more] summary").click()
    assert _small_targets(phone) == []
    mark(phone, plan_ids(phone)[0], "This fixed it", 2)
    assert _small_targets(phone) == []


# --- Moving around -----------------------------------------------------------------------------------


def test_back_returns_to_the_previous_question_with_its_answer_selected(page, site_url, requests_log):
    """Assert Back undoes the last answer: the earlier question comes back with that answer checked."""
    open_widget(page, site_url)
    wait_engine(page)
    symptom = symptom_followed_by_a_question()
    answer(page, symptom, 1)
    second = current_question(page)
    ask = native_next([{"question": "symptom", "answer": symptom}])["ask"]
    chosen = ask["answers"][1]["id"]
    answer(page, chosen, 2)
    page.locator(WIDGET).get_by_role("button", name="Back").click()
    wait_step(page, 1)
    assert current_question(page) == second
    assert page.locator(f"{WIDGET} [data-diag-question] input[name=answer]:checked").get_attribute("value") == chosen
    assert plan_ids(page)[0] == native_next([{"question": "symptom", "answer": symptom}])["plan"][0]["id"]
    assert page.evaluate("document.activeElement.closest('legend') !== null")
    page.locator(WIDGET).get_by_role("button", name="Back").click()
    wait_step(page, 0)
    assert page.locator(f"{WIDGET} [data-diag-question] input[name=answer]:checked").get_attribute("value") == symptom
    assert requests_log.foreign == []


def test_start_over_clears_the_answers_and_offers_undo(page, site_url, requests_log):
    """Assert Start over returns to the first question with nothing chosen, and Undo brings the session back."""
    open_widget(page, site_url)
    wait_engine(page)
    symptom = symptom_answer("green-bubbles")
    answer(page, symptom, 1)
    before = plan_ids(page)
    page.locator(WIDGET).get_by_role("button", name="Start over").click()
    wait_step(page, 0)
    assert current_question(page) == "symptom"
    assert page.locator(f"{WIDGET} input[name=answer]:checked").count() == 0
    assert page.locator(f"{WIDGET} [data-diag-plan]").is_hidden()
    assert not page.evaluate("Object.keys(localStorage).some(k => k.includes('find-my-fix.v1'))")
    assert "#s=" not in page.url
    undo = page.locator(WIDGET).get_by_role("button", name="Undo")
    assert page.evaluate("document.activeElement.textContent") == "Undo"
    undo.click()
    wait_step(page, 1)
    assert plan_ids(page) == before
    assert undo.is_hidden()
    assert requests_log.foreign == []


def test_didnt_help_moves_the_step_out_and_reranks_the_plan(page, site_url, requests_log):
    """Assert marking the top step "Didn't help" re-ranks the plan exactly as the engine does, with its words."""
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
    assert page.locator(f"{WIDGET} [data-diag-progress]").inner_text() == expected["view"]["progress"]
    assert (
        page.locator(f"{WIDGET} li.diag-step--top .diag-minutes").inner_text() == expected["view"]["plan"][0]["minutes"]
    )
    assert requests_log.foreign == []


def test_steps_inline_follow_the_chosen_ios_version(page, site_url, requests_log):
    """Assert a step's instructions are shown inline, and switching iOS version switches the tab shown."""
    open_widget(page, site_url)
    wait_engine(page)
    answer(page, symptom_answer("not-delivered"), 1)
    body = page.locator(f"{WIDGET} li.diag-step").first.locator(".diag-howto__body")
    body.locator("ol, ul, p").first.wait_for()
    assert body.locator("script").count() == 0
    page.select_option("#diag-ios", "ios-17-or-earlier")
    page.wait_for_function(
        "[...document.querySelectorAll('#find-my-fix .diag-tab__label')]"
        ".every(n => n.textContent === 'iOS 17 and earlier')"
    )
    assert requests_log.foreign == []


# --- The iOS version (CONTRACTS §1: the answer to "ios-version") -------------------------------------------

SAFARI_26 = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
    " Version/26.0 Mobile/15E148 Safari/604.1"
)
UA_GUESSES = [
    (SAFARI_26, "ios-26"),
    (SAFARI_26.replace("Version/26.0", "Version/26.1"), "ios-26"),
    (SAFARI_26.replace("Version/26.0", "Version/18.6"), "ios-18"),
    (SAFARI_26.replace("18_6", "18_2").replace("Version/26.0", "Version/18.2"), "ios-18"),
    (SAFARI_26.replace("18_6", "17_5").replace("Version/26.0", "Version/17.5"), "ios-17-or-earlier"),
    (SAFARI_26.replace("18_6", "15_8").replace("Version/26.0", "Version/15.6"), "ios-17-or-earlier"),
    # Chrome on iOS carries no Version/ token: "18_6" may be iOS 18.6 or a frozen iOS 26, so ask.
    (SAFARI_26.replace("Version/26.0", "CriOS/140.0.7339.101"), None),
    (SAFARI_26.replace("18_6", "18_3").replace("Version/26.0", "CriOS/133.0.6943.33"), "ios-18"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36", None),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
        " Version/26.0 Safari/605.1.15",
        None,
    ),
]


@pytest.mark.parametrize(("user_agent", "expected"), UA_GUESSES)
def test_ios_version_guess_tells_ios_26_from_18_and_is_unsure_when_it_cannot(page, site_url, user_agent, expected):
    """Assert guessIOS() reads Safari 26's Version/ token behind the frozen "18_6", and says null when unsure."""
    open_widget(page, site_url)
    guess = page.evaluate(
        """async (ua) => {
            const url = new URL('../assets/javascripts/ios-version.js', document.baseURI).href;
            return (await import(url)).guessIOS(ua);
        }""",
        user_agent,
    )
    assert guess == expected


def _model_asks_ios_version() -> bool:
    return any(q["id"] == "ios-version" for q in native("catalog")["questions"])


def test_the_guessed_ios_version_reaches_the_engine_as_an_answer(chromium, site_url):
    """Assert Safari 26 on an iPhone sends ios-version = ios-26 first, and the plan is the engine's for that."""
    if not _model_asks_ios_version():
        pytest.skip("the knowledge has no ios-version question yet (CONTRACTS §1, the engine helper's)")
    ctx = chromium.new_context(viewport=PHONE, user_agent=SAFARI_26, service_workers="block")
    log = record_requests(ctx)
    page = ctx.new_page()
    open_widget(page, site_url)
    assert page.locator("#diag-ios").input_value() == "ios-26"
    symptom = symptom_answer("not-delivered")
    answer(page, symptom, 1)
    events = [{"question": "ios-version", "answer": "ios-26"}, {"question": "symptom", "answer": symptom}]
    assert plan_ids(page) == [s["id"] for s in native_next(events)["plan"]]
    wait_engine(page)
    decoded = page.evaluate(
        """async (link) => {
            const { engine } = await import(new URL('../assets/javascripts/engine-boot.js', document.baseURI).href);
            return (await engine.request('decode', link)).events; }""",
        page.locator("#diag-share-url").input_value().split("#s=", 1)[1],
    )
    assert decoded == events
    ctx.close()
    assert log.foreign == []


# --- Someone else's step --------------------------------------------------------------------------------------


def _session_with_their_step_first(advice: bool) -> list[dict] | None:
    """A session of one or two answers whose plan starts with the other person's step (who = other-person):
    a step they take (`advice` False, e.g. deregistering), or their situation to wait out (`advice` True)."""

    def theirs(plan: list[dict]) -> bool:
        return bool(plan) and plan[0].get("who") == "other-person" and (plan[0].get("kind") == "advice") == advice

    for answer_ in first_question()["answers"]:
        events = [{"question": "symptom", "answer": answer_["id"]}]
        result = native_next(events)
        if theirs(result["plan"]) and not result["ask"]:
            return events
        if result["ask"]:
            for second in result["ask"]["answers"]:
                two = [*events, {"question": result["ask"]["id"], "answer": second["id"]}]
                following = native_next(two)
                if theirs(following["plan"]) and not following["ask"]:
                    return two
    return None


def test_a_step_the_other_person_must_do_is_marked_for_them_with_a_link_to_send(chromium, site_url):
    """Assert such a step says "For them" and its button copies the step's page link (no Web Share here)."""
    events = _session_with_their_step_first(advice=False)
    assert events is not None, "no session of one or two answers starts with a step the other person takes"
    ctx = chromium.new_context(viewport=PHONE, service_workers="block")
    ctx.grant_permissions(["clipboard-read", "clipboard-write"])
    log = record_requests(ctx)
    page = ctx.new_page()
    open_widget(page, site_url)
    for step, event in enumerate(events, start=1):
        answer(page, event["answer"], step)
    top = page.locator(f"{WIDGET} li.diag-step--top")
    assert top.locator(".diag-who").inner_text() == "For them"
    assert page.evaluate("typeof navigator.share") == "undefined"
    top.get_by_role("button", name="Send them this page").click()
    page.wait_for_function("navigator.clipboard.readText().then(t => t.includes('/'))")
    url = page.evaluate("navigator.clipboard.readText()")
    assert (
        url.endswith(native_next(events)["plan"][0]["url"].split("#")[0])
        or native_next(events)["plan"][0]["url"] in url
    )
    ctx.close()
    assert log.foreign == []


def test_their_situation_to_wait_out_offers_words_to_ask_them_not_the_page(chromium, site_url):
    """Assert advice about the other person's side (their phone is off) says "Their side", sends no page,
    and copies the step's words to ask them another way."""
    events = _session_with_their_step_first(advice=True)
    assert events is not None, "no session of one or two answers starts with advice about the other person"
    step = native_next(events)["plan"][0]
    ctx = chromium.new_context(viewport=PHONE, service_workers="block")
    ctx.grant_permissions(["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    open_widget(page, site_url)
    for number, event in enumerate(events, start=1):
        answer(page, event["answer"], number)
    top = page.locator(f"{WIDGET} li.diag-step--top")
    expect(top.locator(".diag-who")).to_have_text("Their side")
    expect(top.get_by_role("button", name="Send them this page")).to_be_hidden()
    expect(top.locator("[data-slot=ask_message]")).to_have_text(step["message"])
    top.get_by_role("button", name="Copy these words").click()
    page.wait_for_function("navigator.clipboard.readText().then(t => t.length > 0)")
    assert page.evaluate("navigator.clipboard.readText()") == step["message"]
    ctx.close()


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
    page.locator(f"{WIDGET} [data-diag-static] > summary").click()
    links = page.eval_on_selector_all(
        f"{WIDGET} [data-diag-static] > ol > li.diag-step", "l => l.map(x => x.dataset.fix)"
    )
    assert page.locator(f"{WIDGET} [data-diag-static] > ol").is_visible()
    expected = [s["id"] for s in native_next([])["plan"]]
    assert links == expected[: len(links)]
    assert len(links) >= 5
    assert page.locator(f"{WIDGET} noscript").count() == 1
    assert not any(u.endswith(".wasm") or "pyodide" in u for u in page.request_log.urls)
    assert page.request_log.foreign == []


@pytest.mark.parametrize("blocked", ["**/*.wasm", "**/diag-worker.js"])
def test_blocked_engine_says_so_in_plain_words_with_retry_and_the_checklist(context, requests_log, site_url, blocked):
    """Assert a blocked wasm file or worker gives data-engine="failed", plain words with Retry, and the checklist."""
    context.route(blocked, lambda route: (requests_log.record(route.request.url), route.abort()))
    page = context.new_page()
    open_widget(page, site_url)
    wait_engine(page, "failed")
    message = page.locator(f"{WIDGET} [data-diag-message]")
    assert "didn't start" in message.inner_text()
    assert "browser" not in message.inner_text().lower()
    assert message.get_by_role("button", name="Retry").is_visible()
    assert page.locator(f"{WIDGET} [data-diag-static]").get_attribute("open") is not None
    assert page.locator(f"{WIDGET} [data-diag-static] > ol li.diag-step").first.is_visible()
    assert_no_axe_violations(page)
    assert requests_log.foreign == []


def test_retry_after_a_failure_starts_the_tool_again(context, requests_log, site_url):
    """Assert Retry, once the download works again, brings the engine to ready and a session to the engine's plan."""
    blocked = [True]

    def handle(route):
        requests_log.record(route.request.url)
        if blocked[0]:
            route.abort()
        else:
            route.continue_()

    context.route("**/*.wasm", handle)
    page = context.new_page()
    open_widget(page, site_url)
    wait_engine(page, "failed")
    blocked[0] = False
    page.locator(WIDGET).get_by_role("button", name="Retry").click()
    wait_engine(page)
    assert page.locator(f"{WIDGET} [data-diag-message]").is_hidden()
    symptom = symptom_answer("green-bubbles")
    answer(page, symptom, 1)
    top = plan_ids(page)[0]
    mark(page, top, "Didn't help", 2)
    second = plan_ids(page)[0]
    mark(page, second, "Didn't help", 3)
    events = [
        {"question": "symptom", "answer": symptom},
        {"fix": top, "outcome": "failed"},
        {"fix": second, "outcome": "failed"},
    ]
    assert plan_ids(page) == [s["id"] for s in native_next(events)["plan"]]
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
    assert "damaged" in page.locator(f"{WIDGET} [data-diag-message]").inner_text()
    assert page.locator(f"{WIDGET} [data-diag-static]").get_attribute("open") is not None
    assert requests_log.foreign == []


def test_engine_that_never_loads_gives_up_in_plain_words_once_nothing_arrives(context, requests_log, site_url):
    """Assert a hung download ends in a plain-words message with Retry once nothing arrived for a while."""
    context.route("**/*.wasm", lambda route: requests_log.record(route.request.url))  # never answered
    page = context.new_page()
    page.clock.install()
    open_widget(page, site_url)
    page.locator(WIDGET).wait_for()
    page.wait_for_timeout(500)
    assert page.locator(WIDGET).get_attribute("data-engine") == "loading"
    page.clock.run_for(31_000)
    wait_engine(page, "failed")
    message = page.locator(f"{WIDGET} [data-diag-message]")
    assert "stopped downloading" in message.inner_text()
    assert message.get_by_role("button", name="Retry").is_visible()
    assert requests_log.foreign == []


def test_after_a_failure_the_first_answers_still_get_the_engines_plan(context, requests_log, site_url):
    """Assert that when the engine failed, the first answer still shows the engine's (precomputed) plan."""
    context.route("**/*.wasm", lambda route: (requests_log.record(route.request.url), route.abort()))
    page = context.new_page()
    open_widget(page, site_url)
    wait_engine(page, "failed")
    symptom = symptom_answer("green-bubbles")
    answer(page, symptom, 1)
    assert plan_ids(page) == [s["id"] for s in native_next([{"question": "symptom", "answer": symptom}])["plan"]]
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


# --- Small bugs ------------------------------------------------------------------------------------------


def test_the_summary_quotes_each_answer_once(page, site_url, requests_log):
    """Assert an answer text that carries its own quotes is not quoted twice in the summary (““…””)."""
    open_widget(page, site_url)
    answer(page, symptom_answer("waiting-for-activation"), 1)
    mark(page, plan_ids(page)[0], "This fixed it", 2)
    text = page.locator(f"{WIDGET} [data-diag-summary]").inner_text()
    assert "““" not in text
    assert "””" not in text
    assert "“Waiting for activation”" in text
    assert requests_log.foreign == []


def test_inline_steps_keep_their_page_numbering(page, site_url, requests_log):
    """Assert a fix page's numbered steps stay 1, 2, 3 inside the plan (its text says "step 2 or 3"), not a, b, c."""
    open_widget(page, site_url)
    answer(page, symptom_answer("not-delivered"), 1)
    top = page.locator(f'{WIDGET} li.diag-step--top[data-fix="try-again-or-send-as-text"] .diag-howto__body > ol')
    if top.count() == 0:
        top = page.locator(f"{WIDGET} li.diag-step--top .diag-howto__body ol").first
    top.wait_for()
    assert top.evaluate("ol => getComputedStyle(ol).listStyleType") == "decimal"
    assert requests_log.foreign == []


def test_the_checklist_headings_wrap_instead_of_being_cut(no_js_page, site_url):
    """Assert with JavaScript off no heading or summary of the opened checklist clips its second line."""
    page = no_js_page
    page.set_viewport_size(PHONE)
    open_widget(page, site_url)
    page.locator(f"{WIDGET} [data-diag-static] > summary").click()
    for item in page.locator(f"{WIDGET} [data-diag-symptom-plan], {WIDGET} .diag-symptom-plan").all():
        item.locator("summary").click()
    clipped = page.eval_on_selector_all(
        f"{WIDGET} [data-diag-static] :is(h2, summary, .diag-step__title)",
        "els => els.filter(e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1)"
        ".map(e => e.textContent.trim().slice(0, 40))",
    )
    assert clipped == []


def test_the_stuck_sending_bar_stays_inside_its_drawing(page, site_url, requests_log):
    """Assert the drawing of "stuck sending" keeps its progress bar within the drawing's frame."""
    open_widget(page, site_url)
    inside = page.eval_on_selector(
        f"{WIDGET} .diag-drawing .dlv-progress",
        """bar => { const r = bar.getBoundingClientRect();
                    const f = bar.closest('.diag-drawing').getBoundingClientRect();
                    return r.left >= f.left - 0.5 && r.right <= f.right + 0.5; }""",
    )
    assert inside
    assert requests_log.foreign == []


def test_the_summary_box_starts_with_its_heading(page, site_url, requests_log):
    """Assert the summary has no empty band at the top: its heading starts within 1.5 lines of the box's edge."""
    open_widget(page, site_url)
    answer(page, symptom_answer("not-delivered"), 1)
    mark(page, plan_ids(page)[0], "This fixed it", 2)
    gap = page.eval_on_selector(
        f"{WIDGET} [data-diag-summary]",
        "box => box.querySelector('h2').getBoundingClientRect().top - box.getBoundingClientRect().top",
    )
    assert gap <= 24
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
    assert focused == (ask["text"] if ask else "Try this first")
    assert page.locator(f"{WIDGET} [data-diag-live]").get_attribute("aria-live") == "polite"
    page.wait_for_function("document.querySelector('#find-my-fix [data-diag-live]').textContent.includes('Plan')")
    assert requests_log.foreign == []


def test_submitting_without_an_answer_explains_what_to_do(page, site_url, requests_log):
    """Assert Continue with nothing chosen shows an error message tied to the question, and no request is made."""
    open_widget(page, site_url)
    page.locator(WIDGET).get_by_role("button", name="Continue").click()
    error = page.locator(f"{WIDGET} .diag-error")
    assert "I don't know" in error.inner_text()
    assert page.locator(f"{WIDGET} fieldset").first.get_attribute("aria-describedby") == error.get_attribute("id")
    assert page.locator(WIDGET).get_attribute("data-step") == "0"
    assert requests_log.foreign == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_in_any_state(chromium, site_url, scheme):
    """Assert axe-core finds nothing on the widget: loading, precomputed plan, waiting, engine plan, undo, summary."""
    ctx = chromium.new_context(viewport=PHONE, color_scheme=scheme, service_workers="block")
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
    assert_no_axe_violations(page)  # loading, first question
    answer(page, symptom_answer("not-delivered"), 1)
    page.locator(f"{WIDGET} [data-diag-why] summary").click()
    page.locator(f"{WIDGET} [data-diag-more] summary").click()
    assert_no_axe_violations(page)  # precomputed plan, disclosures open
    top = plan_ids(page)[0]
    mark(page, top, "Didn't help", 2)
    page.locator(f'{WIDGET} li[data-fix="{plan_ids(page)[0]}"] .diag-outcomes').get_by_role(
        "button", name="Didn't help"
    ).click()
    page.locator(f"{WIDGET} [data-diag-waiting]").wait_for()
    assert_no_axe_violations(page)  # waiting for the engine
    held[0].continue_()
    wait_engine(page)
    wait_step(page, 3)
    page.locator(f"{WIDGET} li.diag-step--top .diag-howto__body :is(ol, p)").first.wait_for()
    assert_no_axe_violations(page)  # engine plan with inline steps
    page.locator(WIDGET).get_by_role("button", name="Start over").click()
    assert_no_axe_violations(page)  # undo bar
    page.locator(WIDGET).get_by_role("button", name="Undo").click()
    wait_step(page, 3)
    page.get_by_role("button", name="Stop here and get a summary").click()
    assert_no_axe_violations(page)  # summary
    ctx.close()
    assert log.foreign == []


def test_no_axe_violations_when_the_tool_failed(context, requests_log, site_url):
    """Assert axe-core finds nothing on the failure message with Retry and the opened checklist."""
    context.route("**/*.wasm", lambda route: (requests_log.record(route.request.url), route.abort()))
    page = context.new_page()
    open_widget(page, site_url)
    wait_engine(page, "failed")
    assert_no_axe_violations(page)
    assert requests_log.foreign == []


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

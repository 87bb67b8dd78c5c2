"""The core "Find my fix" session in WebKitGTK (Selenium + WebKitWebDriver on Xvfb) and Firefox ESR (BiDi).

The same engine (real Pyodide, the real wheel) must give the same plan in every engine as
natively: answer the symptom, see the engine's plan with the top step's instructions, mark
the top step "Didn't help", see the re-ranked plan, reload and get the session back, go
Back to the first question with the answer still chosen; and nothing may leave 127.0.0.1.
"""

from __future__ import annotations

import json
import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.pyodide, pytest.mark.slow]

WIDGET = "#find-my-fix"


def native_next(events: list[dict]) -> dict:
    from diag import bridge

    reply = json.loads(bridge.next_step(json.dumps({"events": events})))
    assert reply["ok"], reply
    return reply["result"]


def symptom_answer(article: str) -> str:
    return next(a["id"] for a in native_next([])["ask"]["answers"] if a.get("article") == article)


def plan_ids(browser) -> list[str]:
    return browser.evaluate(
        f"[...document.querySelectorAll('{WIDGET} [data-diag-plan] li.diag-step')].map(li => li.dataset.fix)"
    )


def wait_step(browser, step: int) -> None:
    browser.wait_for(f"document.querySelector('{WIDGET}').dataset.step === '{step}'", timeout=20)


def test_core_session_matches_the_engine_and_survives_a_reload(browser, site_url):
    """Assert answer → plan → "Didn't help" → re-ranked plan → reload restore → Back, all as the engine says."""
    browser.get(f"{site_url}find-my-fix/")
    browser.wait_for(f"document.querySelector('{WIDGET}').dataset.engine !== 'loading'", timeout=90)
    assert browser.evaluate(f"document.querySelector('{WIDGET}').dataset.engine") == "ready"

    symptom = symptom_answer("not-delivered")
    browser.click(f'{WIDGET} .diag-radio[data-answer="{symptom}"] label')
    browser.click(f"{WIDGET} [data-diag-question] button[type=submit]")
    wait_step(browser, 1)
    events = [{"question": "symptom", "answer": symptom}]
    assert plan_ids(browser) == [s["id"] for s in native_next(events)["plan"]]
    browser.wait_for(f"!!document.querySelector('{WIDGET} .diag-step--top .diag-howto__body :is(ol, p)')", timeout=20)

    top = plan_ids(browser)[0]
    browser.click(f'{WIDGET} [data-diag-plan] li[data-fix="{top}"] button[data-outcome="failed"]')
    wait_step(browser, 2)
    events.append({"fix": top, "outcome": "failed"})
    reranked = plan_ids(browser)
    assert reranked == [s["id"] for s in native_next(events)["plan"]]
    assert reranked[0] != top

    browser.get(f"{site_url}find-my-fix/")
    browser.wait_for(f"document.querySelector('{WIDGET}').dataset.step === '2'", timeout=90)
    assert plan_ids(browser) == reranked

    for step in (1, 0):
        browser.click(f'{WIDGET} [data-action="back"]')
        wait_step(browser, step)
    checked = f"document.querySelector('{WIDGET} [data-diag-question] input[name=answer]:checked')?.value"
    assert browser.evaluate(checked) == symptom

    # Firefox: BiDi attributes each request to the page or its worker (Firefox's own background
    # services also knock on the proxy; they are not the page's doing). WebKitGTK: every request
    # not for 127.0.0.1 goes to the recording proxy.
    if hasattr(browser, "requested_urls"):
        assert any(u.endswith(".wasm") for u in browser.requested_urls)
    assert browser.foreign_requests == []


def test_a_request_off_the_machine_is_caught(browser, site_url):
    """Assert the check behind "nothing leaves 127.0.0.1" sees a foreign request, so it can fail.

    The site's pages would refuse the request by their Content-Security-Policy before it left
    the browser, so it is made from the sitemap (served by the same server, with no policy).
    """
    browser.get(f"{site_url}sitemap.xml")
    browser.evaluate("void fetch('http://foreign.example.invalid/probe').catch(() => null)")
    deadline = time.monotonic() + 15
    while not any("foreign.example.invalid" in line for line in browser.foreign_requests):
        assert time.monotonic() < deadline, "the foreign request was not seen"
        browser.evaluate("true")  # a round trip: Firefox's driver reads the BiDi events sent meanwhile
        time.sleep(0.2)

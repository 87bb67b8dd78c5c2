// The "Find my fix" widget: one question at a time, a ranked plan that updates after every answer,
// outcomes per step, Back / Start over / share link, and a hand-over summary.
//
// It enhances the HTML the build rendered into #find-my-fix (the first question and a static
// ordered checklist), so nothing moves when the engine arrives. The engine runs in a worker
// (engine-client.js); this module only renders what it returns.

import { h, minutesText, riskText } from "./dom.js";
import { loadSaved, readFragment, save, shareLink, writeFragment, loadIOS, saveIOS } from "./session-store.js";
import { IOS_VERSIONS, detectIOS, loadSteps } from "./steps.js";
import { renderSummary } from "./summary.js";

/** Steps shown in full in the plan; the rest sit under "More fixes". */
const MAIN_STEPS = 5;

const OUTCOME_BUTTONS = [
  { outcome: "fixed", label: "This fixed it" },
  { outcome: "failed", label: "Didn't help" },
  { outcome: "skipped", label: "Couldn't do it" },
];

function isDontKnow(answer) {
  return /^(unknown|dont-know|not-sure)$/.test(answer.id) || /don.t know/i.test(answer.text);
}

/**
 * Mount the widget on its root element.
 * @param {HTMLElement} root the #find-my-fix element
 * @param {ReturnType<import("./engine-client.js").startEngine>} engine
 */
export function mountWidget(root, engine) {
  const $ = (selector) => root.querySelector(selector);
  const el = {
    toolbar: $("[data-diag-toolbar]"),
    back: $('[data-action="back"]'),
    status: $("[data-diag-status]"),
    message: $("[data-diag-message]"),
    live: $("[data-diag-live]"),
    plan: $("[data-diag-plan]"),
    planTitle: $("#diag-plan-title"),
    progress: $("[data-diag-progress]"),
    steps: $("[data-diag-steps]"),
    staticLists: $("[data-diag-static]"),
    summary: $("[data-diag-summary]"),
  };
  const firstForm = $("[data-diag-question]");
  const firstQuestionId = firstForm?.dataset.question;
  const firstFormTemplate = firstForm?.cloneNode(true);
  let form = firstForm;

  const state = {
    events: [],
    result: null,
    catalog: null,
    ready: false,
    failed: false,
    queued: null,
    gaveUp: false,
    busy: false,
    ios: loadIOS() ?? detectIOS() ?? IOS_VERSIONS[0].value,
  };

  // --- Small helpers --------------------------------------------------------------------

  const setStatus = (text) => {
    el.status.textContent = text;
  };
  const announce = (text) => {
    el.live.textContent = "";
    // A fresh text node after clearing makes screen readers announce repeated messages too.
    requestAnimationFrame(() => {
      el.live.textContent = text;
    });
  };
  const showMessage = (text) => {
    el.message.replaceChildren(
      h("p", {}, text),
      h("button", { type: "button", class: "diag-button", "data-action": "restart" }, "Start over"),
    );
    el.message.hidden = false;
  };
  const clearMessage = () => {
    el.message.hidden = true;
    el.message.replaceChildren();
  };
  const iosLabel = () => IOS_VERSIONS.find((v) => v.value === state.ios)?.label ?? IOS_VERSIONS[0].label;

  // --- The iOS version control, share box and give-up button (JS only) ------------------

  const iosSelect = h(
    "select",
    { id: "diag-ios", class: "diag-ios__select", "aria-describedby": "diag-ios-hint" },
    IOS_VERSIONS.map((v) => h("option", { value: v.value }, v.label)),
  );
  iosSelect.value = state.ios;
  const guessed = detectIOS() !== null;
  const iosControl = h(
    "div",
    { class: "diag-ios" },
    h("label", { for: "diag-ios", class: "diag-ios__label" }, "Your iOS version"),
    iosSelect,
    h(
      "p",
      { id: "diag-ios-hint", class: "diag-ios__hint" },
      guessed ? "Guessed from this browser; change it if it is wrong." : "Find it in Settings › General › About.",
    ),
  );
  el.steps.before(iosControl);

  const shareInput = h("input", { id: "diag-share-url", class: "diag-share__input", type: "text", readonly: true });
  const share = h(
    "div",
    { class: "diag-share", hidden: true },
    h("label", { for: "diag-share-url" }, "Link to this session"),
    h(
      "div",
      { class: "diag-share__row" },
      shareInput,
      h("button", { type: "button", class: "diag-button", "data-action": "copy-link" }, "Copy link"),
    ),
  );
  const giveUp = h(
    "p",
    { class: "diag-giveup", hidden: true },
    h("button", { type: "button", class: "diag-button", "data-action": "give-up" }, "Stop here and get a summary"),
  );
  el.plan.append(giveUp, share);

  // --- Rendering ------------------------------------------------------------------------

  function questionForm(ask) {
    if (ask.id === firstQuestionId && firstFormTemplate) {
      const clone = firstFormTemplate.cloneNode(true);
      return clone;
    }
    const qid = ask.id;
    const answers = [...ask.answers];
    if (!answers.some(isDontKnow)) answers.push({ id: "unknown", text: "I don't know" });
    const hintId = ask.hint ? `diag-hint-${qid}` : null;
    return h(
      "form",
      { class: "diag-question", "data-diag-question": true, "data-question": qid, action: "#find-my-fix", method: "get" },
      h(
        "fieldset",
        { class: "diag-fieldset", "aria-describedby": hintId },
        h("legend", { class: "diag-legend" }, h("h2", { class: "diag-question__title", tabindex: "-1" }, ask.text)),
        ask.hint ? h("p", { class: "diag-hint", id: hintId }, ask.hint) : null,
        h(
          "div",
          { class: "diag-radios" },
          answers.map((answer, index) => {
            const id = index === 0 ? `diag-answer-${qid}` : `diag-answer-${qid}-${index}`;
            return h(
              "div",
              { class: "diag-radio", "data-answer": answer.id },
              h("input", { class: "diag-radio__input", type: "radio", id, name: "answer", value: answer.id }),
              h(
                "label",
                { class: "diag-radio__label", for: id },
                h("span", { class: "diag-radio__text" }, answer.text),
                answer.hint ? h("span", { class: "diag-radio__hint" }, answer.hint) : null,
              ),
            );
          }),
        ),
      ),
      h("button", { type: "submit", class: "md-button md-button--primary diag-continue" }, "Continue"),
    );
  }

  function whyBlock(step, result) {
    const why = step.why;
    const items = [];
    if (typeof why === "string") items.push(h("p", {}, why));
    else if (Array.isArray(why)) items.push(h("ul", {}, why.map((w) => h("li", {}, typeof w === "string" ? w : JSON.stringify(w)))));
    else if (why && typeof why === "object") {
      if (why.summary) items.push(h("p", {}, why.summary));
      const causes = why.causes ?? [];
      if (causes.length)
        items.push(
          h("p", {}, "It treats:"),
          h(
            "ul",
            {},
            causes.map((c) =>
              h("li", {}, c.title ?? c.id, c.probability !== undefined ? ` (${Math.round(c.probability * 100)}% likely now)` : ""),
            ),
          ),
        );
      const answers = why.answers ?? why.because ?? [];
      if (answers.length)
        items.push(
          h("p", {}, "Because you said:"),
          h("ul", {}, answers.map((a) => h("li", {}, typeof a === "string" ? a : a.text ?? a.answer ?? JSON.stringify(a)))),
        );
    }
    if (step.probability !== undefined)
      items.push(h("p", {}, `Chance this fixes it: about ${Math.round(step.probability * 100)}%.`));
    const moved = result.explanation?.moved_by ?? [];
    if (moved.length)
      items.push(
        h("p", {}, "What your answers changed:"),
        h("ul", {}, moved.map((m) => h("li", {}, `${m.event}. ${m.effect}`))),
      );
    if (result.explanation?.order) items.push(h("p", { class: "diag-why__order" }, result.explanation.order));
    return h("details", { class: "diag-why" }, h("summary", {}, "Why this step?"), items);
  }

  function howToBlock(step, open) {
    const body = h("div", { class: "diag-howto__body", "data-diag-howto": step.url });
    const details = h(
      "details",
      { class: "diag-howto", open },
      h("summary", {}, "Show the steps"),
      body,
    );
    const fill = () => fillSteps(body, step);
    if (open) fill();
    details.addEventListener("toggle", () => details.open && !body.dataset.loaded && fill(), { once: false });
    return details;
  }

  async function fillSteps(body, step) {
    body.dataset.loaded = "loading";
    body.setAttribute("aria-busy", "true");
    body.replaceChildren(h("p", { class: "diag-howto__loading" }, "Loading the steps…"));
    try {
      const fragment = await loadSteps(step.url, iosLabel());
      body.replaceChildren(fragment);
      body.dataset.loaded = state.ios;
    } catch (error) {
      body.replaceChildren(
        h("p", {}, "The steps could not be loaded here (", String(error.message ?? error), "). "),
        h("p", {}, h("a", { href: new URL(step.url, new URL("../../", import.meta.url)).href }, "Open the full article")),
      );
      delete body.dataset.loaded;
    } finally {
      body.removeAttribute("aria-busy");
    }
  }

  function stepItem(step, index, result, full) {
    const href = new URL(step.url, new URL("../../", import.meta.url)).href;
    const head = h(
      "span",
      { class: "diag-step__head" },
      h("a", { class: "diag-step__title", href }, step.title),
      " ",
      h(
        "span",
        { class: "diag-step__meta" },
        h("span", { class: "diag-minutes" }, minutesText(step.minutes)),
        " ",
        h("span", { class: `diag-risk diag-risk--${step.risk}` }, riskText(step.risk)),
        step.escalation ? [" ", h("span", { class: "diag-risk diag-risk--help" }, "Ask for help")] : null,
      ),
    );
    const children = [head];
    if (full) {
      if (step.risk_note) children.push(h("p", { class: "diag-step__note" }, step.risk_note));
      children.push(howToBlock(step, index === 0));
      children.push(whyBlock(step, result));
      children.push(
        h("p", { class: "diag-step__article" }, h("a", { href }, `Read the full article: ${step.title}`)),
      );
    }
    children.push(
      h(
        "div",
        { class: "diag-outcomes", role: "group", "aria-label": `Did “${step.title}” help?` },
        OUTCOME_BUTTONS.map(({ outcome, label }) =>
          h("button", { type: "button", class: "diag-button diag-outcome", "data-outcome": outcome, "data-fix": step.id }, label),
        ),
      ),
    );
    return h("li", { class: full ? "diag-step diag-step--full" : "diag-step", "data-fix": step.id }, children);
  }

  function renderPlan(result) {
    const plan = result.plan ?? [];
    const main = plan.slice(0, MAIN_STEPS);
    const rest = plan.slice(MAIN_STEPS);
    el.steps.replaceChildren(...main.map((step, i) => stepItem(step, i, result, true)));
    el.steps.start = 1;
    el.plan.querySelector(".diag-more")?.remove();
    if (rest.length) {
      el.steps.after(
        h(
          "details",
          { class: "diag-more" },
          h("summary", {}, `More fixes, in order (${rest.length})`),
          h("ol", { class: "diag-steps", start: main.length + 1 }, rest.map((step, i) => stepItem(step, i + main.length, result, false))),
        ),
      );
    }
    const parts = [`Step ${state.events.length + 1}.`];
    if (Number.isFinite(result.expected_minutes))
      parts.push(`Expected time left: about ${Math.max(1, Math.round(result.expected_minutes))} minutes.`);
    const ruled = result.ruled_out ?? [];
    el.progress.replaceChildren(
      parts.join(" "),
      ...(ruled.length ? [h("br"), `Ruled out: ${ruled.map((r) => r.title).join("; ")}.`] : []),
    );
    el.planTitle.textContent = plan.length ? "Try these in this order" : "No steps left to try";
  }

  function renderQuestion(result) {
    const ask = !result.done && !state.gaveUp ? result.ask : null;
    if (!ask) {
      form.hidden = true;
      return false;
    }
    if (form.dataset.question === ask.id && form === firstForm && state.events.length === 0) {
      form.hidden = false;
      return true;
    }
    const next = questionForm(ask);
    form.replaceWith(next);
    form = next;
    return true;
  }

  function renderSummaryIfNeeded(result) {
    const fixed = (result.tried ?? []).find((t) => t.outcome === "fixed");
    let reason = null;
    if (fixed) reason = `Fixed: “${fixed.title}” solved it. Here is what you did, in case it comes back.`;
    else if (state.gaveUp) reason = "You stopped here. Show this to your carrier or to Apple Support so they can start where you left off.";
    else if (result.escalate)
      reason = "The steps that are safe to try yourself have run out. Show this to your carrier or to Apple Support so they can start where you left off.";
    if (!reason) {
      el.summary.hidden = true;
      el.summary.replaceChildren();
      state.summaryText = "";
      return false;
    }
    const { nodes, text } = renderSummary({ events: state.events, result, catalog: state.catalog, reason });
    el.summary.replaceChildren(...nodes);
    el.summary.hidden = false;
    state.summaryText = text;
    return true;
  }

  function render({ focus }) {
    const result = state.result;
    const asked = renderQuestion(result);
    renderPlan(result);
    const summary = renderSummaryIfNeeded(result);
    el.back.disabled = state.events.length === 0 && !state.gaveUp;
    share.hidden = state.events.length === 0;
    shareInput.value = state.events.length ? shareLink(result.session) : "";
    giveUp.hidden = summary || state.events.length === 0;
    const first = result.plan?.[0];
    const said = [];
    if (asked) said.push(`Next question: ${result.ask.text}`);
    if (first) said.push(`Plan updated. First try: ${first.title}, ${minutesText(first.minutes)}.`);
    if (summary) said.push("A summary of what you tried is ready below.");
    announce(said.join(" "));
    root.dataset.step = String(state.events.length);
    if (focus === "auto") {
      const target = summary ? el.summary.querySelector("h2") : asked ? form.querySelector("h2") : el.planTitle;
      target?.focus();
    }
    root.dispatchEvent(new CustomEvent("diag:rendered", { detail: { step: result.step } }));
  }

  // --- Talking to the engine ----------------------------------------------------------------

  async function apply(events, { focus = "auto", restoring = false } = {}) {
    state.busy = true;
    root.setAttribute("aria-busy", "true");
    try {
      const result = await engine.request("next", { events });
      state.events = events;
      state.result = result;
      save(events);
      writeFragment(events.length ? result.session : "");
      render({ focus });
      return true;
    } catch (error) {
      if (restoring) {
        showMessage(`Your earlier session could not be restored (${error.message}). You are starting afresh.`);
        save([]);
        writeFragment("");
        return apply([], { focus: "none" });
      }
      showMessage(`Something went wrong: ${error.message}.`);
      return false;
    } finally {
      state.busy = false;
      root.removeAttribute("aria-busy");
    }
  }

  async function restoreEvents() {
    const fragment = readFragment();
    if (fragment.session !== undefined) {
      try {
        const decoded = await engine.request("decode", fragment.session);
        return decoded.events;
      } catch (error) {
        showMessage(`This share link is damaged or out of date, so it could not be restored (${error.message}). You are starting afresh.`);
        save([]);
        writeFragment("");
        return [];
      }
    }
    if (fragment.symptom !== undefined) {
      const known = state.catalog?.questions?.find((q) => q.id === firstQuestionId)?.answers?.some((a) => a.id === fragment.symptom);
      if (known === false) {
        showMessage("That link names a symptom this tool doesn't know. You are starting afresh.");
        writeFragment("");
        return [];
      }
      return [{ question: firstQuestionId, answer: fragment.symptom }];
    }
    return loadSaved() ?? [];
  }

  async function start() {
    const queued = state.queued; // answered while the engine loaded: that answer wins
    state.queued = null;
    const events = queued ?? (await restoreEvents());
    el.staticLists.hidden = true;
    setStatus(events.length ? "Your plan is below." : "Answer the question, and the plan below updates.");
    await apply(events, { focus: queued ? "auto" : "none", restoring: !queued && events.length > 0 });
  }

  // --- Events -------------------------------------------------------------------------------------

  root.addEventListener("submit", (event) => {
    event.preventDefault();
    const target = /** @type {any} */ (event.target).closest("[data-diag-question]");
    if (!target) return;
    const choice = target.querySelector("input[name=answer]:checked");
    const error = target.querySelector(".diag-error");
    if (!choice) {
      if (!error) {
        const message = h("p", { class: "diag-error", id: `diag-error-${target.dataset.question}` }, "Choose an answer, or “I don't know”.");
        target.querySelector(".diag-radios").before(message);
        target.querySelector("fieldset").setAttribute("aria-describedby", message.id);
      }
      target.querySelector("input[name=answer]")?.focus();
      return;
    }
    error?.remove();
    const answer = { question: target.dataset.question, answer: choice.value };
    if (state.failed) {
      /** @type {HTMLDetailsElement | null} */
      const list = root.querySelector(`[data-diag-static] details[data-symptom="${CSS.escape(choice.value)}"]`);
      if (list) {
        list.open = true;
        list.querySelector("summary").focus();
      }
      return;
    }
    if (!state.ready) {
      state.queued = [answer];
      setStatus(state.failed ? el.status.textContent : "Got it. Your plan appears here as soon as the tool has loaded.");
      announce("Answer saved. Your plan appears as soon as the tool has loaded.");
      return;
    }
    if (!state.busy) apply([...state.events, answer]);
  });

  root.addEventListener("click", async (event) => {
    const button = /** @type {any} */ (event.target).closest("button[data-action], button[data-outcome]");
    if (!button || !state.ready) return;
    const action = button.dataset.action;
    if (button.dataset.outcome) {
      if (!state.busy) apply([...state.events, { fix: button.dataset.fix, outcome: button.dataset.outcome }]);
    } else if (action === "back") {
      if (state.gaveUp) {
        state.gaveUp = false;
        render({ focus: "auto" });
      } else if (state.events.length && !state.busy) apply(state.events.slice(0, -1));
    } else if (action === "restart") {
      clearMessage();
      state.gaveUp = false;
      await apply([]);
      setStatus("Answer the question, and the plan below updates.");
    } else if (action === "give-up") {
      state.gaveUp = true;
      render({ focus: "auto" });
    } else if (action === "copy-link") {
      await copyText(shareInput.value, shareInput);
    } else if (action === "copy-summary") {
      await copyText(state.summaryText);
    } else if (action === "print") {
      window.print();
    }
  });

  async function copyText(text, input) {
    try {
      await navigator.clipboard.writeText(text);
      announce("Copied.");
    } catch {
      if (input) {
        input.select();
        announce("Press Ctrl+C or Copy to copy the selected link.");
      } else announce("Copying is blocked in this browser: select the text and copy it.");
    }
  }

  iosSelect.addEventListener("change", () => {
    state.ios = iosSelect.value;
    saveIOS(state.ios);
    for (const body of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll("[data-diag-howto][data-loaded]"))) {
      const step = state.result?.plan?.find((s) => s.url === body.dataset.diagHowto);
      if (step) fillSteps(body, step);
    }
    announce(`Showing steps for ${iosLabel()}.`);
  });

  // --- Start ---------------------------------------------------------------------------------------

  el.toolbar.hidden = false;
  el.back.disabled = true;
  const fragment = readFragment();
  if (fragment.symptom && firstForm) {
    const radio = [...firstForm.querySelectorAll("input[name=answer]")].find((r) => r.value === fragment.symptom);
    if (radio) radio.checked = true;
  }
  setStatus("Loading the tool. You can answer the first question now.");

  engine.ready.then(
    ({ catalog }) => {
      state.catalog = catalog;
      state.ready = true;
      root.dataset.engine = "ready";
      return start();
    },
    (error) => {
      state.failed = true;
      root.dataset.engine = "failed";
      el.toolbar.hidden = true;
      setStatus(
        `The step-by-step tool could not start in this browser (${error.message}). ` +
          "The checklist below still works: try the steps in this order.",
      );
      el.staticLists.hidden = false;
      iosControl.hidden = true;
      announce("The step-by-step tool could not start. Use the checklist.");
    },
  );
}

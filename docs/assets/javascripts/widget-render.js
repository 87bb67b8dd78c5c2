// Rendering: the widget's DOM as a function of its state. Markup comes from the build's
// <template>s (templates.js), words from the engine's `view` or the page's static words
// (diag/view.py); nothing here writes wording of its own.

import { clone, fill, fillList, format, slot } from "./templates.js";
import { loadSteps } from "./steps.js";
import { renderSummary } from "./summary.js";

const SITE_ROOT = new URL("../../", import.meta.url);

/** @param {string} url a site-relative URL from the engine */
export function siteURL(url) {
  return new URL(url, SITE_ROOT).href;
}

/** The parts of #find-my-fix the widget updates. */
export class WidgetView {
  /**
   * @param {HTMLElement} root
   * @param {Record<string, string>} words static words (diag.view.static_words)
   */
  constructor(root, words) {
    /** @param {string} selector */
    const $ = (selector) => /** @type {HTMLElement} */ (root.querySelector(selector));
    this.root = root;
    this.words = words;
    this.status = $("[data-diag-status]");
    this.message = $("[data-diag-message]");
    this.toolbar = $("[data-diag-toolbar]");
    this.undo = $("[data-diag-undo]");
    this.live = $("[data-diag-live]");
    this.plan = $("[data-diag-plan]");
    this.planTitle = $("#diag-plan-title");
    this.progress = $("[data-diag-progress]");
    this.steps = $("[data-diag-steps]");
    this.ending = $("[data-diag-ending]");
    this.more = /** @type {HTMLDetailsElement} */ ($("[data-diag-more]"));
    this.later = $("[data-diag-later]");
    this.why = $("[data-diag-why]");
    this.ios = /** @type {HTMLSelectElement} */ ($("#diag-ios"));
    this.iosHint = $("#diag-ios-hint");
    this.shareInput = /** @type {HTMLInputElement} */ ($("#diag-share-url"));
    this.giveUp = $("[data-diag-giveup]");
    this.summary = $("[data-diag-summary]");
    this.checklist = /** @type {HTMLDetailsElement} */ ($("[data-diag-static]"));
    this.waiting = $("[data-diag-waiting]");
    this.form = /** @type {HTMLFormElement} */ ($("[data-diag-question]"));
    this.firstForm = this.form;
    /** @type {string[]} the iOS tab labels to show in inline steps, best first */
    this.iosTabs = [];
  }

  /** @param {string} text */
  setStatus(text) {
    this.status.textContent = text;
  }

  /** @param {string} text read aloud by screen readers */
  announce(text) {
    this.live.textContent = "";
    // A fresh text node after clearing makes screen readers announce repeated messages too.
    requestAnimationFrame(() => {
      this.live.textContent = text;
    });
  }

  /**
   * Loading progress in words: "Getting the tool ready: 2.1 of 4.2 MB".
   * @param {{stage: string, loaded: number, total: number | null}} progress
   */
  progressText({ stage, loaded, total }) {
    if (stage === "start") return this.words.starting;
    if (stage === "ready") return this.words.ready;
    const mb = (/** @type {number} */ bytes) => (bytes / 1e6).toFixed(1);
    if (total) return format(this.words.download, { loaded: mb(loaded), total: mb(total) });
    if (loaded) return format(this.words.download_unknown, { loaded: mb(loaded) });
    return this.words.loading;
  }

  /**
   * A message above the question; `retry` adds the Retry button.
   * @param {string} text
   * @param {{after?: string, retry?: boolean}} [options]
   */
  showMessage(text, { after = "", retry = false } = {}) {
    const node = clone(this.root, retry ? "failure" : "message");
    fill(node, { text, after });
    this.message.replaceChildren(...(node.matches("div:not([class])") ? node.childNodes : [node]));
    this.message.hidden = false;
  }

  /** @param {string} text what the page waits for ("" hides it) */
  showWaiting(text) {
    this.waiting.textContent = text;
    this.waiting.hidden = !text;
  }

  /**
   * "Choose an answer": shown above the answers, tied to the fieldset, focus on the first answer.
   * @param {HTMLFormElement} form
   * @param {string} text
   */
  showChoiceError(form, text) {
    let error = form.querySelector(".diag-error");
    if (!error) {
      error = clone(this.root, "message");
      error.className = "diag-error";
      error.id = `diag-error-${form.dataset.question}`;
      fill(error, { text });
      form.querySelector(".diag-radios")?.before(error);
      form.querySelector("fieldset")?.setAttribute("aria-describedby", error.id);
    }
    /** @type {HTMLElement | null} */ (form.querySelector("input[name=answer]"))?.focus();
  }

  /** @param {HTMLFormElement} form */
  clearChoiceError(form) {
    form.querySelector(".diag-error")?.remove();
  }

  clearMessage() {
    this.message.hidden = true;
    this.message.replaceChildren();
  }

  /**
   * The question the engine asks, as a form cloned from the template (the first question is the
   * one the build rendered, with its drawings). Returns whether a question is shown.
   * @param {any} ask
   * @param {string | null} selected answer id to check (Back restores the earlier answer)
   */
  showQuestion(ask, selected) {
    if (!ask) {
      this.form.hidden = true;
      return false;
    }
    let next = this.form;
    if (ask.id === this.firstForm.dataset.question) next = this.firstForm;
    else if (this.form.dataset.question !== ask.id || this.form === this.firstForm) next = /** @type {HTMLFormElement} */ (this.questionForm(ask));
    if (next !== this.form) {
      this.form.replaceWith(next);
      this.form = /** @type {HTMLFormElement} */ (next);
    } else if (next !== this.firstForm) {
      // The same question again, e.g. after the iOS version changed: its hint names that version's path.
      const hint = slot(this.form, "hint");
      if (hint && ask.hint) hint.textContent = ask.hint;
    }
    this.form.hidden = false;
    this.form.querySelector(".diag-error")?.remove();
    for (const input of this.form.querySelectorAll("input[name=answer]")) {
      /** @type {HTMLInputElement} */ (input).checked = /** @type {HTMLInputElement} */ (input).value === selected;
    }
    return true;
  }

  /** @param {any} ask */
  questionForm(ask) {
    const form = clone(this.root, "question");
    form.dataset.question = ask.id;
    fill(form, { text: ask.text, hint: ask.hint });
    const fieldset = /** @type {HTMLElement} */ (form.querySelector("fieldset"));
    const hint = slot(form, "hint");
    if (ask.hint && hint) {
      hint.id = `diag-hint-${ask.id}`;
      fieldset.setAttribute("aria-describedby", hint.id);
    } else fieldset.removeAttribute("aria-describedby");
    const answers = /** @type {HTMLElement} */ (slot(form, "answers"));
    answers.replaceChildren(
      ...ask.answers.map((/** @type {any} */ answer, /** @type {number} */ index) => {
        const row = clone(this.root, "answer");
        const id = index === 0 ? `diag-answer-${ask.id}` : `diag-answer-${ask.id}-${index}`;
        row.dataset.answer = answer.id;
        const input = /** @type {HTMLInputElement} */ (row.querySelector("input"));
        input.id = id;
        input.value = answer.id;
        /** @type {HTMLLabelElement} */ (row.querySelector("label")).htmlFor = id;
        fill(row, { text: answer.text, hint: answer.hint });
        return row;
      }),
    );
    return form;
  }

  /**
   * The plan: the top step with its instructions, who can fix what is left, why, then the rest.
   * @param {any} result
   * @param {{shareLink: string, showPlan: boolean, showGiveUp: boolean}} options
   */
  showPlan(result, { shareLink, showPlan, showGiveUp }) {
    this.plan.hidden = !showPlan;
    if (!showPlan) return;
    const view = result.view;
    const plan = result.plan ?? [];
    this.planTitle.textContent = view.heading;
    this.progress.textContent = view.progress;
    this.steps.replaceChildren(...plan.slice(0, 1).map((/** @type {any} */ step) => this.stepItem("top-step", step, view.plan[0])));
    this.later.replaceChildren(
      ...plan.slice(1).map((/** @type {any} */ step, /** @type {number} */ i) => this.stepItem("later-step", step, view.plan[i + 1])),
    );
    this.more.hidden = plan.length < 2;
    fill(this.more, { more: view.more });
    this.ending.replaceChildren(...(result.ending ? [this.endingBox(result.ending)] : []));
    this.why.replaceChildren(...(plan.length || view.ruled_out.length ? [this.whyBox(result)] : []));
    this.shareInput.value = shareLink;
    this.giveUp.hidden = !showGiveUp;
    const top = this.steps.querySelector("[data-diag-howto]");
    if (top && plan[0]) this.fillSteps(/** @type {HTMLElement} */ (top), plan[0]);
  }

  /**
   * @param {string} template "top-step" | "later-step"
   * @param {any} step a plan item
   * @param {any} words its `view.plan` entry
   */
  stepItem(template, step, words) {
    const item = clone(this.root, template);
    const href = siteURL(step.url);
    item.dataset.fix = step.id;
    fill(item, { title: step.title, who: words.who, minutes: words.minutes, risk: words.risk, risk_note: step.risk_note });
    for (const link of item.querySelectorAll("[data-slot=title], [data-slot=article]")) link.setAttribute("href", href);
    const risk = slot(item, "risk");
    if (risk) risk.className = `diag-risk diag-risk--${step.risk}`;
    const who = slot(item, "who");
    if (who) who.classList.add("diag-who", `diag-who--${step.who ?? "you"}`);
    const forThem = slot(item, "forthem");
    if (forThem) forThem.hidden = !words.for_them;
    const askThem = slot(item, "askthem");
    if (askThem) askThem.hidden = !words.ask_them;
    fill(item, { ask_message: words.ask_them });
    for (const button of item.querySelectorAll("[data-fix]")) /** @type {HTMLElement} */ (button).dataset.fix = step.id;
    item.querySelector(".diag-outcomes")?.setAttribute("aria-label", words.outcomes_label);
    return item;
  }

  /** @param {any} ending the engine's ending: who can fix what is left, and words to send them */
  endingBox(ending) {
    const box = clone(this.root, "ending");
    fill(box, { title: ending.title, text: ending.text, message: ending.message });
    const copy = box.querySelector('[data-action="copy-message"]');
    if (copy) /** @type {HTMLElement} */ (copy).hidden = !ending.message;
    return box;
  }

  /** @param {any} result */
  whyBox(result) {
    const box = clone(this.root, "why");
    const explanation = result.explanation ?? {};
    const details = Array.isArray(explanation.details) ? explanation.details.join(" ") : explanation.details;
    fill(box, { why: explanation.why ?? result.plan?.[0]?.why, details });
    fillList(box, "facts", result.view.facts ?? [], "facts-block");
    fillList(box, "ruled", result.view.ruled_out ?? [], "ruled-block");
    return box;
  }

  /**
   * Put a fix page's own Steps section (for the chosen iOS version) inside its plan step.
   * @param {HTMLElement} body
   * @param {any} step
   */
  async fillSteps(body, step) {
    body.dataset.loaded = "loading";
    body.setAttribute("aria-busy", "true");
    const loading = document.createElement("p");
    loading.className = "diag-howto__loading";
    loading.textContent = this.words.steps_loading;
    body.replaceChildren(loading);
    try {
      body.replaceChildren(await loadSteps(step.url, this.iosTabs));
      body.dataset.loaded = this.iosTabs[0] ?? "any";
    } catch {
      const failed = document.createElement("p");
      failed.textContent = this.words.steps_failed;
      body.replaceChildren(failed);
      delete body.dataset.loaded;
    } finally {
      body.removeAttribute("aria-busy");
    }
  }

  /** Reload every inline Steps section (the iOS version changed). */
  refillSteps(/** @type {any} */ result) {
    for (const body of this.root.querySelectorAll("[data-diag-howto][data-loaded]")) {
      const fix = /** @type {HTMLElement} */ (body.closest("[data-fix]")).dataset.fix;
      const step = result?.plan?.find((/** @type {any} */ s) => s.id === fix);
      if (step) this.fillSteps(/** @type {HTMLElement} */ (body), step);
    }
  }

  /**
   * The hand-over summary, or nothing. Returns the text "Copy summary" copies ("" when hidden).
   * @param {any} result
   * @param {"fixed" | "stopped" | "end" | null} reason
   */
  showSummary(result, reason) {
    if (!reason) {
      this.summary.hidden = true;
      this.summary.replaceChildren();
      return "";
    }
    const { node, text } = renderSummary(clone(this.root, "summary"), result.view.summary, reason);
    this.summary.replaceChildren(...node.childNodes);
    this.summary.hidden = false;
    return text;
  }

  /**
   * Back and Start over, shown once the person has answered something; the undo bar after Start over.
   * @param {import("./widget-state.js").WidgetState} state
   */
  showControls(state) {
    this.toolbar.hidden = state.step === 0 && !state.gaveUp;
    this.undo.hidden = !state.cleared || state.step > 0;
  }

  /**
   * The root's test and style hooks.
   * @param {import("./widget-state.js").WidgetState} state
   */
  mark(state) {
    this.root.dataset.step = String(state.step);
    if (state.source) this.root.dataset.source = state.source;
  }
}

// The "Find my fix" widget: one question at a time, then the plan, its top step first with its
// instructions, outcomes per step, Back / Start over (with undo) / share, and a hand-over summary.
//
// It enhances the HTML the build rendered into #find-my-fix. The first two taps are answered at
// once from results the build precomputed with the same engine (widget-state.js), so a plan shows
// while the runtime still downloads; once the engine is ready it answers everything, with the
// same output, so the hand-over has no seam. Modules: widget-state.js (state, result source),
// widget-render.js (DOM), widget-events.js (input), engine-client.js (the worker).

import { save, loadSaved, readFragment, writeFragment, shareLink, loadIOS, saveIOS } from "./session-store.js";
import { guessIOS } from "./ios-version.js";
import { format } from "./templates.js";
import { bindEvents } from "./widget-events.js";
import { WidgetView, siteURL } from "./widget-render.js";
import { IOS_QUESTION, ResultSource, WidgetState, personEvents, withIOS } from "./widget-state.js";

/** Most space between Back / Start over and the next question for the two to come into view together. */
const TOOLBAR_GAP_PX = 120;

/**
 * Mount the widget on its root element.
 * @param {HTMLElement} root the #find-my-fix element
 * @param {any} engine from engine-client.js startEngine(): {ready, request, onProgress?, retry?}
 * @param {{restartEngine: () => any}} options how to start a fresh engine for Retry
 */
export function mountWidget(root, engine, { restartEngine }) {
  const words = JSON.parse(root.querySelector("[data-diag-words]")?.textContent ?? "{}");
  const view = new WidgetView(root, words);
  const state = new WidgetState();
  const firstQuestion = view.firstForm.dataset.question ?? "";
  /** @type {any} */
  let catalog = null;
  let summaryText = "";
  let applying = 0;
  /** @type {string | null} a share link's session, decoded once the engine is ready */
  let pendingLink = null;
  /** Options of the apply() that waits for the engine. */
  let waitingOptions = {};

  // --- The iOS version: a saved choice, else a guess that is sure, else unknown (the engine asks) ---
  const iosOptions = [...view.ios.options].map((o) => o.value).filter(Boolean);
  const knowsIOSQuestion = view.ios.hasAttribute("data-diag-ios-question");
  const saved = loadIOS();
  const guess = guessIOS();
  state.ios = knowsIOSQuestion ? (saved && iosOptions.includes(saved) ? saved : guess) : null;
  view.ios.value = state.ios ?? "";
  view.iosHint.textContent = state.ios && !saved ? words.ios_guessed : words.ios_unknown;
  setIOSTabs();

  const source = new ResultSource(new URL(`../diag/precomputed/${state.ios ?? "any"}/`, import.meta.url));

  function setIOSTabs() {
    const option = view.ios.selectedOptions[0];
    view.iosTabs = (option?.dataset.iosTabs ?? "").split("|").filter(Boolean);
  }

  // --- Rendering the state ------------------------------------------------------------------------

  /** @param {{focus?: boolean, selected?: string | null}} [options] */
  function render({ focus = false, selected = null } = {}) {
    const result = state.result;
    view.showControls(state);
    view.mark(state);
    if (!result || state.step === 0) {
      view.showQuestion({ id: firstQuestion }, selected);
      view.showPlan(result ?? {}, { shareLink: "", showPlan: false, showGiveUp: false });
      summaryText = view.showSummary(result, null);
      if (focus) moveTo(view.form.querySelector("h2"));
      return;
    }
    if (root.dataset.engine === "ready") view.setStatus(""); // "Answer the question…" has been done
    const fixed = (result.tried ?? []).some((/** @type {any} */ t) => t.outcome === "fixed");
    const ended = result.escalate || !!result.ending || !(result.plan ?? []).length;
    const reason = fixed ? "fixed" : state.gaveUp ? "stopped" : ended ? "end" : null;
    const asked = view.showQuestion(fixed || state.gaveUp || result.done ? null : result.ask, selected);
    view.showPlan(result, { shareLink: shareLink(result.session), showPlan: !fixed, showGiveUp: !reason });
    summaryText = view.showSummary(result, reason);
    view.announce([result.view.announce, reason ? words.summary_ready : ""].filter(Boolean).join(" "));
    if (focus) {
      // The summary comes first only when nothing is left to do here; otherwise the next question
      // or the top step (an ending's summary waits below the plan).
      const summaryFirst = reason === "fixed" || reason === "stopped" || !(result.plan ?? []).length;
      const target = summaryFirst && !asked ? view.summary.querySelector("h2") : asked ? view.form.querySelector("h2") : view.planTitle;
      moveTo(target);
    }
    root.dispatchEvent(new CustomEvent("diag:rendered", { detail: { step: state.step, source: state.source } }));
  }

  /** Focus a heading and bring it to the top of the screen (under the theme's header). */
  function moveTo(/** @type {Element | null} */ target) {
    if (!(target instanceof HTMLElement)) return;
    target.focus({ preventScroll: true });
    const block = target.closest("form, section") ?? target;
    const bar = view.toolbar;
    const barShown = !bar.hidden;
    // Back and Start over sit just above the next question: bring them into view whole with it.
    if (barShown && block instanceof HTMLFormElement && block.getBoundingClientRect().top - bar.getBoundingClientRect().bottom < TOOLBAR_GAP_PX) {
      bar.scrollIntoView({ block: "start" });
      return;
    }
    block.scrollIntoView({ block: "start" });
    // The plan keeps its top step's first instructions on the first screen, so Back and Start over
    // go up out of view whole rather than stay cut in half under the theme's header.
    const header = document.querySelector(".md-header")?.getBoundingClientRect().bottom ?? 0;
    const barBox = bar.getBoundingClientRect();
    if (barShown && barBox.top < header && barBox.bottom > header) window.scrollBy(0, barBox.bottom - header);
  }

  // --- Moving the session -------------------------------------------------------------------------

  /**
   * Show the result for `events`: at once when it is precomputed or the engine is ready; otherwise
   * wait for the engine, with its progress in view.
   * @param {SessionEventList} events
   * @param {{focus?: boolean, selected?: string | null, restoring?: boolean}} [options]
   */
  async function apply(events, options = {}) {
    const ticket = ++applying;
    root.setAttribute("aria-busy", "true");
    try {
      const got = await source.resolve(events);
      if (ticket !== applying) return; // a later tap won
      if (!got) {
        state.waiting = events;
        waitingOptions = options;
        view.showWaiting(words.queued);
        view.announce(words.queued);
        return;
      }
      state.waiting = null;
      view.showWaiting("");
      state.events = events;
      state.result = got.result;
      state.source = got.source;
      if (state.step > 0) state.cleared = null;
      save(events);
      writeFragment(state.step ? got.result.session : "");
      render({ focus: options.focus ?? true, selected: options.selected ?? null });
    } catch (error) {
      if (options.restoring) {
        view.showMessage(words.restore_failed);
        save([]);
        writeFragment("");
      } else view.showMessage(format(words.error, { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      if (ticket === applying) root.removeAttribute("aria-busy");
    }
  }

  /** The events for a fresh session with these answers (the iOS version first when it is known). */
  function fresh(/** @type {SessionEventList} */ answers) {
    return withIOS(answers, state.ios);
  }

  // --- What a person does --------------------------------------------------------------------------

  bindEvents(root, {
    answer(form, question, answer) {
      if (!answer) {
        view.showChoiceError(form, words.choose);
        return;
      }
      view.clearChoiceError(form);
      if (question === IOS_QUESTION) rememberIOS(answer, false);
      const base = state.step === 0 ? fresh([]) : state.events;
      apply([...base, { question, answer }]);
    },
    outcome(fix, outcome) {
      apply([...state.events, { fix, outcome }]);
    },
    action(name, button) {
      const handler = ACTIONS[name];
      if (handler) handler(button);
    },
    ios(value) {
      rememberIOS(value, true);
      setIOSTabs();
      view.refillSteps(state.result);
      if (state.step > 0) apply(withIOS(state.events, state.ios), { focus: false });
      const label = view.ios.selectedOptions[0]?.textContent ?? "";
      view.announce(format(words.ios_changed, { label }));
    },
  });

  /** @param {string} value @param {boolean} chosen */
  function rememberIOS(value, chosen) {
    state.ios = value || null;
    if (chosen || value) saveIOS(value);
    view.ios.value = value;
    view.iosHint.textContent = words.ios_unknown;
  }

  /** @type {Record<string, (button: HTMLElement) => void>} */
  const ACTIONS = {
    back() {
      if (state.gaveUp) {
        state.gaveUp = false;
        render({ focus: true });
        return;
      }
      const mine = personEvents(state.events);
      const last = mine.at(-1);
      if (!last) return;
      const selected = "question" in last ? last.answer : null;
      apply(state.events.slice(0, -1), { selected });
    },
    restart() {
      view.clearMessage();
      state.cleared = state.events;
      state.gaveUp = false;
      state.waiting = null;
      applying++;
      state.events = fresh([]);
      state.result = null;
      save([]);
      writeFragment("");
      render({ focus: false });
      view.announce(words.cleared);
      /** @type {HTMLElement | null} */ (view.undo.querySelector("button"))?.focus();
    },
    "undo-restart"() {
      if (state.cleared) apply(state.cleared);
    },
    "give-up"() {
      state.gaveUp = true;
      render({ focus: true });
    },
    "copy-link"() {
      copyText(view.shareInput.value, view.shareInput);
    },
    "copy-summary"() {
      copyText(summaryText);
    },
    "copy-message"() {
      copyText(state.result?.ending?.message ?? "");
    },
    "copy-ask"(button) {
      copyText(button.closest("[data-slot=askthem]")?.querySelector("[data-slot=ask_message]")?.textContent ?? "");
    },
    print() {
      window.print();
    },
    "send-page"(button) {
      sendPage(button.dataset.fix ?? "");
    },
    retry() {
      view.clearMessage();
      engine = engine.retry?.() ?? restartEngine();
      root.dataset.engine = "loading";
      attach(engine);
    },
  };

  /** @param {string} text @param {HTMLInputElement} [input] */
  async function copyText(text, input) {
    try {
      await navigator.clipboard.writeText(text);
      view.announce(words.copied);
    } catch {
      if (input) {
        input.select();
        view.announce(words.copy_select);
      } else view.announce(words.copy_blocked);
    }
  }

  /** Send a step's page to the person who must do it: the share sheet where there is one, else copy the link. */
  async function sendPage(/** @type {string} */ fix) {
    const index = (state.result?.plan ?? []).findIndex((/** @type {any} */ s) => s.id === fix);
    if (index < 0) return;
    const step = state.result.plan[index];
    const url = siteURL(step.url);
    if (typeof navigator.share === "function") {
      try {
        await navigator.share({ title: step.title, text: state.result.view.plan[index].share_text, url });
        view.announce(words.shared);
      } catch {
        /* the person closed the share sheet */
      }
    } else await copyText(url);
  }

  // --- The engine: progress, ready, failure, retry ---------------------------------------------------

  /** @param {any} current */
  function attach(current) {
    current.onProgress?.((/** @type {any} */ progress) => {
      if (current !== engine || root.dataset.engine !== "loading") return;
      const text = view.progressText(progress);
      view.setStatus(text);
      if (state.waiting) view.showWaiting(`${words.queued} ${text}`);
    });
    current.ready.then(
      (/** @type {any} */ { catalog: loaded }) => {
        if (current !== engine) return;
        catalog = loaded;
        source.engine = current;
        root.dataset.engine = "ready";
        view.setStatus(state.step ? "" : words.ready);
        return resume();
      },
      (/** @type {any} */ error) => {
        if (current !== engine) return;
        root.dataset.engine = "failed";
        view.setStatus("");
        const reason = String(error?.message ?? error ?? "").replace(/\.$/, "");
        const text = format(words[`failed_${error?.kind}`] ?? words.failed_failed, { reason });
        view.showMessage(text, { after: words.failed_after, retry: true });
        view.checklist.open = true;
        view.announce(text);
      },
    );
  }

  /** Once the engine is ready: decode a share link, or apply what was tapped while it loaded. */
  async function resume() {
    if (pendingLink !== null) {
      const link = pendingLink;
      pendingLink = null;
      try {
        const decoded = await source.engine.request("decode", link);
        await apply(decoded.events, { focus: false });
      } catch {
        view.showMessage(words.link_damaged);
        save([]);
        writeFragment("");
      }
    } else if (state.waiting) await apply(state.waiting, waitingOptions);
  }

  // --- Start ---------------------------------------------------------------------------------------

  view.setStatus(words.loading);
  view.mark(state);
  const fragment = readFragment();
  if (fragment.session !== undefined) {
    pendingLink = fragment.session;
    view.showWaiting(words.queued);
  } else if (fragment.symptom !== undefined) {
    const known = view.firstForm.querySelector(`input[value="${CSS.escape(fragment.symptom)}"]`);
    if (known) apply(fresh([{ question: firstQuestion, answer: fragment.symptom }]), { focus: false });
    else {
      view.showMessage(words.unknown_symptom);
      writeFragment("");
    }
  } else {
    const earlier = loadSaved();
    if (earlier?.length) apply(earlier, { focus: false, restoring: true });
  }
  attach(engine);
}

/** @typedef {import("./widget-state.js").SessionEvent[]} SessionEventList */

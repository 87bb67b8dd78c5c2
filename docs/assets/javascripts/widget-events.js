// Events: what a person does in #find-my-fix, turned into calls on the widget's actions.
// Nothing here renders or keeps state.

/**
 * @typedef {object} WidgetActions
 * @property {(form: HTMLFormElement, question: string, answer: string | null) => void} answer
 * @property {(fix: string, outcome: string) => void} outcome
 * @property {(name: string, button: HTMLElement) => void} action a data-action button
 * @property {(ios: string) => void} ios the iOS version control changed
 */

/**
 * @param {HTMLElement} root
 * @param {WidgetActions} actions
 */
export function bindEvents(root, actions) {
  root.addEventListener("submit", (event) => {
    const form = /** @type {HTMLElement} */ (event.target).closest("[data-diag-question]");
    if (!form) return;
    event.preventDefault();
    const choice = /** @type {HTMLInputElement | null} */ (form.querySelector("input[name=answer]:checked"));
    actions.answer(/** @type {HTMLFormElement} */ (form), /** @type {string} */ (/** @type {HTMLElement} */ (form).dataset.question), choice?.value ?? null);
  });

  root.addEventListener("click", (event) => {
    const button = /** @type {HTMLElement | null} */ (
      /** @type {HTMLElement} */ (event.target).closest("button[data-action], button[data-outcome]")
    );
    if (!button) return;
    if (button.dataset.outcome) actions.outcome(/** @type {string} */ (button.dataset.fix), button.dataset.outcome);
    else actions.action(/** @type {string} */ (button.dataset.action), button);
  });

  root.addEventListener("change", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.id === "diag-ios") actions.ios(/** @type {HTMLSelectElement} */ (target).value);
  });
}

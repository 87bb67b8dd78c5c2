// When a page's engine has finished starting, for work that should wait for it.
//
// The Find my fix page marks its widget with data-engine="loading|ready|failed"
// (widget.js); pages without a widget have no [data-engine] element.

/**
 * Resolves once the page's engine has left "loading" (ready or failed), after at
 * most `maxWaitMs`; at once on a page without an engine.
 */
export function engineSettled(maxWaitMs) {
  return new Promise((resolve) => {
    /** @type {HTMLElement | null} */
    const engine = document.querySelector("[data-engine]");
    if (!engine || engine.dataset.engine !== "loading") return resolve();
    const done = () => {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    };
    const observer = new MutationObserver(() => {
      if (engine.dataset.engine !== "loading") done();
    });
    observer.observe(engine, { attributes: true, attributeFilter: ["data-engine"] });
    const timer = setTimeout(done, maxWaitMs);
  });
}

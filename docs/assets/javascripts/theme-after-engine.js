// On the Find my fix page, start Material's own script (search, the colour-scheme
// toggle, the header's title, "back to top") once the engine has started.
//
// Pyodide's start-up in the engine worker and the theme's start-up on the page
// compete for the same CPU cores; on a 2-core machine the theme delays a warm
// offline start by ~10 %, and in WebKit much more. The page is plain HTML and works without the theme's
// script meanwhile (the navigation drawer and the search overlay open by CSS), and a
// reader who reaches for the page before the engine is ready starts the theme at once.
//
// overrides/widget.html leaves out the theme's <script> tag and names its URL in
// data-theme-bundle on this module's tag.

import { engine } from "./engine-boot.js";

/**
 * Longest wait for the engine before the theme starts anyway, while the engine is still downloading
 * (a slow link: the cores are mostly idle then). Once every byte has arrived the runtime starts up
 * on the CPU, and the theme waits for it: started then, it took the same cores in the middle of the
 * start-up (measured in WebKit, where the start-up takes longer than this bound). The engine always
 * settles (ready, or failed once nothing progresses), and a reader's first key or tap starts the
 * theme at once.
 */
const THEME_WAIT_MS = 4000;
const INTERACTIONS = ["pointerdown", "keydown", "focusin"];

/** @type {HTMLScriptElement | null} */
const tag = document.querySelector("script[data-theme-bundle]");
let started = false;
/** The key press that started the theme, if one did: the theme was not listening yet. */
let firstKey = null;

function startTheme(event) {
  if (started || !tag) return;
  started = true;
  for (const type of INTERACTIONS) window.removeEventListener(type, startTheme, true);
  if (event?.type === "keydown" && !event.repeat) firstKey = event;
  const script = document.createElement("script");
  script.src = new URL(tag.dataset.themeBundle, document.baseURI).href;
  script.addEventListener("load", () => {
    // Material initialises on DOMContentLoaded, which has already happened: replay it.
    // No other script on this page listens for it (the site's own are modules).
    document.dispatchEvent(new Event("DOMContentLoaded"));
    if (firstKey) handOnKey(firstKey);
  });
  document.body.append(script);
}

/**
 * Give the theme's keyboard shortcuts ("/" opens search, "n" goes to the next page) the key
 * that started it. Dispatched on window, where the theme listens, and not on the original
 * target, so the page's own handlers do not see the key twice; a synthetic event has no
 * default action, so nothing is typed or activated a second time.
 */
function handOnKey({ key, code, shiftKey, altKey, metaKey, ctrlKey }) {
  const init = { key, code, shiftKey, altKey, metaKey, ctrlKey, bubbles: true, cancelable: true };
  window.dispatchEvent(new KeyboardEvent("keydown", init));
}

for (const type of INTERACTIONS) window.addEventListener(type, startTheme, true);
/** @type {import("./engine-client.js").EngineStage} */
let stage = "download";
engine.onProgress((progress) => {
  stage = progress.stage;
});
engine.ready.then(() => startTheme(), () => startTheme());
setTimeout(() => {
  if (stage === "download") startTheme();
}, THEME_WAIT_MS);

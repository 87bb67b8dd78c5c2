// Keep the whole guide available offline: register the service worker that
// scripts/offline.mjs generates, report when everything is stored, and offer a
// new version when one has been deployed.
//
// Every page loads this module. It exports `offlineReady` (a promise of true
// once the guide works offline, false if it cannot) and mirrors the state on
// <html data-offline="saving|ready|unsupported|failed">, in the text of any
// [data-offline-status] element (the Find my fix widget has one), and as a
// "delivered:offline" event on window.

const siteRoot = new URL("../../", import.meta.url);
const workerUrl = new URL("sw.js", siteRoot);

export const STATUS_TEXT = {
  saving: "Saving for offline use…",
  ready: "Ready offline",
  failed: "Could not save for offline use",
  unsupported: "",
};

let state = "saving";
let settle;
/** Resolves to true once every file of the guide is stored for offline use, false if it cannot be. */
export const offlineReady = new Promise((resolve) => {
  settle = resolve;
});

function show(element) {
  element.textContent = STATUS_TEXT[state];
  element.hidden = STATUS_TEXT[state] === "";
  element.dataset.offlineState = state;
}

function setState(next) {
  state = next;
  document.documentElement.dataset.offline = next;
  document.querySelectorAll("[data-offline-status]").forEach(show);
  window.dispatchEvent(new CustomEvent("delivered:offline", { detail: { state: next } }));
  if (next !== "saving") settle(next === "ready");
}

let reloadRequested = false;

function offerUpdate(registration) {
  if (document.querySelector(".dlv-update")) return;
  const bar = document.createElement("div");
  bar.className = "dlv-update";
  bar.setAttribute("role", "status");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "dlv-update__button";
  button.textContent = "reload";
  button.addEventListener("click", () => {
    reloadRequested = true;
    button.disabled = true;
    // The new worker takes over only now; "controllerchange" then reloads the page.
    if (registration.waiting) registration.waiting.postMessage({ type: "SKIP_WAITING" });
    else window.location.reload();
  });
  bar.append("A new version is ready — ", button);
  document.body.append(bar);
}

function watchInstall(registration, worker) {
  worker.addEventListener("statechange", () => {
    if (worker.state === "installed" && navigator.serviceWorker.controller) offerUpdate(registration);
    if (worker.state === "redundant" && !registration.active) setState("failed");
  });
}

async function register() {
  if (!("serviceWorker" in navigator)) {
    setState("unsupported");
    return;
  }
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloadRequested) window.location.reload();
  });
  let registration;
  try {
    registration = await navigator.serviceWorker.register(workerUrl, {
      scope: siteRoot.pathname,
      updateViaCache: "none",
    });
  } catch (error) {
    console.warn("Offline copy unavailable:", error);
    setState("failed");
    return;
  }
  if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration);
  if (registration.installing) watchInstall(registration, registration.installing);
  registration.addEventListener("updatefound", () => watchInstall(registration, registration.installing));
  // An active worker has finished installing, and installing stores every file.
  await navigator.serviceWorker.ready;
  setState("ready");
}

setState("saving");
// Register once the page has loaded: installing stores the whole site (~17 MiB), which
// should not compete with what this page itself needs first (Workbox's advice too).
if (document.readyState === "complete") register();
else window.addEventListener("load", register, { once: true });

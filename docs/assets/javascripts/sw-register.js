// Keep the whole guide available offline: register the service worker that
// scripts/offline.mjs generates, report when everything is stored, and offer a
// new version when one has been deployed.
//
// Every page loads this module. It exports `offlineReady` (a promise of true
// once the guide works offline, false if it cannot) and mirrors the state on
// <html data-offline="saving|ready|unsupported|failed">, in the text of any
// [data-offline-status] element (the Find my fix widget has one), and as a
// "delivered:offline" event on window.
//
// Registration and updates go through Workbox's own window library (workbox-window, copied from
// npm into assets/javascripts/vendor/ by scripts/build.py): it tracks this script's worker
// through install, waiting and control, and speaks the generated worker's SKIP_WAITING message.

import { engineSettled } from "./engine-settled.js";
import { Workbox } from "./vendor/workbox-window.js";

const siteRoot = new URL("../../", import.meta.url);
const workerUrl = new URL("sw.js", siteRoot);

export const STATUS_TEXT = {
  saving: "Saving for offline use…",
  ready: "Ready offline",
  failed: "Could not save for offline use",
  unsupported: "",
};

/** Longest wait for a page's engine before storing the site anyway. */
const ENGINE_WAIT_MS = 15000;

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

/** @param {Workbox} workbox */
function offerUpdate(workbox) {
  if (document.querySelector(".dlv-update")) return;
  const bar = document.createElement("div");
  bar.className = "dlv-update";
  bar.setAttribute("role", "status");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "dlv-update__button";
  button.textContent = "reload";
  button.addEventListener("click", async () => {
    button.disabled = true;
    const registration = await navigator.serviceWorker.getRegistration(siteRoot.href);
    if (!registration?.waiting) {
      window.location.reload();
      return;
    }
    // The new worker takes over only now; once it controls the page, the page reloads whole.
    navigator.serviceWorker.addEventListener("controllerchange", () => window.location.reload(), { once: true });
    workbox.messageSkipWaiting();
  });
  bar.append("A new version is ready — ", button);
  document.body.append(bar);
}

async function register() {
  if (!("serviceWorker" in navigator)) {
    setState("unsupported");
    return;
  }
  const workbox = new Workbox(workerUrl.href, { scope: siteRoot.pathname, updateViaCache: "none" });
  // A new version installed while an older one controls the page (now, or on an earlier visit).
  workbox.addEventListener("waiting", () => {
    if (navigator.serviceWorker.controller) offerUpdate(workbox);
  });
  workbox.addEventListener("redundant", () => {
    navigator.serviceWorker.getRegistration(siteRoot.href).then((registration) => {
      if (!registration?.active) setState("failed");
    });
  });
  try {
    await workbox.register({ immediate: true });
  } catch (error) {
    console.warn("Offline copy unavailable:", error);
    setState("failed");
    return;
  }
  // An active worker has finished installing, and installing stores every file.
  await navigator.serviceWorker.ready;
  setState("ready");
}

/** Resolves once the page has loaded and any engine on it has finished starting. */
function pageSettled() {
  const loaded = document.readyState === "complete"
    ? Promise.resolve()
    : new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
  return loaded.then(() => engineSettled(ENGINE_WAIT_MS));
}

setState("saving");
// Installing stores the whole site (~17 MiB). Start it only once the page has what it needs
// first (Workbox's advice too): after load, and on the Find my fix page after its engine has
// started, which otherwise competes with the precache for the same CPU and network.
pageSettled().then(register);

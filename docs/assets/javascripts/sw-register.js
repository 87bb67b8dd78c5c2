// Keep the whole guide available offline: register the service worker that
// scripts/offline.mjs generates, report when everything is stored, and offer a
// new version when one has been deployed.
//
// Every page loads this module. It exports `offlineReady` (a promise of true
// once the guide works offline, false if it cannot) and mirrors the state on
// <html data-offline="saving|ready|unsupported|failed">, in the text of any
// [data-offline-status] element (the Find my fix widget has one), and as a
// "delivered:offline" event on window.

import { engineSettled } from "./engine-settled.js";

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

// The diagnosis engine's module Web Worker: Pyodide + the diag wheel, off the main thread.
//
// Loading starts at once, at the top of the module: read the build manifest
// (assets/diag/manifest.json), import the vendored runtime from its versioned
// path, fetch the wheel in parallel, check its SHA-256, unpack it into
// site-packages and import diag.bridge. Every URL is resolved from this file's
// own URL, so the site works under any base path and never leaves its origin.
//
// Protocol (no Python source is ever sent as text):
//   main → worker  {id, type: "next" | "decode" | "encode" | "catalog", payload}
//   worker → main  {type: "progress", stage, loaded, total}          as bytes arrive (≤ 4/s) and
//                                                                    once per stage ("download", "start")
//                  {type: "ready", catalog, pyodide, loaded, total}  once, when loaded
//                  {type: "error", error}                           once, if loading failed
//                  {id, type: "result", result} | {id, type: "error", error}

const ASSETS = new URL("../", import.meta.url);
const MANIFEST_URL = new URL("diag/manifest.json", ASSETS);

/** Bridge functions each message type calls: JSON string in, JSON string out. */
const CALLS = {
  next: (bridge, payload) => bridge.next_step(JSON.stringify(payload ?? { events: [] })),
  decode: (bridge, payload) => bridge.decode(String(payload ?? "")),
  encode: (bridge, payload) => bridge.encode(JSON.stringify(payload ?? { events: [] })),
  catalog: (bridge) => bridge.catalog(),
};

// Pyodide does not reject when its wasm cannot be fetched or instantiated: it logs a warning and
// waits forever. Watch the runtime's own downloads and that warning, so loading fails at once with
// a readable reason.
let reportLoadFailure = (/** @type {string} */ _message) => {};
/** @type {Promise<never>} */
const loadFailure = new Promise((_, reject) => {
  reportLoadFailure = (message) => reject(new Error(message));
});
loadFailure.catch(() => {});
const RUNTIME = new URL("pyodide/", ASSETS).href;

// --- Progress: the bytes of every engine file as they arrive ------------------------------------
// Counted on a clone of each response, so the runtime still gets the browser's own response (its
// URL keeps the browser's compiled-wasm cache working). Progress is in bytes over the wire, as a
// person on a metered link counts them: a body arrives decoded, so its decoded bytes are scaled by
// the file's wire size (the response's Content-Length when it came compressed, else the manifest's
// figure) over its decoded size.

/** Least time between two "progress" messages while bytes arrive (at most ~4 a second). */
const PROGRESS_EVERY_MS = 250;
/** @type {Record<string, number>} decoded bytes received per engine file name */
const received = {};
/** @type {Record<string, number>|null} decoded bytes per engine file name, from the manifest */
let expected = null;
/** @type {Record<string, number>} bytes over the wire per engine file name: the manifest's, then the response's */
const wire = {};
let stage = "download";
let lastPost = 0;

function totals() {
  if (!expected) return { loaded: 0, total: null };
  let loaded = 0;
  let total = 0;
  for (const [name, size] of Object.entries(expected)) {
    const onWire = wire[name] ?? size;
    total += onWire;
    loaded += size > 0 ? Math.round(((received[name] ?? 0) * onWire) / size) : 0;
  }
  return { loaded, total };
}

function postProgress(force = false) {
  const now = performance.now();
  if (!force && now - lastPost < PROGRESS_EVERY_MS) return;
  lastPost = now;
  self.postMessage({ type: "progress", stage, ...totals() });
}

/** @param {string} next */
function enterStage(next) {
  if (stage === next) return;
  stage = next;
  postProgress(true);
}

/** Once every file the manifest names has arrived, the rest is the runtime starting up (CPU only). */
function checkDownloaded() {
  if (expected && Object.entries(expected).every(([name, size]) => (received[name] ?? 0) >= size)) enterStage("start");
}

/**
 * @param {string} name
 * @param {Response} response
 */
async function countBody(name, response) {
  const length = Number(response.headers.get("Content-Length"));
  if (response.headers.get("Content-Encoding") && length > 0) wire[name] = length;
  if (!response.body) return;
  const reader = response.body.getReader();
  received[name] = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received[name] += value.byteLength;
    postProgress();
  }
  if (expected?.[name] !== undefined) received[name] = Math.max(received[name], expected[name]);
  postProgress(true);
  checkDownloaded();
}

/** A module the runtime imports (not fetched through fetch): counted whole once it has loaded. */
function countImported(name) {
  if (expected?.[name] !== undefined) received[name] = expected[name];
  postProgress(true);
  checkDownloaded();
}

const realFetch = self.fetch.bind(self);
/** @type {typeof fetch} */
self.fetch = async (input, init) => {
  const url = String(input instanceof Request ? input.url : input);
  const name = url.split("/").pop() ?? url;
  const isEngineFile = url.startsWith(RUNTIME) || url.startsWith(new URL("diag/", ASSETS).href);
  try {
    const response = await realFetch(input, init);
    if (!response.ok && url.startsWith(RUNTIME)) reportLoadFailure(`could not download ${name} (HTTP ${response.status})`);
    else if (isEngineFile && name !== "manifest.json") {
      countBody(name, response.clone()).catch((error) => reportLoadFailure(`the download of ${name} broke off (${error.message})`));
    }
    return response;
  } catch (error) {
    if (url.startsWith(RUNTIME)) reportLoadFailure(`could not download ${name} (${error.message})`);
    throw error;
  }
};
const realWarn = console.warn.bind(console);
console.warn = (...args) => {
  if (String(args[0]).includes("instantiation failed")) reportLoadFailure("WebAssembly could not start");
  realWarn(...args);
};

async function fetchOk(url, as) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not download ${url.pathname} (HTTP ${response.status})`);
  return as === "json" ? response.json() : response.arrayBuffer();
}

async function sha256Hex(buffer) {
  if (!self.crypto?.subtle) return null; // not a secure context: the check is skipped
  const digest = await self.crypto.subtle.digest("SHA-256", buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

// Load stages as wall-clock times (ms since the epoch), so the page can place them on its own clock.
const marks = {};
const mark = (name) => { marks[name] = performance.timeOrigin + performance.now(); };

async function load() {
  mark("start");
  // Stage 1: the manifest names the runtime version and the wheel.
  const manifest = await fetchOk(MANIFEST_URL, "json");
  if (!manifest?.wheel || !manifest?.pyodide) throw new Error("the engine manifest is incomplete");
  const indexURL = new URL(`pyodide/${manifest.pyodide}/`, ASSETS);
  expected = manifest.bytes ?? null;
  Object.assign(wire, manifest.wire ?? {}, { ...wire });
  postProgress(true);
  // Stage 2: the runtime and the wheel download in parallel; the runtime's own script too (the
  // runtime would import it only after pyodide.mjs has loaded: one round trip saved).
  mark("manifest");
  const asmScript = import(new URL("pyodide.asm.mjs", indexURL).href);
  asmScript.then(() => countImported("pyodide.asm.mjs"), () => {});
  const wheelPromise = fetchOk(new URL(`diag/${manifest.wheel}`, ASSETS), "buffer");
  wheelPromise.then(() => mark("wheel"), () => {});
  // The checksum is computed while the runtime starts, not after it.
  const digestPromise = wheelPromise.then(sha256Hex);
  digestPromise.catch(() => {});
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  countImported("pyodide.mjs");
  mark("pyodide.mjs");
  // No package is ever loaded: the lock file's header is all Pyodide checks (one download fewer).
  const lockFileContents = manifest.lock ? { info: manifest.lock, packages: {} } : undefined;
  const [pyodide, wheel] = await Promise.race([
    Promise.all([loadPyodide({ indexURL: indexURL.href, packages: [], fullStdLib: false, lockFileContents }), wheelPromise]),
    loadFailure,
  ]);
  enterStage("start");
  mark("runtime");
  // Stage 3: install the wheel (a zip) with no micropip and no network.
  const digest = await digestPromise;
  if (digest !== null && manifest.sha256 && digest !== manifest.sha256) {
    throw new Error("the engine download is damaged (checksum mismatch); reload the page");
  }
  pyodide.unpackArchive(new Uint8Array(wheel), "wheel");
  mark("unpacked");
  const bridge = pyodide.pyimport("diag.bridge");
  mark("imported");
  return { bridge, version: pyodide.version };
}

const engine = load();

function call(bridge, type, payload) {
  const fn = CALLS[type];
  if (!fn) return { ok: false, error: `unknown request type “${type}”` };
  return JSON.parse(fn(bridge, payload));
}

engine.then(
  ({ bridge, version }) => {
    const catalog = call(bridge, "catalog");
    mark("catalog");
    stage = "ready";
    self.postMessage({ type: "ready", catalog: catalog.ok ? catalog.result : null, pyodide: version, marks, ...totals() });
  },
  (error) => self.postMessage({ type: "error", error: String(error?.message ?? error) }),
);

self.onmessage = async (event) => {
  const { id, type, payload } = event.data ?? {};
  try {
    const { bridge } = await engine;
    const reply = call(bridge, type, payload);
    if (reply.ok) self.postMessage({ id, type: "result", result: reply.result });
    else self.postMessage({ id, type: "error", error: String(reply.error) });
  } catch (error) {
    self.postMessage({ id, type: "error", error: String(error?.message ?? error) });
  }
};

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
//   worker → main  {type: "ready", catalog, pyodide}               once, when loaded
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
// a readable reason (the page's time-out stays as the last resort).
let reportLoadFailure = () => {};
const loadFailure = new Promise((_, reject) => {
  reportLoadFailure = (message) => reject(new Error(message));
});
loadFailure.catch(() => {});
const RUNTIME = new URL("pyodide/", ASSETS).href;
const realFetch = self.fetch.bind(self);
self.fetch = async (input, init) => {
  const url = String(input instanceof Request ? input.url : input);
  const name = url.split("/").pop();
  try {
    const response = await realFetch(input, init);
    if (!response.ok && url.startsWith(RUNTIME)) reportLoadFailure(`could not download ${name} (HTTP ${response.status})`);
    return response;
  } catch (error) {
    if (url.startsWith(RUNTIME)) reportLoadFailure(`could not download ${name} (${error.message})`);
    throw error;
  }
};
const realWarn = console.warn.bind(console);
console.warn = (...args) => {
  if (String(args[0]).includes("instantiation failed")) reportLoadFailure("WebAssembly could not start in this browser");
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
  // Stage 2: the runtime and the wheel download in parallel.
  mark("manifest");
  const wheelPromise = fetchOk(new URL(`diag/${manifest.wheel}`, ASSETS), "buffer");
  wheelPromise.then(() => mark("wheel"), () => {});
  // The checksum is computed while the runtime starts, not after it.
  const digestPromise = wheelPromise.then(sha256Hex);
  digestPromise.catch(() => {});
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  mark("pyodide.mjs");
  const [pyodide, wheel] = await Promise.race([
    Promise.all([loadPyodide({ indexURL: indexURL.href, packages: [], fullStdLib: false }), wheelPromise]),
    loadFailure,
  ]);
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
    self.postMessage({ type: "ready", catalog: catalog.ok ? catalog.result : null, pyodide: version, marks });
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

// Main-thread side of the engine worker: start it, wait for "ready", make id-tagged requests.
//
// The main thread never runs Python. Every request resolves with the bridge's
// result or rejects with a readable message; loading rejects on the worker's
// `error` / `messageerror` events, on an "error" message, and on a time-out,
// so the caller can never wait forever.

const WORKER_URL = new URL("./diag-worker.js", import.meta.url);

/** Default time allowed for Pyodide + diag to load (WebKit needs about 6 s in a worker). */
export const LOAD_TIMEOUT_MS = 30000;
/** Default time allowed for one engine request once it is loaded. */
export const CALL_TIMEOUT_MS = 10000;

export class EngineError extends Error {}

/**
 * Start the engine worker at once.
 * @param {{loadTimeoutMs?: number, callTimeoutMs?: number}} [options]
 * @returns {{ready: Promise<{catalog: object|null, pyodide: string}>,
 *            request: (type: string, payload?: unknown) => Promise<any>,
 *            startedAt: number}}
 */
export function startEngine({ loadTimeoutMs = LOAD_TIMEOUT_MS, callTimeoutMs = CALL_TIMEOUT_MS } = {}) {
  const startedAt = performance.now();
  const pending = new Map();
  let nextId = 1;
  let failure = null;
  let loaded = false;
  let worker = null;
  let settleReady;
  const ready = new Promise((resolve, reject) => {
    settleReady = { resolve, reject };
  });

  function fail(message) {
    if (failure) return;
    failure = new EngineError(message);
    settleReady.reject(failure);
    for (const { reject, timer } of pending.values()) {
      clearTimeout(timer);
      reject(failure);
    }
    pending.clear();
    worker?.terminate();
  }

  const loadTimer = setTimeout(
    () => fail(`the engine did not start within ${Math.round(loadTimeoutMs / 1000)} seconds`),
    loadTimeoutMs,
  );
  ready.catch(() => {}); // the widget reports failures; an early one must not be "unhandled"
  ready.then(
    () => {
      loaded = true;
      clearTimeout(loadTimer);
    },
    () => clearTimeout(loadTimer),
  );

  try {
    if (typeof Worker !== "function" || typeof WebAssembly !== "object") {
      throw new Error("this browser cannot run the engine (no Web Workers or WebAssembly)");
    }
    worker = new Worker(WORKER_URL, { type: "module", name: "diag-engine" });
  } catch (error) {
    fail(error?.message ?? String(error));
  }

  if (worker) {
    worker.addEventListener("error", (event) => {
      event.preventDefault?.();
      fail(event.message ? `the engine failed: ${event.message}` : "the engine could not be downloaded or started");
    });
    worker.addEventListener("messageerror", () => fail("the engine sent a message the page could not read"));
    worker.addEventListener("message", (event) => {
      const data = event.data ?? {};
      if (data.id === undefined) {
        if (data.type === "ready") {
          // The worker's load stages on this page's clock, visible in the browser's performance tools.
          const stages = Object.fromEntries(
            Object.entries(data.marks ?? {}).map(([name, at]) => [name, Math.round(at - performance.timeOrigin)]),
          );
          performance.mark("diag:engine-ready", { detail: { workerStartedAt: startedAt, stages } });
          settleReady.resolve({ catalog: data.catalog, pyodide: data.pyodide });
        }
        else if (data.type === "error") fail(`the engine could not load: ${data.error}`);
        return;
      }
      const entry = pending.get(data.id);
      if (!entry) return;
      pending.delete(data.id);
      clearTimeout(entry.timer);
      if (data.type === "result") entry.resolve(data.result);
      else entry.reject(new EngineError(String(data.error ?? "the engine returned an error")));
    });
  }

  function request(type, payload) {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new EngineError("the engine took too long to answer"));
      }, callTimeoutMs + (loaded ? 0 : loadTimeoutMs));
      pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, type, payload });
    });
  }

  return { ready, request, startedAt };
}

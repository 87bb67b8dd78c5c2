// Main-thread side of the engine worker: start it, report its progress, wait for "ready",
// make id-tagged requests.
//
// The main thread never runs Python. There is no fixed load time-out: a slow link that keeps
// delivering bytes is never given up on. Loading fails only on a real error (the worker's
// `error` / `messageerror` events, an "error" message) or when no progress has come for
// `stallMs`, so the caller can never wait forever. Retry = call startEngine() again.

const WORKER_URL = new URL("./diag-worker.js", import.meta.url);

/** Default time without any progress after which loading is given up (reset by every progress event). */
export const STALL_MS = 20000;
/**
 * Once every byte has arrived, the runtime starts up on the CPU and cannot report progress until
 * it is done (a slow phone takes tens of seconds): the stall window is this many times longer then.
 */
export const START_STALL_FACTOR = 3;
/** Default time allowed for one engine request once it is loaded. */
export const CALL_TIMEOUT_MS = 10000;

/** @typedef {"download" | "start" | "ready"} EngineStage */
/** @typedef {{stage: EngineStage, loaded: number, total: number | null}} EngineProgress */
/** @typedef {"stalled" | "unsupported" | "failed"} EngineErrorKind */

/** Why the engine could not start or answer, in plain words; `.kind` says which kind of failure. */
export class EngineError extends Error {
  /**
   * @param {EngineErrorKind} kind
   * @param {string} message
   */
  constructor(kind, message) {
    super(message);
    this.name = "EngineError";
    /** @type {EngineErrorKind} */
    this.kind = kind;
  }
}

/**
 * @typedef {object} Engine
 * @property {Promise<{catalog: any, pyodide: string}>} ready resolves once the engine answers requests
 * @property {(type: string, payload?: unknown) => Promise<any>} request one bridge call
 * @property {number} startedAt performance.now() when the worker was started
 * @property {(callback: (progress: EngineProgress) => void) => () => void} onProgress
 *   calls back as bytes arrive (≤ ~4 a second) and once per stage; at once with the latest state;
 *   returns a function that stops the calls
 * @property {() => Engine} retry a fresh engine (the same as calling startEngine() again)
 */

/**
 * @typedef {object} EarlyWorker the worker the page's head started (overrides/partials/engine-early.html)
 * @property {Worker} worker
 * @property {number} startedAt performance.now() when it was started
 * @property {Event[]} events what it sent before this module took over
 * @property {() => void} stopKeeping stops keeping its events
 */

/**
 * The worker the page's head script started, once: the first engine of the page takes it over.
 * @returns {EarlyWorker | null}
 */
function adoptEarlyWorker() {
  const early = /** @type {EarlyWorker | undefined} */ (/** @type {any} */ (globalThis).__diagEarlyWorker);
  if (!early) return null;
  delete (/** @type {any} */ (globalThis).__diagEarlyWorker);
  early.stopKeeping();
  return early;
}

/**
 * Start the engine worker at once (or take over the one the page's head started).
 * @param {{stallMs?: number, callTimeoutMs?: number}} [options]
 * @returns {Engine}
 */
export function startEngine({ stallMs = STALL_MS, callTimeoutMs = CALL_TIMEOUT_MS } = {}) {
  let startedAt = performance.now();
  /** @type {Map<number, {resolve: (value: any) => void, reject: (reason: Error) => void, timer: number | undefined}>} */
  const pending = new Map();
  /** @type {Set<(progress: EngineProgress) => void>} */
  const listeners = new Set();
  let nextId = 1;
  /** @type {EngineError | null} */
  let failure = null;
  /** @type {Worker | null} */
  let worker = null;
  /** @type {EngineProgress} */
  let progress = { stage: "download", loaded: 0, total: null };
  /** @type {{resolve: (value: {catalog: any, pyodide: string}) => void, reject: (reason: Error) => void}} */
  let settleReady = { resolve: () => {}, reject: () => {} };
  /** @type {Promise<{catalog: any, pyodide: string}>} */
  const ready = new Promise((resolve, reject) => {
    settleReady = { resolve, reject };
  });
  ready.catch(() => {}); // the widget reports failures; an early one must not be "unhandled"

  /**
   * @param {EngineErrorKind} kind
   * @param {string} message
   */
  function fail(kind, message) {
    if (failure) return;
    failure = new EngineError(kind, message);
    clearTimeout(stallTimer);
    settleReady.reject(failure);
    for (const { reject, timer } of pending.values()) {
      clearTimeout(timer);
      reject(failure);
    }
    pending.clear();
    worker?.terminate();
  }

  /** @type {number | undefined} */
  let stallTimer;
  function watchForStall() {
    clearTimeout(stallTimer);
    const wait = progress.stage === "start" ? stallMs * START_STALL_FACTOR : stallMs;
    stallTimer = setTimeout(() => {
      fail(
        "stalled",
        progress.stage === "start"
          ? "the tool downloaded but did not finish starting"
          : `the download stopped: nothing arrived for ${Math.round(stallMs / 1000)} seconds`,
      );
    }, wait);
  }

  /** @param {EngineProgress} next */
  function report(next) {
    progress = next;
    if (next.stage === "ready") clearTimeout(stallTimer);
    else watchForStall();
    for (const callback of listeners) callback(progress);
  }

  watchForStall();
  const early = adoptEarlyWorker();
  if (early) {
    worker = early.worker;
    startedAt = early.startedAt;
  } else {
    try {
      if (typeof Worker !== "function" || typeof WebAssembly !== "object") {
        throw new EngineError("unsupported", "the tool needs Web Workers and WebAssembly, which are turned off or missing here");
      }
      worker = new Worker(WORKER_URL, { type: "module", name: "diag-engine" });
    } catch (error) {
      if (error instanceof EngineError) fail(error.kind, error.message);
      else fail("unsupported", `the tool could not be started here (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /** @param {ErrorEvent} event */
  function onError(event) {
    event.preventDefault?.();
    fail("failed", event.message ? `the tool stopped with an error: ${event.message}` : "the tool could not be downloaded or started");
  }
  function onMessageError() {
    fail("failed", "the tool sent a message the page could not read");
  }
  if (worker) {
    worker.addEventListener("error", onError);
    worker.addEventListener("messageerror", onMessageError);
    worker.addEventListener("message", onMessage);
    // What the worker said before this module ran (kept by the page's head script), in order.
    for (const event of early?.events ?? []) {
      if (event.type === "message") onMessage(/** @type {MessageEvent} */ (event));
      else if (event.type === "error") onError(/** @type {ErrorEvent} */ (event));
      else onMessageError();
    }
  }

  /** @param {MessageEvent} event */
  function onMessage(event) {
    const data = event.data ?? {};
    if (data.id === undefined) {
      if (data.type === "progress") {
        report({ stage: data.stage === "start" ? "start" : "download", loaded: data.loaded ?? 0, total: data.total ?? null });
      } else if (data.type === "ready") {
        // The worker's load stages on this page's clock, visible in the browser's performance tools.
        const stages = Object.fromEntries(
          Object.entries(data.marks ?? {}).map(([name, at]) => [name, Math.round(Number(at) - performance.timeOrigin)]),
        );
        performance.mark("diag:engine-ready", { detail: { workerStartedAt: startedAt, stages } });
        report({ stage: "ready", loaded: data.loaded ?? progress.loaded, total: data.total ?? progress.total });
        settleReady.resolve({ catalog: data.catalog, pyodide: data.pyodide });
      } else if (data.type === "error") fail("failed", `the tool could not load: ${data.error}`);
      return;
    }
    const entry = pending.get(data.id);
    if (!entry) return;
    pending.delete(data.id);
    clearTimeout(entry.timer);
    if (data.type === "result") entry.resolve(data.result);
    else entry.reject(new EngineError("failed", String(data.error ?? "the tool returned an error")));
  }

  /**
   * @param {string} type
   * @param {unknown} [payload]
   * @returns {Promise<any>}
   */
  function request(type, payload) {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      // A request made while loading waits for the load (which has its own stall watch), then gets its time.
      /** @type {{resolve: (value: any) => void, reject: (reason: Error) => void, timer: number | undefined}} */
      const entry = { resolve, reject, timer: undefined };
      const arm = () => {
        entry.timer = setTimeout(() => {
          pending.delete(id);
          reject(new EngineError("failed", "the tool took too long to answer"));
        }, callTimeoutMs);
      };
      if (progress.stage === "ready") arm();
      else ready.then(() => pending.has(id) && arm(), () => {});
      pending.set(id, entry);
      worker?.postMessage({ id, type, payload });
    });
  }

  /** @param {(progress: EngineProgress) => void} callback */
  function onProgress(callback) {
    listeners.add(callback);
    callback(progress);
    return () => listeners.delete(callback);
  }

  return { ready, request, startedAt, onProgress, retry: () => startEngine({ stallMs, callTimeoutMs }) };
}

// The widget's session state, with no DOM: the events so far (an optional iOS-version event first,
// then the person's answers and outcomes), the engine result that goes with them, and where results
// come from: the build's precomputed results for the first two taps, then the live engine.

/** The engine question the iOS version answers (CONTRACTS §1). */
export const IOS_QUESTION = "ios-version";

/** @typedef {{question: string, answer: string} | {fix: string, outcome: string}} SessionEvent */

/**
 * The lookup key of a session, as scripts/precompute_plans.py writes it.
 * @param {SessionEvent[]} events
 */
export function eventKey(events) {
  return events.map((e) => ("question" in e ? `${e.question}=${e.answer}` : `${e.fix}:${e.outcome}`)).join("&");
}

/**
 * @param {SessionEvent | undefined} event
 * @returns {boolean}
 */
export function isIOSEvent(event) {
  return !!event && "question" in event && event.question === IOS_QUESTION;
}

/**
 * The events with the iOS version set (first) or removed (null); the person's own events are kept in order.
 * @param {SessionEvent[]} events
 * @param {string | null} ios
 * @returns {SessionEvent[]}
 */
export function withIOS(events, ios) {
  const rest = events.filter((e) => !isIOSEvent(e));
  return ios ? [{ question: IOS_QUESTION, answer: ios }, ...rest] : rest;
}

/**
 * The events the person made (everything but a leading iOS version the page sent for them).
 * @param {SessionEvent[]} events
 */
export function personEvents(events) {
  return isIOSEvent(events[0]) ? events.slice(1) : events;
}

/** One session's state: what the page shows is always `render(state)`. */
export class WidgetState {
  constructor() {
    /** @type {SessionEvent[]} */
    this.events = [];
    /** @type {any} the engine's result for `events` (null before the first) */
    this.result = null;
    /** @type {"precomputed" | "engine" | null} */
    this.source = null;
    /** The person chose "Stop here and get a summary". */
    this.gaveUp = false;
    /** @type {SessionEvent[] | null} the events "Start over" cleared, until they are undone or replaced */
    this.cleared = null;
    /** @type {SessionEvent[] | null} events waiting for the engine (tapped past the precomputed ones) */
    this.waiting = null;
    /** @type {string | null} the iOS version sent to the engine ("ios-26", ...), or null when unknown */
    this.ios = null;
  }

  /** How many answers and outcomes the person gave. */
  get step() {
    return personEvents(this.events).length;
  }
}

/**
 * Where results come from. Before the runtime is ready, sessions the build precomputed are
 * answered from those files at once (start.json: after the first tap; <first answer>.json:
 * after the second, fetched as soon as the first answer is known); once the engine is ready,
 * every request goes to it.
 */
export class ResultSource {
  /**
   * @param {URL} folder the precomputed results for this iOS version (ends with "/")
   */
  constructor(folder) {
    this.folder = folder;
    /** @type {any} the live engine (engine-client.js), once ready */
    this.engine = null;
    /** @type {Map<string, any>} */
    this.precomputed = new Map();
    /** @type {Map<string, Promise<void>>} */
    this.files = new Map();
    this.load("start");
  }

  /**
   * Fetch one precomputed file (once); a missing file just means the engine answers those sessions.
   * @param {string} name
   */
  load(name) {
    let loading = this.files.get(name);
    if (!loading) {
      loading = fetch(new URL(`${encodeURIComponent(name)}.json`, this.folder))
        .then((response) => (response.ok ? response.json() : { results: {} }))
        .then((data) => {
          for (const [key, result] of Object.entries(data.results ?? {})) this.precomputed.set(key, result);
        })
        .catch(() => {});
      this.files.set(name, loading);
    }
    return loading;
  }

  /**
   * The result for `events`: precomputed while the engine is not ready, from the engine once it is.
   * @param {SessionEvent[]} events
   * @returns {Promise<{result: any, source: "precomputed" | "engine"} | null>} null: the engine is needed and not ready
   */
  async resolve(events) {
    if (this.engine) return { result: await this.engine.request("next", { events }), source: "engine" };
    const mine = personEvents(events);
    const first = mine[0];
    const firstFile = first && "answer" in first ? this.load(first.answer) : null;
    await (mine.length > 1 && firstFile ? firstFile : this.load("start"));
    const result = this.precomputed.get(eventKey(events));
    return result ? { result, source: "precomputed" } : null;
  }
}

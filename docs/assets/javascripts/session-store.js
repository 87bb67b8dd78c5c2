// Where a session lives between visits: the URL fragment (share links) and localStorage (reload).
//
// Fragment formats (the page is find-my-fix/):
//   #s=<session>        a whole session, as encoded by the engine (diag.bridge.encode)
//   #symptom=<answer>   "Start from this symptom": pre-answers the first question

const STORAGE_KEY = "delivered.find-my-fix.v1";
const IOS_KEY = "delivered.find-my-fix.ios";

/** Parse the page's fragment: {session} | {symptom} | {}. */
export function readFragment(hash = location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  if (params.has("s")) return { session: params.get("s") ?? "" };
  if (params.has("symptom")) return { symptom: params.get("symptom") ?? "" };
  return {};
}

/** Put the session in the address bar without adding a history entry (the browser's Back still leaves the page). */
export function writeFragment(session) {
  const url = new URL(location.href);
  url.hash = session ? `s=${session}` : "";
  const text = session ? url.href : url.href.replace(/#$/, "");
  history.replaceState(history.state, "", text);
  return text;
}

/** The share link for a session (the page URL with #s=…). */
export function shareLink(session) {
  const url = new URL(location.href);
  url.hash = `s=${session}`;
  return url.href;
}

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage blocked (private mode, policy): the session simply does not survive a reload
  }
}

/** The events saved by the last visit, or null. */
export function loadSaved() {
  try {
    const data = JSON.parse(storage()?.getItem(STORAGE_KEY) ?? "null");
    return Array.isArray(data?.events) ? data.events : null;
  } catch {
    return null;
  }
}

export function save(events) {
  try {
    if (events.length) storage()?.setItem(STORAGE_KEY, JSON.stringify({ events }));
    else storage()?.removeItem(STORAGE_KEY);
  } catch {
    /* quota or policy: nothing to do */
  }
}

export function loadIOS() {
  try {
    return storage()?.getItem(IOS_KEY) ?? null;
  } catch {
    return null;
  }
}

export function saveIOS(value) {
  try {
    storage()?.setItem(IOS_KEY, value);
  } catch {
    /* ignore */
  }
}

// The hand-over summary: what the person answered and tried, in order, to copy, print or show to
// whoever helps next. Its markup is the build's "summary" template; its words are the engine's
// `view.summary` (diag/view.py).

import { fill, fillList } from "./templates.js";

/**
 * Fill a cloned summary template.
 * @param {HTMLElement} node the cloned "summary" template
 * @param {any} words the result's `view.summary`
 * @param {"fixed" | "stopped" | "end"} reason why the summary is shown
 * @returns {{node: HTMLElement, text: string}} the filled node and the text "Copy summary" copies
 */
export function renderSummary(node, words, reason) {
  const why = words.reasons[reason];
  const lines = words.lines.length ? words.lines : [words.empty];
  fill(node, { title: words.title, reason: why, "causes-title": words.causes_title });
  fillList(node, "lines", lines);
  fillList(node, "causes", words.causes, "causes-block");
  const date = new Date().toISOString().slice(0, 10);
  const text = [
    `${words.heading_text} (${date})`,
    why,
    ...lines.map((/** @type {string} */ line, /** @type {number} */ i) => `${i + 1}. ${line}`),
    ...(words.causes.length ? [words.causes_title, ...words.causes.map((/** @type {string} */ c) => `- ${c}`)] : []),
  ].join("\n");
  return { node, text };
}

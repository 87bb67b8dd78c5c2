// The hand-over summary: what the person answered and tried, in order, to copy, print or show
// to carrier or Apple staff.

import { h } from "./dom.js";

const OUTCOMES = { fixed: "fixed it", failed: "didn't help", skipped: "couldn't do it" };

function questionLookup(catalog) {
  const questions = new Map();
  for (const q of catalog?.questions ?? []) questions.set(q.id, q);
  return questions;
}

function fixTitle(catalog, result, id) {
  return (
    result?.tried?.find((t) => t.id === id)?.title ??
    catalog?.fixes?.find((f) => f.id === id)?.title ??
    id
  );
}

/** The session as ordered lines of plain text (also what "Copy summary" copies). */
export function summaryLines({ events, result, catalog }) {
  const questions = questionLookup(catalog);
  const lines = [];
  for (const event of events) {
    if ("question" in event) {
      const q = questions.get(event.question);
      const a = q?.answers?.find((x) => x.id === event.answer);
      lines.push(`Asked “${q?.text ?? event.question}” — answered “${a?.text ?? event.answer}”`);
    } else if ("fix" in event) {
      lines.push(`Tried “${fixTitle(catalog, result, event.fix)}” — ${OUTCOMES[event.outcome] ?? event.outcome}`);
    }
  }
  return lines;
}

/** Build the summary section's content (heading, ordered list, open causes, buttons). */
export function renderSummary({ events, result, catalog, reason }) {
  const lines = summaryLines({ events, result, catalog });
  const causes = (result?.causes ?? []).filter((c) => c.probability > 0).slice(0, 3);
  const heading = h("h2", { id: "diag-summary-title", class: "diag-summary__title", tabindex: "-1" }, "Summary to show for help");
  const intro = h("p", {}, reason);
  const list = lines.length
    ? h("ol", { class: "diag-summary__list" }, lines.map((line) => h("li", {}, line)))
    : h("p", {}, "Nothing was answered or tried yet.");
  const causeBlock = causes.length
    ? [
        h("p", {}, "Most likely causes still open:"),
        h("ul", {}, causes.map((c) => h("li", {}, `${c.title} (${Math.round(c.probability * 100)}%)`))),
      ]
    : [];
  const date = new Date().toISOString().slice(0, 10);
  const text = [
    `Find my fix summary (${date})`,
    reason,
    ...lines.map((line, i) => `${i + 1}. ${line}`),
    ...(causes.length ? ["Most likely causes still open:", ...causes.map((c) => `- ${c.title}`)] : []),
  ].join("\n");
  const actions = h(
    "div",
    { class: "diag-summary__actions" },
    h("button", { type: "button", class: "diag-button", "data-action": "copy-summary" }, "Copy summary"),
    h("button", { type: "button", class: "diag-button", "data-action": "print" }, "Print"),
  );
  return { nodes: [heading, intro, list, ...causeBlock, actions], text };
}

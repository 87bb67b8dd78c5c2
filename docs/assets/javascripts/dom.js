// A tiny DOM builder: h("p", {class: "x"}, "text", child). No innerHTML, so engine text is never parsed as HTML.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** "about 3 min" / "under a minute" (the same wording the build-time checklist uses). */
export function minutesText(minutes) {
  const value = Number(minutes);
  if (!Number.isFinite(value)) return "";
  return value >= 1 ? `about ${Math.round(value)} min` : "under a minute";
}

const RISK_LABELS = { none: "No risk", low: "Low risk", medium: "Some risk", high: "High risk" };

export function riskText(risk) {
  const key = String(risk ?? "");
  return RISK_LABELS[key] ?? `${key.charAt(0).toUpperCase()}${key.slice(1)} risk`;
}

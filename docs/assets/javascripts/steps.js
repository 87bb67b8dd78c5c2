// A fix's steps shown inline: fetched from its own page (same origin), the "## Steps" section only,
// with the content tab for the reader's iOS version, imported node by node and sanitised.

const SITE_ROOT = new URL("../../", import.meta.url);

const pages = new Map();

async function fetchPage(url) {
  if (!pages.has(url.href)) {
    const promise = fetch(url).then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.text();
    });
    promise.catch(() => pages.delete(url.href));
    pages.set(url.href, promise);
  }
  const text = await pages.get(url.href);
  return new DOMParser().parseFromString(text, "text/html");
}

const DROP = "script, style, link, meta, iframe, object, embed, form, input, button, .headerlink";

/** Attributes that name other elements by id: kept, with the ids made unique on this page. */
const ID_REFERENCES = ["aria-labelledby", "aria-describedby", "aria-controls"];

let copies = 0;

/**
 * Strip what must not run or style here; keep ids (a drawing's accessible name points at its
 * caption's id) but give them a prefix, so two copies of a page's steps never share one.
 * @param {Element} node
 * @param {URL} base
 */
function sanitise(node, base) {
  for (const bad of node.querySelectorAll(DROP)) bad.remove();
  const prefix = `diag-inline-${++copies}-`;
  for (const el of [node, ...node.querySelectorAll("*")]) {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") || name === "style" || name === "for") el.removeAttribute(attr.name);
      else if (name === "id") el.id = prefix + attr.value;
      else if (ID_REFERENCES.includes(name)) {
        el.setAttribute(attr.name, attr.value.split(/\s+/).map((id) => prefix + id).join(" "));
      }
    }
    for (const name of ["href", "src"]) {
      const value = el.getAttribute(name);
      if (value === null) continue;
      const url = new URL(value, base);
      if (url.origin !== SITE_ROOT.origin || !/^https?:$/.test(url.protocol)) {
        if (name === "src") el.removeAttribute(name);
        else el.setAttribute("rel", "noopener");
      } else {
        el.setAttribute(name, url.href);
      }
    }
  }
  return node;
}

/**
 * Replace each Material tab set with the block of the first of `labels` it has (or its first block), with a note.
 * @param {Element} container
 * @param {string[]} wanted
 */
function pickTabs(container, wanted) {
  for (const set of container.querySelectorAll(".tabbed-set")) {
    const labels = [...set.querySelectorAll(":scope > .tabbed-labels > label")].map((l) => l.textContent.trim());
    const blocks = [...set.querySelectorAll(":scope > .tabbed-content > .tabbed-block")];
    const best = wanted.find((label) => labels.includes(label));
    let index = best ? labels.indexOf(best) : 0;
    if (!blocks[index]) index = 0;
    const chosen = blocks[index];
    const replacement = set.ownerDocument.createElement("div");
    replacement.className = "diag-tab";
    if (labels[index]) {
      const note = set.ownerDocument.createElement("p");
      note.className = "diag-tab__label";
      note.textContent = labels[index];
      replacement.append(note);
    }
    if (chosen) replacement.append(...chosen.childNodes);
    set.replaceWith(replacement);
  }
}

/**
 * The Steps section of a fix page (or the section an advice link points at), for one iOS version,
 * as a node ready to insert.
 * @param {string} url site-relative page URL ("fixes/restart/")
 * @param {string[]} iosTabs tab labels for the reader's iOS version, best first (e.g. ["iOS 26", "iOS 18 and later"])
 */
export async function loadSteps(url, iosTabs) {
  const pageURL = new URL(url, SITE_ROOT);
  const doc = await fetchPage(pageURL);
  // A fix page's "Steps" section; for advice, the section its link points at.
  const heading = doc.getElementById(decodeURIComponent(pageURL.hash.slice(1)) || "steps");
  if (!heading || !/^H[1-6]$/.test(heading.nodeName)) throw new Error("this page has no such section");
  const level = Number(heading.nodeName[1]);
  const ends = (/** @type {Node} */ node) => /^H[1-6]$/.test(node.nodeName) && Number(node.nodeName[1]) <= level;
  const container = doc.createElement("div");
  for (let node = heading.nextSibling; node && !ends(node); ) {
    const next = node.nextSibling;
    container.append(node);
    node = next;
  }
  pickTabs(container, iosTabs);
  // An advice section opens with drawings of the message status the person has already picked
  // from the same drawings: in the widget, its words come first.
  if (pageURL.hash) for (const drawing of container.querySelectorAll(".dlv-bubble-figure")) drawing.remove();
  sanitise(container, pageURL);
  const fragment = document.createDocumentFragment();
  for (const child of [...container.childNodes]) fragment.append(document.importNode(child, true));
  return fragment;
}

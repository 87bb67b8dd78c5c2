#!/usr/bin/env node
// Make a built site work offline and install to the Home Screen.
//
//   node scripts/offline.mjs <site-dir>
//
// Runs last in scripts/build.py, on the finished output, and is idempotent (it
// can be re-run on an edited copy of a built site). In order:
//   1. icons     — PNGs rendered from <site>/assets/icon.svg (resvg, WebAssembly)
//   2. manifest  — <site>/manifest.webmanifest
//   3. html      — in every HTML page: a Content-Security-Policy <meta> with the
//                  sha256 of each inline script the page really has, and fixes for
//                  three markup errors of the theme (see conformingMarkup); pages are
//                  read with parse5 and edited at its source offsets, so nothing else moves
//   4. sw        — <site>/sw.js from Workbox's generateSW: every file of the site
//                  (source maps excepted) precached under a content revision
// Steps 1–3 change files, so the service worker is generated after them.

import { createHash } from "node:crypto";
import { readFile, readdir, rm, stat, writeFile, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import process from "node:process";

import { Resvg, initWasm } from "@resvg/resvg-wasm";
import { parse } from "parse5";
import { generateSW } from "workbox-build";

const require = createRequire(import.meta.url);

export const APP = {
  name: "Delivered: fixes for iMessages that won't send",
  shortName: "Delivered",
  description: "Clear, current fixes for iMessages that won't send or deliver, with a tool that works offline.",
  themeColor: "#3f51b5",
  backgroundColor: "#ffffff",
};

// Icons: [file under assets/icons/, size in px]. The SVG is full bleed, so one
// drawing serves the "any" and "maskable" purposes and Apple's touch icon.
const ICONS = [
  ["icon-192.png", 192],
  ["icon-512.png", 512],
  ["apple-touch-icon.png", 180],
  ["favicon-32.png", 32],
];

// Workbox silently skips anything over this size; the Pyodide wasm is ~10 MB.
const MAX_PRECACHE_FILE_BYTES = 32 * 1024 * 1024;
// Files that must be in the precache, or the guide is not usable offline.
const REQUIRED = [
  /^index\.html$/,
  /^assets\/pyodide\/[^/]+\/pyodide\.asm\.wasm$/,
  /^assets\/pyodide\/[^/]+\/python_stdlib\.zip$/,
  /^assets\/pyodide\/[^/]+\/pyodide\.mjs$/,
  /^assets\/diag\/.+\.whl$/,
  /^search\/search_index\.json$/,
  /^assets\/javascripts\/workers\/search\.[^/]+\.js$/,
  /^manifest\.webmanifest$/,
];

/** Files whose URL changes whenever their content does: a content hash, or Pyodide's version directory. */
export const IMMUTABLE_URLS = /\.[0-9a-f]{8}\.min\.(?:js|css)$|^assets\/pyodide\/\d[^/]*\/[^/]+$/;

const NOT_PRECACHED = ["**/*.map", "sw.js", "sitemap.xml", "sitemap.xml.gz"];

const JS_TYPES = new Set(["", "module", "text/javascript", "application/javascript", "text/ecmascript"]);

/** The policy for one page, given the base64 sha256 of each of its inline scripts. */
export function contentSecurityPolicy(scriptHashes) {
  const hashes = [...new Set(scriptHashes)].sort().map((h) => `'sha256-${h}'`);
  return [
    "default-src 'self'",
    // 'wasm-unsafe-eval': Pyodide compiles WebAssembly. Measured in Chromium: under this
    // policy Pyodide starts on the page; without it, it hangs. 'unsafe-eval' is never needed.
    // (The engine's module worker gets its policy from its own response, i.e. none.)
    ["script-src 'self' 'wasm-unsafe-eval'", ...hashes].join(" "),
    // Material sets style attributes from script; inline styles only, never scripts.
    "style-src 'self' 'unsafe-inline'",
    // Material's icons are data: SVGs in CSS masks.
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "media-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join("; ");
}

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

/**
 * Every element of a parse5 tree, depth first (template contents included).
 * @param {any} node
 * @returns {Generator<any>}
 */
function* elements(node) {
  for (const child of node.childNodes ?? []) {
    if (child.tagName) yield child;
    yield* elements(child);
    if (child.content) yield* elements(child.content);
  }
}

/** @param {any} element @param {string} name */
const attr = (element, name) => element.attrs.find((/** @type {{name: string}} */ a) => a.name === name);

/**
 * `html` parsed by parse5 with source locations: the edits below splice the original text at the
 * parser's offsets, so everything they do not touch stays byte for byte as the site generator wrote it.
 * @param {string} html
 */
function parsed(html) {
  return [...elements(parse(html, { sourceCodeLocationInfo: true }))];
}

/** The raw text of an element's content (a script's source as the browser hashes it). */
function rawContent(html, element) {
  const { startTag, endTag } = element.sourceCodeLocation;
  return endTag ? html.slice(startTag.endOffset, endTag.startOffset) : "";
}

/** Base64 sha256 of every inline script that a browser would execute in `html`. */
export function inlineScriptHashes(html) {
  const hashes = [];
  for (const element of parsed(html)) {
    if (element.tagName !== "script" || attr(element, "src")) continue;
    const type = (attr(element, "type")?.value ?? "").trim().toLowerCase();
    if (!JS_TYPES.has(type)) continue; // data blocks (application/json) never run
    hashes.push(createHash("sha256").update(rawContent(html, element), "utf8").digest("base64"));
  }
  return hashes;
}

/**
 * `html` with the given [start, end, replacement] splices applied (offsets into `html`).
 * @param {string} html
 * @param {Array<[number, number, string]>} edits
 */
function splice(html, edits) {
  let out = html;
  for (const [start, end, text] of [...edits].sort((x, y) => y[0] - x[0] || y[1] - x[1])) out = out.slice(0, start) + text + out.slice(end);
  return out;
}

/** The splice that removes one attribute with the whitespace before it. */
function removeAttribute(html, element, name) {
  const at = element.sourceCodeLocation.attrs[name];
  let start = at.startOffset;
  while (start > 0 && /\s/.test(html[start - 1])) start -= 1;
  return /** @type {[number, number, string]} */ ([start, at.endOffset, ""]);
}

/**
 * `html` without three markup errors that Material 9.8.1 writes outside any
 * template block (so no override can fix them) and the Nu Html Checker reports:
 *   - autocomplete="off" on its checkbox toggles (allowed on text-like inputs only);
 *   - tabindex="" on section labels (an empty string is not an integer);
 *   - <label for="__toc"> on pages that have no #__toc toggle (index and unlisted pages).
 */
export function conformingMarkup(html) {
  const all = parsed(html);
  const hasToc = all.some((element) => attr(element, "id")?.value === "__toc");
  /** @type {Array<[number, number, string]>} */
  const edits = [];
  for (const element of all) {
    if (element.tagName === "input" && attr(element, "type")?.value === "checkbox" && attr(element, "autocomplete")?.value === "off") {
      edits.push(removeAttribute(html, element, "autocomplete"));
    }
    if (element.tagName === "label" && attr(element, "tabindex")?.value === "") {
      edits.push(removeAttribute(html, element, "tabindex"));
    }
    const isTocTitle = element.tagName === "label" && attr(element, "for")?.value === "__toc"
      && (attr(element, "class")?.value ?? "").split(/\s+/).includes("md-nav__title");
    if (isTocTitle && !hasToc) {
      const { startTag, endTag } = element.sourceCodeLocation;
      edits.push([startTag.startOffset, startTag.endOffset, '<div class="md-nav__title">']);
      if (endTag) edits.push([endTag.startOffset, endTag.endOffset, "</div>"]);
    }
  }
  // Two splices of one tag would overlap: apply the attribute removals inside a replaced tag first.
  const tags = edits.filter(([, , text]) => text !== "");
  const inside = (/** @type {[number, number, string]} */ e) => tags.some(([s, t]) => e[2] === "" && e[0] >= s && e[1] <= t);
  return splice(html, edits.filter((e) => !inside(e)));
}

/** `html` with exactly one CSP meta tag, right after <meta charset>, before any script. */
export function withPolicy(html, file) {
  const all = parsed(html);
  for (const element of all) {
    const handler = element.attrs.find((/** @type {{name: string}} */ a) => /^on[a-z]+$/i.test(a.name));
    if (handler) throw new Error(`${file}: inline event handler (blocked by the CSP): <${element.tagName} ${handler.name}=…>`);
    if (/^\s*javascript:/i.test(attr(element, "href")?.value ?? "")) throw new Error(`${file}: javascript: URL (blocked by the CSP)`);
  }
  const charset = all.find((element) => element.tagName === "meta" && attr(element, "charset")?.value.toLowerCase() === "utf-8");
  if (!charset) throw new Error(`${file}: no <meta charset="utf-8"> to put the CSP after`);
  /** @type {Array<[number, number, string]>} */
  const edits = [];
  for (const element of all) {
    if (element.tagName !== "meta" || attr(element, "http-equiv")?.value.toLowerCase() !== "content-security-policy") continue;
    const { startOffset, endOffset } = element.sourceCodeLocation;
    let start = startOffset;
    while (start > 0 && (html[start - 1] === " " || html[start - 1] === "\t")) start -= 1;
    edits.push([start, html[endOffset] === "\n" ? endOffset + 1 : endOffset, ""]);
  }
  const policy = contentSecurityPolicy(inlineScriptHashes(html));
  const end = charset.sourceCodeLocation.endOffset;
  const at = html[end] === "\n" ? end + 1 : end;
  edits.push([at, at, `<meta http-equiv="Content-Security-Policy" content="${policy}">\n`]);
  return splice(html, edits);
}

async function renderIcons(site) {
  const svg = await readFile(path.join(site, "assets", "icon.svg"));
  await initWasm(await readFile(require.resolve("@resvg/resvg-wasm/index_bg.wasm")));
  const dir = path.join(site, "assets", "icons");
  await mkdir(dir, { recursive: true });
  for (const [name, size] of ICONS) {
    const png = new Resvg(svg, { fitTo: { mode: "width", value: size } }).render().asPng();
    await writeFile(path.join(dir, name), png);
  }
}

async function writeManifest(site) {
  const icon = (name, size, purpose) => ({
    src: `assets/icons/${name}`,
    sizes: `${size}x${size}`,
    type: "image/png",
    purpose,
  });
  const manifest = {
    id: "./",
    name: APP.name,
    short_name: APP.shortName,
    description: APP.description,
    lang: "en",
    dir: "ltr",
    start_url: "./",
    scope: "./",
    display: "standalone",
    background_color: APP.backgroundColor,
    theme_color: APP.themeColor,
    icons: [
      icon("icon-192.png", 192, "any"),
      icon("icon-512.png", 512, "any"),
      icon("icon-192.png", 192, "maskable"),
      icon("icon-512.png", 512, "maskable"),
      { src: "assets/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" },
    ],
  };
  await writeFile(path.join(site, "manifest.webmanifest"), JSON.stringify(manifest, null, 2) + "\n");
}

async function applyPolicy(site) {
  let pages = 0;
  for await (const file of walk(site)) {
    if (!file.endsWith(".html")) continue;
    const html = await readFile(file, "utf8");
    const updated = withPolicy(conformingMarkup(html), path.relative(site, file));
    if (updated !== html) await writeFile(file, updated);
    pages += 1;
  }
  return pages;
}

async function writeServiceWorker(site) {
  let entries = [];
  const swDest = path.join(site, "sw.js");
  await rm(swDest, { force: true });
  const { count, size, warnings } = await generateSW({
    globDirectory: site,
    globPatterns: ["**/*"],
    globIgnores: NOT_PRECACHED,
    swDest,
    cacheId: "delivered",
    maximumFileSizeToCacheInBytes: MAX_PRECACHE_FILE_BYTES,
    // A static host ignores query strings, so the offline copy does too
    // (Material's search highlighting links to page/?h=term).
    ignoreURLParametersMatching: [/.*/],
    directoryIndex: "index.html",
    // Material's assets carry a content hash in their names already, and the Pyodide
    // runtime a version in its path: Workbox stores them without a revision and fetches
    // them through the HTTP cache, so the copy the engine has just downloaded on a first
    // visit is reused (revalidated), not downloaded a second time (~6 MiB over the wire).
    dontCacheBustURLsMatching: IMMUTABLE_URLS,
    // A new version waits until the reader chooses to reload (sw-register.js
    // posts {type: "SKIP_WAITING"}), so one page never mixes two builds.
    skipWaiting: false,
    // Offline, a page that is not in the guide gets the guide's own "not found" page.
    runtimeCaching: [
      {
        urlPattern: ({ request }) => request.mode === "navigate",
        handler: "NetworkOnly",
        options: { precacheFallback: { fallbackURL: "404.html" } },
      },
    ],
    clientsClaim: true,
    cleanupOutdatedCaches: true,
    inlineWorkboxRuntime: true,
    sourcemap: false,
    mode: "production",
    disableDevLogs: true,
    manifestTransforms: [
      async (manifest) => {
        entries = manifest;
        return { manifest, warnings: [] };
      },
    ],
  });
  if (warnings.length) throw new Error(`Workbox warned (a file would be missing offline):\n${warnings.join("\n")}`);
  const urls = entries.map((e) => e.url);
  for (const pattern of REQUIRED) {
    if (!urls.some((u) => pattern.test(u))) throw new Error(`precache is missing ${pattern}`);
  }
  const maps = urls.filter((u) => u.endsWith(".map"));
  if (maps.length) throw new Error(`source maps were precached: ${maps.join(", ")}`);
  return { count, size };
}

async function main() {
  const site = process.argv[2];
  if (!site) throw new Error("usage: node scripts/offline.mjs <site-dir>");
  if (!(await stat(path.join(site, "index.html")).catch(() => null))) throw new Error(`${site}/index.html is missing`);
  await renderIcons(site);
  await writeManifest(site);
  const pages = await applyPolicy(site);
  const { count, size } = await writeServiceWorker(site);
  const mib = (size / 1024 / 1024).toFixed(1);
  console.log(`offline: ${ICONS.length} icons, CSP in ${pages} pages, sw.js precaches ${count} files (${mib} MiB)`);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("offline.mjs")) {
  main().catch((error) => {
    console.error(`offline: ${error.message}`);
    process.exit(1);
  });
}

// Run diag in real Pyodide (the pinned node_modules/pyodide) inside Node, loading it once.
//
//   node scripts/pyodide_run.mjs dist/diag-0.1.0-py3-none-any.whl [<runtime dir>] < requests.jsonl
//
// With a runtime directory (the site's assets/pyodide/<version>/), Pyodide starts from
// those files, as the browser worker does: the trimmed standard library and no lock file
// (its header comes from the pinned package). Without one, from node_modules/pyodide.
//
// Installs the wheel exactly as the browser worker does (unpackArchive, no
// network), then answers one JSON request per input line with one JSON line:
//   {"call": "next_step", "arg": "<json string>"} -> {"ok": true, "out": "<bridge reply>"}
//   {"python": "<source>"}                        -> {"ok": true, "out": "<str of last expression>"}
// The first output line is {"ready": true, "python": "3.14.x", "pyodide": "314.0.7"}.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const wheel = process.argv[2];
if (!wheel) {
  console.error("usage: node scripts/pyodide_run.mjs <diag wheel>");
  process.exit(2);
}

const pinned = path.join(root, "node_modules", "pyodide");
const runtime = process.argv[3] ? path.resolve(process.argv[3]) : pinned;
const { loadPyodide, version } = await import("pyodide");
const lock = JSON.parse(readFileSync(path.join(pinned, "pyodide-lock.json"), "utf-8"));
const py = await loadPyodide({
  indexURL: runtime + path.sep,
  packages: [],
  ...(runtime === pinned ? {} : { lockFileContents: { info: lock.info, packages: {} } }),
});
py.unpackArchive(new Uint8Array(readFileSync(path.resolve(wheel))), "wheel");
const bridge = py.pyimport("diag.bridge");
const calls = new Set(["catalog", "next_step", "encode", "decode"]);
const pythonVersion = py.runPython("import sys; sys.version.split()[0]");
process.stdout.write(JSON.stringify({ ready: true, python: pythonVersion, pyodide: version }) + "\n");

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  let reply;
  try {
    const request = JSON.parse(line);
    if (request.call !== undefined) {
      if (!calls.has(request.call)) throw new Error(`unknown call ${request.call}`);
      const out = request.call === "catalog" ? bridge.catalog() : bridge[request.call](request.arg);
      reply = { ok: true, out };
    } else if (typeof request.python === "string") {
      reply = { ok: true, out: String(py.runPython(request.python)) };
    } else {
      throw new Error("a request needs either 'call' or 'python'");
    }
  } catch (error) {
    reply = { ok: false, error: String(error.message ?? error).split("\n").slice(-2).join(" ") };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}

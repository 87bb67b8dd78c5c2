// Which files of Pyodide's standard library the engine really uses: an import trace under the
// pinned runtime (node_modules/pyodide), for scripts/stdlib_trim.py.
//
//   node scripts/pyodide_trace.mjs dist/diag-0.1.0-py3-none-any.whl < requests.jsonl
//   -> {"python": "3.14.x", "modules": ["encodings/__init__.py", ...]}
//
// It does what the browser worker does (start with no packages, unpackArchive the wheel,
// import diag.bridge, ask for the catalog), then answers every request line like
// scripts/pyodide_run.mjs ({"call": ..., "arg": ...}), and reports each module that was
// loaded from the standard library zip, as a path inside that zip.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const wheel = process.argv[2];
if (!wheel) {
  console.error("usage: node scripts/pyodide_trace.mjs <diag wheel> < requests.jsonl");
  process.exit(2);
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = Buffer.concat(chunks).toString("utf-8");
const { loadPyodide } = await import("pyodide");
const py = await loadPyodide({ indexURL: path.join(root, "node_modules", "pyodide") + path.sep, packages: [] });
py.unpackArchive(new Uint8Array(readFileSync(path.resolve(wheel))), "wheel");
const bridge = py.pyimport("diag.bridge");
bridge.catalog();
for (const line of input.split("\n")) {
  if (!line.trim()) continue;
  const { call, arg } = JSON.parse(line);
  if (!["next_step", "encode", "decode", "catalog"].includes(call)) throw new Error(`unknown call ${call}`);
  if (call === "catalog") bridge.catalog();
  else bridge[call](arg);
}
// A Python error crossing into JavaScript formats its traceback: that path must work too.
try {
  py.runPython("raise ValueError('trace the error path')");
} catch {
  // expected
}
const report = py.runPython(`
import json, sys
prefix = next(p for p in sys.path if p.endswith(".zip")) + "/"
modules = set()
for module in list(sys.modules.values()):
    origin = getattr(getattr(module, "__spec__", None), "origin", None) or getattr(module, "__file__", None)
    if isinstance(origin, str) and origin.startswith(prefix):
        modules.add(origin[len(prefix):])
json.dumps({"python": sys.version.split()[0], "zip": prefix, "modules": sorted(modules)})
`);
process.stdout.write(report + "\n");

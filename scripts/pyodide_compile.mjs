// Compile Python sources to bytecode for the Pyodide runtime (the pinned node_modules/pyodide).
//
//   node scripts/pyodide_compile.mjs < {"diag/engine.py": "<source>", ...}
//   -> {"diag/__pycache__/engine.cpython-314.pyc": "<base64>", ...}
//
// The browser's Python is CPython 3.14 in Pyodide, whatever Python runs the build, so
// only Pyodide itself can write its bytecode. The .pyc files are hash-checked
// (PEP 552): the importer uses one only while the source next to it hashes the same.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sources = JSON.parse(readFileSync(0, "utf-8"));
const { loadPyodide } = await import("pyodide");
const py = await loadPyodide({ indexURL: path.join(root, "node_modules", "pyodide") + path.sep });
py.globals.set("sources_json", JSON.stringify(sources));
const compiled = py.runPython(`
import base64, json, os, py_compile, importlib.util
out = {}
for name, text in json.loads(sources_json).items():
    source = os.path.join("/tmp/compile", name)
    os.makedirs(os.path.dirname(source), exist_ok=True)
    with open(source, "w", encoding="utf-8") as file:
        file.write(text)
    pyc = py_compile.compile(source, dfile=name, doraise=True,
                             invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    with open(pyc, "rb") as file:
        out[os.path.relpath(importlib.util.cache_from_source(name))] = base64.b64encode(file.read()).decode()
json.dumps(out)
`);
process.stdout.write(compiled);

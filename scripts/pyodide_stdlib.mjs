// Write a python_stdlib.zip holding only the given modules of the pinned Pyodide's standard library,
// each without comments or docstrings (parsed and unparsed by Pyodide's own Python 3.14, so the
// syntax is that runtime's). Called by scripts/stdlib_trim.py.
//
//   node scripts/pyodide_stdlib.mjs <out.zip> < '["encodings/__init__.py", ...]'
//
// Entries are stored deflated with a fixed timestamp, so the same list gives the same bytes.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = process.argv[2];
if (!target) {
  console.error("usage: node scripts/pyodide_stdlib.mjs <out.zip> < modules.json");
  process.exit(2);
}
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { loadPyodide } = await import("pyodide");
const py = await loadPyodide({ indexURL: path.join(root, "node_modules", "pyodide") + path.sep, packages: [] });
py.globals.set("modules_json", Buffer.concat(chunks).toString("utf-8"));
py.runPython(`
import ast, json, sys, zipfile

def without_docstrings(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                node.body = node.body[1:] or [ast.Pass()]
    return tree

source = zipfile.ZipFile(next(p for p in sys.path if p.endswith(".zip")))
with zipfile.ZipFile("/tmp/python_stdlib.zip", "w") as out:
    for name in sorted(json.loads(modules_json)):
        text = ast.unparse(without_docstrings(ast.parse(source.read(name), name))) + "\\n"
        compile(text, name, "exec", dont_inherit=True)  # the minified module still compiles
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        out.writestr(info, text.encode("utf-8"), compresslevel=9)
`);
writeFileSync(target, py.FS.readFile("/tmp/python_stdlib.zip"));

"""Add Pyodide's bytecode to the diag wheel, so the browser imports diag without compiling it.

Importing diag from source costs ~60 ms of every widget start in Pyodide (compiling ~2,000
lines), ~2 ms from bytecode. The wheel stays one wheel for every interpreter: it gains
`diag/__pycache__/*.cpython-314.pyc` (compiled by the pinned Pyodide, see
scripts/pyodide_compile.mjs), which other Pythons ignore by their tag. The .pyc files are
hash-checked (PEP 552), so a .pyc that does not match its source is never used.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPILER = ROOT / "scripts" / "pyodide_compile.mjs"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def add_pyodide_bytecode(wheel: Path) -> list[str]:
    """Rewrite `wheel` with Pyodide .pyc files for its diag modules; return their names."""
    with zipfile.ZipFile(wheel) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    sources = {info.filename: data.decode("utf-8") for info, data in entries if info.filename.endswith(".py")}
    result = subprocess.run(
        ["node", str(COMPILER)], input=json.dumps(sources), capture_output=True, text=True, check=False, cwd=ROOT
    )
    if result.returncode != 0:
        raise RuntimeError(f"compiling diag for Pyodide failed:\n{result.stderr.strip()}")
    compiled = {name: base64.b64decode(data) for name, data in sorted(json.loads(result.stdout).items())}
    (record_info, record) = next((info, data) for info, data in entries if info.filename.endswith(".dist-info/RECORD"))
    stamp = record_info.date_time  # the wheel's own reproducible timestamp (SOURCE_DATE_EPOCH)
    lines = record.decode("utf-8").splitlines()
    lines[-1:-1] = [_record_line(name, data) for name, data in compiled.items()]  # RECORD's own line stays last
    first_metadata = next(info for info, _ in entries if ".dist-info/" in info.filename)
    with zipfile.ZipFile(wheel, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info is first_metadata:  # the package's files first, its .dist-info last (wheel convention)
                for name, pyc in compiled.items():
                    added = zipfile.ZipInfo(name, date_time=stamp)
                    added.compress_type = zipfile.ZIP_DEFLATED
                    added.external_attr = info.external_attr
                    target.writestr(added, pyc)
            target.writestr(info, "\n".join(lines) + "\n" if info is record_info else data)
    return list(compiled)

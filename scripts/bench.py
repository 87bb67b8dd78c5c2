"""Print every benchmark table: `make bench`.

Each section is a module `bench_<name>.py` beside this file exposing
`run() -> list[Table]`, where a Table is (title, headers, rows). Figures are
measured in one run on this machine; compare ratios, not absolute times.
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

SECTIONS = ("bench_site", "bench_engine", "bench_widget", "bench_offline", "bench_readability")
"""Benchmark modules, in the order their tables are printed."""

Table = tuple[str, list[str], list[list[str]]]


def render(table: Table) -> str:
    """A Markdown table with a title line, columns padded for reading in a terminal."""
    title, headers, rows = table
    cells = [headers, *rows]
    widths = [max(len(str(row[i])) for row in cells) for i in range(len(headers))]
    line = lambda row: "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"  # noqa: E731
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([f"### {title}", "", line(headers), rule, *(line(r) for r in rows), ""])


def main() -> int:
    only = set(sys.argv[1:])
    failed = 0
    for name in SECTIONS:
        if only and name.removeprefix("bench_") not in only:
            continue
        start = time.perf_counter()
        try:
            tables = importlib.import_module(name).run()
        except ModuleNotFoundError as error:
            print(f"### {name}\n\n(skipped: {error})\n", flush=True)
            continue
        except Exception:  # a failing section must not hide the others
            failed += 1
            print(f"### {name} FAILED\n\n```\n{traceback.format_exc()}```\n", flush=True)
            continue
        for table in tables:
            print(render(table), flush=True)
        print(f"({name} took {time.perf_counter() - start:.0f} s)\n", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

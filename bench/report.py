"""What every benchmark script shares: the machine description and writing its section of
``docs/benchmarks.md``."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
DOC = PROJECT / "docs" / "benchmarks.md"
"""The results file every benchmark writes its own section of."""


def machine(extra: str = "") -> str:
    """One line describing the machine: CPU model, cores, memory, OS, Python and DuckDB
    versions (plus ``extra``, e.g. ``", pandas 3.1.1"``) and the 1-minute load average at the
    start (the machine may be shared, and wall-clock times follow the load)."""
    from importlib.metadata import (
        version,  # not duckdb itself: a worker measuring pandas memory imports this module
    )

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, AttributeError):
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = f"; load average {os.getloadavg()[0]:.1f} at the start (the machine is shared)"
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, DuckDB {version('duckdb')}{extra}{load}"
    )


def write_section(heading: str, section: str, path: Path = DOC) -> None:
    """Replace the section of ``path`` that starts with the line ``heading`` (up to the next
    ``## `` heading) by ``section``, or append it; other sections are kept."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section.rstrip("\n") + "\n\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text, encoding="utf-8")

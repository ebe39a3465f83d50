"""The core never imports streamlit (checked in a fresh interpreter)."""

import subprocess
import sys

CORE_MODULES = [
    "fusion_partners.build",
    "fusion_partners.curate",
    "fusion_partners.queries",
    "fusion_partners.filters",
    "fusion_partners.url_state",
    "fusion_partners.export",
    "fusion_partners.i18n",
    "fusion_partners.labels",
    "fusion_partners.tables",
    "fusion_partners.countries",
    "fusion_partners.text",
    "fusion_partners.db",
    "fusion_partners.upload",
    "fusion_partners.mapping",
    "fusion_partners.importer",
    "fusion_partners.store",
    "fusion_partners.queries.imports",
    "fusion_partners.places",
    "fusion_partners.insights",
    "fusion_partners.charts",
    "fusion_partners.chart_export",
    "fusion_partners.slides",
    "fusion_partners.queries.insights",
    "fusion_partners.partners",
    "fusion_partners.supply_map",
    "fusion_partners.queries.partners",
    "fusion_partners.dedupe",
    "fusion_partners.access",
]


def test_core_modules_do_not_import_streamlit():
    code = (
        "import sys\n"
        + "\n".join(f"import {m}" for m in CORE_MODULES)
        + (
            "\nbad = [m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.')]"
            "\nprint(bad)\nsys.exit(1 if bad else 0)"
        )
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_page_script_runs_through_the_entry_point():
    """A deep link after a restart must not run a page without app.py (see ui.common)."""
    from pathlib import Path

    pages = sorted((Path(__file__).resolve().parents[1] / "pages").glob("*.py"))
    assert pages
    missing = [
        p.name for p in pages if "common.require_entrypoint()" not in p.read_text(encoding="utf-8")
    ]
    assert not missing, missing

"""The core never imports streamlit (checked in a fresh interpreter)."""

import subprocess
import sys


def _core_modules() -> list[str]:
    """Every module of the package outside ``ui`` (and the migration scripts), found on disk."""
    import pkgutil

    import fusion_partners

    found = [
        m.name
        for m in pkgutil.walk_packages(fusion_partners.__path__, "fusion_partners.")
        if not m.name.startswith(("fusion_partners.ui", "fusion_partners.workspace.migrations"))
    ]
    assert len(found) > 30, found
    return sorted(found)


CORE_MODULES = _core_modules()


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

    pages = sorted((Path(__file__).resolve().parents[2] / "pages").glob("*.py"))
    assert pages
    missing = [
        p.name for p in pages if "common.require_entrypoint()" not in p.read_text(encoding="utf-8")
    ]
    assert not missing, missing

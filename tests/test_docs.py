"""The documentation names every setting and every URL parameter the product reads."""

from __future__ import annotations

import re
from pathlib import Path

from fusion_partners.partners import URL_PARAMS as PARTNER_PARAMS
from fusion_partners.ui import insights as insights_ui
from fusion_partners.ui import shortlists as shortlists_ui
from fusion_partners.ui.common import LANG_KEY
from fusion_partners.url_state import FILTER_PARAMS

PROJECT = Path(__file__).resolve().parents[1]
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in [PROJECT / "README.md", *(PROJECT / "docs").glob("*.md")])


def _settings_read() -> set[str]:
    names = set()
    for path in [*(PROJECT / "src").rglob("*.py"), *(PROJECT / "pages").glob("*.py"), PROJECT / "app.py"]:
        names |= set(re.findall(r"FPF_[A-Z][A-Z_]*[A-Z](?![A-Z_])", path.read_text(encoding="utf-8")))
    return names


def test_every_fpf_setting_the_code_reads_is_documented():
    settings = _settings_read()
    assert {"FPF_DATA_DIR", "FPF_DB_PATH", "FPF_EDITOR_TOKEN", "FPF_WORKSPACE_URL"} <= settings
    missing = sorted(s for s in settings if f"`{s}`" not in DOCS)
    assert not missing, f"settings read by the code but not documented (as `NAME`): {missing}"


def test_every_url_parameter_is_documented():
    params = {*PARTNER_PARAMS, *FILTER_PARAMS, LANG_KEY, "org", shortlists_ui.TOKEN_PARAM,
              insights_ui.LINKS_PARAM, insights_ui.PRESENT_PARAM, insights_ui.MEASURE_PARAM}
    missing = sorted(p for p in params if not re.search(rf"`[?&]?{re.escape(p)}(=[^`]*)?`", DOCS))
    assert not missing, f"URL parameters not documented (as `name`, `?name=...` or `&name`): {missing}"

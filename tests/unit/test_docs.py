"""The documentation names every setting and every URL parameter the product reads."""

from __future__ import annotations

import re
from pathlib import Path

from fusion_partners.explore.url import FILTER_PARAMS
from fusion_partners.insights import url as insights_url
from fusion_partners.partners.url import URL_PARAMS as PARTNER_PARAMS
from fusion_partners.ui.common import LANG_KEY
from fusion_partners.workspace.url import TOKEN_PARAM as SHORTLIST_TOKEN_PARAM

PROJECT = Path(__file__).resolve().parents[2]
DOCS = "\n".join(
    p.read_text(encoding="utf-8") for p in [PROJECT / "README.md", *(PROJECT / "docs").glob("*.md")]
)


def _settings_read() -> set[str]:
    names = set()
    for path in [
        *(PROJECT / "src").rglob("*.py"),
        *(PROJECT / "pages").glob("*.py"),
        PROJECT / "app.py",
    ]:
        names |= set(
            re.findall(r"FPF_[A-Z][A-Z_]*[A-Z](?![A-Z_])", path.read_text(encoding="utf-8"))
        )
    return names


def test_every_fpf_setting_the_code_reads_is_documented():
    settings = _settings_read()
    assert {"FPF_DATA_DIR", "FPF_DB_PATH", "FPF_EDITOR_TOKEN", "FPF_WORKSPACE_URL"} <= settings
    missing = sorted(s for s in settings if f"`{s}`" not in DOCS)
    assert not missing, f"settings read by the code but not documented (as `NAME`): {missing}"


def test_every_url_parameter_is_documented():
    params = {
        *PARTNER_PARAMS,
        *FILTER_PARAMS,
        LANG_KEY,
        "org",
        SHORTLIST_TOKEN_PARAM,
        insights_url.LINKS_PARAM,
        insights_url.PRESENT_PARAM,
        insights_url.MEASURE_PARAM,
        insights_url.SLIDE_PARAM,
    }
    missing = sorted(p for p in params if not re.search(rf"`[?&]?{re.escape(p)}(=[^`]*)?`", DOCS))
    assert not missing, (
        f"URL parameters not documented (as `name`, `?name=...` or `&name`): {missing}"
    )


# --- relative links ---------------------------------------------------------------------------

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


def _documents() -> list[Path]:
    return [
        PROJECT / "README.md",
        PROJECT / "data" / "README.md",
        *sorted((PROJECT / "docs").glob("*.md")),
    ]


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())  # a link keeps its text
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    anchors = set()
    for line in FENCE.sub("", path.read_text(encoding="utf-8")).splitlines():
        if match := re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line):
            base = _anchor(match.group(1))
            n = seen.get(base, 0)
            seen[base] = n + 1
            anchors.add(base if n == 0 else f"{base}-{n}")
    return anchors


def _broken_links(path: Path) -> list[str]:
    broken = []
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    for target in LINK.findall(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):  # https:, mailto:, ...
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(f"{target} (no heading with that anchor)")
    return broken


def test_the_anchor_rule_follows_github():
    assert (
        _anchor("Exports: every row, any size; Excel's cell limit")
        == "exports-every-row-any-size-excels-cell-limit"
    )
    assert (
        _anchor("How the score works: what the page says")
        == "how-the-score-works-what-the-page-says"
    )
    assert _anchor("The `links.csv` file") == "the-linkscsv-file"
    assert _anchor("超電導 or 超伝導") == "超電導-or-超伝導"


def test_the_link_check_finds_a_broken_link(tmp_path):
    (tmp_path / "a.md").write_text(
        "# Title\n\n[ok](a.md#title) [gone](b.md) [bad](a.md#nowhere) "
        "[web](https://example.org/x.md)\n\n```\n[in code](c.md)\n```\n",
        encoding="utf-8",
    )
    assert _broken_links(tmp_path / "a.md") == [
        "b.md (no such file)",
        "a.md#nowhere (no heading with that anchor)",
    ]


def test_every_relative_link_in_the_readme_and_docs_resolves():
    broken = {
        str(p.relative_to(PROJECT)): links for p in _documents() if (links := _broken_links(p))
    }
    assert not broken, f"relative links to missing files or headings: {broken}"


def test_the_readme_stays_a_front_door():
    lines = (PROJECT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, f"README.md has {len(lines)} lines; move detail to docs/"

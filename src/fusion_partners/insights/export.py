"""Charts as files: standalone HTML (works offline), PNG/SVG images, plotly toolbar settings.

* HTML: plotly.js is embedded, and so is the map outline (``static/topojson/world_50m.json``)
  as ``window.PlotlyGeoAssets`` — plotly.js looks there before fetching topojson from its
  CDN — so a downloaded map opens on a machine with no internet access.
* Images: rendered server-side by Kaleido 1.x, which drives an *installed* Chrome/Chromium
  (never a downloaded one). The browser is ``$FPF_CHROMIUM``, else Kaleido's documented
  ``BROWSER_PATH`` variable, else ``chromium`` on the PATH. MathJax is switched off and the
  plotly.js bundled with plotly.py is used, so rendering needs no network either. Japanese
  labels need a CJK font on the rendering machine (``fonts-noto-cjk`` on Debian).

When the renderer is missing, :func:`renderer_status` says why and the HTML download keeps
working.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from fusion_partners import config

TOPOJSON_DIR = config.PROJECT_ROOT / "static" / "topojson"
TOPOJSON_NAME = "world_50m"
TOPOJSON_URL = "./app/static/topojson/"
"""Where the browser fetches map outlines in the app (Streamlit static file serving,
relative to the page so it also works under a base URL path)."""
DEFAULT_SCALE = 2
"""Pixel density of PNG downloads (2× the figure size)."""


class RendererUnavailable(RuntimeError):
    """Server-side image rendering cannot run here (message says why)."""


def plotly_config(
    filename: str,
    *,
    width: int | None = None,
    height: int | None = None,
    scale: int = DEFAULT_SCALE,
) -> dict:
    """plotly.js ``config`` for ``st.plotly_chart``: toolbar PNG at ``scale``× with a
    meaningful file name, no plotly logo, and map outlines served by the app."""
    opts = {"format": "png", "filename": filename, "scale": max(int(scale), 2)}
    if width:
        opts["width"] = width
    if height:
        opts["height"] = height
    return {
        "toImageButtonOptions": opts,
        "displaylogo": False,
        "topojsonURL": TOPOJSON_URL,
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    }


def has_geo(fig: go.Figure) -> bool:
    """True when ``fig`` has a geo subplot (so it needs map outlines)."""
    return any(key.startswith("geo") for key in fig.layout.to_plotly_json())


@lru_cache(maxsize=1)
def _geo_assets_script() -> str:
    topo = (TOPOJSON_DIR / f"{TOPOJSON_NAME}.json").read_text(encoding="utf-8")
    json.loads(topo)  # fail early on a damaged file
    return (
        "window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};\n"
        f"window.PlotlyGeoAssets.topojson[{json.dumps(TOPOJSON_NAME)}] = {topo};\n"
    )


def to_html(fig: go.Figure, title: str, config_: dict | None = None, lang: str = "en") -> bytes:
    """A standalone HTML page (UTF-8) showing ``fig``; plotly.js and map outlines embedded.

    Opens offline in any modern browser; about 5 MB (plus 1 MB with a map).
    """
    cfg = dict(config_ or {})
    cfg.pop("topojsonURL", None)
    body = pio.to_html(
        fig, include_plotlyjs=True, full_html=False, config=cfg, default_width="100%"
    )
    geo = f"<script>{_geo_assets_script()}</script>\n" if has_geo(fig) else ""
    import html as _html

    page = (
        f'<!DOCTYPE html>\n<html lang="{_html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_html.escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'{geo}</head>\n<body style="margin:0">\n{body}\n</body>\n</html>\n'
    )
    return page.encode("utf-8")


def browser_path() -> str | None:
    """The Chrome/Chromium Kaleido will drive: ``$FPF_CHROMIUM``, ``$BROWSER_PATH``, or
    ``chromium`` / ``chromium-browser`` / ``google-chrome`` on the PATH; ``None`` if absent."""
    for env in ("FPF_CHROMIUM", "BROWSER_PATH"):
        value = os.environ.get(env)
        if value:
            return value if Path(value).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def cjk_fonts() -> list[str]:
    """Font families with Japanese coverage known to fontconfig (``fc-list :lang=ja``)."""
    fc = shutil.which("fc-list")
    if not fc:
        return []
    try:
        out = subprocess.run(
            [fc, ":lang=ja", "family"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(",")[0].strip() for line in out.stdout.splitlines() if line.strip()})


@dataclass(frozen=True)
class RendererStatus:
    """Whether images can be rendered here.

    Attributes:
        ok: True when Kaleido and a browser are present.
        reason: why not (``kaleido``, ``browser``), or ``""``.
        cjk_font: True when a Japanese font is installed (else Japanese shows as boxes).
        browser: the browser path, if any.
    """

    ok: bool
    reason: str
    cjk_font: bool
    browser: str | None


@lru_cache(maxsize=1)
def renderer_status() -> RendererStatus:
    """Check (once per process) that Kaleido, a browser and a CJK font are present."""
    browser = browser_path()
    fonts = bool(cjk_fonts())
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return RendererStatus(False, "kaleido", fonts, browser)
    if not browser:
        return RendererStatus(False, "browser", fonts, None)
    return RendererStatus(True, "", fonts, browser)


@lru_cache(maxsize=1)
def _geo_assets_file() -> str:
    folder = Path(tempfile.mkdtemp(prefix="fpf-geo-"))
    path = folder / "geo-assets.js"
    path.write_text(_geo_assets_script(), encoding="utf-8")
    return str(path)


def _run(coro):
    """Run ``coro`` to completion in a fresh thread with its own event loop."""
    result: dict = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            result["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


_render_lock = threading.Lock()


def render_images(
    figs: Sequence[go.Figure],
    fmt: str = "png",
    *,
    width: int = 1600,
    scale: float = DEFAULT_SCALE,
    timeout: float = 90,
) -> list[bytes]:
    """Render ``figs`` as ``png`` or ``svg`` bytes in one browser session.

    Each image is ``width`` (or the figure's own ``layout.width`` when set, as for slide
    pictures) × the figure's own height (CSS pixels), times ``scale`` for PNG.

    Raises:
        RendererUnavailable: when Kaleido or the browser is missing, or rendering fails.
        ValueError: for another ``fmt``.
    """
    if fmt not in ("png", "svg"):
        raise ValueError(f"unsupported image format {fmt!r}")
    status = renderer_status()
    if not status.ok:
        raise RendererUnavailable(status.reason)
    import kaleido
    from kaleido import PageGenerator

    keys = [_image_key(fig, fmt, width, scale) for fig in figs]
    with _render_lock:  # one browser at a time on a small machine
        todo = [(key, fig) for key, fig in zip(keys, figs, strict=True) if key not in _rendered]
        if todo:
            others = [_geo_assets_file()] if any(has_geo(f) for _, f in todo) else None
            page = PageGenerator(mathjax=False, others=others)

            async def go_render() -> list[bytes]:
                out = []
                async with kaleido.Kaleido(
                    page_generator=page, path=status.browser, timeout=timeout
                ) as k:
                    for _, fig in todo:
                        height = int(fig.layout.height or 700)
                        opts = {
                            "format": fmt,
                            "width": int(fig.layout.width or width),
                            "height": height,
                            "scale": scale,
                        }
                        out.append(await k.calc_fig(fig, opts=opts))
                return out

            try:
                images = _run(go_render())
            except Exception as exc:  # noqa: BLE001 - any renderer failure is reported the same way
                raise RendererUnavailable(f"{type(exc).__name__}: {exc}") from exc
            for (key, _), image in zip(todo, images, strict=True):
                _rendered[key] = image
                while len(_rendered) > RENDER_CACHE_SIZE:
                    _rendered.popitem(last=False)
        for key in keys:
            _rendered.move_to_end(key)
        return [_rendered[key] for key in keys]


RENDER_CACHE_SIZE = 48
"""Rendered images kept (a few MB): starting the browser costs about 2 s per export, so the same
figure asked for again (a second click, the chart pack after single charts) is served from memory."""
_rendered: OrderedDict[str, bytes] = OrderedDict()


def _image_key(fig: go.Figure, fmt: str, width: int, scale: float) -> str:
    """Content key of an image: the figure's JSON and the rendering options."""
    digest = hashlib.sha256(fig.to_json().encode("utf-8"))
    digest.update(f"|{fmt}|{width}|{scale}".encode())
    return digest.hexdigest()


def render_image(fig: go.Figure, fmt: str = "png", **kwargs) -> bytes:
    """One figure as image bytes (see :func:`render_images`)."""
    return render_images([fig], fmt, **kwargs)[0]

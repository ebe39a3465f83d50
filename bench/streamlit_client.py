"""A minimal Streamlit protocol client for load tests (no browser).

Opens a session over the app's WebSocket (``/_stcore/stream``), asks it to run a page with
a query string, and collects what the script drew until it finishes. Used by
``bench/concurrency.py`` and ``bench/bench_explore.py``; the messages are Streamlit's own
protobufs (``streamlit.proto``), the same the browser receives.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

TEXT_FIELDS = ("markdown", "heading", "alert", "text", "code")


@dataclass(frozen=True)
class PageAnswer:
    """What one page run drew: a canonical signature and the server-side time (s)."""

    signature: tuple[tuple[tuple[int, ...], str], ...]
    seconds: float
    exception: bool

    @property
    def digest(self) -> str:
        return hashlib.sha256(repr(self.signature).encode()).hexdigest()[:16]


def _summarise(element) -> str:
    kind = element.WhichOneof("type")
    if kind in TEXT_FIELDS:
        return f"{kind}:{getattr(element, kind).body}"
    if kind == "dataframe":
        return "dataframe:" + hashlib.sha256(element.dataframe.SerializeToString()).hexdigest()[:16]
    if kind == "exception":
        return f"exception:{element.exception.message}"
    if kind == "plotly_chart":
        return "plotly:" + hashlib.sha256(element.plotly_chart.spec.encode()).hexdigest()[:16]
    label = ""
    inner = getattr(element, kind, None) if kind else None
    if inner is not None and hasattr(inner, "label"):
        label = inner.label
    return f"{kind}:{label}"


async def run_page(
    ws_url: str, query_string: str = "", page_name: str = "", timeout: float = 120
) -> PageAnswer:
    """Open a new session, run ``page_name`` (``""`` = default page) with ``query_string``.

    Raises:
        TimeoutError: when the script does not finish within ``timeout`` seconds.
        RuntimeError: when the server reports the page does not exist.
    """
    async with websockets.connect(
        ws_url, subprotocols=["streamlit"], max_size=2**28, open_timeout=timeout
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = query_string
        msg.rerun_script.page_name = page_name
        start = time.perf_counter()
        await ws.send(msg.SerializeToString())
        drawn: dict[tuple[int, ...], str] = {}
        exception = False
        deadline = start + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"{page_name}?{query_string}")
            fwd = ForwardMsg()
            fwd.ParseFromString(await ws.recv() if remaining > 0 else b"")
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                text = _summarise(fwd.delta.new_element)
                exception |= text.startswith("exception:")
                drawn[tuple(fwd.metadata.delta_path)] = text
            elif kind == "page_not_found":
                raise RuntimeError(f"page not found: {page_name}")
            elif kind == "script_finished":
                seconds = time.perf_counter() - start
                return PageAnswer(tuple(sorted(drawn.items())), seconds, exception)

"""Editors in the workspace store: the editor-token check with its lockout counters kept
per client address and for all clients together, and the editor log.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from fusion_partners.workspace import access
from fusion_partners.workspace.base import StoreBase
from fusion_partners.workspace.schema import NAME_MAX
from fusion_partners.workspace.values import clean_text, row_dict

GLOBAL_MAX_TRIES = 50
"""Wrong editor tokens, from all clients together, within :data:`GLOBAL_WINDOW` before
the editor check is locked for everyone for :data:`GLOBAL_LOCK_SECONDS`."""
GLOBAL_WINDOW = 15 * 60.0
GLOBAL_LOCK_SECONDS = 15 * 60.0


class EditorStore(StoreBase):
    """The editor log and the persistent editor-token lockout."""

    def log_action(self, editor: str, action: str, target: str = "", detail: str = "") -> None:
        """Record an editor action (name, time, what, on what)."""
        with self._tx() as con:
            self._log(
                con,
                clean_text(editor, field="editor", limit=NAME_MAX) or "unknown",
                action,
                target,
                detail,
            )

    def editor_log(self, limit: int = 500) -> list[dict[str, Any]]:
        """The newest editor actions first."""
        with self._tx() as con:
            return [
                row_dict(r)
                for r in con.execute(
                    sa.select(self.log_t)
                    .order_by(self.log_t.c.at.desc(), self.log_t.c.id.desc())
                    .limit(limit)
                ).all()
            ]

    def check_editor_token(
        self, entered: str, token: str, client: str, now: float | None = None
    ) -> access.Verdict:
        """:func:`fusion_partners.workspace.access.check_token` with its counters kept in the store, per
        client address *and* for all clients together, so reloading the page or opening a
        new session does not reset them.

        The overall scope locks every client for :data:`GLOBAL_LOCK_SECONDS` after
        :data:`GLOBAL_MAX_TRIES` wrong tokens within :data:`GLOBAL_WINDOW` (a distributed guess
        is slowed too; the price is that a flood of wrong tries also delays real editors).

        Args:
            entered: what the user typed; token: the configured token; client: :func:`~.values.client_key`
            of the address; now: Unix time in seconds (injected by tests).
        """
        now = time.time() if now is None else now
        scope = f"client:{client or 'unknown'}"
        with self._lock, self._tx() as con:
            rows = {
                r.scope: row_dict(r)
                for r in con.execute(
                    sa.select(self.lockouts_t)
                    .where(self.lockouts_t.c.scope.in_([scope, "all"]))
                    .with_for_update()
                ).all()
            }
            overall = rows.get("all") or {
                "scope": "all",
                "failures": 0,
                "lockouts": 0,
                "locked_until": 0.0,
                "last_wrong": "",
                "window_start": now,
            }
            if now < float(overall["locked_until"]):
                return access.Verdict(
                    "locked", int(float(overall["locked_until"]) - now + 0.999), 0
                )
            mine = rows.get(scope) or {
                "scope": scope,
                "failures": 0,
                "lockouts": 0,
                "locked_until": 0.0,
                "last_wrong": "",
                "window_start": now,
            }
            state: dict[str, Any] = dict(
                mine
            )  # the row's numbers and text, as access.check_token keeps them
            hashed = (
                hashlib.sha256((entered or "").strip().encode()).hexdigest()
                if (entered or "").strip()
                else ""
            )
            # access.check_token compares last_wrong with the entered value: keep only its hash
            state["last_wrong"] = entered.strip() if hashed and hashed == mine["last_wrong"] else ""
            before = int(mine["failures"]), int(mine["lockouts"])
            verdict = access.check_token(entered, token, state, now)
            counted = verdict.status in ("wrong", "locked") and (
                (int(state["failures"]), int(state["lockouts"])) != before
            )
            state["last_wrong"] = hashed if verdict.status in ("wrong", "locked") else ""
            self._upsert_lock(con, {k: state.get(k, mine[k]) for k in mine}, scope in rows)
            if counted:
                if now - float(overall["window_start"]) > GLOBAL_WINDOW:
                    overall.update(failures=0, window_start=now)
                overall["failures"] = int(overall["failures"]) + 1
                if overall["failures"] >= GLOBAL_MAX_TRIES:
                    overall.update(
                        failures=0,
                        lockouts=int(overall["lockouts"]) + 1,
                        locked_until=now + GLOBAL_LOCK_SECONDS,
                        window_start=now,
                    )
                self._upsert_lock(con, overall, "all" in rows)
            return verdict

    def _upsert_lock(self, con: sa.Connection, values: Mapping[str, Any], exists: bool) -> None:
        values = {
            k: values[k]
            for k in ("scope", "failures", "lockouts", "locked_until", "last_wrong", "window_start")
        }
        if exists:
            con.execute(
                sa.update(self.lockouts_t)
                .where(self.lockouts_t.c.scope == values["scope"])
                .values(**values)
            )
        else:
            con.execute(sa.insert(self.lockouts_t).values(**values))

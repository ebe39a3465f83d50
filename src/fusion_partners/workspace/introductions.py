"""Introduction requests in the workspace store: a user asks J-Fusion or The Fusion Cluster
to introduce them to a candidate; editors move each request through its statuses.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from fusion_partners.workspace.base import StoreBase
from fusion_partners.workspace.errors import AlreadyRequested, Conflict, Invalid, NotFound
from fusion_partners.workspace.schema import NAME_MAX, REQUEST_STATUSES
from fusion_partners.workspace.values import check_email, clean_text, now_utc, row_dict

COUNCILS: tuple[str, ...] = ("j_fusion", "fusion_cluster")
"""Councils an introduction can be asked of (J-Fusion, Japan; The Fusion Cluster, UK)."""

MAIL_LANGUAGE: dict[str, str] = {"j_fusion": "ja", "fusion_cluster": "en"}
"""The language an e-mail to each council is written in, whatever the page's language."""


class IntroductionStore(StoreBase):
    """Introduction requests to the councils."""

    def request_introduction(
        self,
        *,
        council: str,
        candidate_id: str,
        candidate_name: str,
        requester_name: str,
        requester_email: str,
        requester_org: str = "",
        message: str = "",
        start_id: str = "",
        start_name: str = "",
        kind: str = "",
        reason: str = "",
        lang: str = "en",
        shortlist_id: int | None = None,
        client: str = "",
        again: bool = False,
    ) -> int:
        """Save a request that ``council`` introduce the requester to a candidate; returns its id.

        A request from a shortlist for a candidate and council it already asked about is
        refused unless ``again`` is set, so a second click does not file the same request twice.

        Raises:
            AlreadyRequested: the same shortlist asked ``council`` about the same candidate
                before (``again`` not set); ``request`` is the earlier one (the newest).
            Invalid: unknown council, missing name or e-mail, bad e-mail, too long text.
            RateLimited: too many submissions from this client (or overall) in the last hour.
        """
        if council not in COUNCILS:
            raise Invalid("bad_council", field="council")
        values = {
            "council": council,
            "candidate_id": clean_text(candidate_id, field="candidate", limit=120, required=True),
            "candidate_name": clean_text(candidate_name, field="candidate", limit=NAME_MAX),
            "requester_name": clean_text(
                requester_name, field="name", limit=NAME_MAX, required=True
            ),
            "requester_email": check_email(requester_email),
            "requester_org": clean_text(requester_org, field="organisation", limit=NAME_MAX),
            "message": clean_text(message, field="message"),
            "start_id": clean_text(start_id, field="start", limit=120),
            "start_name": clean_text(start_name, field="start", limit=NAME_MAX),
            "kind": clean_text(kind, field="kind", limit=32),
            "reason": clean_text(reason, field="reason"),
            "lang": lang,
            "shortlist_id": shortlist_id,
            "client": client,
            "status": "new",
            "version": 1,
        }
        now = now_utc()
        with self._tx() as con:
            if shortlist_id is not None and not again:
                # the shortlist's row lock makes two requests sent at once wait for each
                # other, so the second sees the first (SQLite's BEGIN IMMEDIATE does this anyway)
                con.execute(
                    sa.select(self.shortlists_t.c.id)
                    .where(self.shortlists_t.c.id == shortlist_id)
                    .with_for_update()
                )
                earlier = con.execute(
                    sa.select(self.requests_t.c.id, self.requests_t.c.created_at)
                    .where(
                        self.requests_t.c.shortlist_id == shortlist_id,
                        self.requests_t.c.candidate_id == values["candidate_id"],
                        self.requests_t.c.council == council,
                    )
                    .order_by(self.requests_t.c.id.desc())
                    .limit(1)
                ).first()
                if earlier is not None:
                    raise AlreadyRequested(row_dict(earlier))
            self._rate_check(con, client)
            return int(
                con.execute(
                    sa.insert(self.requests_t)
                    .values(**values, created_at=now, updated_at=now)
                    .returning(self.requests_t.c.id)
                ).scalar_one()
            )

    def list_requests(self, status: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """Introduction requests, newest first (``status`` filters; at most ``limit``)."""
        q = sa.select(self.requests_t).order_by(
            self.requests_t.c.created_at.desc(), self.requests_t.c.id.desc()
        )
        if status:
            q = q.where(self.requests_t.c.status == status)
        with self._tx() as con:
            return [row_dict(r) for r in con.execute(q.limit(limit)).all()]

    def set_request_status(
        self, request_id: int, status: str, seen_version: int, editor: str
    ) -> int:
        """Move a request to ``status`` (logged with the editor's name); returns its new version.

        Raises:
            Invalid: unknown status or no editor name.
            Conflict: another editor changed it since ``seen_version``.
        """
        if status not in REQUEST_STATUSES:
            raise Invalid("bad_status", field="status")
        editor = clean_text(editor, field="editor", limit=NAME_MAX, required=True)
        with self._tx() as con:
            done = con.execute(
                sa.update(self.requests_t)
                .where(
                    self.requests_t.c.id == request_id, self.requests_t.c.version == seen_version
                )
                .values(
                    status=status,
                    version=self.requests_t.c.version + 1,
                    updated_at=now_utc(),
                    updated_by=editor,
                )
            ).rowcount
            row = con.execute(
                sa.select(self.requests_t).where(self.requests_t.c.id == request_id)
            ).first()
            if done:
                self._log(con, editor, "request_status", f"request {request_id}", status)
        if row is None:
            raise NotFound("request")
        if not done:
            raise Conflict(current=row_dict(row))
        return int(row.version)

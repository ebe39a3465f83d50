"""Corrections and suggested organisations in the workspace store: queued by anyone (with
a source), reviewed by editors one at a time (claimed, then accepted or rejected with a
reason), every decision logged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from fusion_partners.workspace.base import StoreBase
from fusion_partners.workspace.errors import AlreadyDecided, Invalid, NotFound
from fusion_partners.workspace.schema import NAME_MAX, TEXT_MAX
from fusion_partners.workspace.values import check_url, clean_text, now_utc, row_dict


class CorrectionStore(StoreBase):
    """The review queue of corrections and suggested organisations."""

    def submit_correction(
        self,
        *,
        org_id: str,
        field: str,
        proposed: str,
        source_url: str,
        comment: str = "",
        submitter: str = "",
        lang: str = "en",
        client: str = "",
    ) -> int:
        """Queue a correction of one field of an organisation; returns its id.

        Raises:
            Invalid: no proposed value, a non-http(s) source URL, too long text.
            RateLimited: too many submissions.
        """
        values = {
            "kind": "correction",
            "org_id": clean_text(org_id, field="organisation", limit=120, required=True),
            "field": clean_text(field, field="field", limit=40, required=True),
            "proposed": clean_text(proposed, field="proposed", required=True),
            "source_url": check_url(source_url),
            "comment": clean_text(comment, field="comment"),
            "submitter": clean_text(submitter, field="submitter", limit=NAME_MAX),
        }
        return self._submit(values, lang, client)

    def suggest_organisation(
        self,
        *,
        record: Mapping[str, str],
        source_url: str,
        comment: str = "",
        submitter: str = "",
        lang: str = "en",
        client: str = "",
    ) -> int:
        """Queue a suggested new organisation (``record``: roster fields such as
        ``name_en``, ``name_ja``, ``country``, ``org_type``, ``website``,
        ``description_en``); returns its id.

        Raises:
            Invalid: no name, a non-http(s) source URL, too long text.
            RateLimited: too many submissions.
        """
        long_fields = ("description_en", "description_ja", "capabilities")
        clean = {
            k: clean_text(v, field=k, limit=TEXT_MAX if k in long_fields else NAME_MAX)
            for k, v in record.items()
            if v
        }
        if not (clean.get("name_en") or clean.get("name_ja")):
            raise Invalid("required", field="name")
        if clean.get("website"):
            clean["website"] = check_url(clean["website"], field="website")
        values = {
            "kind": "new_organisation",
            "org_id": "",
            "field": "",
            "proposed": json.dumps(clean, ensure_ascii=False, sort_keys=True),
            "source_url": check_url(source_url),
            "comment": clean_text(comment, field="comment"),
            "submitter": clean_text(submitter, field="submitter", limit=NAME_MAX),
        }
        return self._submit(values, lang, client)

    def _submit(self, values: dict[str, Any], lang: str, client: str) -> int:
        with self._tx() as con:
            self._rate_check(con, client)
            return int(
                con.execute(
                    sa.insert(self.corrections_t)
                    .values(
                        **values, lang=lang, client=client, status="pending", created_at=now_utc()
                    )
                    .returning(self.corrections_t.c.id)
                ).scalar_one()
            )

    def list_corrections(
        self, status: str | None = "pending", limit: int = 1000
    ) -> list[dict[str, Any]]:
        """Corrections and suggestions, oldest first (the review queue), ``status`` filtering."""
        q = sa.select(self.corrections_t).order_by(
            self.corrections_t.c.created_at, self.corrections_t.c.id
        )
        if status:
            q = q.where(self.corrections_t.c.status == status)
        with self._tx() as con:
            return [row_dict(r) for r in con.execute(q.limit(limit)).all()]

    def claim_correction(self, correction_id: int, editor: str) -> dict[str, Any]:
        """Take a pending correction for applying (status ``applying``), so a second editor
        cannot decide it at the same time; returns the row.

        Raises:
            AlreadyDecided: it is not pending (decided, or being applied by someone else).
            NotFound: no such correction.
        """
        editor = clean_text(editor, field="editor", limit=NAME_MAX, required=True)
        with self._tx() as con:
            done = con.execute(
                sa.update(self.corrections_t)
                .where(
                    self.corrections_t.c.id == correction_id,
                    self.corrections_t.c.status == "pending",
                )
                .values(status="applying", decided_by=editor)
            ).rowcount
            row = con.execute(
                sa.select(self.corrections_t).where(self.corrections_t.c.id == correction_id)
            ).first()
        if row is None:
            raise NotFound("correction")
        if not done:
            raise AlreadyDecided(by=row.decided_by, status=row.status)
        return row_dict(row)

    def release_correction(self, correction_id: int) -> None:
        """Put a claimed correction back in the queue (applying it failed)."""
        with self._tx() as con:
            con.execute(
                sa.update(self.corrections_t)
                .where(
                    self.corrections_t.c.id == correction_id,
                    self.corrections_t.c.status == "applying",
                )
                .values(status="pending", decided_by="")
            )

    def decide_correction(
        self,
        correction_id: int,
        *,
        accept: bool,
        editor: str,
        note: str = "",
        applied_ref: str = "",
    ) -> None:
        """Record the decision on a correction (claimed, or still pending when rejecting).

        Rejecting requires a reason (``note``). The decision is logged with the editor's name.

        Raises:
            Invalid: rejecting without a reason.
            AlreadyDecided: another editor decided it first.
        """
        editor = clean_text(editor, field="editor", limit=NAME_MAX, required=True)
        note = clean_text(note, field="reason", required=not accept)
        allowed = ("applying",) if accept else ("pending",)
        status = "accepted" if accept else "rejected"
        with self._tx() as con:
            done = con.execute(
                sa.update(self.corrections_t)
                .where(
                    self.corrections_t.c.id == correction_id,
                    self.corrections_t.c.status.in_(allowed),
                )
                .values(
                    status=status,
                    decided_by=editor,
                    decided_at=now_utc(),
                    decision_note=note,
                    applied_ref=applied_ref,
                )
            ).rowcount
            if not done:
                row = con.execute(
                    sa.select(self.corrections_t).where(self.corrections_t.c.id == correction_id)
                ).first()
                raise AlreadyDecided(
                    by=row.decided_by if row else "", status=row.status if row else ""
                )
            self._log(
                con,
                editor,
                f"correction_{status}",
                f"correction {correction_id}",
                note or applied_ref,
            )

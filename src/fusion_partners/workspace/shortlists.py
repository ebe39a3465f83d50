"""Shortlists in the workspace store: made and opened through private edit and view links,
their candidates with a note and a status (version-checked), links revoked and replaced,
and the shortlists one browser opened.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from fusion_partners.workspace.base import StoreBase
from fusion_partners.workspace.errors import Conflict, Invalid, NotFound, ReadOnly, Revoked
from fusion_partners.workspace.schema import ACCESS, ENTRY_STATUSES, NAME_MAX
from fusion_partners.workspace.values import (
    TOKEN_RE,
    browser_key_hash,
    clean_text,
    new_token,
    now_utc,
    row_dict,
)

MAX_SHORTLIST_ENTRIES = 500
"""Candidates one shortlist may hold."""


@dataclass(frozen=True)
class Opened:
    """A shortlist opened through a link: its row, what the link allows, the link token."""

    shortlist: dict[str, Any]
    access: str
    token: str

    @property
    def can_edit(self) -> bool:
        """True for an edit link."""
        return self.access == "edit"


class ShortlistStore(StoreBase):
    """Shortlists, their links and candidates, and this browser's shortlists."""

    def create_shortlist(self, name: str, lang: str = "en", browser_key: str = "") -> Opened:
        """A new empty shortlist with an edit link and a view link; remembered for
        ``browser_key`` when given. Returns it opened through its edit link.

        Raises:
            Invalid: an empty or too long name.
        """
        name = clean_text(name, field="name", limit=NAME_MAX, required=True)
        now = now_utc()
        edit, view = new_token(), new_token()
        with self._tx() as con:
            sid = con.execute(
                sa.insert(self.shortlists_t)
                .values(name=name, lang=lang, version=1, created_at=now, updated_at=now)
                .returning(self.shortlists_t.c.id)
            ).scalar_one()
            con.execute(
                sa.insert(self.links_t),
                [
                    {"token": edit, "shortlist_id": sid, "access": "edit", "created_at": now},
                    {"token": view, "shortlist_id": sid, "access": "view", "created_at": now},
                ],
            )
            if browser_key:
                con.execute(
                    sa.insert(self.browsers_t).values(
                        browser=browser_key_hash(browser_key), token=edit, added_at=now
                    )
                )
            row = row_dict(
                con.execute(sa.select(self.shortlists_t).where(self.shortlists_t.c.id == sid)).one()
            )
        return Opened(row, "edit", edit)

    def open(self, token: str) -> Opened:
        """The shortlist a link token opens.

        Raises:
            NotFound: a malformed or unknown token.
            Revoked: a token that was revoked.
        """
        token = (token or "").strip()
        if not TOKEN_RE.match(token):
            raise NotFound("malformed token")
        with self._tx() as con:
            link = con.execute(sa.select(self.links_t).where(self.links_t.c.token == token)).first()
            if link is None:
                raise NotFound("unknown token")
            if link.revoked_at is not None:
                raise Revoked()
            row = con.execute(
                sa.select(self.shortlists_t).where(self.shortlists_t.c.id == link.shortlist_id)
            ).first()
        if row is None:
            raise NotFound("deleted shortlist")
        return Opened(row_dict(row), link.access, token)

    def _editable(self, con: sa.Connection, token: str) -> int:
        link = con.execute(
            sa.select(self.links_t).where(self.links_t.c.token == (token or "").strip())
        ).first()
        if link is None:
            raise NotFound("unknown token")
        if link.revoked_at is not None:
            raise Revoked()
        if link.access != "edit":
            raise ReadOnly()
        return int(link.shortlist_id)

    def _touch(self, con: sa.Connection, sid: int) -> None:
        con.execute(
            sa.update(self.shortlists_t)
            .where(self.shortlists_t.c.id == sid)
            .values(version=self.shortlists_t.c.version + 1, updated_at=now_utc())
        )

    def share_links(self, token: str) -> dict[str, str]:
        """The active ``{"edit": token, "view": token}`` of the shortlist ``token`` edits.

        Raises:
            NotFound / Revoked / ReadOnly: as for any change.
        """
        with self._tx() as con:
            sid = self._editable(con, token)
            rows = con.execute(
                sa.select(self.links_t.c.access, self.links_t.c.token).where(
                    self.links_t.c.shortlist_id == sid, self.links_t.c.revoked_at.is_(None)
                )
            ).all()
        return {a: tok for a, tok in rows}

    def revoke(self, token: str, access_: str) -> str:
        """Revoke the shortlist's active ``access_`` link(s) and make a new one; returns the
        new token. Revoking the edit link the caller holds is allowed (the caller must then
        use the returned token).

        Raises:
            ValueError: ``access_`` is not ``edit`` or ``view``.
            NotFound / Revoked / ReadOnly: as for any change.
        """
        if access_ not in ACCESS:
            raise ValueError(f"access must be one of {ACCESS}")
        fresh, now = new_token(), now_utc()
        with self._tx() as con:
            sid = self._editable(con, token)
            con.execute(
                sa.update(self.links_t)
                .where(
                    self.links_t.c.shortlist_id == sid,
                    self.links_t.c.access == access_,
                    self.links_t.c.revoked_at.is_(None),
                )
                .values(revoked_at=now)
            )
            con.execute(
                sa.insert(self.links_t).values(
                    token=fresh, shortlist_id=sid, access=access_, created_at=now
                )
            )
            # browsers that had the old link keep the shortlist only if they edit and got the new one
            self._touch(con, sid)
        return fresh

    def rename(self, token: str, name: str, seen_version: int) -> int:
        """Rename the shortlist; returns its new version.

        Raises:
            Conflict: the shortlist changed since ``seen_version``.
            Invalid / NotFound / Revoked / ReadOnly.
        """
        name = clean_text(name, field="name", limit=NAME_MAX, required=True)
        with self._tx() as con:
            sid = self._editable(con, token)
            done = con.execute(
                sa.update(self.shortlists_t)
                .where(self.shortlists_t.c.id == sid, self.shortlists_t.c.version == seen_version)
                .values(name=name, version=self.shortlists_t.c.version + 1, updated_at=now_utc())
            ).rowcount
            current = row_dict(
                con.execute(sa.select(self.shortlists_t).where(self.shortlists_t.c.id == sid)).one()
            )
        if not done:
            raise Conflict(current=current)
        return int(current["version"])

    def entries(self, shortlist_id: int) -> list[dict[str, Any]]:
        """The shortlist's candidates, oldest first: ``id``, ``entry_key``, ``entry`` (the
        suggestion dict as added), ``note``, ``status``, ``version``, ``added_at``, ``updated_at``."""
        with self._tx() as con:
            rows = con.execute(
                sa.select(self.entries_t)
                .where(self.entries_t.c.shortlist_id == shortlist_id)
                .order_by(self.entries_t.c.id)
            ).all()
        out = []
        for r in rows:
            d = row_dict(r)
            d["entry"] = json.loads(d["entry"])
            out.append(d)
        return out

    def add_entries(
        self,
        token: str,
        items: Sequence[tuple[Any, ...]],
        *,
        note: str = "",
        status: str = "to_contact",
    ) -> tuple[int, int]:
        """Add ``(entry_key, entry)`` pairs to the shortlist; an entry already there (same
        key) gets the new suggestion (score, reason, weights) but keeps its note and status.
        ``note``/``status`` apply to new entries; an item may bring its own as
        ``(entry_key, entry, note, status)`` (a shortlist read back from a file).

        Returns:
            ``(added, updated)``.

        Raises:
            Invalid: ``too_many`` when the shortlist would exceed :data:`MAX_SHORTLIST_ENTRIES`,
                or a too long note / unknown status.
            NotFound / Revoked / ReadOnly.
        """
        rows = []
        for item in items:
            own_note, own_status = (item[2], item[3]) if len(item) >= 4 else (note, status)
            if own_status not in ENTRY_STATUSES:
                raise Invalid("bad_status", field="status")
            rows.append((item[0], item[1], clean_text(own_note, field="note"), own_status))
        now = now_utc()
        added = updated = 0
        with self._tx() as con:
            sid = self._editable(con, token)
            existing = dict(
                con.execute(
                    sa.select(self.entries_t.c.entry_key, self.entries_t.c.id).where(
                        self.entries_t.c.shortlist_id == sid
                    )
                ).all()
            )
            new_keys = {r[0] for r in rows if r[0] not in existing}
            if len(existing) + len(new_keys) > MAX_SHORTLIST_ENTRIES:
                raise Invalid("too_many", limit=MAX_SHORTLIST_ENTRIES)
            for key, entry, note, status in rows:
                payload = json.dumps(entry, ensure_ascii=False, default=str)
                if key in existing:
                    con.execute(
                        sa.update(self.entries_t)
                        .where(self.entries_t.c.id == existing[key])
                        .values(entry=payload, version=self.entries_t.c.version + 1, updated_at=now)
                    )
                    updated += 1
                else:
                    con.execute(
                        sa.insert(self.entries_t).values(
                            shortlist_id=sid,
                            entry_key=key,
                            entry=payload,
                            note=note,
                            status=status,
                            version=1,
                            added_at=now,
                            updated_at=now,
                        )
                    )
                    existing[key] = -1
                    added += 1
            self._touch(con, sid)
        return added, updated

    def update_entry(
        self,
        token: str,
        entry_id: int,
        seen_version: int,
        *,
        note: str | None = None,
        status: str | None = None,
    ) -> dict[str, Any]:
        """Change a candidate's note and/or status, if nobody changed it since ``seen_version``.

        Returns:
            The entry row after the change.

        Raises:
            Conflict: changed by someone else (``current`` holds their version) or removed.
            Invalid: a too long note or unknown status.
            NotFound / Revoked / ReadOnly.
        """
        values: dict[str, Any] = {}
        if note is not None:
            values["note"] = clean_text(note, field="note")
        if status is not None:
            if status not in ENTRY_STATUSES:
                raise Invalid("bad_status", field="status")
            values["status"] = status
        with self._tx() as con:
            sid = self._editable(con, token)
            where = (self.entries_t.c.id == entry_id, self.entries_t.c.shortlist_id == sid)
            done = con.execute(
                sa.update(self.entries_t)
                .where(*where, self.entries_t.c.version == seen_version)
                .values(**values, version=self.entries_t.c.version + 1, updated_at=now_utc())
            ).rowcount
            row = con.execute(sa.select(self.entries_t).where(*where)).first()
            if done:
                self._touch(con, sid)
        if row is None:
            raise Conflict("removed")
        current = row_dict(row)
        current["entry"] = json.loads(current["entry"])
        if not done:
            raise Conflict(current=current)
        return current

    def remove_entries(self, token: str, seen: Mapping[int, int]) -> int:
        """Remove entries ``{entry id: version seen}``; an entry changed since it was seen is
        kept and reported.

        Returns:
            The number removed.

        Raises:
            Conflict: some entries changed meanwhile (the unchanged ones are removed).
            NotFound / Revoked / ReadOnly.
        """
        removed, changed = 0, 0
        with self._tx() as con:
            sid = self._editable(con, token)
            for eid, version in seen.items():
                n = con.execute(
                    sa.delete(self.entries_t).where(
                        self.entries_t.c.id == eid,
                        self.entries_t.c.shortlist_id == sid,
                        self.entries_t.c.version == version,
                    )
                ).rowcount
                removed += n
                changed += 0 if n else 1
            self._touch(con, sid)
        if changed:
            raise Conflict("changed", n=changed)
        return removed

    def restore_entries(self, token: str, rows: Sequence[Mapping[str, Any]]) -> int:
        """Put back candidates that were removed (rows as :meth:`entries` returned them), with
        their suggestion, note, status and the time they were first added: the undo of
        :meth:`remove_entries`. A candidate on the shortlist again meanwhile (same key) is left
        as it is now.

        Returns:
            The number put back.

        Raises:
            Invalid: ``too_many`` when the shortlist would exceed :data:`MAX_SHORTLIST_ENTRIES`,
                or a too long note / unknown status.
            NotFound / Revoked / ReadOnly.
        """
        clean = []
        for row in rows:
            if row["status"] not in ENTRY_STATUSES:
                raise Invalid("bad_status", field="status")
            clean.append((row, clean_text(row["note"], field="note")))
        now = now_utc()
        restored = 0
        with self._tx() as con:
            sid = self._editable(con, token)
            existing = set(
                con.execute(
                    sa.select(self.entries_t.c.entry_key).where(
                        self.entries_t.c.shortlist_id == sid
                    )
                ).scalars()
            )
            back = [(r, note) for r, note in clean if r["entry_key"] not in existing]
            back = list({r["entry_key"]: (r, note) for r, note in back}.values())
            if len(existing) + len(back) > MAX_SHORTLIST_ENTRIES:
                raise Invalid("too_many", limit=MAX_SHORTLIST_ENTRIES)
            for row, note in back:
                entry = row["entry"]
                con.execute(
                    sa.insert(self.entries_t).values(
                        shortlist_id=sid,
                        entry_key=row["entry_key"],
                        entry=entry
                        if isinstance(entry, str)
                        else json.dumps(entry, ensure_ascii=False, default=str),
                        note=note,
                        status=row["status"],
                        version=1,
                        added_at=row.get("added_at") or now,
                        updated_at=now,
                    )
                )
                restored += 1
            if restored:
                self._touch(con, sid)
        return restored

    # --- this browser's shortlists -------------------------------------------------------

    def remember(self, browser_key: str, token: str) -> None:
        """Remember that this browser opened the shortlist link ``token`` (idempotent).

        Raises:
            NotFound / Revoked: as :meth:`open`.
        """
        self.open(token)
        with self._tx() as con:
            h = browser_key_hash(browser_key)
            seen = con.execute(
                sa.select(self.browsers_t.c.token).where(
                    self.browsers_t.c.browser == h, self.browsers_t.c.token == token
                )
            ).first()
            if not seen:
                con.execute(
                    sa.insert(self.browsers_t).values(browser=h, token=token, added_at=now_utc())
                )

    def forget(self, browser_key: str, token: str) -> None:
        """Drop a shortlist from this browser's list (the shortlist itself stays)."""
        with self._tx() as con:
            con.execute(
                sa.delete(self.browsers_t).where(
                    self.browsers_t.c.browser == browser_key_hash(browser_key),
                    self.browsers_t.c.token == token,
                )
            )

    def my_shortlists(self, browser_key: str) -> list[dict[str, Any]]:
        """Shortlists this browser opened through links still active, newest change first:
        ``token``, ``access``, ``id``, ``name``, ``created_at``, ``updated_at``, ``n``
        (candidates)."""
        b, s, lk, e = self.browsers_t, self.shortlists_t, self.links_t, self.entries_t
        n = sa.select(sa.func.count()).where(e.c.shortlist_id == s.c.id).scalar_subquery()
        q = (
            sa.select(
                lk.c.token,
                lk.c.access,
                s.c.id,
                s.c.name,
                s.c.created_at,
                s.c.updated_at,
                n.label("n"),
            )
            .select_from(b.join(lk, lk.c.token == b.c.token).join(s, s.c.id == lk.c.shortlist_id))
            .where(b.c.browser == browser_key_hash(browser_key), lk.c.revoked_at.is_(None))
            .order_by(s.c.updated_at.desc(), s.c.id.desc())
        )
        with self._tx() as con:
            return [row_dict(r) for r in con.execute(q).all()]

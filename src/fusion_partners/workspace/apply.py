"""Applying an accepted correction or suggested organisation to the curated roster.

The change is written like an import (:mod:`fusion_partners.importing.apply`): inside one
crash-safe :func:`fusion_partners.data.transaction.transaction`, with a row in the import log
(``imports.csv``, file name ``correction #<id>``) and the earlier values in
``history.csv``, so the Import page's "Undo the last import" reverts it. The staged data
is validated before anything live is replaced; a value the roster rules reject (an
unknown capability, a bad website) leaves the roster untouched and raises.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pycountry

from fusion_partners.data import transaction as store
from fusion_partners.data.load import (
    HISTORY_COLUMNS,
    HISTORY_FILE,
    IMPORT_COLUMNS,
    IMPORTS_FILE,
    ORGANISATIONS_FILE,
)
from fusion_partners.data.roster import ORG_TYPES, ORGANISATION_COLUMNS
from fusion_partners.importing.merge import make_id
from fusion_partners.search.text import single_line

CORRECTABLE_FIELDS: tuple[str, ...] = (
    "name_en",
    "name_ja",
    "aliases",
    "website",
    "prefecture_or_city",
    "org_type",
    "description_en",
    "description_ja",
    "capabilities",
    "other",
)
"""Fields a visitor may propose a new value for. ``other`` is free text for the editors:
accepting it records the decision but changes no field (the editor edits the data)."""
LIST_FIELDS = {"aliases": ";", "capabilities": ";"}
SUGGESTION_FIELDS: tuple[str, ...] = (
    "name_en",
    "name_ja",
    "country",
    "prefecture_or_city",
    "org_type",
    "website",
    "description_en",
    "capabilities",
)
"""Fields of a suggested organisation (the rest of the record is left empty or defaulted)."""


class NotApplicable(ValueError):
    """The correction names an organisation or field the roster does not have."""


def _log_row(
    ref: str, label: str, editor: str, source_url: str, added: int, updated: int
) -> dict[str, str]:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "import_id": ref,
        "file_name": label,
        "content_hash": hashlib.sha256(ref.encode()).hexdigest(),
        "imported_at": now,
        "imported_by": editor or "unknown",
        "source_urls": source_url,
        "council": "",
        "rows_added": str(added),
        "rows_updated": str(updated),
        "status": "applied",
        "undone_at": "",
        "undone_by": "",
    }


def _ref(correction_id: int) -> str:
    return f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}-correction-{correction_id}"


def _sorted(rows: list[dict[str, str]], before: list[dict[str, str]]) -> list[dict[str, str]]:
    ids = [r["id"] for r in before]
    return sorted(rows, key=lambda o: o["id"]) if ids == sorted(ids) else rows


def apply_correction(
    correction: Mapping[str, Any], editor: str, data_dir: Path, db_path: Path
) -> str:
    """Write an accepted correction (a row of the ``corrections`` table) to the roster.

    Values are written as one line without invisible or bidirectional control characters
    (:func:`fusion_partners.search.text.single_line`). A field correction replaces the field's value
    (list fields take ``;``-separated items) and adds the correction's source URL to the organisation's sources; a suggested
    organisation becomes a new record (id made as the importer makes them, confidence
    ``low`` until an editor raises it) with the source URL as its source.

    Returns:
        The reference written to the import log (``""`` for an ``other`` correction,
        which changes no field).

    Raises:
        NotApplicable: an unknown organisation or field.
        fusion_partners.data.roster.ValidationError: the result breaks a roster rule (nothing written).
        fusion_partners.data.recovery.Busy / OSError: from the write path (nothing written).
    """
    kind, field = correction["kind"], correction.get("field") or ""
    if kind == "correction" and field == "other":
        return ""
    if kind == "correction" and field not in CORRECTABLE_FIELDS:
        raise NotApplicable(f"field {field!r} cannot be corrected")
    ref = _ref(int(correction["id"]))
    url = correction["source_url"]
    with store.transaction(data_dir, db_path) as tx:
        before = tx.read(ORGANISATIONS_FILE)
        rows = [dict(r) for r in before]
        history = tx.read(HISTORY_FILE)
        if kind == "correction":
            target = next((r for r in rows if r["id"] == correction["org_id"]), None)
            if target is None:
                raise NotApplicable(f"organisation {correction['org_id']!r} is not in the roster")
            old = dict(target)
            value = single_line(
                correction["proposed"]
            )  # no bidi controls, invisibles or line breaks in the roster
            sep = LIST_FIELDS.get(field)
            if sep:
                value = sep.join(
                    v.strip() for v in value.replace("；", ";").split(";") if v.strip()
                )
            target[field] = value
            sources = target.get("source_urls", "").split()
            if url not in sources:
                target["source_urls"] = " ".join([*sources, url])
            changed = [c for c in ORGANISATION_COLUMNS if old.get(c, "") != target.get(c, "")]
            if not changed:
                return ""
            history.append(
                {
                    "import_id": ref,
                    "org_id": target["id"],
                    "action": "updated",
                    "changed": ";".join(changed),
                    "unmapped": "",
                    "before": json.dumps(old, ensure_ascii=False, sort_keys=True),
                }
            )
            added, updated = 0, 1
        else:
            record = {k: single_line(v) for k, v in json.loads(correction["proposed"]).items()}
            country = (record.get("country") or "").upper()
            if len(country) != 2 or pycountry.countries.get(alpha_2=country) is None:
                raise NotApplicable(f"country {country!r} is not an ISO 3166-1 alpha-2 code")
            org_type = record.get("org_type") or "other"
            if org_type not in ORG_TYPES:
                org_type = "other"
            name = record.get("name_en") or record.get("name_ja") or ""
            new = {c: "" for c in ORGANISATION_COLUMNS}
            new.update({k: record.get(k, "") for k in SUGGESTION_FIELDS})
            new.update(
                id=make_id(name, country, {r["id"] for r in rows}),
                country=country,
                org_type=org_type,
                membership="other",
                source_urls=url,
                confidence="low",
                source_date=dt.date.today().isoformat(),
                evidence=f"Suggested by a visitor; accepted by {editor or 'an editor'}",
            )
            rows.append(new)
            history.append(
                {
                    "import_id": ref,
                    "org_id": new["id"],
                    "action": "added",
                    "changed": "",
                    "before": "",
                    "unmapped": "",
                }
            )
            added, updated = 1, 0
        label = f"correction #{correction['id']}"
        log = tx.read(IMPORTS_FILE)
        log.append(_log_row(ref, label, editor, url, added, updated))
        tx.write(ORGANISATIONS_FILE, ORGANISATION_COLUMNS, _sorted(rows, before))
        tx.write(IMPORTS_FILE, IMPORT_COLUMNS, log)
        tx.write(HISTORY_FILE, HISTORY_COLUMNS, history)
    return ref

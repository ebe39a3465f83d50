"""What an import is asked to do: the files, their column mappings and the user's choices.

:class:`ImportRequest` bundles one or more read files (:class:`ImportFile`, a
:class:`~fusion_partners.importing.table.RawTable` with its confirmed column mapping), the
confirmed capability mappings, the decisions on possible duplicates and rows without a country,
and the file-wide :class:`ImportOptions`. A request is hashable, so a page can cache its preview.
"""

from __future__ import annotations

from dataclasses import dataclass

from fusion_partners.importing.mapping import guess_mapping
from fusion_partners.importing.table import RawTable
from fusion_partners.search.text import has_japanese_script, match_key

COUNCILS: tuple[str, ...] = ("j_fusion", "fusion_cluster")
"""Councils whose member lists can be imported (membership codes)."""


@dataclass(frozen=True)
class ImportOptions:
    """File-wide choices of the user.

    Attributes:
        source_url: one URL for the whole file (e.g. the council's published member list),
            added to every row's sources; rows need a source URL to become records.
        council: ``j_fusion`` or ``fusion_cluster`` when the file is that council's member list.
        member_list: the user states the file *is* that council's member list; only then is
            the membership set (with the source URL as its source).
        org_type / confidence / source_date: used where the file has no such column.
        user: who imports (recorded in the import log).
        country: ISO 3166-1 alpha-2 code for rows that give no country (a name-only member
            list); ``""``: such rows take the country of the roster record their name
            matches, or wait for a country.
    """

    source_url: str = ""
    council: str = ""
    member_list: bool = False
    org_type: str = "other"
    confidence: str = "medium"
    source_date: str = ""
    user: str = ""
    country: str = ""


@dataclass(frozen=True)
class ImportFile:
    """One read file and its confirmed column mapping (``((column index, field), ...)``)."""

    table: RawTable
    mapping: tuple[tuple[int, str], ...]

    @classmethod
    def guessed(cls, table: RawTable) -> ImportFile:
        """The file with the automatically proposed mapping. The column of a name-only list
        without a header is the Japanese name when most of its names are in Japanese script,
        else the English name."""
        return cls(table, tuple(sorted(proposed_mapping(table).items())))

    def ignored_columns(self) -> list[tuple[int, str]]:
        """Columns whose values are not stored: ``(column index, header)`` for every column
        mapped to no field, or to ``company_number`` (shown in the preview, not stored).
        Only columns with a header or a value are listed."""
        mapped = {idx: fld for idx, fld in self.mapping}
        out = []
        for idx, header in enumerate(self.table.header):
            if mapped.get(idx) not in (None, "company_number"):
                continue
            if header or any(
                idx < len(cells) and cells[idx] for _, cells in self.table.rows[:1000]
            ):
                out.append((idx, header or f"#{idx + 1}"))
        return out

    def header_of(self, field_name: str) -> str:
        """The file's header text for a roster field (``""`` when no column maps to it;
        ``prefecture_or_city`` is the ``region`` column)."""
        wanted = "region" if field_name == "prefecture_or_city" else field_name
        for idx, f in self.mapping:
            if f == wanted:
                return self.table.header[idx] or f"#{idx + 1}"
        return ""


def proposed_mapping(table: RawTable) -> dict[int, str]:
    """``{column index: field}`` proposed for a read file (:func:`mapping.guess_mapping`; for a
    name-only list, its one column as a name column, see :meth:`ImportFile.guessed`)."""
    mapping = guess_mapping(table.header)
    if table.name_only and not {"name_en", "name_ja"} & set(mapping.values()):
        names = [cells[0] for _, cells in table.rows[:1000] if cells and cells[0]]
        japanese = sum(1 for n in names if has_japanese_script(match_key(n)))
        mapping = {0: "name_ja" if japanese * 2 > len(names) else "name_en"}
    return mapping


@dataclass(frozen=True)
class ImportRequest:
    """Everything an import needs; hashable, so a page can cache its preview.

    Attributes:
        files: the files, merged in order.
        capabilities: ``((term, slug), ...)`` confirmed capability mappings; ``slug`` ``""``
            leaves the term unmapped. Terms not listed use the automatic suggestion.
        decisions: ``(((file index, line), decision), ...)`` with ``add``, ``skip`` or
            ``merge:<id>`` for possible duplicates (or any row).
        options: file-wide options.
        countries: ``(((file index, line), alpha-2 code), ...)``: the country chosen for a row
            that gives none (before :attr:`ImportOptions.country`).
    """

    files: tuple[ImportFile, ...]
    capabilities: tuple[tuple[str, str], ...] = ()
    decisions: tuple[tuple[tuple[int, int], str], ...] = ()
    options: ImportOptions = ImportOptions()
    countries: tuple[tuple[tuple[int, int], str], ...] = ()

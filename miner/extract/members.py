"""Member lists (CSV, XLSX) → members: type, postal code → province and region, BCE number checked.

A member list gives, per row, a name and, when known, a type, a postal code, a municipality, a
joining date and the Belgian enterprise number (BCE/KBO). The enterprise number is normalised to
``0123.456.789`` and checked with its mod-97 check digits; a valid number is the key that
reconciles the same member across lists and cycles (names get reworded, numbers do not). Nothing
is guessed: an unknown postal code, a failing check or an unreadable date is reported with its row.

>>> normalise_bce("BE 0144 947 197")
'0144.947.197'
>>> bce_is_valid("0144.947.197"), bce_is_valid("0463.801.254")
(True, False)
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from miner.errors import InputError, UsageError
from miner.extract.organisations import ORG_TYPES, UNKNOWN, classify_name, fold_name
from miner.nlp.geography import REGIONS, WALLOON_PROVINCES, province_of
from miner.nlp.text import strip_accents
from miner.read.files import sha256_file
from miner.read.spreadsheet import Sheet, column_index, read_sheet, read_sheets
from miner.records.members import Member, MemberList

__all__ = [
    "COLUMN_ALIASES",
    "Member",
    "MemberList",
    "Reconciliation",
    "bce_check_digits",
    "bce_is_valid",
    "member_key",
    "members_by_province",
    "members_by_type",
    "normalise_bce",
    "read_member_list",
    "reconcile",
]

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("nom", "name", "denomination", "raison sociale", "membre", "organisation", "entreprise", "societe"),
    "type": ("type", "categorie", "category", "statut", "type de membre", "type d'organisation"),
    "postal_code": ("code postal", "code_postal", "cp", "postal code", "postcode", "zip", "code"),
    "municipality": ("commune", "localite", "ville", "municipality", "city", "locality"),
    "joined": ("date d'adhesion", "date_adhesion", "adhesion", "date adhesion", "joined", "membre depuis", "date"),
    "bce": (
        "numero_bce",
        "bce",
        "numero bce",
        "n° bce",
        "kbo",
        "numero d'entreprise",
        "n° d'entreprise",
        "enterprise number",
        "numero entreprise",
        "tva",
        "vat",
        "bce/kbo",
    ),
}
"""Normalised header names (lower case, no accents) recognised for each field, best first."""


# ---------------------------------------------------------------- BCE / KBO numbers


def normalise_bce(text: object) -> str | None:
    """``0123.456.789`` from any writing of a Belgian enterprise number (with BE, dots, spaces, the
    old nine-digit form); None when it is not ten digits starting with 0 or 1."""
    if text is None:
        return None
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    digits = re.sub(r"\D", "", str(text))
    if len(digits) == 9 and digits[0] != "0":  # the pre-2003 form; a nine-digit "0..." lost a digit
        digits = "0" + digits
    if len(digits) != 10 or digits[0] not in "01":
        return None
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def bce_check_digits(first_eight: int) -> int:
    """The two check digits of an enterprise number: 97 minus its first eight digits modulo 97.

    >>> bce_check_digits(1449471)
    97
    """
    return 97 - first_eight % 97


def bce_is_valid(number: str | None) -> bool:
    """True when a normalised number's last two digits are its mod-97 check digits."""
    if not number:
        return False
    digits = number.replace(".", "")
    return len(digits) == 10 and bce_check_digits(int(digits[:8])) == int(digits[8:])


# ---------------------------------------------------------------- records


def member_key(member: Member) -> str:
    """The reconciliation key: the valid BCE number, else the folded name."""
    return f"bce:{member.bce}" if member.bce_status == "valid" else f"name:{fold_name(member.name)}"


def _norm_header(name: str) -> str:

    return " ".join(strip_accents(str(name or "")).casefold().replace("_", " ").split())


def _find_columns(table: Sheet, path: Path) -> dict[str, int]:
    """Field → column index, by alias; a field whose column name occurs twice is an error."""
    normalised = [_norm_header(h) for h in table.header]
    found: dict[str, int] = {}
    for field_name, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            alias = _norm_header(alias)
            if alias in normalised and normalised.index(alias) not in found.values():
                found[field_name] = column_index(table, alias)
                break
    if "name" not in found:
        raise InputError(
            path,
            f"no name column among {', '.join(map(str, table.header))} "
            f"(expected one of: {', '.join(COLUMN_ALIASES['name'])})",
        )
    return found


MEMBER_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm"}


def _read_sheet(path: Path, sheet: str | None, isolate: bool) -> Sheet:
    """The list through the one reader of lists (content sniffed, encodings, caps, title rows,
    duplicate headers), in a worker process unless ``isolate`` is False."""
    if path.suffix.lower() not in MEMBER_SUFFIXES:
        raise InputError(path, f"not a member list miner reads (.csv, .tsv, .xlsx), got {path.suffix or 'no suffix'}")
    if not isolate:
        return read_sheet(path, sheet=sheet)
    try:
        [(_, table, error)] = read_sheets([path], sheet=sheet)
    except UsageError as exc:
        raise InputError(path, str(exc).removeprefix(f"{path}: ")) from None
    if table is None:
        raise InputError(path, (error or "unreadable").removeprefix(f"{path}: "))
    return table


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")


def _parse_date(value: Any) -> dt.date | None | Literal[False]:
    """A date from a cell; None when empty, False when present but not understood."""
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"(19|20)\d\d", text):
        return dt.date(int(text), 1, 1)
    return False


def _cell(row: list[Any], columns: dict[str, int], name: str) -> Any:
    index = columns.get(name)
    if index is None or index >= len(row):
        return None
    value = row[index]
    return value.strip() if isinstance(value, str) else value


def read_member_list(path: str | Path, *, sheet: str | None = None, isolate: bool = True) -> MemberList:
    """Read a member list; every row with a name becomes a Member, problems are listed by row.

    The file is read by :mod:`miner.read.spreadsheet` in a worker process (time limit, memory cap);
    what that reader warns about (encoding, title row, suffix not matching the content) comes
    first in ``problems``.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    table = _read_sheet(path, sheet, isolate)
    rows = [r for r in table.rows if any(c.strip() for c in r)]
    columns = _find_columns(table, path)
    result = MemberList(str(path), sha256_file(path), problems=list(table.warnings))
    for number, row in enumerate(rows, start=1):
        name = " ".join(str(_cell(row, columns, "name") or "").split())
        if not name:
            result.problems.append(f"row {number}: no name; row skipped")
            continue
        stated = _cell(row, columns, "type")
        stated = str(stated).strip() if stated not in (None, "") else None
        kind = classify_name(stated) if stated else UNKNOWN
        if kind == UNKNOWN:
            kind = classify_name(name)
        if kind == UNKNOWN:
            result.problems.append(f"row {number}: {name}: type {stated!r} not understood; typed '{UNKNOWN}'")
        raw_code = _cell(row, columns, "postal_code")
        area = province_of(raw_code)
        if raw_code not in (None, "") and area is None:
            result.problems.append(f"row {number}: {name}: unknown postal code {str(raw_code)!r}; province left empty")
        raw_bce = _cell(row, columns, "bce")
        bce = normalise_bce(raw_bce)
        if raw_bce in (None, ""):
            status: Literal["valid", "invalid", "missing"] = "missing"
        elif bce and bce_is_valid(bce):
            status = "valid"
        else:
            status = "invalid"
            result.problems.append(f"row {number}: {name}: BCE number {str(raw_bce)!r} fails the mod-97 check")
        joined = _parse_date(_cell(row, columns, "joined"))
        if joined is False:
            result.problems.append(
                f"row {number}: {name}: joining date {_cell(row, columns, 'joined')!r} not understood"
            )
            joined = None
        municipality = _cell(row, columns, "municipality")
        result.members.append(
            Member(
                name=name,
                type=kind,
                stated_type=stated,
                postal_code=area.code if area else None,
                municipality=str(municipality) if municipality not in (None, "") else None,
                province=area.province if area else None,
                region=area.region if area else None,
                joined=joined,
                bce=bce,
                bce_status=status,
                row=number,
            )
        )
    return result


# ---------------------------------------------------------------- reconciliation and counts


@dataclass
class Reconciliation:
    """Members of several lists matched by key: ``entries[key][i]`` is the member in list ``i``."""

    lists: list[MemberList]
    entries: dict[str, dict[int, Member]] = field(default_factory=dict)

    def only_in(self, index: int) -> list[Member]:
        return [e[index] for e in self.entries.values() if list(e) == [index]]

    def in_all(self) -> list[str]:
        return [k for k, e in self.entries.items() if len(e) == len(self.lists)]

    def renamed(self) -> list[tuple[Member, Member]]:
        """Same member (same valid BCE number) under another name in a later list."""
        pairs = []
        for entry in self.entries.values():
            members = [entry[i] for i in sorted(entry)]
            for before, after in zip(members, members[1:]):
                if fold_name(before.name) != fold_name(after.name):
                    pairs.append((before, after))
        return pairs


def reconcile(lists: Iterable[MemberList]) -> Reconciliation:
    """Match members across lists: by valid BCE number, else by folded name (a member whose number
    is missing or wrong in one list still meets its numbered self by name)."""
    lists = list(lists)
    by_name: dict[str, str] = {}
    for member_list in lists:
        for member in member_list.members:
            if member.bce_status == "valid":
                by_name.setdefault(fold_name(member.name), member_key(member))
    result = Reconciliation(lists)
    for index, member_list in enumerate(lists):
        for member in member_list.members:
            key = (
                member_key(member)
                if member.bce_status == "valid"
                else by_name.get(fold_name(member.name), member_key(member))
            )
            result.entries.setdefault(key, {}).setdefault(index, member)
    return result


def _joined_by(members: Iterable[Member], as_of: dt.date | None) -> list[Member]:
    return [m for m in members if as_of is None or (m.joined is not None and m.joined <= as_of)]


def members_by_province(members: Iterable[Member], *, as_of: dt.date | None = None) -> dict[str, int]:
    """Members per province (Walloon provinces first, each present even at 0), then Brussels-Capital
    and other provinces met, then ``inconnu`` for unknown postal codes. ``as_of`` keeps members who
    had joined by that date (a member without a date is then left out).

    >>> m = Member("A", "entreprise", None, "6700", None, "Luxembourg", "Wallonie", None, None, "missing", 1)
    >>> members_by_province([m])["Luxembourg"], members_by_province([m])["Namur"]
    (1, 0)
    """
    counts: Counter[str] = Counter()
    for member in _joined_by(members, as_of):
        if member.province:
            counts[member.province] += 1
        elif member.region:
            counts[member.region] += 1
        else:
            counts[UNKNOWN] += 1
    ordered = {p: counts.pop(p, 0) for p in WALLOON_PROVINCES}
    ordered[REGIONS[1]] = counts.pop(REGIONS[1], 0)
    unknown = counts.pop(UNKNOWN, 0)
    ordered.update(sorted(counts.items()))
    if unknown:
        ordered[UNKNOWN] = unknown
    return ordered


def members_by_type(members: Iterable[Member], *, as_of: dt.date | None = None) -> dict[str, int]:
    """Members per organisation type, every type present (0 included), in ORG_TYPES order."""
    counts = Counter(m.type for m in _joined_by(members, as_of))
    return {kind: counts.get(kind, 0) for kind in ORG_TYPES}

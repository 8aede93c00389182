"""Cleaning without deduplicating: Indonesian names, NIK and KK numbers, and addresses.

The normalisers padan uses before matching, on their own. Each function takes either one value
or a whole column:

* a ``str`` gives a small frozen dataclass (:class:`NormalizedName`, :class:`ParsedNik`,
  :class:`ParsedKk`, :class:`ParsedAddress`); ``None`` gives ``None``;
* a column gives a :class:`padan.Table` with one row per input row, in input order, and one
  column per dataclass field (a null input row gives a row of nulls). A column is anything
  with the Arrow PyCapsule interface (a pyarrow ``Array`` or ``ChunkedArray``, a polars or
  pandas ``Series``, a one-column table) or a ``list`` / ``tuple`` of ``str`` or ``None``.
  Convert the result with ``.to_arrow()``, ``.to_pandas()`` or ``.to_polars()``.

A column is processed in Rust, in parallel, with the GIL released; the output does not depend
on ``threads``. The values of a table row equal the fields of the dataclass for that value.

Privacy: :class:`ParsedNik` and :class:`ParsedKk` keep the full number in ``digits`` (it is
the cleaned value), but their ``repr`` leaves it out and shows ``masked``
(``3273 **** **** 0002``); a :class:`padan.Table` also masks 16-digit cells when printed.

Examples:
    >>> import padan
    >>> padan.normalize_name("Drs. H. Bambang Sutrisno, M.M.").normalized
    'BAMBANG SUTRISNO'
    >>> padan.parse_nik("3273-0152-0885-0002")
    ParsedNik(masked='3273 **** **** 0002', valid=True, errors=(), warnings=(), ...)
    >>> padan.parse_address("Jl. Melati Gg. III No. 12 RT 003/RW 005").rt
    3
    >>> padan.parse_nik(["3273015208850002", None, "3.57811E+15"]).to_arrow()["valid"].to_pylist()
    [True, None, False]
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeAlias, TypeVar, overload

from padan import _core
from padan.results import Table, _require

__all__ = [
    "ArrowArrayExportable",
    "ColumnLike",
    "NormalizedName",
    "ParsedAddress",
    "ParsedKk",
    "ParsedNik",
    "normalize_name",
    "parse_address",
    "parse_kk",
    "parse_nik",
]


class ArrowArrayExportable(Protocol):
    """Anything that exports an Arrow C array: a pyarrow ``Array``, for example."""

    def __arrow_c_array__(self, requested_schema: object | None = None) -> tuple[object, object]:
        """Export as a pair of Arrow C schema and array PyCapsules."""
        ...


class _ArrowStreamExportable(Protocol):
    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object: ...


ColumnLike: TypeAlias = "ArrowArrayExportable | _ArrowStreamExportable | Sequence[str | None]"
"""A column of text: an Arrow array or stream producer (pyarrow, polars, pandas), or a list."""


@dataclass(frozen=True)
class NormalizedName:
    """One name normalised by :func:`normalize_name` (the columns of its table, in order).

    Attributes:
        normalized: Canonical upper-case name: old spelling folded (``Soekarno`` → ``SUKARNO``),
            the Muhammad family unified, titles, degrees and markers removed. ``""`` when the
            input has no letters.
        father: The name after ``bin`` / ``binti`` (normalised the same way), or ``None``.
        sex_hint: 1 male, 2 female, from titles and markers (H./Hj., I/Ni, bin/binti, br.,
            Bapak/Ibu...); ``None`` when there is none or they disagree.
        deceased_marker: ``Alm.`` / ``Almh.`` ("the late") was present.
        birth_order: Balinese birth order 1-4 (Wayan/Putu/Gede, Made/Kadek, Nyoman/Komang,
            Ketut), or ``None``.
        phonetic_key: Phonetic key that ignores token order (a blocking key: spelling variants
            share it, different people may too).
        phonetic_key_joined: Phonetic key of the name with its spaces removed, so that
            ``Siti Nurhaliza`` and ``Sitinurhaliza`` meet.
    """

    normalized: str
    father: str | None
    sex_hint: int | None
    deceased_marker: bool
    birth_order: int | None
    phonetic_key: str
    phonetic_key_joined: str


@dataclass(frozen=True)
class ParsedNik:
    """One NIK parsed and validated by :func:`parse_nik` (the columns of its table, in order).

    Region fields, ``birth_date``, ``sex`` and ``serial`` are ``None`` unless the value has
    16 digits; they are filled for an invalid NIK too, so check ``valid`` before trusting them.
    The ``repr`` leaves out ``digits``.

    Attributes:
        digits: The 16 digits (the full NIK) when the value has exactly 16, else ``None``.
        masked: Display form of the value's digits: ``3273 **** **** 0002``.
        valid: 16 digits that pass every check (warnings allowed).
        errors: Why the NIK is invalid: one format code (``empty``, ``scientific_notation``,
            ``float_artefact``, ``invalid_character``, ``too_short``, ``too_long``) or one code per
            failed check (``province_invalid``, ``regency_zero``, ``regency_out_of_range``,
            ``district_zero``, ``day_invalid``, ``month_invalid``, ``date_invalid``,
            ``feb29_not_leap``, ``serial_zero``). Empty when valid.
        warnings: Suspicious but not invalid: ``regency_unknown``, ``district_unknown``,
            ``regency_retired``, ``placeholder_date``, ``repeated_digits``, ``ascending_run``,
            ``ends_in_zero``.
        excel_truncated: The value shows spreadsheet damage: scientific notation
            (``3.57811E+15``), a float rendering (``...0002.0``) or 15 digits (the 16th lost). A
            16-digit NIK that ends in 0 only gets the ``ends_in_zero`` warning.
        province_code: Digits 1-2, ``"32"``.
        regency_code: Digits 1-4, dotted, ``"32.73"``.
        district_code: Digits 1-6, dotted, ``"32.73.01"``.
        province: Province name (Kemendagri list of 2025), or ``None`` if not in the list.
        regency: Regency name; for a retired code, the name under its successor.
        district: District (kecamatan) name.
        regency_successor_code: Current code of a retired regency (``91.01`` → ``"93.01"``).
        birth_date: Encoded birth date; the century is the latest that is not in the future.
            ``None`` when the date is not a real one.
        sex: 1 male, 2 female (day + 40), or ``None`` when the day field is invalid.
        serial: Digits 13-16.
    """

    digits: str | None = field(repr=False)
    masked: str
    valid: bool
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    excel_truncated: bool
    province_code: str | None
    regency_code: str | None
    district_code: str | None
    province: str | None
    regency: str | None
    district: str | None
    regency_successor_code: str | None
    birth_date: datetime.date | None
    sex: int | None
    serial: int | None


@dataclass(frozen=True)
class ParsedKk:
    """One KK (family card) number parsed by :func:`parse_kk` (the columns of its table).

    The fields of :class:`ParsedNik` with ``recording_date`` (when the card was recorded) for
    ``birth_date`` and no ``sex``. A recording day stored with +40 is tolerated with the
    ``kk_day_offset`` warning. The ``repr`` leaves out ``digits``.
    """

    digits: str | None = field(repr=False)
    masked: str
    valid: bool
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    excel_truncated: bool
    province_code: str | None
    regency_code: str | None
    district_code: str | None
    province: str | None
    regency: str | None
    district: str | None
    regency_successor_code: str | None
    recording_date: datetime.date | None
    serial: int | None


@dataclass(frozen=True)
class ParsedAddress:
    """One free-text address parsed by :func:`parse_address` (the columns of its table).

    Values are upper case; a field not found is ``None``.

    Attributes:
        street: Street with its kind expanded: ``"JALAN MELATI"``, ``"PERUMAHAN GRIYA INDAH"``.
        number: House number: ``"12"``, ``"12A"``, ``"52-53"``.
        gang: Gang or Lorong, a number (``Gg. III`` → ``"3"``) or a name.
        blok: Blok: ``"C"``, ``"A12"``.
        dusun: Sub-village unit (dusun, dukuh, lingkungan, kampung, banjar, jorong...).
        rt: RT number, 1-999 (``000`` is a placeholder and gives ``None``).
        rw: RW number, 1-999.
        village: Village from ``Kel. X`` / ``Desa X``, or the words right after RT/RW.
        normalized: The whole address canonicalised (district, regency and province names
            are kept here only).
    """

    street: str | None
    number: str | None
    gang: str | None
    blok: str | None
    dusun: str | None
    rt: int | None
    rw: int | None
    village: str | None
    normalized: str


def _date(value: tuple[int, int, int] | None) -> datetime.date | None:
    return None if value is None else datetime.date(*value)


def _nik(d: dict[str, Any]) -> ParsedNik:
    d["birth_date"] = _date(d["birth_date"])
    return ParsedNik(**d)


def _kk(d: dict[str, Any]) -> ParsedKk:
    d["recording_date"] = _date(d["recording_date"])
    return ParsedKk(**d)


T = TypeVar("T")


def _clean(
    values: object,
    threads: int | None,
    one: Callable[[str], dict[str, Any]],
    wrap: Callable[[dict[str, Any]], T],
    many: Callable[..., _core.Table],
    what: str,
) -> T | Table | None:
    if values is None:
        return None
    if isinstance(values, str):
        return wrap(one(values))
    arrow = hasattr(values, "__arrow_c_array__") or hasattr(values, "__arrow_c_stream__")
    if not arrow and type(values).__module__.partition(".")[0] == "pandas":
        # pandas before 3.0: a Series does not speak the Arrow PyCapsule interface.
        values = _require("pyarrow", what).array(values)
    return Table(many(values, threads=threads))


@overload
def normalize_name(values: str, *, threads: int | None = None) -> NormalizedName: ...
@overload
def normalize_name(values: None, *, threads: int | None = None) -> None: ...
@overload
def normalize_name(values: ColumnLike, *, threads: int | None = None) -> Table: ...
def normalize_name(
    values: str | ColumnLike | None, *, threads: int | None = None
) -> NormalizedName | Table | None:
    """Normalise Indonesian personal names (one, or a column).

    Args:
        values: A name, ``None``, or a column of names (see :mod:`padan.clean`).
        threads: Worker threads for a long column; ``None`` uses ``PADAN_NUM_THREADS``, then
            all cores. Ignored for one value.

    Returns:
        A :class:`NormalizedName` for a ``str``, ``None`` for ``None``, and for a column a
        :class:`padan.Table` with the columns ``normalized``, ``father``, ``sex_hint``,
        ``deceased_marker``, ``birth_order``, ``phonetic_key``, ``phonetic_key_joined``.

    Raises:
        SchemaError: The column is not text (an Arrow type other than string).
        TypeError: ``values`` is not a str, None, list, tuple or Arrow column.

    Examples:
        >>> import padan
        >>> n = padan.normalize_name("Alm. I Made Sudjana bin Ketut")
        >>> n.normalized, n.father, n.sex_hint, n.deceased_marker, n.birth_order
        ('MADE SUJANA', 'KETUT', 1, True, 2)
        >>> names = padan.normalize_name(["Tjahjono Widodo", None, "Moch. Ridwan"])
        >>> names.to_arrow()["normalized"].to_pylist()
        ['CAHYONO WIDODO', None, 'MUHAMMAD RIDWAN']
    """
    return _clean(
        values,
        threads,
        _core.normalize_name_one,
        lambda d: NormalizedName(**d),
        _core.normalize_names,
        "normalize_name() on a pandas Series",
    )


@overload
def parse_nik(values: str, *, threads: int | None = None) -> ParsedNik: ...
@overload
def parse_nik(values: None, *, threads: int | None = None) -> None: ...
@overload
def parse_nik(values: ColumnLike, *, threads: int | None = None) -> Table: ...
def parse_nik(
    values: str | ColumnLike | None, *, threads: int | None = None
) -> ParsedNik | Table | None:
    """Clean, validate and decode NIKs (one, or a column).

    Spaces, dots, hyphens and a leading apostrophe are removed; scientific notation and float
    renderings are rejected because their digits cannot be trusted. Then the domain checks run:
    province, regency and district codes, the birth date (day + 40 for women), the serial.

    Args:
        values: A NIK as text, ``None``, or a column of them (see :mod:`padan.clean`). Read NIK
            columns as text: a float column has already lost digits.
        threads: Worker threads for a long column (see :func:`normalize_name`).

    Returns:
        A :class:`ParsedNik` for a ``str``, ``None`` for ``None``, and for a column a
        :class:`padan.Table` whose columns are the fields of :class:`ParsedNik` (``errors`` and
        ``warnings`` are lists, ``birth_date`` is a date).

    Raises:
        SchemaError: The column is not text (an integer or float column, for example).
        TypeError: ``values`` is not a str, None, list, tuple or Arrow column.

    Examples:
        >>> import padan
        >>> nik = padan.parse_nik("9101010404880009")
        >>> nik.valid, nik.warnings, nik.regency, nik.regency_successor_code
        (True, ('regency_retired',), 'Kabupaten Merauke', '93.01')
        >>> nik.birth_date, nik.sex
        (datetime.date(1988, 4, 4), 1)
        >>> padan.parse_nik("3273016902850001").errors  # 29 Feb 1985
        ('feb29_not_leap',)
        >>> padan.parse_nik("3.57811E+15").excel_truncated
        True
        >>> table = padan.parse_nik(["3273015208850002", "3273015208850000"]).to_arrow()
        >>> table["errors"].to_pylist()
        [[], ['serial_zero']]
    """
    return _clean(
        values,
        threads,
        _core.parse_nik_one,
        _nik,
        _core.parse_niks,
        "parse_nik() on a pandas Series",
    )


@overload
def parse_kk(values: str, *, threads: int | None = None) -> ParsedKk: ...
@overload
def parse_kk(values: None, *, threads: int | None = None) -> None: ...
@overload
def parse_kk(values: ColumnLike, *, threads: int | None = None) -> Table: ...
def parse_kk(
    values: str | ColumnLike | None, *, threads: int | None = None
) -> ParsedKk | Table | None:
    """Clean, validate and decode KK (family card) numbers (one, or a column).

    Same cleaning and region checks as :func:`parse_nik`; the date is the recording date (no
    sex offset, a +40 day tolerated with a warning) and placeholder dates are not flagged.

    Args:
        values: A KK number as text, ``None``, or a column of them (see :mod:`padan.clean`).
        threads: Worker threads for a long column (see :func:`normalize_name`).

    Returns:
        A :class:`ParsedKk` for a ``str``, ``None`` for ``None``, and for a column a
        :class:`padan.Table` whose columns are the fields of :class:`ParsedKk`.

    Raises:
        SchemaError: The column is not text.
        TypeError: ``values`` is not a str, None, list, tuple or Arrow column.

    Examples:
        >>> import padan
        >>> kk = padan.parse_kk("3273031203100002")
        >>> kk.valid, kk.recording_date, kk.district
        (True, datetime.date(2010, 3, 12), 'Babakan Ciparay')
        >>> kk
        ParsedKk(masked='3273 **** **** 0002', valid=True, ...)
    """
    return _clean(
        values,
        threads,
        _core.parse_kk_one,
        _kk,
        _core.parse_kks,
        "parse_kk() on a pandas Series",
    )


@overload
def parse_address(values: str, *, threads: int | None = None) -> ParsedAddress: ...
@overload
def parse_address(values: None, *, threads: int | None = None) -> None: ...
@overload
def parse_address(values: ColumnLike, *, threads: int | None = None) -> Table: ...
def parse_address(
    values: str | ColumnLike | None, *, threads: int | None = None
) -> ParsedAddress | Table | None:
    """Parse free-text Indonesian addresses (one, or a column).

    Every RT/RW notation is read (``RT 001/RW 002``, ``RT.01/RW.02``, ``RT/RW 001/002``,
    ``RT 3/5``, a bare ``001/002`` after the street...), abbreviations are expanded and Roman
    numerals folded (``Gg. III`` → gang ``3``).

    Args:
        values: An address, ``None``, or a column of them (see :mod:`padan.clean`).
        threads: Worker threads for a long column (see :func:`normalize_name`).

    Returns:
        A :class:`ParsedAddress` for a ``str``, ``None`` for ``None``, and for a column a
        :class:`padan.Table` with the columns ``street``, ``number``, ``gang``, ``blok``,
        ``dusun``, ``rt``, ``rw``, ``village``, ``normalized``.

    Raises:
        SchemaError: The column is not text.
        TypeError: ``values`` is not a str, None, list, tuple or Arrow column.

    Examples:
        >>> import padan
        >>> a = padan.parse_address("Jalan Melati Gang 3 No 12 RT.03 RW.05, Kel. Gegerkalong")
        >>> a.street, a.number, a.gang, a.rt, a.rw, a.village
        ('JALAN MELATI', '12', '3', 3, 5, 'GEGERKALONG')
        >>> padan.parse_address(["RT 02/RW 04 Wonocolo"]).to_arrow()["village"].to_pylist()
        ['WONOCOLO']
    """
    return _clean(
        values,
        threads,
        _core.parse_address_one,
        lambda d: ParsedAddress(**d),
        _core.parse_addresses,
        "parse_address() on a pandas Series",
    )

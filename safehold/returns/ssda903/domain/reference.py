"""Reference data some DfE SSDA903 rules need besides the return: Ofsted's list of registered social care
providers (rules 219, 221, 224, 227, 228, 229, 241, 1008), the ONS postcode directory (the LA of placement,
in/out of area and distance the DfE derives from HOME_POST and PL_POST: rules 241, 452, 453, 454, 503G, 503H,
503J, 1015), and the reporting LA's own ONS code (229, 503J, 1015).

All three are optional inputs to validation, as in the DfE tool: a rule registered with ``needs=(...)`` runs
only when :class:`Reference` provides everything it names (``"providers"``, ``"postcodes"``, ``"la"``).

File layouts (the same files the DfE tool takes, so one file serves both):

* **Providers**: Ofsted's combined "social care providers and children's homes" list, as ``.xlsx`` (first
  sheet; a second sheet is the supported-accommodation list, read as the DfE tool reads it: placement code K3,
  provider code PR4 unless given, ``Closed date``, ``Provider local authority``) or as ``.csv`` with the same
  headings: ``URN``, ``Local authority``, ``Placement code``, ``Placement provider code``, ``Deregistration
  date``, ``Setting address postcode`` (headings in any case; codes separated by ``/`` or ``,``).
* **Postcodes**: a CSV extract of the ONS postcode directory (NSPL / ONSPD / NSPD) with the postcode
  (``pcd``, ``pcd7``, ``pcd8`` or ``pcds``), the grid reference (``oseast1m``/``east1m``,
  ``osnrth1m``/``north1m``) and the local authority district (``laua``, ``oslaua`` or ``ladNNcd``). When the
  file also has the county (``cty``/``ctyNNcd``) or upper-tier LA (``utla``/``utlaNNcd``), a postcode in a
  two-tier area is placed in its county; otherwise in its district.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from safehold.returns.ssda903.domain.csvio import FileProblem

#: What a rule may ask of :class:`Reference`.
PROVIDERS, POSTCODES, LA = "providers", "postcodes", "la"
#: The LA of placement the DfE reports for a postcode outside England (from the first letter of its ONS code).
COUNTRIES = {"S": "SCO", "W": "WAL", "N": "NIR"}
#: Metres to miles as the DfE's guidance computes the placement distance.
_METRES_PER_MILE = 1609.3


def compact(postcode: str) -> str:
    """A postcode without spaces, in capitals: the key of both lists."""
    return postcode.replace(" ", "").upper()


@dataclass(frozen=True, slots=True)
class Provider:
    """One row of Ofsted's list: a registered setting."""

    urn: str
    la_name: str
    place_codes: frozenset[str]
    provider_codes: frozenset[str]
    deregistered: dt.date | None
    postcode: str  # compact


@dataclass(frozen=True, slots=True)
class Place:
    """One postcode of the directory: its local authority (upper tier) and grid reference in metres."""

    la: str
    easting: float | None
    northing: float | None


@dataclass
class Reference:
    """The optional reference inputs a validation run was given."""

    providers: Mapping[str, tuple[Provider, ...]] | None = None
    postcodes: Mapping[str, Place] | None = None
    la: str | None = None
    _cache: dict[str, object] = field(default_factory=dict, repr=False)

    def provides(self, needs: Iterable[str]) -> bool:
        have = {PROVIDERS: self.providers is not None, POSTCODES: self.postcodes is not None, LA: bool(self.la)}
        return all(have[n] for n in needs)

    # --- what the DfE derives ------------------------------------------------------------------
    def place(self, postcode: str) -> Place | None:
        if not postcode or self.postcodes is None:
            return None
        return self.postcodes.get(compact(postcode))

    def la_of(self, postcode: str) -> str | None:
        """The LA of placement for a postcode (SCO, WAL or NIR outside England); None when not in the directory."""
        found = self.place(postcode)
        return found.la if found is not None else None

    def location(self, postcode: str) -> str | None:
        """IN when the postcode lies in the reporting LA, OUT when elsewhere, None when not in the directory."""
        la = self.la_of(postcode)
        return None if la is None else ("IN" if la == self.la else "OUT")

    def distance(self, home: str, placement: str) -> float | None:
        """Miles between two postcodes' grid references, to one decimal place (the DfE's PL_DISTANCE)."""
        a, b = self.place(home), self.place(placement)
        if a is None or b is None or None in (a.easting, a.northing, b.easting, b.northing):
            return None
        assert a.easting is not None and a.northing is not None and b.easting is not None and b.northing is not None
        return round(math.hypot(a.easting - b.easting, a.northing - b.northing) / _METRES_PER_MILE, 1)

    def provider(self, urn: str) -> tuple[Provider, ...]:
        """The list's rows for a URN (several when a provider has several entries); empty when not listed."""
        if self.providers is None:
            return ()
        return self.providers.get(urn.strip().upper(), ())

    def provider_las(self, urn: str) -> frozenset[str]:
        """The LAs of a provider's premises, found from their postcodes in the directory (as the DfE tool does:
        the LA named in Ofsted's list is a name, not a code)."""
        out = set()
        for p in self.provider(urn):
            la = self.la_of(p.postcode)
            if la is not None:
                out.add(la)
        return frozenset(out)


# --- reading the files -----------------------------------------------------------------------------------

_SPLIT = re.compile(r"[/,]")
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y")


def _codes(value: object) -> frozenset[str]:
    return frozenset(c.strip().upper() for c in _SPLIT.split(str(value or "")) if c.strip())


def _date(value: object, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for f in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, f).date()  # noqa: DTZ007 (a calendar date, no time of day)
        except ValueError:
            continue
    raise FileProblem([f"{where}: deregistration date {text!r} is not a date"])


def _text(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem([f"{name}: cannot be read as text (use UTF-8)"])


def _sheets(data: bytes, name: str) -> list[list[dict[str, object]]]:
    """Each sheet (or the CSV) as rows keyed by lower-case heading."""
    if name.lower().endswith(".xlsx"):
        import openpyxl  # only needed for the spreadsheet form

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a file that is not a workbook
            raise FileProblem([f"{name}: cannot be read as a spreadsheet ({exc})"]) from exc
        out = []
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            head = next(rows, None)
            if head is None:
                continue
            keys = [str(h or "").strip().lower() for h in head]
            out.append([dict(zip(keys, r, strict=False)) for r in rows if any(v not in (None, "") for v in r)])
        return out
    reader = csv.DictReader(io.StringIO(_text(data, name)))
    return [[{(k or "").strip().lower(): v for k, v in r.items()} for r in reader]]


_PROVIDER_COLUMNS = (
    "urn",
    "local authority",
    "placement code",
    "placement provider code",
    "deregistration date",
    "setting address postcode",
)


def read_providers(data: bytes, name: str) -> dict[str, tuple[Provider, ...]]:
    """URN → the rows of Ofsted's provider list (see the module docstring for the layout)."""
    sheets = _sheets(data, name)
    if not sheets or not sheets[0]:
        raise FileProblem([f"{name}: no providers found"])
    first = sheets[0]
    missing = [c for c in _PROVIDER_COLUMNS if c not in first[0]]
    if missing:
        raise FileProblem([f"{name}: missing column(s) {', '.join(missing)}"])
    rows = [(r, r.get("placement code"), r.get("placement provider code"), r.get("deregistration date")) for r in first]
    for extra in sheets[1:2]:  # Ofsted's supported accommodation sheet, as the DfE tool reads it
        for r in extra:
            rows.append((r, "K3", r.get("placement provider code") or "PR4", r.get("closed date")))
    out: dict[str, list[Provider]] = {}
    for n, (r, place, provider, closed) in enumerate(rows, start=2):
        urn = str(r.get("urn") or "").strip().upper()
        if not urn:
            continue
        if urn.endswith(".0") and urn[:-2].isdigit():  # a number cell read as a float
            urn = urn[:-2]
        la_name = r.get("local authority") or r.get("provider local authority") or ""
        out.setdefault(urn, []).append(
            Provider(
                urn=urn,
                la_name=str(la_name).strip(),
                place_codes=_codes(place),
                provider_codes=_codes(provider),
                deregistered=_date(closed, f"{name} row {n}"),
                postcode=compact(str(r.get("setting address postcode") or "")),
            )
        )
    return {urn: tuple(rows_) for urn, rows_ in out.items()}


def _pick(columns: Collection[str], *names: str, pattern: str | None = None) -> str | None:
    for n in names:
        if n in columns:
            return n
    if pattern is not None:
        for c in columns:
            if re.fullmatch(pattern, c):
                return c
    return None


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def read_postcodes(data: bytes, name: str, only: Collection[str] | None = None) -> dict[str, Place]:
    """Compact postcode → :class:`Place` from a CSV extract of the ONS postcode directory. ``only`` (compact
    postcodes) keeps just those, so a whole national directory can be read for one return."""
    reader = csv.reader(io.StringIO(_text(data, name)))
    head = [h.strip().lower() for h in next(reader, [])]
    cols = set(head)
    pcd = _pick(cols, "pcd", "pcd7", "pcd8", "pcds", "postcode")
    east = _pick(cols, "oseast1m", "east1m", "easting")
    north = _pick(cols, "osnrth1m", "north1m", "northing")
    district = _pick(cols, "laua", "oslaua", "la_code", pattern=r"lad\d\dcd")
    upper = _pick(cols, "utla", "cty", pattern=r"(utla|cty)\d\dcd")
    needed = (("postcode", pcd), ("easting", east), ("northing", north), ("LA", district))
    missing = [what for what, col in needed if col is None]
    if missing:
        raise FileProblem([f"{name}: missing column(s) for {', '.join(missing)}"])
    at = {h: i for i, h in enumerate(head)}
    ip, ie, io_, il = at[pcd or ""], at[east or ""], at[north or ""], at[district or ""]
    iu = at[upper] if upper is not None else None
    wanted = frozenset(only) if only is not None else None
    out: dict[str, Place] = {}
    for row in reader:
        if len(row) <= max(ip, ie, io_, il):
            continue
        key = compact(row[ip])
        if not key or (wanted is not None and key not in wanted):
            continue
        la = row[il].strip().upper()
        if not la:
            continue
        if la[0] in COUNTRIES:
            la = COUNTRIES[la[0]]
        elif iu is not None and len(row) > iu:
            county = row[iu].strip().upper()
            if county.startswith("E10"):  # a county council: the LA of placement for its districts
                la = county
        out[key] = Place(la, _number(row[ie]), _number(row[io_]))
    return out

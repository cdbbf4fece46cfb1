"""Write and read the CIN census XML (STATUTE.md §6.2). Element order follows the XSD sequence.

The writer builds text directly (a borough of 10,000 children writes in well under a second); the reader
streams with ``xml.etree.ElementTree.iterparse`` and frees each ``Child`` once read. The reader is
lenient: it never raises on a bad value, it records a :class:`Problem` and carries on, so a file can be
validated in full; an importer refuses a file with any problem.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from safehold.returns.cin.domain.census import (
    Assessment,
    Census,
    Child,
    CINPlan,
    CPPlan,
    Episode,
    Header,
    Problem,
    Section47,
)

__all__ = ["CinReadError", "read_census", "write_census"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TRUE = {"true", "1"}
_FALSE = {"false", "0"}


class CinReadError(ValueError):
    """The file is not a CIN census at all: not XML, truncated, or the wrong root element."""


# --- writing ------------------------------------------------------------------------------------------------


def _d(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _bool(value: bool | None) -> str | None:
    if value is None:
        return None
    return "1" if value else "0"


def _el(out: list[str], indent: str, tag: str, value: str | None) -> None:
    if value is None or value == "":
        return
    out.append(f"{indent}<{tag}>{escape(value)}</{tag}>")


def write_census(census: Census) -> str:
    """The census as an XML document (UTF-8 text, with declaration)."""
    h = census.header
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>', "<Message>", "  <Header>", "    <CollectionDetails>"]
    _el(out, "      ", "Collection", h.collection)
    _el(out, "      ", "Year", str(h.year) if h.year is not None else None)
    _el(out, "      ", "ReferenceDate", _d(h.reference_date))
    out += ["    </CollectionDetails>", "    <Source>"]
    _el(out, "      ", "SourceLevel", h.source_level)
    _el(out, "      ", "LEA", h.lea)
    _el(out, "      ", "SoftwareCode", h.software_code)
    _el(out, "      ", "Release", h.release)
    _el(out, "      ", "SerialNo", h.serial_no)
    _el(out, "      ", "DateTime", h.date_time)
    out += ["    </Source>", "  </Header>", "  <Children>"]
    for child in census.children:
        _write_child(out, child)
    out += ["  </Children>", "</Message>", ""]
    return "\n".join(out)


def _write_child(out: list[str], c: Child) -> None:
    i3, i4 = "      ", "        "
    out += ["    <Child>", "      <ChildIdentifiers>"]
    _el(out, i4, "LAchildID", c.la_child_id)
    _el(out, i4, "UPN", c.upn)
    _el(out, i4, "FormerUPN", c.former_upn)
    _el(out, i4, "UPNunknown", c.upn_unknown)
    _el(out, i4, "PersonBirthDate", _d(c.birth_date))
    _el(out, i4, "ExpectedPersonBirthDate", _d(c.expected_birth_date))
    _el(out, i4, "Sex", c.sex)
    _el(out, i4, "PersonDeathDate", _d(c.death_date))
    out += ["      </ChildIdentifiers>", "      <ChildCharacteristics>"]
    _el(out, i4, "Ethnicity", c.ethnicity)
    if c.disabilities:
        out.append(f"{i4}<Disabilities>")
        for code in c.disabilities:
            _el(out, i4 + "  ", "Disability", code)
        out.append(f"{i4}</Disabilities>")
    out.append("      </ChildCharacteristics>")
    for e in c.episodes:
        out.append(f"{i3}<CINdetails>")
        _el(out, i4, "CINreferralDate", _d(e.referral_date))
        _el(out, i4, "ReferralSource", e.referral_source)
        _el(out, i4, "PrimaryNeedCode", e.primary_need)
        _el(out, i4, "CINclosureDate", _d(e.closure_date))
        _el(out, i4, "ReasonForClosure", e.closure_reason)
        _el(out, i4, "DateOfInitialCPC", _d(e.icpc))
        i5, i6 = i4 + "  ", i4 + "    "
        for a in e.assessments:
            out.append(f"{i4}<Assessments>")
            _el(out, i5, "AssessmentActualStartDate", _d(a.start))
            _el(out, i5, "AssessmentInternalReviewDate", _d(a.internal_review))
            _el(out, i5, "AssessmentAuthorisationDate", _d(a.authorisation))
            if a.factors:
                out.append(f"{i5}<FactorsIdentifiedAtAssessment>")
                for f in a.factors:
                    _el(out, i6, "AssessmentFactors", f)
                out.append(f"{i5}</FactorsIdentifiedAtAssessment>")
            out.append(f"{i4}</Assessments>")
        for p in e.cin_plans:
            out.append(f"{i4}<CINPlanDates>")
            _el(out, i5, "CINPlanStartDate", _d(p.start))
            _el(out, i5, "CINPlanEndDate", _d(p.end))
            out.append(f"{i4}</CINPlanDates>")
        for s in e.section47s:
            out.append(f"{i4}<Section47>")
            _el(out, i5, "S47ActualStartDate", _d(s.start))
            _el(out, i5, "InitialCPCtarget", _d(s.icpc_target))
            _el(out, i5, "DateOfInitialCPC", _d(s.icpc))
            _el(out, i5, "ICPCnotRequired", _bool(s.icpc_not_required))
            out.append(f"{i4}</Section47>")
        _el(out, i4, "ReferralNFA", _bool(e.referral_nfa))
        for cp in e.cp_plans:
            out.append(f"{i4}<ChildProtectionPlans>")
            _el(out, i5, "CPPstartDate", _d(cp.start))
            _el(out, i5, "CPPendDate", _d(cp.end))
            _el(out, i5, "InitialCategoryOfAbuse", cp.initial_category)
            _el(out, i5, "LatestCategoryOfAbuse", cp.latest_category)
            _el(out, i5, "NumberOfPreviousCPP", str(cp.previous_plans) if cp.previous_plans is not None else None)
            if cp.reviews:
                out.append(f"{i5}<Reviews>")
                for r in cp.reviews:
                    out.append(f"{i6}<CPPreviewDate>{_d(r) or ''}</CPPreviewDate>")
                out.append(f"{i5}</Reviews>")
            out.append(f"{i4}</ChildProtectionPlans>")
        out.append(f"{i3}</CINdetails>")
    out.append("    </Child>")


# --- reading ------------------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, ns: str) -> None:
        self.problems: list[Problem] = []
        self.who = ""
        self.ns = ns  # "{uri}" when the file uses a default namespace, else ""

    def text(self, el: ET.Element | None, tag: str) -> str:
        if el is None:
            return ""
        value = el.findtext(self.ns + tag)
        return value.strip() if value else ""

    def find(self, el: ET.Element | None, tag: str) -> ET.Element | None:
        return None if el is None else el.find(self.ns + tag)

    def find_all(self, el: ET.Element | None, tag: str) -> list[ET.Element]:
        return [] if el is None else el.findall(self.ns + tag)

    def date(self, el: ET.Element | None, tag: str) -> dt.date | None:
        return self.parse_date(self.text(el, tag), tag)

    def parse_date(self, raw: str, tag: str) -> dt.date | None:
        if not raw:
            return None
        if _ISO_DATE.fullmatch(raw):
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                pass
        self.problems.append(Problem(self.who, tag, f"'{raw}' is not a real date in the form YYYY-MM-DD"))
        return None

    def flag(self, el: ET.Element | None, tag: str) -> bool | None:
        raw = self.text(el, tag).lower()
        if raw in _TRUE:
            return True
        if raw in _FALSE:
            return False
        if raw:
            self.problems.append(Problem(self.who, tag, f"'{raw}' is not true, false, 1 or 0"))
        return None

    def integer(self, el: ET.Element | None, tag: str) -> int | None:
        raw = self.text(el, tag)
        if not raw:
            return None
        if re.fullmatch(r"-?\d{1,4}", raw):
            return int(raw)
        self.problems.append(Problem(self.who, tag, f"'{raw}' is not a whole number"))
        return None

    def header(self, el: ET.Element) -> Header:
        self.who = ""
        cd = self.find(el, "CollectionDetails")
        src = self.find(el, "Source")
        year_raw = self.text(cd, "Year")
        year = int(year_raw) if re.fullmatch(r"\d{4}", year_raw) else None
        if year is None:
            self.problems.append(Problem("", "Year", f"'{year_raw}' is not a four-digit year"))
        return Header(
            year=year,
            reference_date=self.date(cd, "ReferenceDate"),
            collection=self.text(cd, "Collection"),
            source_level=self.text(src, "SourceLevel"),
            lea=self.text(src, "LEA"),
            software_code=self.text(src, "SoftwareCode"),
            release=self.text(src, "Release"),
            serial_no=self.text(src, "SerialNo"),
            date_time=self.text(src, "DateTime"),
        )

    def child(self, el: ET.Element, position: int) -> Child:
        ids = self.find(el, "ChildIdentifiers")
        chars = self.find(el, "ChildCharacteristics")
        la_id = self.text(ids, "LAchildID")
        self.who = la_id or f"#{position} (no LAchildID)"
        if ids is None:
            self.problems.append(Problem(self.who, "ChildIdentifiers", "the ChildIdentifiers block is missing"))
        disabilities: list[str] = []
        dis_block = self.find(chars, "Disabilities")
        if dis_block is not None:
            disabilities = [(d.text or "").strip() for d in self.find_all(dis_block, "Disability")]
        return Child(
            la_child_id=la_id,
            upn=self.text(ids, "UPN"),
            former_upn=self.text(ids, "FormerUPN"),
            upn_unknown=self.text(ids, "UPNunknown"),
            birth_date=self.date(ids, "PersonBirthDate"),
            expected_birth_date=self.date(ids, "ExpectedPersonBirthDate"),
            sex=self.text(ids, "Sex"),
            death_date=self.date(ids, "PersonDeathDate"),
            ethnicity=self.text(chars, "Ethnicity"),
            disabilities=disabilities,
            episodes=[self.episode(e) for e in self.find_all(el, "CINdetails")],
        )

    def episode(self, el: ET.Element) -> Episode:
        return Episode(
            referral_date=self.date(el, "CINreferralDate"),
            referral_source=self.text(el, "ReferralSource"),
            primary_need=self.text(el, "PrimaryNeedCode"),
            closure_date=self.date(el, "CINclosureDate"),
            closure_reason=self.text(el, "ReasonForClosure"),
            icpc=self.date(el, "DateOfInitialCPC"),
            referral_nfa=self.flag(el, "ReferralNFA"),
            assessments=[
                Assessment(
                    start=self.date(a, "AssessmentActualStartDate"),
                    internal_review=self.date(a, "AssessmentInternalReviewDate"),
                    authorisation=self.date(a, "AssessmentAuthorisationDate"),
                    factors=[
                        (f.text or "").strip()
                        for block in self.find_all(a, "FactorsIdentifiedAtAssessment")
                        for f in self.find_all(block, "AssessmentFactors")
                    ],
                )
                for a in self.find_all(el, "Assessments")
            ],
            cin_plans=[
                CINPlan(start=self.date(p, "CINPlanStartDate"), end=self.date(p, "CINPlanEndDate"))
                for p in self.find_all(el, "CINPlanDates")
            ],
            section47s=[
                Section47(
                    start=self.date(s, "S47ActualStartDate"),
                    icpc_target=self.date(s, "InitialCPCtarget"),
                    icpc=self.date(s, "DateOfInitialCPC"),
                    icpc_not_required=self.flag(s, "ICPCnotRequired"),
                )
                for s in self.find_all(el, "Section47")
            ],
            cp_plans=[self.cp_plan(p) for p in self.find_all(el, "ChildProtectionPlans")],
        )

    def cp_plan(self, el: ET.Element) -> CPPlan:
        reviews: list[dt.date | None] = []
        for block in self.find_all(el, "Reviews"):
            for r in self.find_all(block, "CPPreviewDate"):
                reviews.append(self.parse_date((r.text or "").strip(), "CPPreviewDate"))
        return CPPlan(
            start=self.date(el, "CPPstartDate"),
            end=self.date(el, "CPPendDate"),
            initial_category=self.text(el, "InitialCategoryOfAbuse"),
            latest_category=self.text(el, "LatestCategoryOfAbuse"),
            previous_plans=self.integer(el, "NumberOfPreviousCPP"),
            reviews=reviews,
        )


_FIRST_TAG = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s>/]")


def _root(data: bytes) -> tuple[str, str]:
    """The root element's local name and default namespace ("{uri}" or ""), from the start of the file."""
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", data[:4096], flags=re.S)
    m = _FIRST_TAG.search(head)
    if m is None:
        return "", ""
    tag_end = head.find(b">", m.end() - 1)
    ns = re.search(rb'xmlns="([^"]*)"', head[m.start() : tag_end + 1] if tag_end >= 0 else head[m.start() :])
    return m.group(2).decode("ascii", "replace"), ("{" + ns.group(1).decode() + "}" if ns else "")


def read_census(data: bytes) -> Census:
    """Read a CIN census. Raises :class:`CinReadError` when the file cannot be a census at all."""
    if not data.strip():
        raise CinReadError("The file is empty")
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise CinReadError("The file declares a DTD or entities, which a CIN census never does")
    root, ns = _root(data)
    if root and root != "Message":
        raise CinReadError(f"The root element is <{root}>, not <Message>: this is not a CIN census")
    reader = _Reader(ns)
    header: Header | None = None
    children: list[Child] = []
    header_tag, child_tag, message_tag = ns + "Header", ns + "Child", ns + "Message"
    seen_message = False
    try:
        for _event, el in ET.iterparse(io.BytesIO(data), events=("end",)):  # noqa: S314 - DTDs refused above
            tag = el.tag
            if tag == child_tag:
                children.append(reader.child(el, len(children) + 1))
                el.clear()
            elif tag == header_tag:
                header = reader.header(el)
                el.clear()
            elif tag == message_tag:
                seen_message = True
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise CinReadError(
            f"The file is not well-formed XML (line {line}, column {column}): it may be truncated or not XML"
        ) from exc
    if not seen_message:
        raise CinReadError("The root element is not <Message>: this is not a CIN census")
    if header is None:
        raise CinReadError("The file has no <Header>: this is not a CIN census")
    return Census(header=header, children=children, problems=reader.problems)

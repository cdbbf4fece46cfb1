"""OC2 (looked after 12 months at 31 March) and OC3 (care leavers) rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from safehold.returns.ssda903.domain.dates import add_years
from safehold.returns.ssda903.domain.engine import Context, Hit, rule
from safehold.returns.ssda903.domain.rules._common import code_list, d, filled
from safehold.returns.ssda903.domain.tables import Episode

OC2_ITEMS = (
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
)
OC3_ITEMS = ("IN_TOUCH", "ACTIV", "ACCOM")
ACTIV_CODES = ("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0")
ACCOM_CODES = "B1 B2 C1 C2 D1 D2 E1 E2 G1 G2 H1 H2 K1 K2 R1 R2 S2 T1 T2 U1 U2 V1 V2 W1 W2 X2 Y1 Y2 Z1 Z2 0".split()

code_list(
    "131",
    "Data entry for being in touch after leaving care is invalid.",
    "OC3",
    "IN_TOUCH",
    ("YES", "NO", "DIED", "REFU", "NREQ", "RHOM"),
    blank_ok=False,
)
code_list("132", "Data entry for activity after leaving care is invalid.", "OC3", "ACTIV", ACTIV_CODES, blank_ok=False)
code_list(
    "133",
    "Data entry for accommodation after leaving care is invalid. If reporting on a childs accommodation "
    "after leaving care the data entry must be valid",
    "OC3",
    "ACCOM",
    ACCOM_CODES,
    blank_ok=False,
)
code_list(
    "196",
    "Strengths and Difficulties (SDQ) reason is not a valid code.",
    "OC2",
    "SDQ_REASON",
    ("SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"),
)


@rule(
    "134",
    "Data on adoption should not be entered for the OC3 cohort.",
    tables=("OC3", "AD1"),
    fields=("IN_TOUCH", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
)
def rule_134(ctx: Context) -> Iterator[Hit]:
    oc3 = ctx.rows_by_child("OC3")
    for a in ctx.ret.ad1:
        if filled(a, "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR") and any(
            filled(o, *OC3_ITEMS) for o in oc3.get(a.CHILD, [])
        ):
            yield "AD1", a


@rule(
    "153",
    "All data items relating to a child's activity or accommodation after leaving care must be coded or left blank.",
    tables=("OC3",),
    fields=OC3_ITEMS,
)
def rule_153(ctx: Context) -> Iterator[Hit]:
    for o in ctx.ret.oc3:
        n = sum(1 for f in OC3_ITEMS if getattr(o, f))
        if 0 < n < 3:
            yield "OC3", o


@rule(
    "157",
    "Child is aged 4 years or over at the beginning of the year or 16 years or under at the end of the year "
    "and Strengths and Difficulties Questionnaire (SDQ) 1 has been recorded as the reason for no Strengths and "
    "Difficulties Questionnaire (SDQ) score.",
    tables=("OC2", "Episodes"),
    fields=("SDQ_REASON", "DOB"),
)
def rule_157(ctx: Context) -> Iterator[Hit]:
    """SDQ1 means 'under 4 or over 16': wrong for a child 4+ on 1 April and not yet 17 (16th birthday on or after
    31 March) who was looked after all year."""
    for o in ctx.rows_with("OC2", "SDQ_SCORE", ("",)):
        dob = d(o.DOB)
        if dob is None or o.CHILD not in ctx.continuously_looked_after:
            continue
        if (
            add_years(dob, 4) <= ctx.start
            and add_years(dob, 16) >= ctx.end
            and o.SDQ_SCORE == ""
            and (o.SDQ_REASON == "SDQ1")
        ):
            yield "OC2", o


@rule(
    "158",
    "If a child has been recorded as receiving an intervention for their substance misuse problem, then the "
    "additional item on whether an intervention was offered should be left blank.",
    tables=("OC2",),
    fields=("INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
)
def rule_158(ctx: Context) -> Iterator[Hit]:
    for o in ctx.rows_with("OC2", "INTERVENTION_RECEIVED", ("1",)):
        if o.INTERVENTION_RECEIVED == "1" and o.INTERVENTION_OFFERED:
            yield "OC2", o


@rule(
    "159",
    "If a child has been recorded as not receiving an intervention for their substance misuse problem, then "
    "the additional item on whether an intervention was offered should be completed as well.",
    tables=("OC2",),
    fields=("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
)
def rule_159(ctx: Context) -> Iterator[Hit]:
    for o in ctx.rows_with("OC2", "SUBSTANCE_MISUSE", ("1",)):
        if o.SUBSTANCE_MISUSE == "1" and o.INTERVENTION_RECEIVED == "0" and o.INTERVENTION_OFFERED == "":
            yield "OC2", o


@rule(
    "180",
    "Data entry for the strengths and difficulties questionnaire (SDQ) score is invalid.",
    tables=("OC2",),
    fields=("SDQ_SCORE",),
)
def rule_180(ctx: Context) -> Iterator[Hit]:
    """A whole number 0–40."""
    for o in ctx.ret.oc2:
        if o.SDQ_SCORE == "":
            continue
        try:
            value = float(o.SDQ_SCORE)
        except ValueError:
            yield "OC2", o
            continue
        if not (value.is_integer() and 0 <= value <= 40):
            yield "OC2", o


@rule(
    "181",
    "Data items relating to children looked after continuously for 12 months should be completed with a 0 or 1.",
    tables=("OC2",),
    fields=OC2_ITEMS,
)
def rule_181(ctx: Context) -> Iterator[Hit]:
    if all(ctx.distinct("OC2", f) <= {"", "0", "1"} for f in OC2_ITEMS):
        return
    for o in ctx.ret.oc2:
        if any(getattr(o, f) not in ("", "0", "1") for f in OC2_ITEMS):
            yield "OC2", o


@rule(
    "182",
    "Data entries on immunisations, teeth checks, health assessments and substance misuse problem "
    "identified should be completed or all OC2 fields should be left blank.",
    tables=("OC2",),
    fields=OC2_ITEMS,
)
def rule_182(ctx: Context) -> Iterator[Hit]:
    core = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")
    others = ("CONVICTED", "HEALTH_CHECK", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")
    for o in ctx.ret.oc2:
        if any(getattr(o, f) == "" for f in core) and filled(o, *others):
            yield "OC2", o


@rule(
    "185",
    "Child has not been looked after continuously for at least 12 months at 31 March but a Strengths and "
    "Difficulties (SDQ) score has been completed.",
    tables=("Episodes", "OC2"),
    fields=("SDQ_SCORE",),
)
def rule_185(ctx: Context) -> Iterator[Hit]:
    for o in ctx.ret.oc2:
        if o.SDQ_SCORE and o.CHILD not in ctx.continuously_looked_after:
            yield "OC2", o


@rule(
    "186",
    "Children aged 4 or over at the start of the year and children aged under 17 at the end of the year and "
    "who have been looked after for at least 12 months continuously should have a Strengths and Difficulties (SDQ) "
    "score completed.",
    tables=("Episodes", "OC2"),
    fields=("SDQ_SCORE",),
)
def rule_186(ctx: Context) -> Iterator[Hit]:
    for o in ctx.rows_with("OC2", "SDQ_SCORE", ("",)):
        dob = d(o.DOB)
        if dob is None or o.CHILD not in ctx.continuously_looked_after:
            continue
        if (
            add_years(dob, 4) <= ctx.start
            and add_years(dob, 17) > ctx.end
            and o.SDQ_SCORE == ""
            and (o.SDQ_REASON == "")
        ):
            yield "OC2", o


@rule(
    "187",
    "Child cannot be looked after continuously for 12 months at 31 March (OC2) and have any of adoption or "
    "care leavers returns completed.",
    tables=("OC3", "AD1", "Episodes"),
    fields=("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR", *OC3_ITEMS),
)
def rule_187(ctx: Context) -> Iterator[Hit]:
    cla = ctx.continuously_looked_after
    for o in ctx.ret.oc3:
        if o.CHILD in cla and filled(o, *OC3_ITEMS):
            yield "OC3", o
    for a in ctx.ret.ad1:
        if a.CHILD in cla and filled(
            a, "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"
        ):
            yield "AD1", a


@rule(
    "188",
    "Child is aged under 4 years at the end of the year, but a Strengths and Difficulties (SDQ) score or a "
    "reason for no SDQ score has been completed. ",
    tables=("OC2",),
    fields=("SDQ_SCORE", "SDQ_REASON"),
)
def rule_188(ctx: Context) -> Iterator[Hit]:
    for o in ctx.ret.oc2:
        dob = d(o.DOB)
        if dob is not None and add_years(dob, 4) > ctx.end and filled(o, "SDQ_SCORE", "SDQ_REASON"):
            yield "OC2", o


@rule(
    "189",
    "Child is aged 17 years or over at the beginning of the year, but an Strengths and Difficulties (SDQ) "
    "score or a reason for no Strengths and Difficulties (SDQ) score has been completed.",
    tables=("OC2",),
    fields=("DOB", "SDQ_SCORE", "SDQ_REASON"),
)
def rule_189(ctx: Context) -> Iterator[Hit]:
    for o in ctx.ret.oc2:
        dob = d(o.DOB)
        if dob is not None and add_years(dob, 17) < ctx.start and filled(o, "SDQ_SCORE", "SDQ_REASON"):
            yield "OC2", o


@rule(
    "190",
    "Child has not been looked after continuously for at least 12 months at 31 March but one or more data "
    "items relating to children looked after for 12 months have been completed.",
    tables=("OC2", "Episodes"),
    fields=OC2_ITEMS,
)
def rule_190(ctx: Context) -> Iterator[Hit]:
    for o in ctx.ret.oc2:
        if o.CHILD not in ctx.continuously_looked_after and filled(o, *OC2_ITEMS):
            yield "OC2", o


@rule(
    "191",
    "Child has been looked after continuously for at least 12 months at 31 March but one or more data items "
    "relating to children looked after for 12 months have been left blank.",
    tables=("OC2", "Episodes"),
    fields=("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "CHILD"),
)
def rule_191(ctx: Context) -> Iterator[Hit]:
    """The OC2 cohort needs its four core items; a child in the cohort with no OC2 row at all is flagged on
    their first episode."""
    cla = ctx.continuously_looked_after
    oc2 = ctx.rows_by_child("OC2")
    core = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")
    for o in ctx.ret.oc2:
        if o.CHILD in cla and any(getattr(o, f) == "" for f in core):
            yield "OC2", o
    for child in sorted(cla):  # a set: sorted, so the failures come in the same order on every run
        if child not in oc2:
            yield "Episodes", ctx.episodes_by_child[child][0]


@rule(
    "192",
    "Child has been identified as having a substance misuse problem but the additional item on whether an "
    "intervention was received has been left blank.",
    tables=("OC2",),
    fields=("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED"),
)
def rule_192(ctx: Context) -> Iterator[Hit]:
    for o in ctx.rows_with("OC2", "SUBSTANCE_MISUSE", ("1",)):
        if o.SUBSTANCE_MISUSE == "1" and o.INTERVENTION_RECEIVED == "":
            yield "OC2", o


@rule(
    "193",
    "Child not identified as having a substance misuse problem but at least one of the two additional items "
    "on whether an intervention were offered and received have been completed.",
    tables=("OC2",),
    fields=("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
)
def rule_193(ctx: Context) -> Iterator[Hit]:
    for o in ctx.ret.oc2:
        if o.SUBSTANCE_MISUSE in ("", "0") and filled(o, "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"):
            yield "OC2", o


@rule(
    "197B",
    "SDQ score or reason for no SDQ should be reported for 4- or 17-year-olds.",
    tables=("OC2", "Episodes"),
    fields=("SDQ_REASON", "DOB"),
)
def rule_197b(ctx: Context) -> Iterator[Hit]:
    for o in ctx.ret.oc2:
        dob = d(o.DOB)
        if dob is None or o.CHILD not in ctx.continuously_looked_after or filled(o, "SDQ_SCORE", "SDQ_REASON"):
            continue
        if ctx.start <= add_years(dob, 4) <= ctx.end or ctx.start <= add_years(dob, 17) <= ctx.end:
            yield "OC2", o


@rule(
    "197a",
    "Reason for no Strengths and Difficulties (SDQ) score is not required if Strengths and Difficulties "
    "Questionnaire score is filled in.",
    tables=("OC2",),
    fields=("SDQ_SCORE", "SDQ_REASON"),
)
def rule_197a(ctx: Context) -> Iterator[Hit]:
    for o in ctx.ret.oc2:
        if o.SDQ_SCORE and o.SDQ_REASON:
            yield "OC2", o


@rule(
    "198",
    "Child has not been looked after continuously for at least 12 months at 31 March but a reason for no "
    "Strengths and Difficulties (SDQ) score has been completed. ",
    tables=("Episodes", "OC2"),
    fields=("SDQ_REASON",),
)
def rule_198(ctx: Context) -> Iterator[Hit]:
    for o in ctx.ret.oc2:
        if o.SDQ_REASON and o.CHILD not in ctx.continuously_looked_after:
            yield "OC2", o


@rule(
    "215",
    "Child has care leaver information but one or more data items relating to children looked after for 12 "
    "months have been completed.",
    tables=("OC2", "OC3"),
    fields=(*OC3_ITEMS, *OC2_ITEMS),
)
def rule_215(ctx: Context) -> Iterator[Hit]:
    oc2 = ctx.rows_by_child("OC2")
    for o in ctx.ret.oc3:
        if not filled(o, *OC3_ITEMS):
            continue
        rows = [x for x in oc2.get(o.CHILD, []) if filled(x, *OC2_ITEMS)]
        if rows:
            yield "OC3", o
            for x in rows:
                yield "OC2", x


@rule(
    "344",
    "The record shows the young person has died or returned home to live with parent(s) or someone with "
    "parental responsibility for a continuous period of 6 months or more, but activity and/or accommodation on "
    "leaving care have been completed.",
    tables=("OC3",),
    fields=OC3_ITEMS,
)
def rule_344(ctx: Context) -> Iterator[Hit]:
    for o in ctx.rows_with("OC3", "IN_TOUCH", ("DIED", "RHOM")):
        if o.IN_TOUCH in ("DIED", "RHOM") and (o.ACTIV != "0" or o.ACCOM != "0"):
            yield "OC3", o


@rule(
    "345",
    "The data collection record shows the local authority is in touch with this young person, but activity "
    "and/or accommodation data items are zero.",
    tables=("OC3",),
    fields=OC3_ITEMS,
)
def rule_345(ctx: Context) -> Iterator[Hit]:
    for o in ctx.ret.oc3:
        if o.IN_TOUCH == "YES" and (o.ACTIV == "0" or o.ACCOM == "0"):
            yield "OC3", o


@rule(
    "3001",
    "Where care leavers information is being returned for a young person around their 17th birthday, the "
    "accommodation cannot be with their former foster carer(s).",
    tables=("Header", "OC3"),
    fields=("ACCOM",),
)
def rule_3001(ctx: Context) -> Iterator[Hit]:
    if not any(accom.upper() in ("Z1", "Z2") for accom in ctx.distinct("OC3", "ACCOM")):
        return
    for o in ctx.ret.oc3:
        seventeenth = ctx.birthday(o.CHILD, 17)
        if o.ACCOM.upper() in ("Z1", "Z2") and seventeenth is not None and ctx.start <= seventeenth <= ctx.end:
            yield "OC3", o


@rule(
    "1000",
    "This child is recorded as having died in care and therefore should not have the care leaver "
    "information completed. [NOTE: This only tests the current and previous year data loaded into the tool]",
    tables=("Episodes", "OC3"),
    fields=OC3_ITEMS,
)
def rule_1000(ctx: Context) -> Iterator[Hit]:
    died_codes = [rec for rec in ctx.distinct("Episodes", "REC") if rec.upper() == "E2"]
    died = {e.CHILD for e in ctx.rows_with("Episodes", "REC", died_codes)}
    if ctx.previous is not None:
        died |= {e.CHILD for e in ctx.previous.episodes if e.REC.upper() == "E2"}
    for o in ctx.ret.oc3:
        if o.CHILD in died:
            yield "OC3", o


@rule(
    "1007",
    "Care leaver information is not required for 17- or 18-year olds who are still looked after [on their "
    "17th or 18th birthday.]",
    tables=("Episodes", "OC3"),
    fields=OC3_ITEMS,
)
def rule_1007(ctx: Context) -> Iterator[Hit]:
    """A care leaver aged 17 or 18 at 31 March who was in an episode spanning their latest birthday (started on
    or before it, ended after it)."""
    for o in ctx.ret.oc3:
        dob = d(o.DOB)
        if dob is None or not filled(o, *OC3_ITEMS):
            continue
        if not (add_years(dob, 17) <= ctx.end < add_years(dob, 19)):
            continue
        bday = add_years(dob, ctx.end.year - dob.year)
        if bday > ctx.end:
            bday = add_years(dob, ctx.end.year - dob.year - 1)
        for e in ctx.episodes_by_child.get(o.CHILD, []):
            decom, dec = d(e.DECOM), d(e.DEC)
            if decom is not None and dec is not None and decom <= bday < dec:
                yield "OC3", o
                break


@rule(
    "1011",
    "This child is recorded as having his/her care transferred to another local authority for the final "
    "episode and therefore should not have the care leaver information completed.",
    tables=("Episodes", "OC3"),
    fields=OC3_ITEMS,
)
def rule_1011(ctx: Context) -> Iterator[Hit]:
    oc3 = ctx.rows_by_child("OC3")
    for child, rows in oc3.items():
        last = ctx.last_episode(child)
        if last is not None and last.REC == "E3":
            for o in rows:
                if filled(o, *OC3_ITEMS):
                    yield "OC3", o


@rule(
    "1012",
    "No other data should be returned for OC3 children who had no episodes in the current year",
    tables=("Episodes",),
    fields=("CHILD",),
)
def rule_1012(ctx: Context) -> Iterator[Hit]:
    in_care = ctx.children_with_episodes
    for table in ("PlacedAdoption", "Missing", "Reviews", "AD1", "PrevPerm", "OC2"):
        if not ctx.ret.has(table) or ctx.distinct(table, "CHILD") <= in_care:
            continue
        for r in ctx.ret.rows(table):
            if r.CHILD not in in_care:
                yield table, r


@rule(
    "1016",
    "Care leaver information is not required for 17- or 18-year olds who cease to be looked after, after "
    "their birthday.",
    tables=("Episodes", "OC3"),
    fields=OC3_ITEMS,
)
def rule_1016(ctx: Context) -> Iterator[Hit]:
    """Aged 17 at 31 March and an episode ended on or after the 17th birthday, or aged 18 and one ended on or after
    the 18th."""
    for o in ctx.ret.oc3:
        dob = d(o.DOB)
        if dob is None or not filled(o, *OC3_ITEMS):
            continue
        if add_years(dob, 17) <= ctx.end < add_years(dob, 18):
            threshold = add_years(dob, 17)
        elif add_years(dob, 18) <= ctx.end < add_years(dob, 19):
            threshold = add_years(dob, 18)
        else:
            continue
        if any((d(e.DEC) or dt.date.min) >= threshold for e in ctx.episodes_by_child.get(o.CHILD, [])):
            yield "OC3", o


@rule(
    "1001",
    "The episodes recorded for this young person suggest they are not a relevant or a former relevant child "
    "and therefore should not have care leaver information completed.",
    tables=("Episodes", "OC3", "Header"),
    fields=OC3_ITEMS,
    needs_previous=True,
)
def rule_1001(ctx: Context) -> Iterator[Hit]:
    """From this year's and last year's episodes (not short breaks): 13 weeks (91 days) in care since the 14th
    birthday, some of it after the 16th; and the latest episode did not end in adoption."""
    assert ctx.previous is not None
    seen: dict[tuple[str, object], Episode] = {}
    for e in [*ctx.ret.episodes, *ctx.previous.episodes]:
        key = (e.CHILD, d(e.DECOM))
        if key[1] is not None and key not in seen:
            seen[key] = e
    by_child: dict[str, list[Episode]] = {}
    for (child, _), e in seen.items():
        by_child.setdefault(child, []).append(e)
    for o in ctx.ret.oc3:
        dob = ctx.dob(o.CHILD)
        if dob is None or add_years(dob, 20) <= ctx.end:
            continue
        eps = sorted(by_child.get(o.CHILD, []), key=lambda e: d(e.DECOM) or dt.date.min)
        total14 = total16 = 0
        for i, e in enumerate(eps):
            if e.LS in ("V3", "V4"):
                continue
            start = d(e.DECOM)
            end = d(e.DEC) or (ctx.end if i == len(eps) - 1 else None)
            if start is None or end is None:
                continue
            total14 += max(0, (end - max(start, add_years(dob, 14))).days)
            total16 += max(0, (end - max(start, add_years(dob, 16))).days)
        adopted = bool(eps) and eps[-1].REC in ("E11", "E12")
        if adopted or not (total14 >= 91 and total16 >= 1):
            yield "OC3", o


@rule(
    "1002",
    "This child has no previous episodes of care, therefore should not have care leaver information recorded.",
    tables=("Episodes", "OC3"),
    fields=OC3_ITEMS,
    needs_previous=True,
)
def rule_1002(ctx: Context) -> Iterator[Hit]:
    assert ctx.previous is not None
    known = ctx.children_with_episodes | {e.CHILD for e in ctx.previous.episodes}
    for o in ctx.ret.oc3:
        if o.CHILD not in known:
            yield "OC3", o


@rule(
    "1010",
    "This child has no episodes loaded for current year even though there was an open episode of care at "
    "the end of the previous year, and care leaver data has been entered.",
    tables=("Episodes", "OC3"),
    fields=OC3_ITEMS,
    needs_previous=True,
)
def rule_1010(ctx: Context) -> Iterator[Hit]:
    assert ctx.previous is not None
    prev = Context(ctx.previous)
    open_last = {c for c in prev.episodes_by_child if (e := prev.last_episode(c)) is not None and e.DEC == ""}
    for o in ctx.ret.oc3:
        if o.CHILD in open_last and o.CHILD not in ctx.children_with_episodes:
            yield "OC3", o

"""A clean synthetic return, built without a database: the base for rule fixtures, oracle comparisons
and the benchmark. Every child is one of a few simple, valid care histories; postcodes are real
Richmond upon Thames (E09000027) postcodes so the DfE tool's postcode look-ups succeed."""

from __future__ import annotations

import datetime as dt
import random

from safehold.returns.ssda903.domain import tables as t
from safehold.returns.ssda903.domain.dates import CollectionYear, fmt

POSTCODES = ("TW1 1AA", "TW1 1AF", "TW1 1AR", "TW1 1AS", "TW1 1AW", "TW1 1AX", "TW1 1AY", "TW1 1AZ")
ETHNIC = ("WBRI", "WOTH", "MWBC", "AIND", "BAFR", "OOTH")
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def _upn(rng: random.Random) -> str:
    return rng.choice(_UPN_LETTERS) + "".join(rng.choice("0123456789") for _ in range(12))


def clean_return(children: int = 40, *, seed: int = 1, year: int = 2026) -> t.Return903:
    """A return with ``children`` children (a quarter each: in care all year, new this year, left this
    year via a placement move, care leaver) that passes every implemented rule."""
    rng = random.Random(seed)
    cy = CollectionYear(year)
    ret = t.Return903(year=year)
    for n in range(children):
        kind = n % 4
        child = f"C{seed:03d}{n:06d}"
        sex = rng.choice("MF") if kind != 3 else "M"
        home, place = rng.sample(POSTCODES, 2)
        if kind == 0:  # looked after all year (OC2 cohort), aged 10 to 13
            dob = dt.date(year - 14, 4, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365))
            start = dt.date(year - 5, 5, 1) + dt.timedelta(days=rng.randrange(0, 300))
            ret.episodes.append(
                t.Episode(child, fmt(start), "S", "C2", "N1", "U4", "PR1", "", "", "", home, place, "SC" + child[-6:])
            )
            ret.oc2.append(t.OC2(child, fmt(dob), str(rng.randrange(0, 41)), "", "0", "", "1", "1", "1", "0", "", ""))
            ret.sw_episodes.append(t.SWEpisode(child, fmt(dob), f"SW{n:06d}", fmt(start), "", "FCONTA"))
        elif kind == 1:  # started this year, still looked after
            dob = dt.date(year - 12, 1, 1) + dt.timedelta(days=rng.randrange(0, 5 * 365))
            start = cy.start + dt.timedelta(days=rng.randrange(30, 200))
            ret.episodes.append(
                t.Episode(child, fmt(start), "S", "V2", "N4", "U6", "PR1", "", "", "", home, place, "SC" + child[-6:])
            )
            ret.prev_perm.append(t.PrevPerm(child, fmt(dob), "Z1", "", ""))
            gone = start + dt.timedelta(days=20)
            ret.missing.append(t.Missing(child, fmt(dob), "M", fmt(gone), fmt(gone + dt.timedelta(days=1))))
            ret.sw_episodes.append(t.SWEpisode(child, fmt(dob), f"SW{n:06d}", fmt(start), "", "FCONTA"))
        elif kind == 2:  # moved placement, then went home during the year
            dob = dt.date(year - 10, 1, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365))
            start = dt.date(year - 2, 5, 1) + dt.timedelta(days=rng.randrange(0, 200))
            move = cy.start + dt.timedelta(days=rng.randrange(10, 100))
            left = move + dt.timedelta(days=rng.randrange(20, 150))
            urn = "SC" + child[-6:]
            ret.episodes.append(
                t.Episode(child, fmt(start), "S", "C2", "N1", "U6", "PR1", fmt(move), "X1", "CARPL", home, place, urn)
            )
            ret.episodes.append(
                t.Episode(
                    child,
                    fmt(move),
                    "P",
                    "C2",
                    "N1",
                    "U4",
                    "PR1",
                    fmt(left),
                    "E4A",
                    "",
                    home,
                    rng.choice([p for p in POSTCODES if p != home]),
                    urn,
                )
            )
            ret.sw_episodes.append(t.SWEpisode(child, fmt(dob), f"SW{n:06d}", fmt(start), "", "FCONTA"))
        else:  # care leaver: left care before this year, 19 or 20 during it
            dob = dt.date(year - 21, 4, 1) + dt.timedelta(days=rng.randrange(1, 360))
            ret.oc3.append(t.OC3(child, fmt(dob), "YES", rng.choice(("F2", "F5", "G5")), rng.choice(("U1", "E1"))))
        mother = "0" if sex == "F" and kind != 3 else ""
        upn = _upn(rng) if kind != 3 else "UN2"
        ret.header.append(t.Header(child, sex, fmt(dob), rng.choice(ETHNIC), upn, mother, ""))
        if kind in (0, 1, 2):
            first = ret.episodes[-1] if kind != 2 else ret.episodes[-2]
            review = max(dt.date.fromisoformat("-".join(reversed(first.DECOM.split("/")))), cy.start) + dt.timedelta(
                days=15
            )
            if review <= cy.end:
                code = "PN0" if review < dob.replace(year=dob.year + 4) else "PN1"
                ret.reviews.append(t.Review(child, fmt(dob), fmt(review), code))
    return ret


def previous_return(ret: t.Return903) -> t.Return903:
    """Last year's return to go with ``ret``: the same children and their episodes that began before this year,
    plus each care leaver's last episode (from 16 until the 18th birthday)."""
    from safehold.returns.ssda903.domain.dates import add_years, parse

    cy = CollectionYear(ret.year)
    prev = t.Return903(year=ret.year - 1, header=list(ret.header))
    prev.episodes = [e for e in ret.episodes if (parse(e.DECOM) or cy.start) < cy.start]
    for o in ret.oc3:
        dob = parse(o.DOB)
        assert dob is not None
        prev.episodes.append(
            t.Episode(
                o.CHILD,
                fmt(add_years(dob, 16) - dt.timedelta(days=200)),
                "S",
                "C2",
                "N1",
                "U4",
                "PR1",
                fmt(add_years(dob, 18)),
                "E8",
                "",
                POSTCODES[0],
                POSTCODES[1],
                "SC000001",
            )
        )
    return prev

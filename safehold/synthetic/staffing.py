"""The establishment and staff records of the synthetic workforce, added to the workforce rows
(:func:`add_staffing`) from the posts :class:`~safehold.synthetic.workforce.Workforce` built:

* **posts** (``workforce.Post``): one per post of every team, held by its holder at the as-of date (vacant when
  the post has none), opened when its first holder started;
* **leavers' reasons** (``StaffMember.leave_reason``): by employment type (agency and fixed-term staff mostly at
  the end of a contract; permanent staff mostly resigning);
* **training records** (``workforce.TrainingRecord``): the courses each member of staff in post completed, with
  renewal dates where the course needs renewing; some are overdue for renewal at the as-of date;
* **ASYE**: a newly qualified social worker is in their Assessed and Supported Year in Employment for the twelve
  months from starting; one who started before that has completed it: their role is social worker, with the ASYE
  as a training record.

Deterministic from the seed: each staff member's draws come from a stream seeded from the seed, a label and
their id; nothing here moves the main generator's draws or ids (the workforce is built before any family).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, Final

from safehold.synthetic.borough import STAFF, Row, Rows

POST: Final = "workforce.Post"
TRAINING: Final = "workforce.TrainingRecord"

#: Load order (after the staff and teams they point at).
MODELS: Final = (POST, TRAINING)

# LOCAL ASSUMPTIONS: the DfE workforce census reports leavers but not their reasons in this form.
LEAVE_REASONS: Final[dict[str, tuple[tuple[str, float], ...]]] = {
    "agency": (("contract_end", 70.0), ("resigned_la", 10.0), ("resigned_other", 20.0)),
    "fixed_term": (("contract_end", 60.0), ("resigned_la", 20.0), ("resigned_other", 20.0)),
    "permanent": (
        ("resigned_la", 35.0),
        ("resigned_agency", 15.0),
        ("resigned_other", 18.0),
        ("retired", 12.0),
        ("career_break", 7.0),
        ("redundancy", 3.0),
        ("dismissed", 3.0),
        ("other", 4.5),
        ("died", 0.5),
    ),
}
#: Courses: (name, roles it applies to or None for everyone, months before renewal or None, provider).
COURSES: Final = (
    ("Safeguarding children: level 3", None, 36, "Local Safeguarding Children Partnership"),
    ("Data protection and information sharing", None, 12, "Council e-learning"),
    ("Domestic abuse: risk assessment (DASH)", "practice", 36, "Local Safeguarding Children Partnership"),
    ("Child criminal and sexual exploitation", "practice", 24, "Local Safeguarding Children Partnership"),
    ("Court skills and evidence", "practice", None, "Regional social work academy"),
    ("Supervision skills for managers", "manager", None, "Regional social work academy"),
)
ASYE_COURSE: Final = "Assessed and Supported Year in Employment (ASYE)"
ASYE_PROVIDER: Final = "Council ASYE programme"
#: Share of social workers starting in the last year who are newly qualified (in their ASYE year).
P_NEWLY_QUALIFIED: Final = 0.3
#: Share of renewable courses renewed on time (the rest are overdue for renewal).
P_RENEWED: Final = 0.88
_PRACTICE = frozenset({"social_worker", "advanced_practitioner", "asye", "personal_adviser", "team_manager"})
_MANAGERS = frozenset({"team_manager", "head_of_service", "director", "cp_chair_iro"})


def _months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _applies(who: str | None, role: str) -> bool:
    return who is None or (who == "practice" and role in _PRACTICE) or (who == "manager" and role in _MANAGERS)


def add_staffing(gen: Any, rows: Rows) -> None:
    """Add posts, leave reasons, training and ASYE completion to the workforce ``rows`` (once)."""
    if getattr(gen, "_staffing_done", False):
        return
    gen._staffing_done = True
    wf = gen.wf
    as_of: dt.date = gen.as_of
    seed = gen.seed
    by_id: dict[int, Row] = {row["id"]: row for row in rows.get(STAFF, [])}
    training = rows.setdefault(TRAINING, [])
    for staff_id in sorted(by_id):
        row = by_id[staff_id]
        r = random.Random(f"{seed}:staffing:{staff_id}")
        left: dt.date | None = row["leave_date"]
        row["leave_reason"] = ""  # every row carries the field (the loader reads the columns off the first row)
        if left is not None and left <= as_of:
            row["leave_reason"] = r.choices(
                [c for c, _ in LEAVE_REASONS[row["employment"]]], [w for _, w in LEAVE_REASONS[row["employment"]]]
            )[0]
        last = min(left, as_of) if left is not None else as_of
        start: dt.date = row["start_date"]
        if row["role"] == "asye" and _months(start, 12) <= last:
            row["role"] = "social_worker"  # the ASYE year is over: now a social worker
            training.append(
                {
                    "id": gen.ids.next(TRAINING),
                    "staff_id": staff_id,
                    "course": ASYE_COURSE,
                    "completed_on": _months(start, 12) - dt.timedelta(days=1),
                    "expires_on": None,
                    "provider": ASYE_PROVIDER,
                }
            )
        if (
            row["role"] == "social_worker"
            and left is None
            and _months(start, 12) > as_of
            and r.random() < P_NEWLY_QUALIFIED
        ):
            row["role"] = "asye"  # a newly qualified social worker, in their ASYE year
            row["qualified_date"] = start - dt.timedelta(days=r.randint(10, 200))
        if left is not None and left <= as_of:
            continue  # training is kept for staff in post
        for course, who, renew, provider in COURSES:
            if not _applies(who, row["role"]):
                continue
            done = start + dt.timedelta(days=r.randint(10, 120))
            if done > as_of:
                continue
            if renew is not None:
                # Renewed before each expiry up to the as-of date; now and then the latest renewal is missed.
                while _months(done, renew) <= as_of:
                    renewed = _months(done, renew) - dt.timedelta(days=r.randint(0, 30))
                    if _months(renewed, renew) > as_of and r.random() >= P_RENEWED:
                        break
                    done = renewed
            training.append(
                {
                    "id": gen.ids.next(TRAINING),
                    "staff_id": staff_id,
                    "course": course,
                    "completed_on": done,
                    "expires_on": _months(done, renew) if renew is not None else None,
                    "provider": provider,
                }
            )
    if gen.picker.force and not any(row["role"] == "asye" and row["leave_date"] is None for row in by_id.values()):
        # A large borough shows every code: the social worker who started most recently is newly qualified.
        recent = [
            row
            for row in by_id.values()
            if row["role"] == "social_worker" and row["leave_date"] is None and _months(row["start_date"], 12) > as_of
        ]
        if recent:
            newest = max(recent, key=lambda row: (row["start_date"], row["id"]))
            newest["role"] = "asye"
            newest["qualified_date"] = newest["start_date"] - dt.timedelta(days=30)
    posts = [p for teams in wf.teams.values() for t in teams for p in t.posts]
    posts.sort(key=lambda p: p.index)
    out_posts = rows.setdefault(POST, [])
    for p in posts:
        holder = p.current()
        opened = p.starts[0] if p.starts else wf.history_start
        out_posts.append(
            {
                "id": gen.ids.next(POST),
                "team_id": p.team_id,
                "role": by_id[holder]["role"]
                if holder is not None
                else ("social_worker" if p.role == "asye" else p.role),
                "fte": 1,
                "holder_id": holder if holder is not None and by_id[holder]["start_date"] <= as_of else None,
                "opened_on": opened,
                "closed_on": None,
            }
        )

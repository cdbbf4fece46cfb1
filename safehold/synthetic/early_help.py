"""Early help in the synthetic borough: episodes for families whose contact was decided as early help or whose
child-in-need episode was closed after an assessment that found early help the right service (a step-down), each
with consent, an early help assessment by the lead practitioner's organisation (a school, health visitor, family
hub or the council's own early help team), the family's goals, a team around the family, reviews every six weeks
or so with 0-10 scores per goal, and closure (needs met, disengaged, moved away) or a step-up when a child of the
family is referred to social care while early help is open.

Added to each chunk the main generator yields (:func:`add_early_help`), from that chunk's own rows: a family's
contacts, household and episodes are all written in the chunk that holds the family. Deterministic from the seed:
one stream of its own (seeded from the seed and a label), so the main generator's draws and ids do not move.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any, Final

from safehold.synthetic.borough import ASSESSMENT, CONTACT, EPISODE, MEMBER, PERSON, Row, Rows

ORGANISATION: Final = "early_help.PartnerOrganisation"
EH_EPISODE: Final = "early_help.EarlyHelpEpisode"
EH_CHILD: Final = "early_help.EpisodeChild"
EH_CONSENT: Final = "early_help.Consent"
EH_ASSESSMENT: Final = "early_help.EarlyHelpAssessment"
EH_GOAL: Final = "early_help.FamilyGoal"
EH_TAF: Final = "early_help.TAFMember"
EH_REVIEW: Final = "early_help.Review"
EH_PROGRESS: Final = "early_help.GoalProgress"

#: Load order (after the people, workforce and casework rows they point at).
MODELS: Final = (ORGANISATION, EH_EPISODE, EH_CHILD, EH_CONSENT, EH_ASSESSMENT, EH_GOAL, EH_TAF, EH_REVIEW,
                 EH_PROGRESS)  # fmt: skip

#: Organisations that lead early help; the council's own team leads when a council practitioner does.
COUNCIL_TEAM: Final = ("Council Early Help Team", "council")
ORGANISATIONS: Final = (
    ("Oakfield Primary School", "school", 14.0),
    ("St Mary's CE Primary School", "school", 10.0),
    ("Riverside Academy", "school", 12.0),
    ("Northgate High School", "school", 8.0),
    ("Health Visiting Service", "health_visitor", 14.0),
    ("School Nursing Service", "health", 5.0),
    ("Family Hub North", "family_hub", 12.0),
    ("Family Hub South", "family_hub", 10.0),
    ("Youth and Community Trust", "voluntary", 5.0),
)
#: Share of early help decisions the family agrees to (early help is voluntary).
P_CONSENT: Final = 0.78
#: Share of child-in-need episodes closed after an assessment finding early help that step down into it.
P_STEP_DOWN: Final = 0.75
#: Share of episodes led by the council's early help practitioners (the rest by partner agencies).
P_COUNCIL_LEAD: Final = 0.4
#: Share of families referred while early help would still be open whose early help had already closed.
P_CLOSED_BEFORE_REFERRAL: Final = 0.6
#: A referral this many days or more into early help is a step-up; one sooner means early help never started.
STEP_UP_NOT_BEFORE: Final = 45
CLOSURES: Final = (("needs_met", 70.0), ("disengaged", 20.0), ("moved_away", 10.0))
GOALS: Final = (
    "The children get to school on time every day",
    "Calmer mornings and bedtimes",
    "Mum feels less isolated and has people to call on",
    "Dad gets support with his mood",
    "No more arguments in front of the children",
    "The rent arrears are under control",
    "The children eat breakfast before school",
    "Our teenager comes home by the agreed time",
    "The baby's weight and feeding improve",
    "We use the family hub's parenting course",
)
TAF: Final = (
    ("Class teacher", "Oakfield Primary School", "Daily check-in and attendance"),
    ("Designated safeguarding lead", "Riverside Academy", "Attendance plan"),
    ("Health visitor", "Health Visiting Service", "Feeding and development checks"),
    ("School nurse", "School Nursing Service", "Sleep and wellbeing"),
    ("Family support worker", "Family Hub North", "Parenting programme"),
    ("Housing officer", "Council Housing Options", "Arrears plan"),
    ("Youth worker", "Youth and Community Trust", "Weekly sessions"),
    ("GP", "Local GP practice", "Parent's mental health"),
    ("Debt adviser", "Citizens Advice", "Money advice"),
)
SURNAMES: Final = ("Ahmed", "Brown", "Clarke", "Davies", "Evans", "Green", "Hughes", "Khan", "Lewis", "Patel",
                   "Roberts", "Singh", "Taylor", "Walker", "Wright")  # fmt: skip
NEEDS: Final = (
    "School attendance and routines",
    "Parenting support; low-level conflict at home",
    "Parental mental health and isolation",
    "Housing and money worries",
    "Early years development and feeding",
    "Emotional wellbeing and behaviour",
)


class EarlyHelpSim:
    """State across chunks: organisations (written once), which households have early help until when."""

    def __init__(self, gen: Any) -> None:
        self.gen = gen
        self.orgs: list[tuple[int, str, float]] = []
        self.council_org = 0
        self.busy_until: dict[int, dt.date] = {}  # household -> the day its last episode closed (far future: open)

    # ------------------------------------------------------------------ rows
    def _id(self, label: str) -> int:
        return int(self.gen.ids.next(label))

    def organisations(self, rows: Rows) -> None:
        for name, kind, weight in ((*COUNCIL_TEAM, 0.0), *ORGANISATIONS):
            pk = self._id(ORGANISATION)
            rows.add(ORGANISATION, {"id": pk, "name": name, "kind": kind})
            if kind == "council":
                self.council_org = pk
            else:
                self.orgs.append((pk, name, weight))

    def add(self, rows: Rows) -> None:
        if not self.orgs:
            self.organisations(rows)
        persons = {p["id"]: p for p in rows.get(PERSON, ())}
        household_of: dict[int, int] = {}
        children_of: dict[int, list[int]] = defaultdict(list)
        for m in rows.get(MEMBER, ()):
            if m.get("end_date") is None and m["person_id"] in persons:
                household_of.setdefault(m["person_id"], m["household_id"])
                if persons[m["person_id"]]["is_child_record"]:
                    children_of[m["household_id"]].append(m["person_id"])
        referrals: dict[int, list[Row]] = defaultdict(list)
        for ep in rows.get(EPISODE, ()):
            referrals[ep["child_id"]].append(ep)
        starts: list[tuple[dt.date, int, str, Row]] = []
        for c in rows.get(CONTACT, ()):
            if c["outcome"] == "early_help" and c["decided_at"] is not None:
                starts.append((c["decided_at"].date(), c["child_id"], "contact", c))
        eh_assessed = {a["episode_id"] for a in rows.get(ASSESSMENT, ()) if a["outcome"] == "early_help"}
        for ep in rows.get(EPISODE, ()):
            if ep["closure_date"] is not None and ep["id"] in eh_assessed:
                starts.append((ep["closure_date"], ep["child_id"], "step_down", ep))
        starts.sort(key=lambda s: (s[0], s[1], s[2]))
        for day, child_id, origin, source in starts:
            household = household_of.get(child_id)
            if household is None:
                continue
            # A stream of its own for each start, keyed by what it starts from: the same borough whatever the
            # chunks the generator yields (the loader and an in-memory borough chunk differently).
            r = random.Random(f"{self.gen.seed}:early-help:{origin}:{source['id']}")
            if r.random() > (P_CONSENT if origin == "contact" else P_STEP_DOWN):
                continue
            opened = day + dt.timedelta(days=r.randint(0, 8) if origin == "contact" else r.randint(1, 10))
            if opened > self.gen.as_of or self.busy_until.get(household, dt.date.min) >= opened:
                continue
            kids = sorted({child_id, *children_of.get(household, ())})
            soon = opened + dt.timedelta(days=STEP_UP_NOT_BEFORE)
            if any(opened <= ref["referral_date"] < soon for kid in kids for ref in referrals.get(kid, ())):
                continue  # referred within days: the front door's early help never started
            self.episode(rows, r, household, kids, child_id, opened, origin, source, referrals)

    def episode(
        self,
        rows: Rows,
        r: random.Random,
        household: int,
        kids: list[int],
        child_id: int,
        opened: dt.date,
        origin: str,
        source: Row,
        referrals: dict[int, list[Row]],
    ) -> None:
        as_of = self.gen.as_of
        council = r.random() < P_COUNCIL_LEAD
        lead_staff = self.gen.wf.random_holder("early_help", opened, r, "early_help_worker") if council else None
        if lead_staff is not None:
            org_id, org_name = self.council_org, COUNCIL_TEAM[0]
        else:
            org_id, org_name, _ = r.choices(self.orgs, weights=[w for *_, w in self.orgs])[0]
        # Planned course: 3 to 9 months; a referral of any child while it is open steps the family up.
        planned = opened + dt.timedelta(days=r.randint(90, 270))
        closed: dt.date | None = planned
        outcome = r.choices([c for c, _ in CLOSURES], weights=[w for _, w in CLOSURES])[0]
        stepped_up_to = None
        later = sorted(
            ref["referral_date"] for kid in kids for ref in referrals.get(kid, ()) if ref["referral_date"] > opened
        )
        if later and later[0] <= planned and r.random() < P_CLOSED_BEFORE_REFERRAL:
            # Early help ended (often too soon) and the family was referred within the year: premature closure.
            earlier = later[0] - dt.timedelta(days=r.randint(30, 200))
            if earlier >= opened + dt.timedelta(days=60):
                planned = closed = earlier
        for kid in kids:
            for ref in referrals.get(kid, ()):
                if opened < ref["referral_date"] <= min(planned, as_of) and ref["referral_date"] < (closed or planned):
                    closed, outcome, stepped_up_to = ref["referral_date"], "stepped_up", ref["id"]
        if closed is not None and closed > as_of:
            closed, outcome = None, ""
        self.busy_until[household] = closed or dt.date.max
        pk = self._id(EH_EPISODE)
        step_down = origin == "step_down"
        rows.add(
            EH_EPISODE,
            {
                "id": pk,
                "household_id": household,
                "origin": origin,
                "contact_id": None if step_down else source["id"],
                "stepped_down_from_id": source["id"] if step_down else None,
                "step_down_summary": (
                    "Assessment completed: needs below the threshold for social care. Family agreed to early help "
                    "for routines and school; the worry was low-level conflict at home."
                    if step_down
                    else ""
                ),
                "reason": "" if step_down else source["decision_reason"],
                "opened_on": opened,
                "lead_staff_id": lead_staff,
                "lead_user_id": None,
                "lead_organisation_id": None if lead_staff is not None else org_id,
                "closed_on": closed,
                "closure_outcome": outcome,
                "stepped_up_to_id": stepped_up_to,
                "version": 1,
            },
        )
        for kid in kids:
            rows.add(EH_CHILD, {"id": self._id(EH_CHILD), "episode_id": pk, "child_id": kid})
        end = min(closed or as_of, as_of)
        rows.add(
            EH_CONSENT,
            {
                "id": self._id(EH_CONSENT),
                "episode_id": pk,
                "given_by": r.choice(("Mother", "Father", "Mother and father", "Grandmother (carer)")),
                "given_on": opened,
                "scopes": ["lead", "team"] if r.random() < 0.85 else ["agencies", "lead", "team"],
                "withdrawn_on": None,
                "withdrawn_by": "",
                "withdrawn_scopes": [],
            },
        )
        start = opened + dt.timedelta(days=r.randint(0, 10))
        if start > end:
            return
        # Most within the local 30 working days; some late, some still in progress.
        completed: dt.date | None = self.gen.wd(start, r.randint(8, 28) if r.random() < 0.8 else r.randint(31, 55))
        if completed is not None and completed > end:
            completed = None
        rows.add(
            EH_ASSESSMENT,
            {
                "id": self._id(EH_ASSESSMENT),
                "episode_id": pk,
                "start_date": start,
                "completed_date": completed,
                "organisation_id": org_id,
                "needs": r.choice(NEEDS) if completed else "",
                "version": 1,
            },
        )
        if completed is None:
            return
        goals = []
        for text in r.sample(GOALS, r.randint(2, 3)):
            goal = rows.add(EH_GOAL, {"id": self._id(EH_GOAL), "episode_id": pk, "text": text, "set_on": completed})
            goals.append((goal["id"], r.randint(1, 4)))
        for role, agency, task in r.sample(TAF, r.randint(2, 4)):
            name = f"{r.choice(('Ms', 'Mr', 'Mrs', 'Dr'))} {r.choice(SURNAMES)}"
            rows.add(EH_TAF, {"id": self._id(EH_TAF), "episode_id": pk, "name": name, "agency": agency,
                              "role": f"{role}: {task}"})  # fmt: skip
        held = completed
        while True:
            held = held + dt.timedelta(days=r.randint(28, 50))
            if held > end:
                break
            review = self._id(EH_REVIEW)
            rows.add(EH_REVIEW, {"id": review, "episode_id": pk, "held_on": held, "notes": ""})
            scored = []
            for goal_id, score in goals:
                score = max(0, min(10, score + r.choice((-1, 0, 1, 1, 2, 2, 3))))
                scored.append((goal_id, score))
                rows.add(EH_PROGRESS, {"id": self._id(EH_PROGRESS), "review_id": review, "goal_id": goal_id,
                                       "score": score})  # fmt: skip
            goals = scored


def add_early_help(gen: Any, rows: Rows) -> None:
    """Add early help for the families in ``rows`` (one chunk of the generator, about to be yielded)."""
    sim = getattr(gen, "_early_help", None)
    if sim is None:
        sim = gen._early_help = EarlyHelpSim(gen)
    sim.add(rows)

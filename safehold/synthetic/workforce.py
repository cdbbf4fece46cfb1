"""The synthetic workforce: teams by service area, posts with a history of holders (starters, leavers,
agency staff) and the allocation of children's cases to those posts."""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from safehold.people.domain.names import ETHNICITY_DISTRIBUTION, make_name
from safehold.synthetic import rates
from safehold.synthetic.borough import STAFF, TEAM, Ids, Row, Rows, Strata

# Expected open cases per 10,000 children by service area at the as-of date (LOCAL CALIBRATION: measured
# on generated boroughs so the workforce sized from them gives the national average caseload).
AREA_CASES_PER_10K: dict[str, float] = {
    "assessment": 63.0,
    "cin_cp": 166.0,
    "disabled": 41.0,
    "cic": 67.0,
    "leaving_care": 21.0,
}
#: Case-holding workers per team (local assumption: a team manager leads 6-10 practitioners).
TEAM_SIZE: dict[str, int] = {"assessment": 8, "cin_cp": 9, "disabled": 9, "cic": 9, "leaving_care": 10}
#: Hazard of leaving per year (LOCAL CALIBRATION so that measured turnover matches the national rate).
LEAVE_HAZARD = {"permanent": 0.08, "fixed_term": 0.35, "agency": 0.55}
#: A vacancy piece of an allocation lasts ``gap - 1`` days; SSDA903 SW09STG2 flags a social worker episode that
#: ends fewer than 3 days after it starts, so a vacancy between two holders is either none or at least 4 days.
MIN_EPISODE_DAYS = 3
_SW_ROLE_WEIGHTS = (("social_worker", 0.78), ("advanced_practitioner", 0.08), ("asye", 0.14))
_REASONS_MIDWAY = (
    ("MANAGE", 40.0),
    ("ABSENC", 15.0),
    ("ORGRST", 10.0),
    ("PCCHAN", 12.0),
    ("FCONTA", 5.0),
    ("OTHERS", 15.0),
    ("SWDIED", 0.3),
)


@dataclass
class Post:
    index: int
    team_id: int
    area: str
    role: str
    starts: list[dt.date] = field(default_factory=list)  # holder start dates, ascending
    ends: list[dt.date | None] = field(default_factory=list)
    staff: list[int] = field(default_factory=list)

    def holder_at(self, d: dt.date) -> int | None:
        i = bisect.bisect_right(self.starts, d) - 1
        if i < 0:
            return None
        end = self.ends[i]
        if end is not None and end < d:
            return None
        return self.staff[i]

    def current(self) -> int | None:
        return self.staff[-1] if self.staff and self.ends[-1] is None else None


@dataclass
class TeamInfo:
    id: int
    name: str
    area: str
    manager_post: Post | None = None
    posts: list[Post] = field(default_factory=list)


class Workforce:
    """Builds teams and staff rows and hands out workers for allocations."""

    def __init__(
        self,
        *,
        rng: random.Random,
        ids: Ids,
        population: int,
        as_of: dt.date,
        history_start: dt.date,
        tenure: Strata | None = None,
    ):
        self.rng = rng
        #: Stratified uniforms for the employment and time in post of social workers (see Strata): who
        #: started and left in the last year sets the turnover rate, so it is kept free of sampling noise.
        self.tenure = tenure
        self.ids = ids
        self.as_of = as_of
        self.history_start = history_start
        self.rows = Rows()
        self.teams: dict[str, list[TeamInfo]] = {}
        self.posts_by_area: dict[str, list[Post]] = {}
        self.heaps: dict[str, list[tuple[int, int]]] = {}
        self.load: dict[int, int] = {}
        self.special: dict[str, Post] = {}
        self._post_count = 0
        self._sw_posts = 0
        self._sw_agency = 0
        self._build(population)

    # ------------------------------------------------------------------ building
    def _name(self, sex: str) -> tuple[str, str]:
        eth = self.rng.choices(
            [k for k in ETHNICITY_DISTRIBUTION if k not in ("NOBT", "REFU")],
            weights=[w for k, w in ETHNICITY_DISTRIBUTION.items() if k not in ("NOBT", "REFU")],
        )[0]
        return make_name(self.rng, sex, eth)

    def _team(self, name: str, area: str, parent: TeamInfo | None, limit: int = 18) -> TeamInfo:
        team = TeamInfo(id=self.ids.next(TEAM), name=name, area=area)
        self.rows.add(
            TEAM,
            {
                "id": team.id,
                "name": name,
                "service_area": area,
                "manager_id": None,
                "parent_id": parent.id if parent else None,
                "caseload_limit": limit,
            },
        )
        self.teams.setdefault(area, []).append(team)
        return team

    def _post(self, team: TeamInfo, role: str, area: str, *, agency_share: float, permanent_demo: bool = False) -> Post:
        post = Post(index=self._post_count, team_id=team.id, area=area, role=role)
        self._post_count += 1
        holders: list[tuple[dt.date, dt.date | None, str]] = []
        end: dt.date | None = None
        cursor = self.as_of
        first = True
        year_ago = self.as_of - dt.timedelta(days=365)
        while True:
            r = self.rng.random()
            # The current social worker and the one before set the turnover in the year: their employment and
            # time in post are stratified (see Strata), the one before per whether they left in the year. The
            # stratified values replace the draws, which are still made so that the stream is unchanged.
            stratum = None
            if role in _QUOTA_ROLES and self.tenure is not None and len(holders) < 2:
                stratum = "current" if first else ("before", end is not None and end > year_ago)
                r = self.tenure.uniform(("employment", stratum))
            employment = "agency" if r < agency_share else ("fixed_term" if r < agency_share + 0.03 else "permanent")
            if first and role in _QUOTA_ROLES and not permanent_demo:
                # Current social workers: agency staff by quota, so the agency rate holds in small boroughs.
                self._sw_posts += 1
                if self._sw_agency < round(agency_share * self._sw_posts):
                    self._sw_agency += 1
                    employment = "agency"
                elif employment == "agency":
                    employment = "permanent"
            if role in ("director", "head_of_service", "team_manager", "business_support") and employment == "agency":
                employment = "permanent" if self.rng.random() < 0.8 else "agency"
            if permanent_demo and first:
                employment = "permanent"
            years = self.rng.expovariate(LEAVE_HAZARD[employment])
            if stratum is not None and self.tenure is not None:
                years = -math.log(1.0 - self.tenure.uniform(("years", stratum, employment))) / LEAVE_HAZARD[employment]
            if permanent_demo and first:
                years = max(years, 2.5)
            start = cursor - dt.timedelta(days=max(30, int(years * 365.25)))
            holders.append((start, end, employment))
            first = False
            if start < self.history_start:
                break
            gap = self.rng.randint(0, 40)
            if gap <= MIN_EPISODE_DAYS:
                # A vacancy of a day or three would give every case of the post a social worker episode
                # shorter than the 903 minimum (SW09STG2): the next holder takes over the next day instead.
                gap = 0
            end = start - dt.timedelta(days=gap + 1)
            cursor = end
        holders.reverse()
        for start, leave, employment in holders:
            staff_id = self.ids.next(STAFF)
            sex = "F" if self.rng.random() < 0.8 else "M"
            given, family = self._name(sex)
            qualified: dt.date | None = None
            if role in (
                "social_worker",
                "advanced_practitioner",
                "team_manager",
                "cp_chair_iro",
                "head_of_service",
                "director",
            ):
                qualified = start - dt.timedelta(days=self.rng.randint(200, 6000))
            elif role == "asye":
                qualified = start - dt.timedelta(days=self.rng.randint(10, 200))
            self.rows.add(
                STAFF,
                {
                    "id": staff_id,
                    "user_id": None,
                    "sw_id": f"SW{100000 + staff_id}",
                    "given_name": given,
                    "family_name": family,
                    "role": role,
                    "team_id": team.id,
                    "manager_id": None,
                    "employment": employment,
                    "fte": 1,
                    "start_date": start,
                    "leave_date": leave,
                    "qualified_date": qualified,
                    "version": 1,
                },
            )
            post.starts.append(start)
            post.ends.append(leave)
            post.staff.append(staff_id)
        team.posts.append(post)
        return post

    def _build(self, population: int) -> None:
        agency = rates.rate("agency_pct").value / 100
        caseload = rates.rate("caseload").value
        unalloc = rates.rate("unallocated_pct").value / 100
        k = population / 10_000
        director_team = self._team("Children's Services Directorate", "safeguarding", None)
        director = self._post(director_team, "director", "safeguarding", agency_share=0)
        services = {
            "front": self._team("Front Door and Assessment Service", "front_door", director_team),
            "safeguarding": self._team("Safeguarding Service", "cin_cp", director_team),
            "corporate": self._team("Corporate Parenting Service", "cic", director_team),
            "early": self._team("Early Help Service", "early_help", director_team),
            "qa": self._team("Quality Assurance and Safeguarding Service", "safeguarding", director_team),
        }
        hos = {key: self._post(team, "head_of_service", team.area, agency_share=0) for key, team in services.items()}
        for key, team in services.items():
            team.manager_post = hos[key]
        director_team.manager_post = director
        self.special["director"] = director
        self.special["hos"] = hos["safeguarding"]

        def add_team(name: str, area: str, parent_key: str, n_workers: int, role: str = "", limit: int = 18) -> None:
            team = self._team(name, area, services[parent_key], limit)
            team.manager_post = self._post(team, "team_manager", area, agency_share=agency)
            for i in range(n_workers):
                r = role or self.rng.choices([r for r, _ in _SW_ROLE_WEIGHTS], [w for _, w in _SW_ROLE_WEIGHTS])[0]
                if not role and i == 1:
                    r = "advanced_practitioner"  # every team has an experienced practitioner
                demo = area == "cin_cp" and not self.special.get("sw") and i == 0
                post = self._post(team, r, area, agency_share=agency, permanent_demo=demo)
                if demo:
                    self.special["sw"] = post
                    self.special["tm"] = team.manager_post  # type: ignore[assignment]
            if self.rng.random() < 0.5 or n_workers >= 6 or self.special.get("tm") is team.manager_post:
                bs = self._post(team, "business_support", area, agency_share=0)
                if self.special.get("tm") is team.manager_post:
                    self.special.setdefault("bs", bs)

        # Front door (MASH): contacts decided by a duty team sized on contact volume.
        contacts_year = rates.rate("referrals").value * rates.rate("contacts_per_referral").value * k
        add_team("Multi-Agency Safeguarding Hub", "front_door", "front", max(3, math.ceil(contacts_year / 900)))
        for area, parent_key, label in (
            ("assessment", "front", "Assessment Team"),
            ("cin_cp", "safeguarding", "Child in Need and Child Protection Team"),
            ("disabled", "safeguarding", "Disabled Children's Team"),
            ("cic", "corporate", "Children in Care Team"),
            ("leaving_care", "corporate", "Leaving Care Team"),
        ):
            cases = AREA_CASES_PER_10K[area] * k * (1 - unalloc)
            workers = max(2, round(cases / caseload))
            n_teams = max(2 if area == "cin_cp" else 1, math.ceil(workers / TEAM_SIZE[area]))
            role = "personal_adviser" if area == "leaving_care" else ""
            for t in range(n_teams):
                n = workers // n_teams + (1 if t < workers % n_teams else 0)
                name = label if n_teams == 1 else f"{label} {t + 1}"
                add_team(name, area, parent_key, n, role, limit=22 if area == "leaving_care" else 18)
        add_team("Fostering and Adoption Team", "fostering_adoption", "corporate", max(2, round(k * 1.2)))
        for t in range(max(1, math.ceil(k / 12))):
            add_team(f"Early Help Team {t + 1}", "early_help", "early", max(3, round(k * 2)), "early_help_worker")
        # CP chairs and IROs: one per about 60 looked-after children / children on plans.
        qa = self._team("Child Protection Chairs and Independent Reviewing Officers", "safeguarding", services["qa"])
        qa.manager_post = self._post(qa, "team_manager", "safeguarding", agency_share=0)
        for _ in range(max(2, math.ceil((67 + 40.6) * k / 60))):
            self._post(qa, "cp_chair_iro", "safeguarding", agency_share=agency / 2)
        self.special["iro"] = qa.posts[1]

        staff_rows = self.rows[STAFF]
        if not any(row["employment"] == "fixed_term" for row in staff_rows):
            leavers = [row for row in staff_rows if row["leave_date"] is not None and row["role"] == "social_worker"]
            if leavers:
                leavers[0]["employment"] = "fixed_term"
        # Managers: each team's staff report to its manager post holder; managers to the head of service.
        self._link_managers(director_team, services)
        for area, teams in self.teams.items():
            for team in teams:
                holders = [p for p in team.posts if p.role in _CASE_ROLES]
                if holders:
                    self.posts_by_area.setdefault(area, []).extend(holders)
        for area, posts in self.posts_by_area.items():
            heap = [(0, p.index) for p in posts if p.current() is not None]
            heapq.heapify(heap)
            self.heaps[area] = heap
        self._post_by_index = {p.index: p for posts in self.posts_by_area.values() for p in posts}
        self._manager_posts = self.team_manager_posts()
        self._holder_cache: dict[tuple[str, str | None], list[Post]] = {}

    def _link_managers(self, director_team: TeamInfo, services: dict[str, TeamInfo]) -> None:
        staff_rows = {r["id"]: r for r in self.rows[STAFF]}
        team_rows = {r["id"]: r for r in self.rows[TEAM]}
        parent_of = {r["id"]: r["parent_id"] for r in self.rows[TEAM]}
        team_by_id = {t.id: t for teams in self.teams.values() for t in teams}
        for team in team_by_id.values():
            mp = team.manager_post
            if mp is not None:
                team_rows[team.id]["manager_id"] = mp.current()
            for post in team.posts:
                boss_post = mp if post is not mp else None
                if boss_post is None:
                    parent = parent_of[team.id]
                    boss_post = team_by_id[parent].manager_post if parent else None
                if boss_post is None:
                    continue
                for sid, leave in zip(post.staff, post.ends, strict=True):
                    staff_rows[sid]["manager_id"] = boss_post.holder_at(leave or self.as_of)

    # ------------------------------------------------------------------ allocation
    def history_post(self, area: str, rng: random.Random) -> Post:
        return rng.choice(self.posts_by_area[area])

    def role_post(self, area: str, role: str, rng: random.Random) -> Post | None:
        key = (area, role)
        posts = self._holder_cache.get(key)
        if posts is None:
            posts = [p for t in self.teams.get(area, []) for p in t.posts if p.role == role]
            self._holder_cache[key] = posts
        return rng.choice(posts) if posts else None

    def open_post(self, area: str) -> Post:
        heap = self.heaps[area]
        load, index = heapq.heappop(heap)
        heapq.heappush(heap, (load + 1, index))
        return self._post_by_index[index]

    def take_post(self, post: Post) -> None:
        """Count an open case on a post chosen directly (not via the heap)."""
        heap = self.heaps[post.area]
        for i, (load, index) in enumerate(heap):
            if index == post.index:
                heap[i] = (load + 1, index)
                heapq.heapify(heap)
                return

    def random_holder(self, area: str, d: dt.date, rng: random.Random, role: str | None = None) -> int | None:
        key = (area, role)
        posts = self._holder_cache.get(key)
        if posts is None:
            posts = [p for t in self.teams.get(area, []) for p in t.posts if role is None or p.role == role]
            self._holder_cache[key] = posts
        if not posts:
            return None
        for _ in range(6):
            sid = rng.choice(posts).holder_at(d)
            if sid is not None:
                return sid
        return None

    def manager_at(self, team_id: int, d: dt.date) -> int | None:
        post = self._manager_posts.get(team_id)
        return post.holder_at(d) if post is not None else None

    def team_manager_posts(self) -> dict[int, Post]:
        return {t.id: t.manager_post for teams in self.teams.values() for t in teams if t.manager_post is not None}

    def allocations(
        self,
        child_id: int,
        segments: list[tuple[str, dt.date, dt.date | None, str]],
        rng: random.Random,
        *,
        unallocated: bool = False,
        fixed_open_post: Post | None = None,
        care_starts: Sequence[dt.date] = (),
    ) -> list[Row]:
        """Allocation rows for ``segments`` (service area, start, end or None, end reason).

        Each segment is held by one post; it is split where the post's holder changed (LEFTRL) or was
        vacant (worker None), and now and then mid-way for another reason. The open segment goes to the
        least-loaded post of its area (or stays unallocated when ``unallocated``). ``care_starts`` are the
        starts of the child's periods of care so far, where the 903 export starts counting (see
        ``merge_short_allocations``).
        """
        out: list[Row] = []
        for area, start, end, reason in segments:
            if end is None:
                post = fixed_open_post or self.open_post(area)
                if fixed_open_post is not None:
                    self.take_post(fixed_open_post)
            else:
                post = self.history_post(area, rng)
            pieces: list[tuple[dt.date, dt.date | None, Post]] = [(start, end, post)]
            if end is not None and (end - start).days > 150 and rng.random() < 0.12:
                mid = start + dt.timedelta(days=rng.randint(30, (end - start).days - 30))
                pieces = [(start, mid, post), (mid + dt.timedelta(days=1), end, self.history_post(area, rng))]
            for i, (p_start, p_end, p_post) in enumerate(pieces):
                last_reason = (
                    reason
                    if i == len(pieces) - 1
                    else rng.choices([c for c, _ in _REASONS_MIDWAY], [w for _, w in _REASONS_MIDWAY])[0]
                )
                self._split(out, child_id, p_post, p_start, p_end, last_reason)
        if unallocated and out and out[-1]["end_date"] is None:
            last = out[-1]
            gap = rng.randint(3, 60)
            cut = self.as_of - dt.timedelta(days=gap)
            if last["start_date"] < cut:
                last["end_date"] = cut
                last["end_reason"] = "LEFTRL"
                out.append(
                    {
                        "child_id": child_id,
                        "team_id": last["team_id"],
                        "worker_id": None,
                        "start_date": cut + dt.timedelta(days=1),
                        "end_date": None,
                        "end_reason": "",
                    }
                )
            else:
                last["worker_id"] = None
        merge_short_allocations(out, care_starts)
        for row in out:
            row["id"] = self.ids.next("workforce.Allocation")
        return out

    def _split(
        self, out: list[Row], child_id: int, post: Post, start: dt.date, end: dt.date | None, reason: str
    ) -> None:
        cursor = start
        i = max(0, bisect.bisect_right(post.starts, start) - 1)
        while True:
            if i >= len(post.staff):
                worker = None
                piece_end = end
                piece_reason = reason
            else:
                h_start, h_end = post.starts[i], post.ends[i]
                if h_end is not None and h_end < cursor:
                    i += 1
                    continue
                if h_start > cursor:
                    # vacancy before this holder started
                    worker = None
                    piece_end = h_start - dt.timedelta(days=1)
                    if end is not None and end <= piece_end:
                        piece_end, piece_reason = end, reason
                    else:
                        piece_reason = "MANAGE"
                else:
                    worker = post.staff[i]
                    if h_end is not None and (end is None or h_end < end):
                        piece_end, piece_reason = h_end, "LEFTRL"
                    else:
                        piece_end, piece_reason = end, reason
                    i += 1
            out.append(
                {
                    "child_id": child_id,
                    "team_id": post.team_id,
                    "worker_id": worker,
                    "start_date": cursor,
                    "end_date": piece_end,
                    "end_reason": piece_reason if piece_end is not None else "",
                }
            )
            if piece_end is None or (end is not None and piece_end >= end):
                return
            cursor = piece_end + dt.timedelta(days=1)
            if end is not None and cursor > end:
                return


_CASE_ROLES = frozenset({"social_worker", "advanced_practitioner", "asye", "personal_adviser"})
_QUOTA_ROLES = frozenset({"social_worker", "advanced_practitioner", "asye"})


def merge_short_allocations(out: list[Row], care_starts: Sequence[dt.date] = ()) -> None:
    """Fold an allocation that would end fewer than ``MIN_EPISODE_DAYS`` days after it starts (a holder leaving,
    or the case moving on, a day or two into it) into the next one, which then starts that much earlier; the
    child's last allocation into the one before. SSDA903 rule SW09STG2 flags such a social worker episode, and
    a real case would not be allocated for a day only to be reallocated.

    The 903 export counts an allocation from the day the child came into care (``care_starts``: the starts of
    their periods of care) when it began before. So an allocation running into a period of care that ends fewer
    than ``MIN_EPISODE_DAYS`` days after care started (a post vacant when the child came into care, held by the
    team manager until the new worker starts a day or two later; a worker leaving) ends the day before instead,
    and the next holder has the child from the day care starts. And an allocation that ends before the child
    was first looked after is never in the 903: a short one (the assessment worker's few days before an
    emergency admission) stays with its worker rather than being folded into the allocation that starts with
    care, which would then end too soon after care started."""
    day = dt.timedelta(days=1)
    first = min(care_starts, default=None)
    i = 0
    while i < len(out) and len(out) > 1:
        row = out[i]
        end = row["end_date"]
        if end is None:
            i += 1
            continue
        follows = i + 1 < len(out) and out[i + 1]["start_date"] == end + day
        entered = next((c for c in care_starts if row["start_date"] < c <= end), None)
        if entered is not None and (end - entered).days < MIN_EPISODE_DAYS and follows:
            row["end_date"] = entered - day
            out[i + 1]["start_date"] = entered
            continue  # look at what is left of it again
        if (end - row["start_date"]).days >= MIN_EPISODE_DAYS:
            i += 1
            continue
        if first is not None and end < first and follows and out[i + 1]["start_date"] >= first:
            i += 1  # before care, out of the 903; folding it forward would make the next one too short in care
            continue
        if follows:
            out[i + 1]["start_date"] = row["start_date"]
            del out[i]
            continue
        if i > 0 and i == len(out) - 1 and out[i - 1]["end_date"] == row["start_date"] - day:
            out[i - 1]["end_date"] = end
            out[i - 1]["end_reason"] = row["end_reason"]
            del out[i]
            continue
        i += 1


def worker_at(allocs: list[Row], d: dt.date) -> int | None:
    """The allocated worker on ``d`` (None when unallocated or outside every allocation)."""
    for row in allocs:
        if row["start_date"] <= d and (row["end_date"] is None or d <= row["end_date"]):
            return row["worker_id"]  # type: ignore[no-any-return]
    return None

"""A small borough for access tests: the personas, three teams and children in every relationship to them.

Facts about each child (who it is allocated to, which team, restricted, who holds a grant) are recorded
here in plain Python as the children are built, so tests can compute what *should* be visible by hand,
without asking the policy code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from safehold.accounts.models import User
from safehold.accounts.services import access_grant_create
from safehold.core import clock
from safehold.core.services import service
from safehold.core.testing import Personas, make_child, make_personas, make_staff
from safehold.people.models import AccessGrant, Person
from safehold.workforce.choices import ServiceArea
from safehold.workforce.models import Team
from safehold.workforce.services import allocation_set, team_create

#: The teams each persona belongs to or manages (hand-written, mirrors make_personas).
PERSONA_TEAMS = {
    "social_worker": {"A"},
    "colleague": {"A"},
    "team_manager": {"A"},
    "business_support": {"A"},
    "other_worker": {"B"},
}


@dataclass
class ChildFacts:
    child: Person
    team: str | None = None
    worker: str | None = None
    restricted: bool = False
    granted: set[str] = field(default_factory=set)
    expired: set[str] = field(default_factory=set)


@dataclass
class World:
    personas: Personas
    teams: dict[str, Team]
    children: dict[str, ChildFacts]

    def users(self) -> dict[str, User]:
        return self.personas.all()


@service
def _expired_grant(child: Person, user: User) -> None:
    AccessGrant(
        child=child,
        user=user,
        reason="Old case sample",
        granted_by_label="test",
        expires_at=clock.now() - dt.timedelta(days=1),
    ).save()


def build_world() -> World:
    p = make_personas()
    team_c = team_create(actor=None, name=f"Team C {p.team.pk}", service_area=ServiceArea.CHILDREN_IN_CARE)
    worker_c = make_staff(team=team_c)
    teams = {"A": p.team, "B": p.other_team, "C": team_c}
    staff_of = {
        "social_worker": p.social_worker.staff,
        "colleague": p.colleague.staff,
        "other_worker": p.other_worker.staff,
    }
    children: dict[str, ChildFacts] = {}
    start = dt.date(2024, 1, 8)

    def child(key: str, *, team: str | None, worker: str | None = None, restricted: bool = False) -> ChildFacts:
        person = make_child(restricted=restricted)
        if team is not None:
            worker_staff: Any = staff_of.get(worker) if worker else None
            if worker == "worker_c":
                worker_staff = worker_c
            allocation_set(actor=None, child=person, team=teams[team], worker=worker_staff, start_date=start)
        facts = ChildFacts(child=person, team=team, worker=worker, restricted=restricted)
        children[key] = facts
        return facts

    child("a_sw", team="A", worker="social_worker")
    child("a_col", team="A", worker="colleague")
    child("a_team", team="A")
    child("b_other", team="B", worker="other_worker")
    child("b_team", team="B")
    child("c_x", team="C", worker="worker_c")
    child("unallocated", team=None)
    child("r_sw", team="A", worker="social_worker", restricted=True)
    child("r_c", team="C", worker="worker_c", restricted=True)
    later = clock.now() + dt.timedelta(days=30)
    granted = child("rg", team="C", worker="worker_c", restricted=True)
    sample = child("g", team="C", worker="worker_c")
    expired = child("rx", team="C", worker="worker_c", restricted=True)
    for name, user in p.all().items():
        access_grant_create(actor=None, child=granted.child, user=user, reason="Named access list", expires_at=later)
        granted.granted.add(name)
        access_grant_create(actor=None, child=sample.child, user=user, reason="Case sample", expires_at=later)
        sample.granted.add(name)
        _expired_grant(expired.child, user)
        expired.expired.add(name)
    return World(personas=p, teams=teams, children=children)


# --- Records for the routes that take more than a child's id ---------------------------------------------------

#: The children of each relationship in the access matrix: each gets every kind of record a route can name.
RECORD_CHILDREN = ("a_sw", "a_col", "a_team", "b_other", "b_team", "c_x", "r_sw", "r_c")
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=dt.UTC)


def _child_records(child: Person, *, owner: Any, auditor: Any) -> dict[str, Any]:
    """One of everything a route can name, for ``child``: casework, care, leaving care, private fostering,
    missing, proceedings, early help, a document and a case audit, all through the real services.

    The child is made 17 in 2024 (looked after from 14 to 16), so they are a care leaver now and a child in
    need, on a child protection plan and privately fostered then."""
    from safehold.casework import services as cw
    from safehold.casework.models import ApprovalRequest
    from safehold.documents.services import document_upload
    from safehold.early_help import services as eh
    from safehold.looked_after import services as la
    from safehold.oversight.case_audits.domains import domains
    from safehold.oversight.case_audits.services import case_audit_record
    from safehold.people.services import person_create, person_update
    from safehold.proceedings import services as pl

    d = dt.date
    records: dict[str, Any] = {}
    child = person_update(actor=None, person=child, expected_version=child.version, date_of_birth=d(2007, 1, 1))
    # Looked after from 14 to 16 and a half: a former relevant care leaver now.
    la.period_of_care_start(
        actor=None, child=child, start_date=d(2021, 1, 4), legal_status="C2", category_of_need="N1",
        placement_type="U4", placement_provider="PR1", placement_postcode="TT2 2BB", urn="SC123456",
    )  # fmt: skip
    la.period_of_care_end(actor=None, child=child, end_date=d(2023, 6, 30), reason_ceased="E4A")
    la.care_leaver_record(actor=None, child=child)
    records["accommodation"] = la.leaving_care_accommodation_start(
        actor=None, child=child, provided_from=d(2024, 5, 1), basis="s23B8", description="Supported lodgings"
    )
    # The statutory journey: contact, referral, assessment, a CIN plan (ended), section 47 and a CP plan.
    contact = cw.contact_record(actor=None, child=child, received_at=_at(d(2024, 2, 1)), source="2A", summary="x")
    cw.contact_decide(
        actor=None, contact=contact, expected_version=contact.version, outcome="referral", threshold_level="4",
        reason="Possible significant harm", decided_at=_at(d(2024, 2, 1), 12),
    )  # fmt: skip
    records["contact"] = contact
    episode = cw.referral_create(actor=None, child=child, referral_date=d(2024, 2, 1), source="2A", contact=contact)
    assessment = cw.assessment_start(actor=None, episode=episode, start_date=d(2024, 2, 2))
    cw.assessment_complete(
        actor=None, assessment=assessment, expected_version=assessment.version, completed_date=d(2024, 2, 3),
        factors=["3B"], child_seen=True, child_seen_date=d(2024, 2, 3), outcome="cin_plan",
    )  # fmt: skip
    records["assessment"] = assessment  # completed, awaiting the manager's sign-off
    plan = cw.cin_plan_start(actor=None, episode=episode, start_date=d(2024, 2, 5))
    records["cin_plan"] = plan
    records["approval_request"] = ApprovalRequest.objects.filter(cin_plan=plan).order_by("pk").first()
    plan.refresh_from_db()
    cw.cin_plan_end(actor=None, plan=plan, expected_version=plan.version, end_date=d(2024, 3, 1))
    discussion = cw.strategy_discussion_record(
        actor=None, episode=episode, held_on=d(2024, 3, 4), start_section47=True, decision="Start s47"
    )
    assert discussion.section47 is not None
    records["s47"] = discussion.section47
    conference = cw.icpc_record(
        actor=None, section47=discussion.section47, held_on=d(2024, 3, 15), plan=True, initial_category="PHY"
    )
    records["cp_plan"] = conference.plan
    # Early help for the family, from a second contact decided as early help.
    eh_contact = cw.contact_record(actor=None, child=child, received_at=_at(d(2024, 4, 1)), source="2A", summary="y")
    cw.contact_decide(
        actor=None, contact=eh_contact, expected_version=eh_contact.version, outcome="early_help",
        threshold_level="2", reason="Family asks for help", decided_at=_at(d(2024, 4, 1), 12),
    )  # fmt: skip
    records["eh_contact"] = eh_contact
    eh_episode = eh.early_help_open_from_contact(actor=None, contact=eh_contact, opened_on=d(2024, 4, 2))
    eh.consent_record(actor=None, episode=eh_episode, given_by="Jo Parent", given_on=d(2024, 4, 2), scopes=["lead"])
    organisation = eh.organisation_create(actor=None, name=f"School for {child.pk}", kind="school")
    records["eh_episode"] = eh_episode
    records["eh_consent"] = eh_episode.consents.get()
    records["eh_assessment"] = eh.assessment_start(
        actor=None, episode=eh_episode, start_date=d(2024, 4, 3), organisation=organisation
    )
    records["household"] = eh_episode.household
    # Private fostering and a missing episode.
    carer = person_create(actor=None, given_name="Pat", family_name=f"Carer{child.pk}", date_of_birth=d(1970, 1, 1))
    records["pf"] = la.private_fostering_notify(actor=None, child=child, carer=carer, notified_on=d(2024, 1, 10))
    records["missing"] = la.missing_episode_record(actor=None, child=child, kind="M", started_at=_at(d(2024, 6, 1)))
    # Pre-proceedings, decided, then care proceedings.
    pp = pl.pre_proceedings_start(actor=None, child=child, started_on=d(2024, 3, 18))
    pp.refresh_from_db()
    pl.pre_proceedings_decide(
        actor=None, pre_proceedings=pp, expected_version=pp.version, decision="issue", decided_on=d(2024, 4, 15)
    )
    records["pre_proceedings"] = pp
    records["proceedings"] = pl.proceedings_issue(
        actor=None, child=child, application_type="care", issued_on=d(2024, 4, 20), court="Family Court"
    )
    records["document"] = document_upload(
        actor=None, child=child, title="Assessment report", original_name="report.pdf", data=PDF
    )
    # A case audit, with an action back to the child's worker (or their manager) when the child has one.
    audit = case_audit_record(
        actor=None, auditor=auditor, child=child, audited_on=d(2024, 7, 1),
        grades={dm.code: "good" for dm in domains()}, findings="Thorough", grade="good",
        action="Update the plan" if owner is not None else "", action_owner=owner,
        action_due=d(2024, 8, 1) if owner is not None else None,
    )  # fmt: skip
    records["case_audit"] = audit
    records["audit_action"] = audit.actions.order_by("pk").first()
    return records


@dataclass
class Records:
    """Records a route can name: per child (``by_child[key][kind]``) and for the whole borough (``shared``)."""

    by_child: dict[str, dict[str, Any]]
    shared: dict[str, Any]
    tokens: dict[str, str]


def add_records(world: World) -> Records:
    """Give every child of the access matrix one of each record a route names, and build the borough-wide ones
    (supervision, workforce posts, retention, inspection, returns, partner referral, API tokens)."""
    from safehold.api.models import Scope
    from safehold.api.services import api_client_create, partner_referral_create
    from safehold.core import jobs
    from safehold.core.testing import make_user
    from safehold.inspection import services as insp
    from safehold.oversight.case_audits.services import audit_month_add, audit_programme_create
    from safehold.oversight.services import supervision_discussion_add, supervision_record
    from safehold.retention import services as retention
    from safehold.returns.services import return_job_request, supported_years
    from safehold.workforce.choices import StaffRole
    from safehold.workforce.services import post_create

    p = world.personas
    d = dt.date
    auditor = p.team_manager.staff
    by_child: dict[str, dict[str, Any]] = {}
    for key in RECORD_CHILDREN:
        facts = world.children[key]
        from safehold.oversight.case_audits.selectors import allocation_of

        _, worker, manager = allocation_of(child=facts.child)
        by_child[key] = _child_records(facts.child, owner=worker or manager, auditor=auditor)
        facts.child.refresh_from_db()
    shared: dict[str, Any] = {}
    # A supervision of the social worker by their manager, discussing their child, with an action for them.
    supervision = supervision_record(
        actor=None, manager=p.team_manager.staff, worker=p.social_worker.staff, held_on=d(2024, 9, 2)
    )
    discussion = supervision_discussion_add(
        actor=None, supervision=supervision, child=world.children["a_sw"].child, discussion="Progress",
        decision="Carry on", impact_analysis="Safer at home", action="Visit school",
        action_owner=p.social_worker.staff, action_due=d(2024, 9, 30),
    )  # fmt: skip
    shared["supervision"] = supervision
    shared["supervision_action"] = discussion.actions.order_by("pk").first()
    # Case audit programme and month.
    programme = audit_programme_create(actor=p.team_manager, title="Audit programme")
    shared["audit_programme"] = programme
    shared["audit_month"] = audit_month_add(
        actor=p.team_manager, programme=programme, month=d(2024, 10, 1), theme="random_open", sample_size=2
    )
    # Workforce: a post in team A, and a leaver from it.
    shared["post"] = post_create(actor=None, team=p.team, role=StaffRole.SOCIAL_WORKER, fte=1, opened_on=d(2024, 1, 1))
    shared["leaver"] = _leaver(p.team)
    # Prospective adopters: one household (adults, not a child's record).
    from safehold.adoption.services import AdopterDetails, adopter_enquiry_record

    shared["adopters"] = adopter_enquiry_record(
        actor=None, enquiry_on=d(2024, 9, 2), adopters=[AdopterDetails("Sam", "Hart", "F", "WBRI")]
    )
    # Retention: the schedule, a legal hold and a review item on an unrelated child.
    retention.schedule_ensure(actor=None)
    shared["hold"] = retention.hold_place(actor=p.dpo, person=world.children["c_x"].child, reason="Litigation")
    shared["retention_rule"] = _first_rule()
    shared["retention_item"] = _retention_item(world)
    # Inspection: Annex A (generated), a case sample shared with the inspector, an inspection, an action.
    export = insp.annex_a_export_request(actor=p.analyst, as_of=d(2024, 12, 31))
    job = return_job_request(actor=p.analyst, kind="cin", year=supported_years("cin")[-1])
    from safehold.oversight import packs

    pack = packs.scrutiny_pack_request(actor=p.director, month=packs.pack_months()[0])
    jobs.run_queued_tasks()
    export.refresh_from_db()
    job.refresh_from_db()
    pack.refresh_from_db()
    shared["scrutiny_pack"] = pack
    shared["annex_a"] = export
    shared["return_job"] = job
    sample = insp.case_sample_draw(actor=p.analyst, theme="random_open", size=2, reason="Monitoring visit")
    shared["sample"] = sample
    # Shared with another inspector: the inspector persona must stay unrelated to every child of the matrix.
    shared["share"] = insp.case_sample_share(
        actor=p.analyst,
        sample=sample,
        inspector=make_user(role="inspector"),
        expires_at=clock.now() + dt.timedelta(days=5),
    )
    shared["inspection"] = _inspection(p.analyst)
    shared["improvement_action"] = _improvement_action(p.analyst)
    # A partner's referral.
    shared["partner_referral"] = partner_referral_create(
        actor=p.partner, given_name="Alex", family_name="Referred", date_of_birth=d(2016, 5, 5), source="6",
        summary="Concern raised by police", referrer_name="PC Smith",
    )  # fmt: skip
    # A subject access request about an unrelated child, being reviewed, with one redaction (the DPO's).
    from safehold.subject_access.services import sar_open, sar_redact

    sar = sar_open(actor=p.dpo, person=world.children["c_x"].child, requester="The child", received_on=d(2024, 11, 1))
    shared["sar"] = sar
    shared["sar_item"] = sar.items.order_by("position").first()
    shared["sar_redaction"] = sar_redact(
        actor=p.dpo, sar=sar, item=shared["sar_item"], fields=[""], text="", reason="third_party"
    )[0]
    # An API client (every scope) for each persona.
    tokens = {
        name: api_client_create(actor=None, name=f"{name} client", owner=user, scopes=list(Scope.values)).token
        for name, user in world.users().items()
    }
    return Records(by_child=by_child, shared=shared, tokens=tokens)


def _leaver(team: Team) -> Any:
    from safehold.accounts.services import staff_leave
    from safehold.core.testing import make_user

    user = make_user(role="social_worker")
    staff = make_staff(team=team, user=user)
    staff_leave(actor=None, user=user, leave_date=dt.date(2024, 6, 28))
    staff.refresh_from_db()
    return staff


def _first_rule() -> Any:
    from safehold.retention.models import RetentionRule

    return RetentionRule.objects.order_by("pk").first()


def _retention_item(world: World) -> Any:
    """A record due for disposal review: a contact decided ten years ago and nothing since."""
    from safehold.casework import services as cw
    from safehold.retention.models import ReviewItem
    from safehold.retention.services import review_run

    child = make_child(date_of_birth=dt.date(2000, 1, 1))
    allocation_set(actor=None, child=child, team=world.teams["C"], worker=None, start_date=dt.date(2014, 1, 6))
    contact = cw.contact_record(actor=None, child=child, received_at=_at(dt.date(2014, 2, 3)), source="2A")
    cw.contact_decide(
        actor=None, contact=contact, expected_version=contact.version, outcome="nfa", threshold_level="1",
        reason="No concerns", decided_at=_at(dt.date(2014, 2, 3), 12),
    )  # fmt: skip
    review_run(actor=None)
    return ReviewItem.objects.get(person=child)


def _inspection(actor: Any) -> Any:
    from safehold.inspection.services import inspection_record

    return inspection_record(actor=actor, kind="monitoring", start_date=dt.date(2024, 5, 7))


def _improvement_action(actor: Any) -> Any:
    from safehold.inspection.services import improvement_action_create

    owner = make_staff(team=None, role="head_of_service")
    return improvement_action_create(
        actor=actor, title="Faster assessments", owner=owner, due_date=dt.date(2025, 3, 31)
    )

"""What disposal does to each kind of record that belongs to a child.

Disposal removes personal data and keeps what the statutory returns and indicators count. Every model that
points at a person (directly, or through another such model) is listed in :data:`TREATMENTS` with what happens to
it: its rows deleted, its free-text fields emptied, its links to other people cut, or kept as they are — and for
anything kept, why. ``tests/test_disposal_map.py`` walks every model in the project and fails when a model or a
text field is not listed, so a new kind of record cannot silently escape disposal.

Rows that feed a return or an indicator (CIN episodes, assessments, section 47 enquiries, plans, conferences,
periods of care and 903 episodes, reviews, missing episodes, health checks, adoption dates, early help episodes,
deadlines, allocations) are kept with their dates and codes; they then belong to an anonymous person whose names
and identifiers are replaced by the disposal marker (``scrub_people``) — so a return run for any past year counts
the same children and episodes after disposal as before.

Early help is recorded per family, so an early help episode's own text (its reasons, consent, goals, team around
the family, reviews, assessments) is emptied only when every child it is for has been disposed of.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import F, Q

from safehold.core import clock

log = logging.getLogger(__name__)

#: The marker that replaces a disposed person's given name; the family name becomes "record <reference>".
DISPOSED_GIVEN_NAME = "Disposed"
DISPOSED_HOUSEHOLD_NAME = "Disposed household"

CODES = "codes and dates only: kept for the returns and indicators"


@dataclass(frozen=True)
class Treatment:
    """What disposal does to one model's rows that belong to the disposed record."""

    model: str
    #: Lookups from this model to the subject person's id (any may match); for ``per_family`` treatments, to the
    #: early help episode's id.
    via: tuple[str, ...]
    blank: tuple[str, ...] = ()
    #: Links to *other* people, cut (set to null).
    null: tuple[str, ...] = ()
    delete: bool = False
    #: Text, JSON or person-link fields deliberately kept, with the reason.
    keep: Mapping[str, str] = field(default_factory=dict)
    per_family: bool = False
    why: str = ""


EH = ("episode_id",)

TREATMENTS: tuple[Treatment, ...] = (
    # --- people: the person row itself is handled by scrub_people ------------------------------------------
    Treatment("people.Address", via=("person",), delete=True, why="addresses are personal data"),
    Treatment("people.Relationship", via=("person", "other"), delete=True, why="relationships identify people"),
    Treatment("people.HouseholdMember", via=("person",), delete=True, why="household membership is a relationship"),
    Treatment("people.DuplicateCandidate", via=("person_a", "person_b"), delete=True, keep={"reasons": "deleted"}),
    Treatment("people.AccessGrant", via=("child",), delete=True, why="grants on a disposed record serve no purpose"),
    Treatment("people.PersonDisability", via=("person",), why="DfE disability codes: kept for the returns"),
    # --- casework -------------------------------------------------------------------------------------------
    Treatment("casework.Contact", via=("child",), blank=("referrer_name", "summary", "decision_reason")),
    Treatment("casework.CINEpisode", via=("child",), why=CODES),
    Treatment("casework.Assessment", via=("episode__child",), keep={"factors": "CIN assessment factor codes"}),
    Treatment("casework.Section47", via=("episode__child",), why=CODES),
    Treatment("casework.ChildProtectionPlan", via=("episode__child",), why=CODES),
    Treatment("casework.Conference", via=("episode__child",), why=CODES),
    Treatment("casework.CoreGroup", via=("plan__episode__child",), why=CODES),
    Treatment("casework.CINPlan", via=("episode__child",), why=CODES),
    Treatment(
        "casework.CINPlanReview", via=("plan__episode__child",), keep={"agencies": "agencies present (organisations)"}
    ),
    Treatment(
        "casework.StrategyDiscussion",
        via=("episode__child",),
        blank=("decision",),
        keep={"agencies": "agencies present (organisations)"},
    ),
    Treatment("casework.StrategyDecision", via=("episode__child",), blank=("reason",)),
    Treatment("casework.ApprovalRequest", via=("episode__child",), blank=("summary", "rationale")),
    Treatment("casework.Visit", via=("child",), blank=("notes",)),
    Treatment("casework.CaseNote", via=("child",), blank=("subject", "body")),
    # --- children looked after, care leavers, private fostering -------------------------------------------
    Treatment("looked_after.PeriodOfCare", via=("child",), why=CODES),
    Treatment(
        "looked_after.CareEpisode",
        via=("child",),
        blank=("home_postcode", "placement_postcode"),
        null=("carer",),
        keep={"urn": "the provider's Ofsted URN (an establishment, not a person)"},
    ),
    Treatment("looked_after.LACReview", via=("child",), blank=("decisions",)),
    Treatment("looked_after.MissingEpisode", via=("child",), blank=("rhi_outcome",)),
    Treatment("looked_after.HealthCheck", via=("child",), why=CODES),
    Treatment("looked_after.SDQAssessment", via=("child",), why=CODES),
    Treatment("looked_after.AnnualOutcome", via=("child",), why=CODES),
    Treatment("looked_after.AdoptionJourney", via=("child",), why=CODES),
    Treatment("looked_after.PreviousPermanence", via=("child",), keep={"la": "a local authority code"}),
    Treatment("looked_after.CareLeaver", via=("child",), why=CODES),
    Treatment("looked_after.PathwayPlanReview", via=("child",), why=CODES),
    Treatment("looked_after.CareLeaverContact", via=("child",), why=CODES),
    Treatment("looked_after.LeavingCareAccommodation", via=("child",), blank=("description",)),
    Treatment(
        "looked_after.PrivateFostering",
        via=("child",),
        blank=("parental_contact_arrangements", "child_views"),
        keep={"carer": "the carer's own record (a protected link): disposed of too if no other record names them"},
    ),
    # --- management oversight ----------------------------------------------------------------------------
    Treatment("oversight.SupervisionDiscussion", via=("child",), blank=("discussion", "decision", "impact_analysis")),
    Treatment("oversight.SupervisionAction", via=("child",), blank=("description",)),
    Treatment("oversight.ManagementDecision", via=("child",), blank=("decision", "rationale")),
    Treatment(
        "oversight.CaseAudit",
        via=("child",),
        blank=("findings", "moderation_reason"),
        keep={"theme": "the audit programme's sampling theme (a code)"},
    ),
    Treatment(
        "oversight.AuditDomainGrade",
        via=("audit__child",),
        blank=("comment",),
        keep={"domain": "an audit domain code"},
    ),
    Treatment("oversight.AuditAction", via=("child",), blank=("description",)),
    Treatment("oversight.AuditSampleChild", via=("child",), why="which month's audit sample the child was in"),
    # --- pre-proceedings and care proceedings --------------------------------------------------------------
    Treatment("proceedings.PreProceedings", via=("child",), blank=("fgdm_not_held_reason",)),
    Treatment("proceedings.PreProceedingsMeeting", via=("pre_proceedings__child",), blank=("notes",)),
    Treatment(
        "proceedings.Proceedings",
        via=("child",),
        blank=("case_number",),
        keep={"court": "the court (an institution, not a person)"},
    ),
    Treatment("proceedings.Hearing", via=("proceedings__child",), blank=("notes",)),
    Treatment("proceedings.Extension", via=("proceedings__child",), blank=("reason",)),
    # --- exploitation risk: screenings and panel kept as dates and codes; links to other children deleted ------
    Treatment(
        "exploitation.Screening",
        via=("child",),
        blank=("summary",),
        keep={"indicators": "exploitation indicator codes"},
    ),
    Treatment("exploitation.RiskEnd", via=("child",), blank=("reason",)),
    Treatment("exploitation.PlaceLink", via=("child",), blank=("concern",), why="the place is the borough's record"),
    Treatment(
        "exploitation.ChildLink",
        via=("child", "other"),
        delete=True,
        why="a link between children, like a relationship",
    ),
    Treatment("exploitation.PanelReferral", via=("child",), blank=("reason",)),
    Treatment("exploitation.PanelDecision", via=("referral__child",), blank=("actions",)),
    # --- documents: rows deleted here, stored files deleted after the transaction commits -----------------
    Treatment(
        "documents.Document",
        via=("child",),
        delete=True,
        keep={"content_type": "deleted with the row", "sha256": "deleted with the row"},
    ),
    # --- early help: per family ---------------------------------------------------------------------------
    Treatment("early_help.EpisodeChild", via=("child",), why="links the anonymous child to the family's episode"),
    Treatment("early_help.EarlyHelpEpisode", via=("id",), blank=("step_down_summary", "reason"), per_family=True),
    Treatment(
        "early_help.Consent",
        via=EH,
        blank=("given_by", "withdrawn_by"),
        keep={"scopes": "scope codes", "withdrawn_scopes": "scope codes"},
        per_family=True,
    ),
    Treatment("early_help.EarlyHelpAssessment", via=EH, blank=("needs",), per_family=True),
    Treatment("early_help.FamilyGoal", via=EH, blank=("text",), per_family=True),
    Treatment(
        "early_help.TAFMember",
        via=EH,
        blank=("name", "role"),
        keep={"agency": "the member's agency (an organisation)"},
        per_family=True,
    ),
    Treatment("early_help.Review", via=EH, blank=("notes",), per_family=True),
    Treatment("early_help.GoalProgress", via=("review__episode_id",), why="0-10 scores", per_family=True),
    # --- elsewhere -----------------------------------------------------------------------------------------
    Treatment(
        "timescales.Deadline",
        via=("child",),
        keep={"rule_code": "a timescale rule code", "start_ref": "an internal reference to the starting record"},
    ),
    Treatment("workforce.Allocation", via=("child",), why="who held the case when: caseload and 903 SWEpisodes"),
    Treatment("inspection.CaseSampleMember", via=("child",), why="which sample the (now anonymous) child was in"),
    Treatment("api.PartnerReferral", via=("contact__child",), why="links a partner to the contact it created"),
    # --- subject access requests: the assembled copy and the redactions go; the request's dates and approval stay -
    Treatment("subject_access.SarRedaction", via=("sar__person",), delete=True, why="marks on the assembled copy"),
    Treatment("subject_access.SarItem", via=("sar__person",), delete=True, why="a copy of the record"),
    Treatment(
        "subject_access.SubjectAccessRequest",
        via=("person",),
        blank=("requester", "returned_reason", "approval_note", "export"),
        keep={
            "approved_by_label": "who approved the release (accountability; a member of staff)",
            "export_sha256": "the released export's checksum (identifies nothing)",
        },
    ),
)

#: Person fields replaced by the disposal marker (see :func:`scrub_people`).
PERSON_IDENTIFYING = ("given_name", "family_name", "other_names", "la_child_id", "nhs_number", "upn", "former_upn")
#: Person fields kept: coded demographics the returns count and break down by.
PERSON_KEPT = {
    "sex": "CIN census / 903 code",
    "ethnicity": "CIN census / 903 code",
    "date_of_birth": "returns and indicators compute ages and cohorts from it (see docs/retention.md)",
    "expected_date_of_birth": "as the date of birth",
    "date_of_death": "CIN census field",
}


def model_for(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _is_versioned(model: type[models.Model]) -> bool:
    return any(f.name == "version" for f in model._meta.concrete_fields)


def _stamp(model: type[models.Model]) -> dict[str, Any]:
    """Bump version (so an edit opened before disposal is refused as stale) and updated_at."""
    values: dict[str, Any] = {"updated_at": clock.now()}
    if _is_versioned(model):
        values["version"] = F("version") + 1
    return values


def history_model_of(model: type[models.Model]) -> Any:
    """The field-history model of ``model`` when its history is kept (``safehold.audit.history``), else None."""
    try:
        from safehold.audit.history import history_model, tracked_models
    except ImportError:  # field history not installed
        return None
    return history_model(model) if model in tracked_models() else None


def add_history_rows(model: type[models.Model], pks: list[Any]) -> None:
    """Give each changed record that already has field history a history row with its disposed values.

    Without it the record's latest history row would still hold the personal data, and "the record as at" any
    later date would show it. Each record is saved once through the model (inside the disposal service), so the
    history row is written the usual way; a record with no history (loaded in bulk) gets none — its history
    would otherwise start with a fresh copy of the values being disposed of.
    """
    historical = history_model_of(model) if pks else None
    if historical is None:
        return
    attname = model._meta.pk.attname
    with_history = set(historical.objects.filter(**{f"{attname}__in": pks}).values_list(attname, flat=True))
    for obj in model._base_manager.filter(pk__in=with_history):
        obj.save()


def _match(via: Iterable[str], ids: Iterable[int]) -> Q:
    ids = list(ids)
    q = Q()
    for lookup in via:
        q |= Q(**{f"{lookup}__in": ids})
    return q


def family_episodes_fully_disposed(subject_ids: set[int], disposed_ids: set[int]) -> list[int]:
    """Early help episodes of the subjects whose every child is being or has been disposed of."""
    episode_child = model_for("early_help.EpisodeChild")
    if episode_child is None:
        return []
    gone = subject_ids | disposed_ids
    episodes = set(episode_child._default_manager.filter(child_id__in=subject_ids).values_list("episode_id", flat=True))
    still_named = set(
        episode_child._default_manager.filter(episode_id__in=episodes)
        .exclude(child_id__in=gone)
        .values_list("episode_id", flat=True)
    )
    return sorted(episodes - still_named)


def document_paths(subject_ids: set[int]) -> list[Path]:
    from safehold.documents.models import Document
    from safehold.documents.services import document_path

    return [document_path(d) for d in Document.objects.filter(child_id__in=subject_ids).only("id")]


def apply_treatments(
    subject_ids: set[int], family_episode_ids: list[int], touched: dict[str, set[int]] | None = None
) -> dict[str, int]:
    """Delete or empty each model's rows that belong to the subjects; return rows touched per model.

    ``touched`` collects the primary keys of the rows deleted or emptied, per model label, so their audit events
    and field history can be redacted (``safehold.retention.redaction``).
    """
    counts: dict[str, int] = {}
    touched = {} if touched is None else touched
    for t in TREATMENTS:
        if not (t.delete or t.blank or t.null):
            continue
        model = model_for(t.model)
        if model is None:
            continue
        ids: Iterable[int] = family_episode_ids if t.per_family else subject_ids
        qs = model._default_manager.filter(_match(t.via, ids))
        pks = list(qs.values_list("pk", flat=True))
        if pks:
            touched.setdefault(t.model, set()).update(pks)
        if t.delete:
            n = len(pks)
            if n:
                model._default_manager.filter(pk__in=pks).delete()
        else:
            values: dict[str, Any] = {name: "" for name in t.blank}
            values.update({name: None for name in t.null})
            n = model._default_manager.filter(pk__in=pks).update(**values, **_stamp(model)) if pks else 0
            add_history_rows(model, pks)
        if n:
            counts[t.model] = counts.get(t.model, 0) + n
    return counts


def scrub_people(*, subject_id: int, merged_ids: set[int], reference: str) -> int:
    """Replace the identifying fields of the subject (and records merged into it) with the disposal marker.

    The subject keeps an LA child id (the opaque reference) when it had one, so the returns, which key children
    by it, still count the child; merged records (tombstones) lose theirs.
    """
    from safehold.people.models import Person

    marker: dict[str, Any] = {
        "given_name": DISPOSED_GIVEN_NAME,
        "family_name": f"record {reference}",
        "other_names": "",
        "nhs_number": None,
        "upn": "",
        "former_upn": "",
        **_stamp(Person),
    }
    n = Person.objects.filter(pk__in=merged_ids).update(la_child_id=None, **marker)
    subject = Person.objects.filter(pk=subject_id)
    had_id = subject.exclude(la_child_id__isnull=True).exclude(la_child_id="").exists()
    n += subject.update(la_child_id=reference if had_id else None, **marker)
    add_history_rows(Person, [subject_id, *merged_ids])
    return n


def people_linked(subject_ids: set[int]) -> set[int]:
    """Other people the subjects' records name: relatives, carers, household members (before links are cut)."""
    from safehold.looked_after.models import CareEpisode, PrivateFostering
    from safehold.people.models import HouseholdMember, Relationship

    linked: set[int] = set()
    for a, b in Relationship.objects.filter(Q(person_id__in=subject_ids) | Q(other_id__in=subject_ids)).values_list(
        "person_id", "other_id"
    ):
        linked.update((a, b))
    linked.update(
        CareEpisode.objects.filter(child_id__in=subject_ids, carer__isnull=False).values_list("carer_id", flat=True)
    )
    linked.update(PrivateFostering.objects.filter(child_id__in=subject_ids).values_list("carer_id", flat=True))
    households = HouseholdMember.objects.filter(person_id__in=subject_ids).values("household_id")
    linked.update(HouseholdMember.objects.filter(household_id__in=households).values_list("person_id", flat=True))
    return linked - subject_ids


def households_of(subject_ids: set[int]) -> set[int]:
    from safehold.people.models import HouseholdMember

    return set(HouseholdMember.objects.filter(person_id__in=subject_ids).values_list("household_id", flat=True))


def rename_empty_households(household_ids: set[int], touched: dict[str, set[int]] | None = None) -> int:
    """Households with nobody left in them lose their name (often the family's surname)."""
    from safehold.people.models import Household

    pks = list(Household.objects.filter(pk__in=household_ids, members__isnull=True).values_list("pk", flat=True))
    if touched is not None and pks:
        touched.setdefault("people.Household", set()).update(pks)
    return Household.objects.filter(pk__in=pks).update(name=DISPOSED_HOUSEHOLD_NAME, **_stamp(Household))


#: References to a person that do not, on their own, keep a related adult's record alive once the child's
#: record is disposed of (their own address, duplicate pairs, household membership in an emptied household,
#: links to the disposed child). Any other reference keeps the adult's record as it is.
_SELF_ONLY = {("people.Address", "person"), ("people.DuplicateCandidate", "person_a"),
              ("people.DuplicateCandidate", "person_b")}  # fmt: skip


def orphaned_adults(candidates: set[int], gone: set[int]) -> set[int]:
    """Of ``candidates`` (people the disposed records named), the adults no remaining record names.

    Conservative: a person who has a child's record, is under a legal hold, or is named by any other record
    (another child's relationship, placement, household, anything) is kept.
    """
    from safehold.looked_after.models import PrivateFostering
    from safehold.people.models import HouseholdMember, Person, Relationship

    people = set(
        Person.objects.filter(pk__in=candidates, is_child_record=False, merged_into__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if not people:
        return set()
    kept: set[int] = set()
    for rel in Person._meta.related_objects:
        model = rel.related_model
        fk = rel.field.name
        label = model._meta.label
        if (label, fk) in _SELF_ONLY or model is Person:
            continue
        qs = model._default_manager.filter(**{f"{fk}__in": people})
        if model is Relationship:
            other = "other" if fk == "person" else "person"
            qs = qs.exclude(**{f"{other}_id__in": gone})
        elif model is HouseholdMember:
            others = HouseholdMember.objects.exclude(person_id__in=people | gone)
            qs = qs.filter(household_id__in=others.values("household_id"))
        elif model is PrivateFostering or (label == "looked_after.CareEpisode" and fk == "carer"):
            qs = qs.exclude(child_id__in=gone)
        kept.update(qs.values_list(f"{fk}_id", flat=True))
    return people - kept


def scrub_adults(adult_ids: set[int], reference: str, touched: dict[str, set[int]] | None = None) -> dict[str, int]:
    from safehold.people.models import Address, DuplicateCandidate, HouseholdMember, Person

    if not adult_ids:
        return {}
    adult_ids = adult_ids | merged_into(adult_ids)
    if touched is not None:
        touched.setdefault("people.Person", set()).update(adult_ids)
        for model in (Address, HouseholdMember):
            pks = model.objects.filter(person_id__in=adult_ids).values_list("pk", flat=True)
            touched.setdefault(model._meta.label, set()).update(pks)
    counts = {
        "people.Address (related adults)": Address.objects.filter(person_id__in=adult_ids).count(),
    }
    Address.objects.filter(person_id__in=adult_ids).delete()
    DuplicateCandidate.objects.filter(Q(person_a_id__in=adult_ids) | Q(person_b_id__in=adult_ids)).delete()
    HouseholdMember.objects.filter(person_id__in=adult_ids).delete()
    counts["people.Person (related adults)"] = Person.objects.filter(pk__in=adult_ids).update(
        given_name=DISPOSED_GIVEN_NAME,
        family_name=f"record {reference}",
        other_names="",
        la_child_id=None,
        nhs_number=None,
        upn="",
        former_upn="",
        **_stamp(Person),
    )
    add_history_rows(Person, list(adult_ids))
    return {k: v for k, v in counts.items() if v}


def merged_into(ids: set[int]) -> set[int]:
    """Records merged (directly or through others) into any of ``ids``: the same person's tombstones."""
    from safehold.people.models import Person

    found: set[int] = set()
    frontier = set(ids)
    while frontier:
        frontier = set(Person.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


def delete_files(paths: list[Path]) -> None:
    """Remove stored document files (called after the disposal commits)."""
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:  # pragma: no cover - reported, never silently kept
            log.exception("retention: could not delete disposed document file %s", path.name)

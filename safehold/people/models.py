"""The person index: one Person for everyone the record names, with identifiers, demographics,
relationships, households, addresses and duplicate candidates."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from safehold.audit.history import child_history
from safehold.core.identifiers import is_valid_la_child_id, is_valid_nhs_number, is_valid_upn
from safehold.core.models import ServiceWrittenModel, ServiceWrittenQuerySet, VersionedModel
from safehold.people.choices import Disability, DuplicateStatus, Ethnicity, RelationshipType, Sex, UPNUnknown


class PersonQuerySet(ServiceWrittenQuerySet):
    def children(self) -> PersonQuerySet:
        return self.filter(is_child_record=True, merged_into__isnull=True)

    def visible_to(self, user: Any) -> PersonQuerySet:
        from safehold.people.policies import person_visibility_q

        return self.filter(person_visibility_q(user))

    def visible_under(self, vis_scope: str, **visibility: Any) -> PersonQuerySet:
        """:meth:`visible_to` from a :class:`~safehold.people.policies.Visibility`'s scope and values (or a prepared
        query's placeholders for them)."""
        from safehold.people.policies import visibility_q

        return self.filter(visibility_q(vis_scope=vis_scope, **visibility))


class Person(VersionedModel):
    """Anyone the record names: a child, a parent, a carer, a care leaver who is now a parent.

    ``is_child_record`` marks a person who has (or had) a social care record as a child; those are the
    records whose reads are logged and whose visibility is decided per user.
    """

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    other_names = models.CharField(max_length=200, blank=True, help_text="Former or known-as names")
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True, help_text="For an unborn child")
    date_of_death = models.DateField(null=True, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    is_child_record = models.BooleanField(default=False, db_index=True)
    la_child_id = models.CharField(max_length=20, null=True, blank=True, unique=True)
    nhs_number = models.CharField(max_length=10, null=True, blank=True, db_index=True)
    upn = models.CharField(max_length=13, blank=True)
    former_upn = models.CharField(max_length=13, blank=True)
    upn_unknown = models.CharField(max_length=4, choices=UPNUnknown.choices, blank=True)
    uasc = models.BooleanField(default=False, help_text="Unaccompanied asylum-seeking child")
    uasc_ceased = models.DateField(null=True, blank=True, help_text="Date UASC status ceased (903 DUC)")
    care_experienced = models.BooleanField(default=False)
    restricted = models.BooleanField(default=False, help_text="Restricted record: named access list only")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from")

    objects = PersonQuerySet.as_manager()  # type: ignore[misc]
    history = child_history()

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["family_name", "given_name"], name="person_name"),
            models.Index(fields=["date_of_birth"], name="person_dob"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_death__isnull=True)
                | Q(date_of_birth__isnull=True)
                | Q(date_of_death__gte=models.F("date_of_birth")),
                name="person_death_after_birth",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return str(self)

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.la_child_id and not is_valid_la_child_id(self.la_child_id):
            errors.setdefault("la_child_id", []).append("LA child id must be 1 to 20 letters and numbers only")
        if self.nhs_number and not is_valid_nhs_number(self.nhs_number):
            errors.setdefault("nhs_number", []).append("Enter a valid NHS number: 10 digits with a valid check digit")
        for field in ("upn", "former_upn"):
            value = getattr(self, field)
            if value and not is_valid_upn(value):
                errors.setdefault(field, []).append("Enter a valid UPN: 13 characters with a correct check letter")
        if self.upn and self.upn_unknown:
            errors.setdefault("upn_unknown", []).append("Give either a UPN or a reason it is unknown, not both")
        if self.date_of_birth is None and self.expected_date_of_birth is None and self.is_child_record:
            errors.setdefault("date_of_birth", []).append("Enter a date of birth or an expected date of birth")
        if self.is_unborn and self.sex != Sex.UNKNOWN:
            errors.setdefault("sex", []).append("An unborn child's sex must be recorded as unknown (U)")
        if self.date_of_death and self.date_of_birth and self.date_of_death < self.date_of_birth:
            errors.setdefault("date_of_death", []).append("Date of death cannot be before date of birth")
        if self.uasc_ceased and not self.uasc:
            errors.setdefault("uasc_ceased", []).append("Only a UASC can have a date UASC status ceased")
        if errors:
            raise ValidationError(errors)


class PersonDisability(ServiceWrittenModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disabilities")
    code = models.CharField(max_length=4, choices=Disability.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "code"], name="unique_person_disability")]


class Address(ServiceWrittenModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, db_index=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]


class Relationship(ServiceWrittenModel):
    """``person`` is the ``kind`` of ``other`` (e.g. person is the parent of other)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_from")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(max_length=24, choices=RelationshipType.choices)
    has_parental_responsibility = models.BooleanField(default=False)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(person=models.F("other")), name="relationship_not_self"),
            models.UniqueConstraint(fields=["person", "other", "kind"], name="unique_relationship"),
        ]


class Household(ServiceWrittenModel):
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class HouseholdMember(ServiceWrittenModel):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_memberships")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)


class DuplicateCandidate(ServiceWrittenModel):
    """A pair of person records that may be the same person, scored on name, date of birth and NHS number."""

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="unique_duplicate_pair"),
            models.CheckConstraint(condition=Q(person_a__lt=models.F("person_b")), name="duplicate_pair_ordered"),
        ]


class AccessGrant(ServiceWrittenModel):
    """An explicit, time-limited grant of access to one child's record (restricted records, case samples)."""

    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="access_grants")
    reason = models.TextField()
    granted_by_label = models.CharField(max_length=200)
    expires_at = models.DateTimeField()

"""Subject access requests: their statuses, and the reasons information may be withheld, each citing its source."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class SarStatus(models.TextChoices):
    IN_REVIEW = "in_review", "Being reviewed"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    RELEASED = "released", "Released"


class ApprovalDecision(models.TextChoices):
    APPROVE = "approve", "Approve the release"
    RETURN = "return", "Return it to the reviewer"


@dataclass(frozen=True)
class Exemption:
    code: str
    label: str
    source: str


#: Why a piece of information is withheld from the person who asked. Statutory rules are data citing their source:
#: the Data Protection Act 2018 (DPA 2018) exemptions from the right of access in UK GDPR Article 15.
EXEMPTIONS: tuple[Exemption, ...] = (
    Exemption(
        "third_party",
        "Third-party information: it would identify another person who has not consented",
        "DPA 2018 Schedule 2 Part 3 paragraph 16 (protection of the rights of others)",
    ),
    Exemption(
        "serious_harm",
        "Serious harm: disclosure would be likely to cause serious harm to the physical or mental health of "
        "the person or someone else",
        "DPA 2018 Schedule 3 Part 3 (social work data), serious harm test",
    ),
    Exemption(
        "crime",
        "Prevention or detection of crime: disclosure would be likely to prejudice it",
        "DPA 2018 Schedule 2 Part 1 paragraph 2 (crime and taxation)",
    ),
    Exemption(
        "legal_privilege",
        "Legal professional privilege",
        "DPA 2018 Schedule 2 Part 4 paragraph 19",
    ),
    Exemption(
        "adoption",
        "Adoption records and reports: disclosure is restricted by law",
        "DPA 2018 Schedule 4 (disclosure prohibited or restricted by an enactment)",
    ),
)
EXEMPTION_BY_CODE = {e.code: e for e in EXEMPTIONS}
EXEMPTION_CHOICES = [(e.code, e.label) for e in EXEMPTIONS]

#: The marker that replaces withheld information in everything released.
REDACTED = "[Redacted]"

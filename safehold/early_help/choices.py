"""Early help codes: organisations that lead, what consent covers, how an episode starts and ends."""

from django.db import models


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", "School or college"
    HEALTH_VISITOR = "health_visitor", "Health visiting service"
    HEALTH = "health", "Other health service"
    FAMILY_HUB = "family_hub", "Family hub"
    COUNCIL = "council", "Council early help team"
    VOLUNTARY = "voluntary", "Voluntary or community organisation"
    OTHER = "other", "Other"


class ConsentScope(models.TextChoices):
    """What the family agreed may be shared (early help is voluntary and consent-based)."""

    LEAD = "lead", "Sharing with the lead practitioner"
    TEAM = "team", "Sharing with the team around the family"
    AGENCIES = "agencies", "Asking other agencies for information"


class EpisodeOrigin(models.TextChoices):
    CONTACT = "contact", "Front door contact decided as early help"
    STEP_DOWN = "step_down", "Step-down from children's social care"


class ClosureOutcome(models.TextChoices):
    NEEDS_MET = "needs_met", "Needs met"
    STEPPED_UP = "stepped_up", "Stepped up to children's social care"
    DISENGAGED = "disengaged", "Family disengaged or withdrew consent"
    MOVED_AWAY = "moved_away", "Family moved away"

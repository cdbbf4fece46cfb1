from django.db import models


class DecisionKind(models.TextChoices):
    """Management decisions recorded in the oversight register (those not already a casework sign-off)."""

    PLAN_APPROVAL = "plan_approval", "Plan approval"
    CLOSURE = "closure", "Case closure"
    THRESHOLD = "threshold", "Threshold decision"
    STEP_UP = "step_up", "Step up to social care"
    STEP_DOWN = "step_down", "Step down to early help"
    ALLOCATION = "allocation", "Allocation or transfer"
    CASE_DIRECTION = "case_direction", "Case direction"
    OTHER = "other", "Other management decision"


class Grade(models.TextChoices):
    """The four-point grade of a case audit: Ofsted's judgement scale for inspections of local authority
    children's services (ILACS), which uses "requires improvement to be good"."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


#: Good or better: the grades the audit trend counts as "good or outstanding".
GOOD_OR_BETTER = frozenset({Grade.OUTSTANDING, Grade.GOOD})


class Moderation(models.TextChoices):
    AGREED = "agreed", "Agreed with the auditor's grade"
    REGRADED = "regraded", "Regraded"


#: Audit "themes" besides the sampling themes of the programme (inspection.SampleTheme).
AD_HOC_THEME = "ad_hoc"
REAUDIT_THEME = "reaudit"


class PackStatus(models.TextChoices):
    """A scrutiny pack's background job (the same states as the returns' jobs)."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"

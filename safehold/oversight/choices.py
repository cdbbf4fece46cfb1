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

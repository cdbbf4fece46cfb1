"""Codes for the retention schedule, legal holds and the disposal review (values match ``domain``'s enums)."""

from django.db import models


class RecordTypeChoice(models.TextChoices):
    LOOKED_AFTER = "looked_after", "Children looked after and care leavers"
    ADOPTION = "adoption", "Adoption (an adoption order was made)"
    CHILD_PROTECTION = "child_protection", "Child protection (section 47 enquiry or child protection plan)"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    PRIVATE_FOSTERING = "private_fostering", "Private fostering"
    EARLY_HELP = "early_help", "Early help"
    CONTACT = "contact", "Contacts (front door only)"


class BasisChoice(models.TextChoices):
    BIRTHDAY = "birthday", "Until a birthday (the number of years is the age)"
    ADOPTION_ORDER = "adoption_order", "Years from the adoption order"
    LAST_ACTIVITY = "last_activity", "Years from the last activity (closure or decision)"


class ItemStatus(models.TextChoices):
    PROPOSED = "proposed", "Awaiting decision"
    DEFERRED = "deferred", "Deferred"
    APPROVED = "approved", "Approved"
    DISPOSED = "disposed", "Disposed of"
    WITHDRAWN = "withdrawn", "Withdrawn"


#: Statuses of an item still in the review list (one per person at a time).
OPEN_STATUSES = (ItemStatus.PROPOSED, ItemStatus.DEFERRED, ItemStatus.APPROVED)


class Decision(models.TextChoices):
    APPROVE = "approve", "Approve disposal"
    DEFER = "defer", "Defer"

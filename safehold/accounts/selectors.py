"""Reads about accounts: the quarterly access review and the break-glass log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehold.accounts.models import User
from safehold.accounts.roles import Role
from safehold.audit.models import AccessEvent
from safehold.core import clock
from safehold.people.models import AccessGrant, Person


@dataclass(frozen=True)
class AccessReviewRow:
    user: User
    team: str
    manager: str
    children_visible: int
    restricted_granted: int
    grants_active: int
    two_factor: bool


def access_review_rows() -> list[AccessReviewRow]:
    """Every active account with what it can see: the quarterly access review.

    One count query per account (the visibility predicate differs per user); the review is run a few
    times a year, on a few hundred accounts.
    """
    now = clock.now()
    users = (
        User.objects.filter(is_active=True)
        .select_related("staff__team", "staff__manager")
        .annotate(
            has_totp=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        )
        .order_by("last_name", "first_name", "pk")
    )
    children = Person.objects.children()
    rows = []
    for user in users:
        staff = getattr(user, "staff", None)
        visible = children.visible_to(user)
        rows.append(
            AccessReviewRow(
                user=user,
                team=str(staff.team) if staff is not None and staff.team is not None else "",
                manager=str(staff.manager) if staff is not None and staff.manager is not None else "",
                children_visible=visible.count(),
                restricted_granted=visible.filter(restricted=True).count(),
                grants_active=AccessGrant.objects.filter(user=user, expires_at__gt=now).count(),
                two_factor=bool(user.has_totp),  # type: ignore[attr-defined]
            )
        )
    return rows


def _owned_child_ids(user: Any) -> QuerySet[Any]:
    """Children whose current allocation names the user, or a team the user manages (the record's owners)."""
    from safehold.workforce.models import Allocation

    staff = getattr(user, "staff", None)
    if staff is None:
        return Allocation.objects.none().values("child_id")
    return (
        Allocation.objects.filter(end_date__isnull=True)
        .filter(Q(worker=staff) | Q(team__manager=staff))
        .values("child_id")
    )


def break_glass_events_for(*, user: Any) -> QuerySet[AccessEvent]:
    """Break-glass openings the user should see: every one for the DPO; those on their own children for owners."""
    events = AccessEvent.objects.filter(break_glass=True)
    if user.role == Role.DATA_PROTECTION_OFFICER:
        return events
    return events.filter(child_id__in=_owned_child_ids(user))

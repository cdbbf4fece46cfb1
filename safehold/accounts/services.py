"""Writes about accounts: two-factor enrolment, break-glass access, joiners and leavers.

Each service is atomic and writes its audit event in the same transaction (``core.services.service``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehold.accounts.models import User
from safehold.accounts.roles import Role
from safehold.audit.services import access_record, audit_record
from safehold.core import clock
from safehold.core.auditing import create_audited, update_audited
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service
from safehold.people.models import AccessGrant, Person
from safehold.people.policies import may_break_glass
from safehold.workforce.choices import ChangeReason, StaffRole
from safehold.workforce.models import Allocation, StaffMember, Team
from safehold.workforce.services import allocation_set, staff_create

#: ``AccessGrant.granted_by_label`` of a grant opened by break-glass (rather than a named access list).
BREAK_GLASS_LABEL = "break-glass"
TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


# --- Two-factor authentication ----------------------------------------------------------------------


def two_factor_pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator-app device the user is enrolling (created on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


@service
def two_factor_enrol(*, user: User, device: TOTPDevice, token: str, request_id: str = "") -> list[str]:
    """Confirm an authenticator app with a code from it; issue fresh backup codes and return them (shown once)."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationFailed({"token": ["Start setting up your authenticator app again"]})
    if not device.verify_token(token.strip().replace(" ", "")):
        raise ValidationFailed({"token": ["The code is not correct. Enter the 6-digit code your app shows now"]})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = backup_codes_issue(user=user)
    audit_record(
        actor=user,
        action="account.two_factor_enrolled",
        object_type="accounts.User",
        object_id=str(user.pk),
        after={"devices": [TOTP_DEVICE_NAME, BACKUP_DEVICE_NAME]},
        request_id=request_id,
    )
    return codes


@service
def backup_codes_issue(*, user: User) -> list[str]:
    """Replace the user's backup codes with a fresh set; return them (they are never shown again)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    count = int(getattr(settings, "SAFEHOLD_BACKUP_CODE_COUNT", 10))
    codes = [StaticToken.random_token() for _ in range(count)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(actor=user, action="account.backup_codes_issued", object_type="accounts.User", object_id=str(user.pk))
    return codes


@service
def two_factor_demo_enrol(*, user: User) -> tuple[str, list[str]]:
    """Demo only: pre-enrol an account; return its TOTP setup key (base32) and fresh backup codes to print."""
    import base64

    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
    codes = backup_codes_issue(user=user)
    audit_record(
        actor=None, action="account.two_factor_demo_enrolled", object_type="accounts.User", object_id=str(user.pk)
    )
    return base64.b32encode(device.bin_key).decode(), codes


@service
def two_factor_reset(*, actor: Any, user: User, reason: str, request_id: str = "") -> None:
    """Remove a user's second factors (lost phone): they enrol again at their next sign-in."""
    if not reason.strip():
        raise ValidationFailed({"reason": ["Enter the reason for resetting two-factor authentication"]})
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _end_sessions(user)
    audit_record(
        actor=actor,
        action="account.two_factor_reset",
        object_type="accounts.User",
        object_id=str(user.pk),
        reason=reason.strip(),
        request_id=request_id,
    )


# --- Explicit grants (restricted-record access lists, inspectors' case samples) -----------------------


@service
def access_grant_create(
    *, actor: Any, child: Person, user: User, reason: str, expires_at: dt.datetime, request_id: str = ""
) -> AccessGrant:
    """Give one user access to one child's record until ``expires_at`` (a named access list entry, a case sample)."""
    if not reason.strip():
        raise ValidationFailed({"reason": ["Enter the reason for the grant"]})
    if expires_at <= clock.now():
        raise ValidationFailed({"expires_at": ["The grant must end in the future"]})
    grant = AccessGrant(
        child=child, user=user, reason=reason.strip(), granted_by_label=_label(actor), expires_at=expires_at
    )
    return create_audited(grant, actor=actor, action="access_grant.created", child_id=child.pk, request_id=request_id)


def _label(actor: Any) -> str:
    if actor is None:
        return "system"
    return str(actor.get_full_name() or actor.get_username())


# --- Break-glass --------------------------------------------------------------------------------------


@service
def break_glass_open(*, actor: User, child: Person, reason: str, request_id: str = "", path: str = "") -> AccessGrant:
    """Open a restricted record the actor may not otherwise see, for a limited time, with a reason.

    The grant is an :class:`AccessGrant` marked ``granted_by_label="break-glass"``; the opening is logged
    as an :class:`AccessEvent` with ``break_glass=True`` and an :class:`AuditEvent`, both carrying the reason.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": ["Enter the reason you need to open this restricted record"]})
    if len(reason) > 2000:
        raise ValidationFailed({"reason": ["The reason must be 2000 characters or fewer"]})
    if not may_break_glass(actor) or not child.is_child_record or not child.restricted:
        raise ValidationFailed("Break-glass access is not available for this record")
    expires_at = clock.now() + dt.timedelta(seconds=int(getattr(settings, "SAFEHOLD_BREAK_GLASS_SECONDS", 1800)))
    grant = AccessGrant(
        child=child, user=actor, reason=reason, granted_by_label=BREAK_GLASS_LABEL, expires_at=expires_at
    )
    create_audited(
        grant, actor=actor, action="break_glass.opened", child_id=child.pk, reason=reason, request_id=request_id
    )
    access_record(
        actor=actor,
        kind="view",
        child_id=child.pk,
        path=path,
        detail=f"Break-glass access opened until {timezone.localtime(expires_at):%H:%M}",
        break_glass=True,
        reason=reason,
        request_id=request_id,
    )
    return grant


def break_glass_active(*, user: Any, child: Person) -> bool:
    return AccessGrant.objects.filter(
        child=child, user_id=user.pk, granted_by_label=BREAK_GLASS_LABEL, expires_at__gt=clock.now()
    ).exists()


# --- Joiners and leavers ------------------------------------------------------------------------------

#: The workforce role recorded for a new account's staff record, by account role.
STAFF_ROLE_FOR: dict[str, str] = {
    Role.SOCIAL_WORKER: StaffRole.SOCIAL_WORKER,
    Role.TEAM_MANAGER: StaffRole.TEAM_MANAGER,
    Role.CP_CHAIR_IRO: StaffRole.CP_CHAIR_IRO,
    Role.HEAD_OF_SERVICE: StaffRole.HEAD_OF_SERVICE,
    Role.DIRECTOR: StaffRole.DIRECTOR,
    Role.BUSINESS_SUPPORT: StaffRole.BUSINESS_SUPPORT,
}


@service
def staff_account_create(
    *,
    actor: Any,
    username: str,
    given_name: str,
    family_name: str,
    email: str,
    role: str,
    password: str,
    team: Team | None = None,
    manager: StaffMember | None = None,
    sw_id: str = "",
    start_date: dt.date | None = None,
    request_id: str = "",
) -> User:
    """A joiner: a user account with a role, and (for council staff) a staff record in a team under a manager.

    The initial password must pass the password rules; the new user enrols two-factor authentication at
    their first sign-in.
    """
    errors: dict[str, list[str]] = {}
    username = username.strip()
    if not username:
        errors["username"] = ["Enter a username"]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = ["That username is already taken"]
    if role not in Role.values:
        errors["role"] = ["Select a role"]
    if not given_name.strip():
        errors["given_name"] = ["Enter the first name"]
    if not family_name.strip():
        errors["family_name"] = ["Enter the last name"]
    staff_role = STAFF_ROLE_FOR.get(role)
    if staff_role is not None and not sw_id.strip():
        errors["sw_id"] = ["Enter the staff id (Social Work England number or local id)"]
    if staff_role is None and (team is not None or manager is not None):
        errors["team"] = ["Only council social care staff belong to a team"]
    user = User(
        username=username,
        first_name=given_name.strip(),
        last_name=family_name.strip(),
        email=email.strip(),
        role=role,
        is_staff=role == Role.SYSTEM_ADMINISTRATOR,
    )
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        errors["password"] = [str(m) for m in exc.messages]
    if errors:
        raise ValidationFailed(errors)
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action="account.created",
        object_type="accounts.User",
        object_id=str(user.pk),
        after={"username": user.username, "role": role, "team": team.pk if team else None},
        request_id=request_id,
    )
    if staff_role is not None:
        staff_create(
            actor=actor,
            user=user,
            sw_id=sw_id.strip(),
            given_name=user.first_name,
            family_name=user.last_name,
            role=staff_role,
            team=team,
            manager=manager,
            start_date=start_date or clock.today(),
        )
    return user


def _end_sessions(user: User, *, keep: str | None = None) -> int:
    """Delete every unexpired session that belongs to ``user`` (but the one keyed ``keep``); return how many."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=clock.now()).exclude(session_key=keep or "").iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@service
def staff_leave(*, actor: Any, user: User, leave_date: dt.date | None = None, request_id: str = "") -> int:
    """A leaver: access ends at once, their sessions end, their open cases become unallocated in the team.

    Returns the number of children moved to "unallocated" (team kept, no named worker, reason LEFTRL), so
    they appear on their manager's unallocated list.
    """
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise ValidationFailed("You cannot close your own account")
    leave_date = leave_date or clock.today()
    before = {"is_active": user.is_active}
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions = _end_sessions(user)
    audit_record(
        actor=actor,
        action="account.closed",
        object_type="accounts.User",
        object_id=str(user.pk),
        before=before,
        after={"is_active": False, "sessions_ended": sessions},
        request_id=request_id,
    )
    moved = 0
    staff = StaffMember.objects.filter(user=user).first()
    if staff is None:
        return moved
    if staff.leave_date is None:
        update_audited(
            staff,
            actor=actor,
            action="staff.left",
            child_id=None,
            changes={"leave_date": max(leave_date, staff.start_date)},
            request_id=request_id,
        )
    open_allocations = Allocation.objects.filter(worker=staff, end_date__isnull=True).select_related("child", "team")
    for allocation in open_allocations:
        allocation_set(
            actor=actor,
            child=allocation.child,
            team=allocation.team,
            worker=None,
            start_date=max(leave_date, allocation.start_date),
            reason=ChangeReason.LEFTRL,
            request_id=request_id,
        )
        moved += 1
    return moved


# --- Passwords ------------------------------------------------------------------------------------------


@service
def password_set(
    *,
    actor: Any,
    user: User,
    password: str,
    action: str,
    keep_session_key: str | None = None,
    request_id: str = "",
) -> int:
    """Set ``user``'s password (a change when signed in, or a reset by emailed link) and end every other
    session they have, so a stolen session does not outlive the new password. Returns the sessions ended.

    The password must pass the password rules (AUTH_PASSWORD_VALIDATORS). The second factor is unchanged:
    the next sign-in still asks for it.
    """
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationFailed({"new_password1": [str(m) for m in exc.messages]}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    ended = _end_sessions(user, keep=keep_session_key)
    audit_record(
        actor=actor,
        action=action,
        object_type="accounts.User",
        object_id=str(user.pk),
        after={"sessions_ended": ended},
        request_id=request_id,
    )
    return ended


@service
def password_change_refused(*, user: User, request_id: str = "") -> None:
    """Record a wrong current password on the change-password page (a signed-in session guessing it)."""
    audit_record(
        actor=user,
        action="account.password_change_failed",
        object_type="accounts.User",
        object_id=str(user.pk),
        request_id=request_id,
    )

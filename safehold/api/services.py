"""Writes for the API and partner referrals: client tokens, rate-limit windows, partner referrals."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.db.models import F

from safehold.accounts.roles import Role
from safehold.api.models import ApiClient, ApiRateWindow, PartnerReferral, Scope
from safehold.audit.services import audit_record
from safehold.casework.services import contact_record
from safehold.core import clock
from safehold.core.exceptions import ValidationFailed
from safehold.core.services import service
from safehold.people.models import Person
from safehold.people.services import child_create

TOKEN_PREFIX = "shk"  # noqa: S105 - the public prefix of every token, not a secret


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedClient:
    client: ApiClient
    token: str  # shown once; only its hash is stored


@service
def api_client_create(
    *, actor: Any, name: str, owner: Any, scopes: list[str], rate_limit_per_minute: int = 120
) -> IssuedClient:
    """Create a client and its token. The token is returned once and never stored."""
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise ValidationFailed({"scopes": [f"Unknown scope: {', '.join(unknown)}"]})
    if not name.strip():
        raise ValidationFailed({"name": ["Enter a name for the client"]})
    if rate_limit_per_minute < 1:
        raise ValidationFailed({"rate_limit_per_minute": ["The rate limit must be at least 1"]})
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    client = ApiClient.objects.create(
        name=name.strip(),
        owner=owner,
        token_prefix=prefix,
        token_hash=_hash(token),
        scopes=sorted(set(scopes)),
        rate_limit_per_minute=rate_limit_per_minute,
    )
    audit_record(
        actor=actor,
        action="api_client.created",
        instance=client,
        after={"name": client.name, "owner_id": owner.pk, "scopes": client.scopes},
    )
    return IssuedClient(client=client, token=token)


@service
def api_client_revoke(*, actor: Any, client: ApiClient) -> ApiClient:
    client.is_active = False
    client.save(update_fields=["is_active"])
    audit_record(actor=actor, action="api_client.revoked", instance=client)
    return client


def api_client_authenticate(token: str) -> ApiClient | None:
    """The active client whose token this is (its owner active too), else None. Constant-time compare."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    client = ApiClient.objects.select_related("owner").filter(token_prefix=parts[1], is_active=True).first()
    if client is None or not hmac.compare_digest(client.token_hash, _hash(token)):
        return None
    if not client.owner.is_active:
        return None
    return client


@service
def rate_limit_hit(*, client: ApiClient, now: dt.datetime | None = None) -> tuple[bool, int]:
    """Count one request in the client's current one-minute window: (allowed, seconds until the window ends)."""
    now = now or clock.now()
    start = now.replace(second=0, microsecond=0)
    window, _ = ApiRateWindow.objects.get_or_create(client=client, window_start=start)
    ApiRateWindow.objects.filter(pk=window.pk).update(count=F("count") + 1)
    window.refresh_from_db(fields=["count"])
    ApiRateWindow.objects.filter(client=client, window_start__lt=start).delete()
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    retry_after = max(1, 60 - now.second)
    return window.count <= client.rate_limit_per_minute, retry_after


# --- Partner referrals ------------------------------------------------------------------------------------


def _match_child(*, given_name: str, family_name: str, date_of_birth: dt.date) -> Person | None:
    """The one child's record with exactly this name and date of birth, if exactly one exists."""
    matches = list(
        Person.objects.children()
        .filter(given_name__iexact=given_name, family_name__iexact=family_name, date_of_birth=date_of_birth)
        .values_list("pk", flat=True)[:2]
    )
    if len(matches) != 1:
        return None
    return Person.objects.get(pk=matches[0])


@service
def partner_referral_create(
    *,
    actor: Any,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date,
    source: str,
    summary: str,
    referrer_name: str,
    request_id: str = "",
) -> PartnerReferral:
    """A partner's concern lands at the front door as a contact on the matched (or a new) child's record.

    The result is the same whether or not a child matched, so the partner learns nothing about the record.
    """
    if getattr(actor, "role", None) != Role.PARTNER:
        raise ValidationFailed("Only partner agency accounts can make a partner referral")
    errors: dict[str, list[str]] = {}
    if not given_name.strip():
        errors["given_name"] = ["Enter the child's first name"]
    if not family_name.strip():
        errors["family_name"] = ["Enter the child's last name"]
    if date_of_birth > clock.today():
        errors["date_of_birth"] = ["The date of birth must be in the past"]
    if not summary.strip():
        errors["summary"] = ["Enter what you are worried about"]
    if errors:
        raise ValidationFailed(errors)
    child = _match_child(given_name=given_name.strip(), family_name=family_name.strip(), date_of_birth=date_of_birth)
    if child is None:
        child = child_create(
            actor=actor,
            given_name=given_name.strip(),
            family_name=family_name.strip(),
            date_of_birth=date_of_birth,
            request_id=request_id,
        )
    contact = contact_record(
        actor=actor,
        child=child,
        received_at=clock.now(),
        source=source,
        summary=summary.strip(),
        referrer_name=referrer_name.strip(),
        request_id=request_id,
    )
    referral = PartnerReferral.objects.create(partner=actor, contact=contact)
    audit_record(
        actor=actor, action="partner_referral.created", instance=referral, child_id=child.pk, request_id=request_id
    )
    return referral

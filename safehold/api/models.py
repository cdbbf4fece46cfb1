"""API clients (per-client tokens with scopes), their rate-limit windows, and partner referrals."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from safehold.core import clock


class Scope(models.TextChoices):
    CHILDREN_READ = "children:read", "Read a child's summary and deadlines"
    CASELOAD_READ = "caseload:read", "Read the caseload of the client's user"
    CONTACTS_WRITE = "contacts:write", "Record a contact about a child"
    RETURNS_JOBS = "returns:jobs", "Request and download statutory returns and Annex A (an analyst's client)"


class ApiClient(models.Model):
    """A system that calls the API. It acts as its owner: the owner's visibility and role decide what it sees.

    Only a SHA-256 hash of the token is kept (tokens are 256-bit random, so a fast hash is enough); the
    token itself is shown once, when the client is created (:func:`safehold.api.services.api_client_create`).
    """

    name = models.CharField(max_length=120)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_clients")
    token_prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    rate_limit_per_minute = models.PositiveIntegerField(default=120)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])


class ApiRateWindow(models.Model):
    """Requests made by one client in one fixed one-minute window."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="rate_windows")
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "window_start"], name="one_rate_window")]

    def __str__(self) -> str:
        return f"{self.client_id} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class PartnerReferral(models.Model):
    """A concern a partner referred: links the partner to the contact it created, and nothing more.

    The partner is shown only ``reference``, when it was received, and the contact's decision and date.
    """

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_referrals")
    contact = models.ForeignKey(
        "casework.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="partner_referrals"
    )
    submitted_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Partner referral {self.short_reference}"

    @property
    def short_reference(self) -> str:
        return self.reference.hex[:8].upper()

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from safehold.accounts.roles import Role


class User(AbstractUser):
    """A person who signs in. Their role gives coarse capabilities; their staff record links them to a team."""

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.SOCIAL_WORKER)

    class Meta:
        ordering = ["last_name", "first_name"]

    @property
    def role_label(self) -> str:
        return Role(self.role).label

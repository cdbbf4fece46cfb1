"""System checks: a deployment without a secret key is refused before it serves anything."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """``manage.py check --deploy`` fails when SAFEHOLD_SECRET_KEY is missing. The settings leave the key empty
    rather than fail on import, so that commands which sign nothing (``makemigrations --check``, ``migrate``) run
    without one; the web server refuses to start (config/wsgi.py) and anything that signs raises."""
    if not settings.SAFEHOLD_HAS_SECRET_KEY:
        return [Error(settings.SECRET_KEY_MISSING_MESSAGE, id="safehold.E001")]
    return []

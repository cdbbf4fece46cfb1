"""Sign-out after a period of inactivity (ASVS: session timeout), on top of the absolute session age."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from safehold.core import clock

LAST_SEEN_KEY = "safehold_last_seen"
#: Refresh the last-seen time at most this often (seconds), so reads do not write the session every time.
TOUCH_EVERY = 60


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and "_auth_user_id" in session:
            now = int(clock.now().timestamp())
            last_seen = session.get(LAST_SEEN_KEY)
            idle = int(getattr(settings, "SAFEHOLD_SESSION_IDLE_SECONDS", 30 * 60))
            if isinstance(last_seen, int) and now - last_seen > idle:
                logout(request)
                request.session["safehold_signed_out_idle"] = True
            elif not isinstance(last_seen, int) or now - last_seen >= TOUCH_EVERY:
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)

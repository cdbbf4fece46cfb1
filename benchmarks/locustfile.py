"""Locust users for the page benchmark (``benchmarks/bench_pages.py`` starts the server and runs this headless).

Each simulated user takes one of the accounts the bench prepared (``BENCH_PAGES_ACCOUNTS``, a JSON file:
username, password, the base32 key of their enrolled authenticator app, role and the children they may open)
and signs in as a person does: the sign-in form, then the 6-digit code an authenticator app would show,
computed here from the key (RFC 6238). Only when every user has signed in do the page requests start, so the
password hashing of twenty sign-ins does not sit inside the page figures; the run then lasts
``BENCH_PAGES_MEASURE_SECONDS`` (default 120) and stops (locust's ``-t`` is only a safety limit).

Social workers request their caseload, a child allocated to them and the baseline page; team managers the team
page, a child in their team and the baseline page. Request names: caseload, child, team, baseline.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import random
import re
import time
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import urlsplit

import gevent
import gevent.event
from locust import HttpUser, between, events, task

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_ACCOUNTS: list[dict[str, Any]] = []
_SIGNED_IN = gevent.event.Event()
_state = {"signed_in": 0, "expected": 0}

# The server runs with production settings, so its session and CSRF cookies are Secure. Browsers send Secure
# cookies to http://127.0.0.1 (a loopback address is a secure context); Python's cookie jars do not, so this
# load generator (and only it) treats the loopback address the same way.
_return_ok_secure = DefaultCookiePolicy.return_ok_secure


def _loopback_is_secure(self: DefaultCookiePolicy, cookie: Any, request: Any) -> bool:
    if urlsplit(request.get_full_url()).hostname == "127.0.0.1":
        return True
    return bool(_return_ok_secure(self, cookie, request))


DefaultCookiePolicy.return_ok_secure = _loopback_is_secure  # type: ignore[method-assign]


def totp(key_b32: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows now (RFC 6238, HMAC-SHA1, as django-otp's TOTP devices use)."""
    key = base64.b32decode(key_b32)
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, counter.to_bytes(8, "big"), "sha1").digest()
    offset = mac[-1] & 0x0F
    code = (int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


@events.init.add_listener
def _load_accounts(environment: Any, **_kwargs: Any) -> None:
    with open(os.environ["BENCH_PAGES_ACCOUNTS"], encoding="utf-8") as fh:
        _ACCOUNTS.extend(json.load(fh))
    options = environment.parsed_options
    _state["expected"] = int(getattr(options, "num_users", 0) or len(_ACCOUNTS))


def _take(role: str) -> dict[str, Any]:
    for i, account in enumerate(_ACCOUNTS):
        if account["role"] == role:
            return _ACCOUNTS.pop(i)
    raise RuntimeError(f"No bench account left for {role}: the bench prepares one per simulated user")


class _Staff(HttpUser):
    abstract = True
    role = ""
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.account = _take(self.role)
        self._sign_in()
        _state["signed_in"] += 1
        if _state["signed_in"] >= _state["expected"] and not _SIGNED_IN.is_set():
            _SIGNED_IN.set()
            seconds = float(os.environ.get("BENCH_PAGES_MEASURE_SECONDS", "120"))
            print(f"all {_state['expected']} users signed in: measuring pages for {seconds:g}s", flush=True)
            runner = self.environment.runner
            assert runner is not None
            gevent.spawn_later(seconds, runner.quit)
        _SIGNED_IN.wait(timeout=120)

    def _form_token(self, html: str) -> str:
        match = _CSRF.search(html)
        if not match:
            raise RuntimeError("No CSRF token on the form")
        return match.group(1)

    def _sign_in(self) -> None:
        page = self.client.get("/accounts/sign-in/", name="sign-in (form)")
        response = self.client.post(
            "/accounts/sign-in/",
            data={
                "username": self.account["username"],
                "password": self.account["password"],
                "csrfmiddlewaretoken": self._form_token(page.text),
                "next": "/",
            },
            headers={"Referer": page.url},
            name="sign-in (password)",
        )
        if "/accounts/two-factor/" not in response.url:
            raise RuntimeError(f"{self.account['username']}: password step did not lead to two-factor")
        done = self.client.post(
            response.url,
            data={
                "token": totp(self.account["totp_key"]),
                "csrfmiddlewaretoken": self._form_token(response.text),
                "next": "/",
            },
            headers={"Referer": response.url},
            name="sign-in (two-factor)",
        )
        if "/accounts/" in done.url or done.status_code != 200:
            raise RuntimeError(f"{self.account['username']}: two-factor step refused ({done.status_code} {done.url})")

    def _page(self, url: str, name: str, marker: str) -> None:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/accounts/" in response.url:
                response.failure(f"sent to {response.url}")
            elif marker not in response.text:
                response.failure(f"page without {marker!r}")
            else:
                response.success()

    def _child(self) -> None:
        child_id = random.choice(self.account["child_ids"])  # noqa: S311 - load generation, not security
        self._page(f"/children/{child_id}/", "child", "Chronology")

    def _baseline(self) -> None:
        self._page("/baseline/", "baseline", "<h1")


class SocialWorker(_Staff):
    weight = 3
    role = "social_worker"

    @task
    def caseload(self) -> None:
        self._page("/", "caseload", "My caseload")

    @task
    def child(self) -> None:
        self._child()

    @task
    def baseline(self) -> None:
        self._baseline()


class TeamManager(_Staff):
    weight = 1
    role = "team_manager"

    @task
    def team(self) -> None:
        self._page("/team/", "team", "Team caseloads")

    @task
    def child(self) -> None:
        self._child()

    @task
    def baseline(self) -> None:
        self._baseline()

"""Deny by default: every URL declares a policy; child records are 404 to those who may not see them."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from safehold.accounts.policies import POLICIES, policy_of
from safehold.audit.models import AccessEvent
from safehold.core.testing import allocate, make_child


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def test_every_url_declares_a_known_policy():
    routes = list(_walk(get_resolver().url_patterns))
    assert len(routes) > 5
    missing = [route for route, view in routes if policy_of(view) not in POLICIES]
    assert missing == []


@pytest.mark.django_db
def test_child_record_is_visible_to_the_allocated_worker_and_logged(client, personas):
    child = make_child()
    allocate(child, personas.social_worker)
    client.force_login(personas.social_worker)
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 200
    assert child.family_name in response.content.decode()
    event = AccessEvent.objects.get(child_id=child.pk)
    assert event.actor_id == personas.social_worker.pk
    assert event.kind == "view"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_worker", "partner", "councillor", "nobody", "inspector"])
def test_child_record_is_404_to_those_without_a_relationship(client, personas, who):
    child = make_child()
    allocate(child, personas.social_worker)
    client.force_login(getattr(personas, who))
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 404
    assert not AccessEvent.objects.filter(child_id=child.pk).exists()


@pytest.mark.django_db
def test_signed_out_users_are_sent_to_sign_in(client):
    child = make_child()
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_security_headers(client, personas, signed_in):
    if signed_in:
        client.force_login(personas.social_worker)  # verified (safehold.accounts.testing)
    response = client.get("/accounts/sign-in/" if not signed_in else "/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                      "object-src 'none'", "base-uri 'none'", "form-action 'self'"):  # fmt: skip
        assert directive in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Request-Id"]


@pytest.mark.django_db
def test_forms_carry_a_csrf_token_and_posts_without_one_are_refused(personas):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    page = strict.get("/accounts/sign-in/")
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    refused = strict.post("/accounts/sign-in/", {"username": personas.social_worker.username, "password": "x"})
    assert refused.status_code == 403


def test_session_and_password_settings():
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SAFEHOLD_SESSION_IDLE_SECONDS <= 30 * 60
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    names = {v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator", "UserAttributeSimilarityValidator"} <= names


@pytest.mark.django_db
def test_wrong_password_reshows_the_form_with_an_error_summary(client, personas):
    response = client.post("/accounts/sign-in/", {"username": personas.social_worker.username, "password": "nope"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Enter a correct username and password" in body
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_empty_sign_in_names_each_missing_field(client):
    response = client.post("/accounts/sign-in/", {"username": "", "password": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter your username" in body and "Enter your password" in body
    assert 'href="#id_username"' in body


@pytest.mark.django_db
def test_every_non_public_page_needs_a_second_factor(client, personas):
    """A password-only session reaches nothing but sign-in, sign-out and the two-factor pages."""
    from safehold.accounts.policies import OTP_EXEMPT_POLICIES
    from safehold.accounts.testing import unverified_force_login

    child = make_child()
    allocate(child, personas.social_worker)
    unverified_force_login(client, personas.social_worker)
    checked = 0
    for route, view in _walk(get_resolver().url_patterns):
        if policy_of(view) in OTP_EXEMPT_POLICIES or "(?P<" in route:
            continue
        path = "/" + route.replace("<int:pk>", str(child.pk)).replace("<int:user_pk>", str(personas.colleague.pk))
        if "<" in path:
            continue
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/two-factor/?next="), path
        checked += 1
    assert checked > 5
    assert not AccessEvent.objects.filter(child_id=child.pk).exists()

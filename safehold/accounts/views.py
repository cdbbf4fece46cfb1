"""Sign-in with a second factor, break-glass, joiners and leavers, the access review. Thin adapters."""

from __future__ import annotations

import base64
import io
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from safehold.accounts import selectors, services
from safehold.accounts.forms import (
    BreakGlassForm,
    NewPasswordForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    SignInForm,
    StaffAccountForm,
    TwoFactorForm,
    TwoFactorSetupForm,
)
from safehold.accounts.models import User
from safehold.accounts.policies import is_verified, policy
from safehold.audit.services import audit_record
from safehold.core.exceptions import ValidationFailed
from safehold.people.models import Person
from safehold.people.policies import can_view_person


def _request_id(request: HttpRequest) -> str:
    return str(getattr(request, "request_id", ""))


def _safe_next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _add_errors(form: Any, exc: ValidationFailed) -> None:
    for field, messages in exc.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


# --- Sign-in and the second factor --------------------------------------------------------------------


@policy("public")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        # The password is only the first step: every account then gives its second factor.
        if is_verified(self.request.user):
            return str(super().get_success_url())
        query = urlencode({"next": self.get_redirect_url() or reverse(settings.LOGIN_REDIRECT_URL)})
        return f"{reverse('accounts:two-factor')}?{query}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["signed_out_idle"] = self.request.session.pop("safehold_signed_out_idle", False)
        return context


sign_in = SignInView.as_view()
sign_out = policy("public")(require_POST(auth_views.LogoutView.as_view(next_page="accounts:sign-in")))


@policy("two_factor")
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in: a code from the authenticator app, or a backup code."""
    user = request.user
    next_url = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if is_verified(user):
        return HttpResponseRedirect(next_url)
    if not user_has_device(user):
        return HttpResponseRedirect(f"{reverse('accounts:two-factor-setup')}?{urlencode({'next': next_url})}")
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"].strip().replace(" ", ""))
        if device is not None:
            request.session.cycle_key()
            otp_login(request, device)
            return HttpResponseRedirect(next_url)
        audit_record(
            actor=user,
            action="account.two_factor_failed",
            object_type="accounts.User",
            object_id=str(user.pk),
            request_id=_request_id(request),
        )
        form.add_error("token", "The security code is not correct, or has already been used. Enter a new code")
    return render(request, "accounts/two_factor.html", {"form": form, "next": next_url, "form_errors": form.errors})


def _qr_data_uri(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@policy("two_factor")
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in: link an authenticator app, then see the backup codes once."""
    user = request.user
    assert isinstance(user, User)
    next_url = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if is_verified(user):
        return HttpResponseRedirect(next_url)
    if user_has_device(user):
        return HttpResponseRedirect(f"{reverse('accounts:two-factor')}?{urlencode({'next': next_url})}")
    device = services.two_factor_pending_device(user=user)
    form = TwoFactorSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_enrol(
                user=user, device=device, token=form.cleaned_data["token"], request_id=_request_id(request)
            )
        except ValidationFailed as exc:
            _add_errors(form, exc)
        else:
            request.session.cycle_key()
            otp_login(request, device)
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": next_url})
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "form_errors": form.errors,
        "next": next_url,
        "qr": _qr_data_uri(device.config_url),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
    }
    return render(request, "accounts/two_factor_setup.html", context)


def locked_out(request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None) -> HttpResponse:
    """django-axes calls this for a sign-in attempt on a locked account."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


# --- Passwords: change when signed in, reset by an emailed link --------------------------------------------


@policy("signed_in")
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Change your own password: the current one, then a new one that meets the rules. Ends your other sessions."""
    user = request.user
    assert isinstance(user, User)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.password_set(
                    actor=user,
                    user=user,
                    password=form.cleaned_data["new_password1"],
                    action="account.password_changed",
                    keep_session_key=request.session.session_key,
                    request_id=_request_id(request),
                )
            except ValidationFailed as exc:
                _add_errors(form, exc)
            else:
                update_session_auth_hash(request, user)
                flash.success(request, "Your password has been changed. Any other sessions you had open have ended.")
                return HttpResponseRedirect(reverse(settings.LOGIN_REDIRECT_URL))
        elif "old_password" in form.errors:
            services.password_change_refused(user=user, request_id=_request_id(request))
    return render(request, "accounts/password_change.html", {"form": form, "form_errors": form.errors})


@policy("public")
class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link to set a new password. The answer is the same whether or not the address has an account."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form_errors"] = context["form"].errors
        context["timeout_minutes"] = int(settings.PASSWORD_RESET_TIMEOUT) // 60
        return context


@policy("public")
class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


@policy("public")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The emailed link: set a new password. The link works once, and only until PASSWORD_RESET_TIMEOUT."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None  # a leaver's old link does nothing

    def form_valid(self, form: Any) -> HttpResponse:
        # Written through the service (audited, other sessions ended) rather than form.save().
        user = self.user
        assert user is not None  # a form is only shown for a valid link
        try:
            services.password_set(
                actor=user,
                user=user,
                password=form.cleaned_data["new_password1"],
                action="account.password_reset",
                request_id=_request_id(self.request),
            )
        except ValidationFailed as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(str(self.success_url))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form_errors"] = context["form"].errors if context.get("form") is not None else {}
        return context


@policy("public")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


password_reset = PasswordResetView.as_view()
password_reset_sent = PasswordResetSentView.as_view()
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = PasswordResetCompleteView.as_view()


# --- Break-glass --------------------------------------------------------------------------------------


@policy("break_glass")
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a restricted record by giving a reason. Shows no name or detail until the reason is given."""
    child = get_object_or_404(Person.objects.children(), pk=pk, restricted=True)
    if can_view_person(request.user, child):
        return HttpResponseRedirect(reverse("frontend:child", kwargs={"pk": child.pk}))
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass_open(
                actor=request.user,  # type: ignore[arg-type]
                child=child,
                reason=form.cleaned_data["reason"],
                request_id=_request_id(request),
                path=request.path,
            )
        except ValidationFailed as exc:
            _add_errors(form, exc)
        else:
            return HttpResponseRedirect(reverse("frontend:child", kwargs={"pk": child.pk}))
    minutes = int(getattr(settings, "SAFEHOLD_BREAK_GLASS_SECONDS", 1800)) // 60
    return render(
        request,
        "accounts/break_glass.html",
        {"form": form, "form_errors": form.errors, "child_pk": child.pk, "minutes": minutes},
    )


@policy("named_children")
def break_glass_log(request: HttpRequest) -> HttpResponse:
    """Break-glass openings: every one for the DPO; for workers and managers, those on their own children."""
    page = Paginator(selectors.break_glass_events_for(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/break_glass_log.html", {"page": page, "nav": "break-glass"})


# --- Joiners, leavers and the access review -----------------------------------------------------------


@policy("admin")
def staff_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.select_related("staff__team").order_by("-is_active", "last_name", "first_name")
    page = Paginator(users, 100).get_page(request.GET.get("page"))
    return render(request, "accounts/staff_list.html", {"page": page, "nav": "staff"})


@policy("admin")
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest) -> HttpResponse:
    form = StaffAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.staff_account_create(
                actor=request.user,
                username=data["username"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                email=data["email"] or "",
                role=data["role"],
                password=data["password"],
                team=data["team"],
                manager=data["manager"],
                sw_id=data["sw_id"] or "",
                request_id=_request_id(request),
            )
        except ValidationFailed as exc:
            _add_errors(form, exc)
        else:
            return HttpResponseRedirect(reverse("accounts:staff"))
    return render(request, "accounts/staff_new.html", {"form": form, "form_errors": form.errors, "nav": "staff"})


@policy("admin")
@require_http_methods(["GET", "POST"])
def staff_leave(request: HttpRequest, user_pk: int) -> HttpResponse:
    leaver = get_object_or_404(User.objects.select_related("staff"), pk=user_pk, is_active=True)
    if leaver.pk == request.user.pk:
        raise Http404("No such page")
    if request.method == "POST":
        moved = services.staff_leave(actor=request.user, user=leaver, request_id=_request_id(request))
        return render(request, "accounts/staff_left.html", {"leaver": leaver, "moved": moved, "nav": "staff"})
    open_cases = leaver.staff.allocations.filter(end_date__isnull=True).count() if hasattr(leaver, "staff") else 0
    return render(request, "accounts/staff_leave.html", {"leaver": leaver, "open_cases": open_cases, "nav": "staff"})


@policy("access_review")
def access_review(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/access_review.html", {"rows": selectors.access_review_rows(), "nav": "review"})

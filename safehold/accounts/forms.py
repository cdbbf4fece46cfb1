from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts

from safehold.accounts.roles import Role
from safehold.workforce.models import StaffMember, Team


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account has been closed",
    }

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["username"].widget = forms.TextInput(
            attrs={"class": "govuk-input govuk-!-width-one-half", "autocomplete": "username", "spellcheck": "false"}
        )
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"class": "govuk-input govuk-!-width-one-half", "autocomplete": "current-password"}
        )
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


def _text(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "govuk-input govuk-!-width-one-half", **attrs})


class TwoFactorForm(forms.Form):
    token = forms.CharField(
        label="Security code",
        help_text="Enter the 6-digit code from your authenticator app, or one of your backup codes",
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-10",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "aria-describedby": "id_token-hint",
            }
        ),
        error_messages={"required": "Enter the security code"},
    )


class TwoFactorSetupForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        help_text="Enter the 6-digit code your app shows for Safehold",
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-5",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "aria-describedby": "id_token-hint",
            }
        ),
        error_messages={"required": "Enter the code from your authenticator app"},
    )


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text="Your reason, your name and the time are shown to the data protection officer and the record's owner",
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4, "aria-describedby": "id_reason-hint"}),
        error_messages={"required": "Enter the reason you need to open this restricted record"},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter the reason you need to open this restricted record")
        return str(reason)


class StaffAccountForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        widget=_text(autocomplete="off", spellcheck="false"),
        error_messages={"required": "Enter a username"},
    )
    given_name = forms.CharField(
        label="First name", max_length=100, widget=_text(), error_messages={"required": "Enter the first name"}
    )
    family_name = forms.CharField(
        label="Last name", max_length=100, widget=_text(), error_messages={"required": "Enter the last name"}
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        widget=forms.EmailInput(attrs={"class": "govuk-input govuk-!-width-one-half", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        choices=[("", "Select a role"), *Role.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"required": "Select a role"},
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(),
        required=False,
        empty_label="No team",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    manager = forms.ModelChoiceField(
        queryset=StaffMember.objects.filter(leave_date__isnull=True),
        required=False,
        empty_label="No manager",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    sw_id = forms.CharField(
        label="Staff id",
        help_text="Social Work England registration number or local id; needed for council social care staff",
        required=False,
        max_length=20,
        widget=_text(spellcheck="false", **{"aria-describedby": "id_sw_id-hint"}),
    )
    password = forms.CharField(
        label="Initial password",
        help_text="At least 12 characters. The new user also sets up two-factor authentication when they first sign in",
        widget=forms.PasswordInput(
            attrs={
                "class": "govuk-input govuk-!-width-one-half",
                "autocomplete": "new-password",
                "aria-describedby": "id_password-hint",
            }
        ),
        error_messages={"required": "Enter an initial password"},
    )


class AccessLogFilterForm(forms.Form):
    """Filters for "who has viewed this child": GET parameters carrying no personal data (ids and dates)."""

    user = forms.TypedChoiceField(
        label="Viewed by",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    date_from = forms.DateField(
        label="From (date)",
        required=False,
        widget=forms.DateInput(attrs={"class": "govuk-input govuk-input--width-10", "type": "date"}),
        error_messages={"invalid": "Enter a real date for 'from'"},
    )
    date_to = forms.DateField(
        label="To (date)",
        required=False,
        widget=forms.DateInput(attrs={"class": "govuk-input govuk-input--width-10", "type": "date"}),
        error_messages={"invalid": "Enter a real date for 'to'"},
    )

    def __init__(self, *args: Any, actors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Anyone"), *[(str(pk), label) for pk, label in actors]]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data


# --- Passwords: change (signed in) and reset (by an emailed link) ---------------------------------------


def password_rules() -> str:
    """The password rules, as the configured validators state them (AUTH_PASSWORD_VALIDATORS)."""
    return " ".join(str(text) for text in password_validators_help_texts())


def _password_widget(name: str, autocomplete: str) -> forms.PasswordInput:
    return forms.PasswordInput(
        attrs={
            "class": "govuk-input govuk-!-width-one-half",
            "autocomplete": autocomplete,
            "spellcheck": "false",
            "aria-describedby": f"id_{name}-hint",
        }
    )


class NewPasswordForm(auth_forms.SetPasswordForm):
    """A new password, typed twice, checked against the password rules for this user."""

    error_messages = {**auth_forms.SetPasswordForm.error_messages, "password_mismatch": "The passwords do not match"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label, first.help_text = "New password", password_rules()
        first.widget = _password_widget("new_password1", "new-password")
        first.error_messages["required"] = "Enter a new password"
        second.label, second.help_text = "Confirm new password", "Type the new password again"
        second.widget = _password_widget("new_password2", "new-password")
        second.error_messages["required"] = "Enter the new password again"

    def clean(self) -> dict[str, Any]:
        # As Django's, but a password that breaks the rules is reported on the first field, where it was typed.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return dict(forms.Form.clean(self) or {})


class PasswordChangeForm(NewPasswordForm):
    """The current password, then a new one."""

    error_messages = {**NewPasswordForm.error_messages, "password_incorrect": "Your current password is not correct"}
    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(
            attrs={"class": "govuk-input govuk-!-width-one-half", "autocomplete": "current-password"}
        ),
        error_messages={"required": "Enter your current password"},
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if not self.user.check_password(old_password):
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return str(old_password)


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    """The email address of an account: a link to set a new password is sent to it, if it has one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.label = "Email address"
        field.help_text = "The work email address your Safehold account was set up with"
        field.widget = forms.EmailInput(
            attrs={
                "class": "govuk-input govuk-!-width-two-thirds",
                "autocomplete": "email",
                "spellcheck": "false",
                "aria-describedby": "id_email-hint",
            }
        )
        field.error_messages.update(
            {"required": "Enter your email address", "invalid": "Enter an email address like name@council.gov.uk"}
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Send the link to every active account with this address, and record that one was asked for."""
        from safehold.audit.services import audit_record

        users = list(self.get_users(self.cleaned_data["email"]))
        super().save(*args, **kwargs)
        request = kwargs.get("request")
        for user in users:
            audit_record(
                actor=None,
                action="account.password_reset_requested",
                object_type="accounts.User",
                object_id=str(user.pk),
                request_id=str(getattr(request, "request_id", "")),
            )

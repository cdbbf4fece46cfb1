from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.views.decorators.http import require_POST

from safehold.accounts.forms import SignInForm
from safehold.accounts.policies import policy


@policy("public")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


sign_in = SignInView.as_view()
sign_out = policy("public")(require_POST(auth_views.LogoutView.as_view(next_page="accounts:sign-in")))

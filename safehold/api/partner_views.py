"""Partner referrals: a partner agency refers a concern; it sees the acknowledgement, then the decision and its
date, and nothing else of the child's record (no name, no record id, not even whether the child was known)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safehold.accounts.policies import policy
from safehold.api.forms import PartnerReferralForm
from safehold.api.models import PartnerReferral
from safehold.api.services import partner_referral_create
from safehold.core.exceptions import SafeholdError


def _status(referral: PartnerReferral) -> dict[str, object]:
    contact = referral.contact
    decided = bool(contact is not None and contact.outcome)
    return {
        "reference": referral.short_reference,
        "uuid": referral.reference,
        "submitted_at": referral.submitted_at,
        "decision": contact.get_outcome_display() if decided and contact is not None else "",
        "decided_at": contact.decided_at if decided and contact is not None else None,
    }


@policy("partner")
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest) -> HttpResponse:
    form = PartnerReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            referral = partner_referral_create(
                actor=request.user,
                given_name=d["given_name"],
                family_name=d["family_name"],
                date_of_birth=d["date_of_birth"],
                source=d["source"],
                summary=d["summary"],
                referrer_name=d["referrer_name"],
                request_id=str(getattr(request, "request_id", "")),
            )
        except SafeholdError as exc:
            form.add_service_error(exc)
        else:
            return redirect("api:partner-referral", reference=referral.reference)
    return render(request, "api/partner_refer.html", {"form": form})


@policy("partner")
@require_http_methods(["GET"])
def referral_list(request: HttpRequest) -> HttpResponse:
    referrals = PartnerReferral.objects.filter(partner_id=request.user.pk).select_related("contact")
    return render(request, "api/partner_referrals.html", {"referrals": [_status(r) for r in referrals]})


@policy("partner")
@require_http_methods(["GET"])
def referral_detail(request: HttpRequest, reference: str) -> HttpResponse:
    referral = (
        PartnerReferral.objects.filter(partner_id=request.user.pk, reference=reference)
        .select_related("contact")
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    return render(request, "api/partner_referral.html", {"r": _status(referral)})

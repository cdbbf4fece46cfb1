"""The statutory codes a large generated borough must contain (CIN census, SSDA903, Annex A)."""

from __future__ import annotations

from safehold.casework import choices as cw
from safehold.looked_after import choices as la
from safehold.people import choices as pp
from safehold.synthetic import borough as B
from safehold.workforce import choices as wf

#: Placement types no longer valid in 2025/26 (STATUTE.md §7.2): never generated.
RETIRED_PLACEMENTS = frozenset({"H5", "P2", "Z1"})

EXPECTED_CODES: dict[tuple[str, str], list[str]] = {
    (B.EPISODE, "referral_source"): list(cw.ReferralSource.values),
    (B.EPISODE, "primary_need"): list(cw.PrimaryNeed.values),
    (B.EPISODE, "closure_reason"): list(cw.ClosureReason.values),
    (B.CONTACT, "source"): list(cw.ReferralSource.values),
    (B.CONTACT, "outcome"): list(cw.ContactOutcome.values),
    (B.CONTACT, "threshold_level"): list(cw.ThresholdLevel.values),
    (B.CPP, "initial_category"): list(cw.AbuseCategory.values),
    (B.CPP, "latest_category"): list(cw.AbuseCategory.values),
    (B.ASSESSMENT, "factors"): list(cw.AssessmentFactor.values),
    (B.ASSESSMENT, "outcome"): list(cw.AssessmentOutcome.values),
    (B.S47, "outcome"): list(cw.Section47Outcome.values),
    (B.CONFERENCE, "kind"): list(cw.ConferenceType.values),
    (B.VISIT, "visit_type"): list(cw.VisitType.values),
    (B.CARE_EPISODE, "legal_status"): list(la.LegalStatus.values),
    (B.CARE_EPISODE, "placement_type"): [v for v in la.PlacementType.values if v not in RETIRED_PLACEMENTS],
    (B.CARE_EPISODE, "placement_provider"): list(la.PlacementProvider.values),
    (B.CARE_EPISODE, "reason_ceased"): list(la.ReasonEpisodeCeased.values),
    (B.CARE_EPISODE, "reason_new_episode"): list(la.ReasonNewEpisode.values),
    (B.CARE_EPISODE, "reason_place_change"): list(la.ReasonPlaceChange.values),
    (B.CARE_EPISODE, "category_of_need"): list(la.CategoryOfNeed.values),
    (B.LAC_REVIEW, "participation"): list(la.ReviewParticipation.values),
    (B.MISSING, "kind"): list(la.MissingKind.values),
    (B.HEALTH, "kind"): list(la.HealthCheckKind.values),
    (B.SDQ, "reason"): list(la.SDQReason.values),
    (B.ADOPTION, "ceased_reason"): list(la.ReasonPlacedCeased.values),
    (B.ADOPTION, "sex_of_adopters"): list(la.SexAdopter.values),
    (B.ADOPTION, "legal_status_of_adopters"): list(la.LegalStatusAdopter.values),
    (B.PREV_PERM, "kind"): list(la.PreviousPermanenceKind.values),
    (B.CARE_LEAVER, "eligibility"): list(la.CareLeaverEligibility.values),
    (B.CL_CONTACT, "in_touch"): list(la.InTouch.values),
    (B.CL_CONTACT, "activity"): list(la.Activity.values),
    (B.CL_CONTACT, "accommodation"): [code for code, _ in la.ACCOMMODATION_CHOICES],
    (B.PRIVATE_FOSTERING, "decision"): list(la.PFDecision.values),
    (B.PRIVATE_FOSTERING, "trafficking_concern"): list(la.PFAnswer.values),
    (B.PERSON, "ethnicity"): list(pp.Ethnicity.values),
    (B.PERSON, "sex"): list(pp.Sex.values),
    (B.PERSON, "upn_unknown"): ["UN1", "UN2", "UN3", "UN4", "UN5", "UN6", "UN7"],
    (B.DISABILITY, "code"): list(pp.Disability.values),
    (B.RELATIONSHIP, "kind"): [
        "parent",
        "sibling",
        "half_sibling",
        "grandparent",
        "aunt_uncle",
        "foster_carer",
        "private_foster_carer",
        "partner",
    ],
    (B.ALLOCATION, "end_reason"): ["MANAGE", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "OTHERS"],
    (B.STAFF, "role"): list(wf.StaffRole.values),
    (B.STAFF, "employment"): list(wf.Employment.values),
    (B.TEAM, "service_area"): list(wf.ServiceArea.values),
}

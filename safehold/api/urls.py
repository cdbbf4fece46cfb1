from django.urls import path, re_path

from safehold.api import job_views, partner_views, views

app_name = "api"
urlpatterns = [
    path("v1/openapi.json", views.openapi, name="openapi"),
    path("v1/children/<int:child_id>", views.child_detail, name="child"),
    path("v1/children/<int:child_id>/deadlines", views.child_deadlines, name="child-deadlines"),
    path("v1/children/<int:child_id>/contacts", views.child_contacts, name="child-contacts"),
    path("v1/caseload", views.caseload, name="caseload"),
    path("v1/returns/jobs", job_views.return_jobs, name="return-jobs"),
    path("v1/returns/jobs/<int:job_id>", job_views.return_job, name="return-job"),
    path("v1/returns/jobs/<int:job_id>/download", job_views.return_job_download, name="return-job-download"),
    path("v1/returns/jobs/<int:job_id>/failures", job_views.return_job_failures, name="return-job-failures"),
    path("v1/annex-a/jobs", job_views.annex_a_jobs, name="annex-a-jobs"),
    path("v1/annex-a/jobs/<int:job_id>", job_views.annex_a_job, name="annex-a-job"),
    path("v1/annex-a/jobs/<int:job_id>/download", job_views.annex_a_job_download, name="annex-a-job-download"),
    path("partner/refer/", partner_views.refer, name="partner-refer"),
    path("partner/referrals/", partner_views.referral_list, name="partner-referrals"),
    path("partner/referrals/<uuid:reference>/", partner_views.referral_detail, name="partner-referral"),
    # Last: any other address under /api/ is a problem+json 404, never an HTML page.
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not-found"),
]

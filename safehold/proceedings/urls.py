from django.urls import path

from safehold.proceedings import views

app_name = "proceedings"
C = "children/<int:pk>/"
urlpatterns = [
    path(C, views.overview, name="overview"),
    path(C + "pre-proceedings/new/", views.pre_start, name="pre-start"),
    path(C + "pre-proceedings/<int:pp_pk>/letter/", views.letter, name="letter"),
    path(C + "pre-proceedings/<int:pp_pk>/fgdm/", views.fgdm, name="fgdm"),
    path(C + "pre-proceedings/<int:pp_pk>/meetings/new/", views.meeting, name="meeting"),
    path(C + "pre-proceedings/<int:pp_pk>/decision/", views.decision, name="decision"),
    path(C + "application/", views.application, name="application"),
    path(C + "<int:proc_pk>/hearings/new/", views.hearing, name="hearing"),
    path(C + "<int:proc_pk>/extension/", views.extension, name="extension"),
    path(C + "<int:proc_pk>/conclude/", views.conclude, name="conclude"),
]

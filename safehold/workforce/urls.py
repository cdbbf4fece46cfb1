from django.urls import path

from safehold.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("posts/", views.posts, name="posts"),
    path("posts/new/", views.post_new, name="post-new"),
    path("posts/<int:post_pk>/holder/", views.post_holder, name="post-holder"),
    path("starters-and-leavers/", views.movement, name="movement"),
    path("staff/<int:staff_pk>/leaving-reason/", views.leave_reason, name="leave-reason"),
    path("caseloads/", views.caseloads, name="caseloads"),
    path("asye/", views.asye, name="asye"),
    path("training/", views.training, name="training"),
    path("training/new/", views.training_new, name="training-new"),
]

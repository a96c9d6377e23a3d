from django.urls import path

from heard.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("sign-in", views.SignInView.as_view(), name="sign-in"),
    path("sign-out", views.sign_out, name="sign-out"),
    path("two-step-verification/code", views.two_step_code, name="two-step-code"),
    path("two-step-verification/set-up", views.two_step_set_up, name="two-step-set-up"),
    path("two-step-verification/turn-off", views.two_step_turn_off, name="two-step-turn-off"),
    path("single-sign-on", views.SingleSignOnStart.as_view(), name="single-sign-on"),
    path(
        "single-sign-on/callback",
        views.SingleSignOnCallback.as_view(),
        name="single-sign-on-callback",
    ),
]

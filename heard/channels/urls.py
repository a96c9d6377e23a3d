from django.urls import path

from heard.channels import views

app_name = "channels"

urlpatterns = [
    path("email/relay", views.email_relay, name="email-relay"),
    path("call-backs", views.call_backs, name="call-backs"),
    path("call-backs/<int:call_id>/done", views.call_back_done, name="call-back-done"),
]

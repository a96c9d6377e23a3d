from django.urls import path

from heard.channels import views

app_name = "channels"

urlpatterns = [
    path("email/relay", views.email_relay, name="email-relay"),
]

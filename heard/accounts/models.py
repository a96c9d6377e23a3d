"""Staff accounts: the link between a Heard user and their single sign-on identity."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SingleSignOnIdentity(models.Model):
    """A person as their identity provider knows them: the issuer and its subject (``sub``).

    Users are found by this pair, never by email address or name, which people and
    administrators can change at the provider.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="single_sign_on_identities",
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "single sign-on identity"
        verbose_name_plural = "single sign-on identities"
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="single_sign_on_identity_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.issuer}"

"""Who may provision people (SCIM clients) and which sessions each person holds."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvisioningClient(models.Model):
    """An identity provider's provisioning client (e.g. Entra ID's SCIM connector). Only the SHA-256 of
    its bearer token is stored: the token itself is shown once, by `create_scim_token`."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("provisioning client")
        verbose_name_plural = _("provisioning clients")

    def __str__(self) -> str:
        return self.name


class UserSession(models.Model):
    """A session a person signed in with, so that all of them can be ended at once when the person is
    marked as having left (the session store itself cannot be searched by person)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.session_key[:8]}…"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = _("Sign-in and provisioning")

    def ready(self):
        from identity import checks, receivers  # noqa: F401

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.pages import accessibility_statement
from identity.language import set_language
from organization.views import PasswordResetView

api_patterns = [
    path("", include("conversations.api.urls")),
    path("", include("goals.api_urls")),
    path("", include("reports.pdf_urls")),
    path("", include("reports.statistics_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_patterns)),
    # Before Django's own: the language switch also remembers the choice on the signed-in person.
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tilgjengelighet/", accessibility_statement, name="accessibility"),
    # Before Django's own: the login page with the identity provider first, logout at both ends.
    path("", include("identity.urls")),
    # Before Django's own: the reset page with its limits (the other auth pages use Samtale's templates).
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("hr/", include("reports.statistics_page_urls")),
    path("medarbeidere/pdf-arkiv/", include("reports.pdf_archive_urls")),
    path("", include("goals.page_urls")),
    path("", include("conversations.web.urls")),
]

handler403 = "conversations.web.views.errors.permission_denied"
handler404 = "conversations.web.views.errors.page_not_found"
handler500 = "conversations.web.views.errors.server_error"

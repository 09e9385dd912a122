"""The person's language: chosen on any page (the header's switcher), remembered on their profile
(`User.language`), and in force on every page once they are signed in, whatever the browser asks for."""

from django.conf import settings
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from organization import services


@require_POST
def set_language(request):
    """Django's `set_language` (the cookie, back to `next`), and for someone signed in, the profile too."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        services.person_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


class UserLanguageMiddleware:
    """After LocaleMiddleware and AuthenticationMiddleware: a signed-in person's own language wins over
    the cookie and Accept-Language, so signing in activates it (also in a browser never used before)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self.user_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)

    @staticmethod
    def user_language(request) -> str:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return ""
        language = getattr(user, "language", "")
        return language if language in dict(settings.LANGUAGES) else ""

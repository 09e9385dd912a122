"""The person's language: chosen on any page (the header's switcher), remembered on their profile
(`User.language`), and brought back when they sign in, in any browser. The language cookie stays what
the pages go by (LocaleMiddleware); signing in sets it to the profile's language."""

from django.conf import settings
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from organization import services

SIGN_IN_LANGUAGE = "_samtale_sign_in_language"


@require_POST
def set_language(request):
    """Django's `set_language` (the cookie, back to `next`), and for someone signed in, the profile too."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        services.person_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


def activate_on_sign_in(request, user) -> None:
    """Called as `user` signs in (password or identity provider): their language for the rest of this
    request, and the cookie for the pages after it (`SignInLanguageMiddleware` sets it on the response)."""
    language = getattr(user, "language", "")
    if request is None or language not in dict(settings.LANGUAGES):
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language
    setattr(request, SIGN_IN_LANGUAGE, language)


class SignInLanguageMiddleware:
    """Sets the language cookie on the response to a sign-in, as Django's `set_language` sets it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, SIGN_IN_LANGUAGE, "")
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

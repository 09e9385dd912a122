"""OpenID Connect sign-in (mozilla-django-oidc): authorization code flow with PKCE, state and nonce.

mozilla-django-oidc keeps state, nonce and the PKCE verifier in the session, checks the state on the
callback (once: it is removed, so a replayed callback is refused), exchanges the code with the verifier,
and checks the ID token's signature against the provider's JWKS and its nonce. This backend adds what
it leaves out: the audience (our client id), the issuer, the expiry and the time of issue are verified
too (PyJWT), and the person is found by the claim that holds the employee id
(SAMTALE_OIDC_EMPLOYEE_ID_CLAIM). Nobody is created here: people come from the organisation (import or
SCIM); someone unknown, or marked as having left, is refused, with the reason kept on the request for
the refusal page (`views.CallbackView`).
"""

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

REFUSAL_ATTRIBUTE = "samtale_sso_refusal"
UNKNOWN = "unknown"
LEFT = "left"
NO_CLAIM = "no_claim"


class OIDCBackend(OIDCAuthenticationBackend):
    def _verify_jws(self, payload, key):
        try:
            header = jwt.get_unverified_header(payload)
            if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
                raise SuspiciousOperation("The ID token's algorithm is not the one configured.")
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.SAMTALE_OIDC_ISSUER,
                leeway=settings.SAMTALE_OIDC_CLOCK_SKEW,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token refused: issued to another party (azp).")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        """The person whose employee id the verified ID token names, if active in the organisation."""
        employee_id = payload.get(settings.SAMTALE_OIDC_EMPLOYEE_ID_CLAIM)
        if not isinstance(employee_id, str | int) or isinstance(employee_id, bool) or str(employee_id) == "":
            return self._refuse(NO_CLAIM)
        user = get_user_model().objects.filter(employee_id=str(employee_id)).first()
        if user is None:
            return self._refuse(UNKNOWN)
        if not user.is_active or (user.left_on and user.left_on <= timezone.localdate()):
            return self._refuse(LEFT)
        return user

    def _refuse(self, reason: str) -> None:
        setattr(self.request, REFUSAL_ATTRIBUTE, reason)
        return None

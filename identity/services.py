"""Writes of sign-in and provisioning: API tokens, provisioning clients, ending a person's access."""

import datetime
import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from rest_framework.authtoken.models import Token

from identity.models import ProvisioningClient, UserSession


def token_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.SAMTALE_API_TOKEN_LIFETIME_DAYS)


def token_expires_at(token: Token) -> datetime.datetime:
    return token.created + token_lifetime()


def token_expired(token: Token) -> bool:
    return token_expires_at(token) <= timezone.now()


@transaction.atomic
def token_issue(*, user) -> Token:
    """The person's API token: the one they hold while it lasts, else a new one (an expired one is
    deleted first). One token per person, as DRF's model has it."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and not token_expired(token):
        return token
    if token is not None:
        token.delete()
    return Token.objects.create(user=user)


@transaction.atomic
def token_replace(*, user) -> Token:
    """A new API token for the person; the one they held stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def token_revoke(*, user) -> bool:
    """The owner withdraws their API token at once. True if there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


def session_remember(*, user, session: SessionBase) -> None:
    if session.session_key:
        UserSession.objects.update_or_create(session_key=session.session_key, defaults={"user": user})


def access_end(*, user_ids: Iterable[int]) -> None:
    """End every API token and every session of these people at once (they have left)."""
    user_ids = list(user_ids)
    Token.objects.filter(user_id__in=user_ids).delete()
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    sessions = UserSession.objects.filter(user_id__in=user_ids)
    for key in sessions.values_list("session_key", flat=True):
        store(session_key=key).delete()
    sessions.delete()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def provisioning_client_create(*, name: str) -> tuple[ProvisioningClient, str]:
    """A new provisioning client (or a new token for an existing one: the old token stops working).
    Returns the client and its bearer token, which is stored only as its SHA-256 and cannot be shown
    again. 256 random bits: a fast hash is enough, nothing can be guessed from it."""
    token = secrets.token_urlsafe(32)
    client, _ = ProvisioningClient.objects.update_or_create(name=name, defaults={"token_hash": _hash(token)})
    return client, token


def provisioning_client_for(token: str) -> ProvisioningClient | None:
    """The client holding this bearer token, its use noted; None for any other token."""
    client = ProvisioningClient.objects.filter(token_hash=_hash(token)).first()
    if client is not None:
        ProvisioningClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client


def current_token(*, user) -> Token | None:
    """The person's API token while it lasts."""
    token = Token.objects.filter(user=user).first()
    return token if token is not None and not token_expired(token) else None


def session_forget(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key).delete()

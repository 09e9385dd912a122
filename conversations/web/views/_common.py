"""Shared plumbing for the page views: login, domain errors to HTTP, redirects back to the page."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from conversations.selectors import ITEM_MODELS
from core.errors import DomainError, NotAllowed
from core.ids import is_id


def page(view):
    """Login required; a NotAllowed from a service becomes the 403 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotAllowed as exc:
            raise PermissionDenied(str(exc.message)) from exc

    return login_required(wrapper)


def conversation_url(conversation, anchor: str = "") -> str:
    url = reverse("web:conversation", args=[conversation.pk])
    return f"{url}#{anchor}" if anchor else url


def back_to(conversation, anchor: str = ""):
    return redirect(conversation_url(conversation, anchor))


def error_texts(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(getattr(exc, "message", exc))]


def run_action(request, call, success: str) -> bool:
    """Run a service call; report success or the domain error as a message. True when it succeeded."""
    try:
        call()
    except NotAllowed:
        raise
    except (DomainError, ValidationError) as exc:
        for text in error_texts(exc):
            messages.error(request, text)
        return False
    messages.success(request, success)
    return True


def run_form_action(request, form, call, success: str) -> bool:
    """Validate `form`, then run `call(cleaned_data)`. Errors land on the form so typed text is kept."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except NotAllowed:
            raise
        except (DomainError, ValidationError) as exc:
            for text in error_texts(exc):
                form.add_error(None, text)
        else:
            messages.success(request, success)
            return True
    messages.error(request, _("Nothing was saved. Correct what is marked in the form."))
    return False


def item_from_key(conversation, key: str | None):
    """('goal', Goal) for a key like "goal-12" naming an item of this conversation; (None, None) if none."""
    kind, _sep, pk = (key or "").partition("-")
    model = ITEM_MODELS.get(kind)
    if model is None or not (pk.isascii() and pk.isdigit()) or not is_id(int(pk)):
        return None, None
    item = model.objects.filter(conversation=conversation, pk=int(pk)).first()
    return (kind, item) if item else (None, None)


def item_kwargs(kind, item) -> dict:
    return {kind: item} if item is not None else {}


def confirmed(request) -> bool:
    """True when the person has confirmed a destructive action: in the script's dialog (which adds
    the field) or on the confirmation page that a post without it gets."""
    return request.POST.get("confirmed") == "yes"


def ask_to_confirm(request, *, question: str, button: str, back: str, carry: dict | None = None):
    """The confirmation page (works without scripts): the same post again, with confirmed=yes."""
    context = {
        "question": question,
        "button": button,
        "back": back,
        "action": request.path,
        "carry": sorted((carry or {}).items()),
    }
    return render(request, "conversations/confirm_action.html", context)

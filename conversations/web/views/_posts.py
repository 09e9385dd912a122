"""How a post from the conversation page is handled: who may post it, and the answer: the changed
section for htmx, a redirect back to the page (post/redirect/get), or the page again with the bound
form and its errors."""

from functools import wraps

from django.views.decorators.http import require_POST

from conversations.access.permissions import access_conversation
from conversations.web.forms import focus_first_error
from conversations.web.views._common import back_to, page, run_form_action
from conversations.web.views.conversation import htmx_section, render_conversation


def conversation_post(permission: str):
    """A post to conversation `pk` that needs `permission`: the view gets the conversation instead of
    `pk` (login required, POST only, 404 for a conversation the user may not see or act on)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, pk, **kwargs):
            return view(request, access_conversation(request.user, pk, permission), **kwargs)

        return page(require_POST(wrapper))

    return decorate


def with_errors(request, conversation, key: str, form):
    """The page with the bound form `key` (status 400), so nothing the user typed is lost."""
    focus_first_error(form)
    return render_conversation(request, conversation, forms={key: form}, status=400)


def section_or_back(request, conversation, anchor: str = "", **render_kwargs):
    """After a successful post: the changed section for htmx, else back to the page at `anchor`."""
    if htmx_section(request):
        return render_conversation(request, conversation, **render_kwargs)
    return back_to(conversation, anchor)


def form_post(
    request, conversation, form, call, success: str, *, key="", anchor="", in_place=False, **render_kwargs
):
    """Validate `form` and run `call(cleaned_data)`. Done: the changed section for htmx when `in_place`
    (rendered with `render_kwargs`), else back to the page at `anchor`. Refused: the page with the
    form under `key` (by default its prefix) and its errors (400)."""
    if not run_form_action(request, form, call, success):
        return with_errors(request, conversation, key or form.prefix, form)
    if in_place:
        return section_or_back(request, conversation, anchor, **render_kwargs)
    return back_to(conversation, anchor)

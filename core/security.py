"""Small hooks for the security libraries."""


def axes_username(request, credentials=None) -> str | None:
    """The username django-axes counts failures for: from the credentials, a form or a JSON body."""
    sources = (credentials or {}, getattr(request, "data", None) or {}, getattr(request, "POST", None) or {})
    for source in sources:
        try:
            value = source.get("username") or source.get("employee_id")
        except AttributeError:  # a JSON body that is a list or a scalar
            continue
        if value:
            return str(value)[:255]
    return None

"""Domain errors raised by services. Each kind names, in its class line, its `code` (the API's error body)
and the HTTP status the API answers it with (`http_status`, 400 unless named; read by `core.api_errors`);
the pages show its message, and a `NotAllowed` is their 403."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base for every error a service raises on purpose. Nothing has been written when it is raised."""

    code, http_status = "domain_error", 400
    default_message = _("The action could not be performed.")

    def __init_subclass__(cls, *, code: str, http_status: int = 400, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.code, cls.http_status = code, http_status

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class InvalidTransition(DomainError, code="invalid_transition", http_status=409):
    """The action is not one the conversation's current state allows (`conversations.contract.workflow`)."""

    default_message = _("This action is not allowed in the conversation's current state.")


class StaleVersion(DomainError, code="stale_version", http_status=409):
    default_message = _("The version is not the latest submitted version, or its hash does not match.")


class NotAllowed(DomainError, code="not_allowed", http_status=403):
    """The caller may see the object but not perform this action."""

    default_message = _("You are not allowed to perform this action.")


class Conflict(DomainError, code="conflict", http_status=409):
    default_message = _("The request conflicts with the current state.")


class ImmutableRecord(DomainError, code="immutable"):
    """A write to a record kept as evidence (a confirmation, a frozen version, the audit trail)."""

    default_message = _("This record can never be changed or deleted.")


class PreconditionFailed(DomainError, code="precondition_failed", http_status=412):
    """The client's copy is stale: someone changed the object since it was read."""

    default_message = _("The object was changed by someone else. Reload it and try again.")


class InvalidInput(DomainError, code="invalid"):
    """Input that passed the serializer's shape check but breaks a domain rule."""

    default_message = _("The input is not valid.")

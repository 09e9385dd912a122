"""Domain errors raised by services; the API error handler and the views map them to responses."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base for every error a service raises on purpose. Nothing has been written when it is raised."""

    default_message = _("The action could not be performed.")
    code = "domain_error"

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class InvalidTransition(DomainError):
    default_message = _("This action is not allowed in the conversation's current state.")
    code = "invalid_transition"


class StaleVersion(DomainError):
    default_message = _("The version is not the latest submitted version, or its hash does not match.")
    code = "stale_version"


class NotAllowed(DomainError):
    """The caller may see the object but not perform this action (HTTP 403)."""

    default_message = _("You are not allowed to perform this action.")
    code = "not_allowed"


class Conflict(DomainError):
    default_message = _("The request conflicts with the current state.")
    code = "conflict"


class ImmutableRecord(DomainError):
    default_message = _("This record can never be changed or deleted.")
    code = "immutable"


class PreconditionFailed(DomainError):
    """The client's copy is stale: someone changed the object since it was read (HTTP 412)."""

    default_message = _("The object was changed by someone else. Reload it and try again.")
    code = "precondition_failed"


class InvalidInput(DomainError):
    """Input that passed the serializer's shape check but breaks a domain rule (HTTP 400)."""

    default_message = _("The input is not valid.")
    code = "invalid"

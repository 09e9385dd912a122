"""One place that turns domain errors into HTTP responses for the API."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Conflict, DomainError, InvalidTransition, NotAllowed, PreconditionFailed, StaleVersion

_STATUS_BY_ERROR = {
    InvalidTransition: status.HTTP_409_CONFLICT,
    StaleVersion: status.HTTP_409_CONFLICT,
    Conflict: status.HTTP_409_CONFLICT,
    NotAllowed: status.HTTP_403_FORBIDDEN,
    PreconditionFailed: status.HTTP_412_PRECONDITION_FAILED,
}


def _status_for(error: DomainError) -> int:
    for error_class, code in _STATUS_BY_ERROR.items():
        if isinstance(error, error_class):
            return code
    return status.HTTP_400_BAD_REQUEST


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc.message), "code": exc.code}, status=_status_for(exc))
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    return drf_exception_handler(exc, context)

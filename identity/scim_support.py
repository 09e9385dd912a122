"""The parts of SCIM provisioning that django-scim2 loads while defining its own classes (its settings
name them), so they must not import its adapters: the bearer-token check, the filter's attributes, the
locations and the queryset hooks. The mapping of people is `identity.scim`."""

import json

from django.http import HttpResponse
from django_scim import constants, exceptions
from django_scim.filters import UserFilterQuery
from django_scim.models import SCIMServiceProviderConfig

from core import audit
from identity import services

ENTERPRISE = constants.SchemaURI.ENTERPRISE_USER
BEARER = "bearer "


class BearerTokenCheck:
    """Wraps django-scim2's views (its AUTH_CHECK_MIDDLEWARE): only a provisioning client's bearer token
    gets in (401 otherwise), and every write is audited under that client's name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request, *args, **kwargs):
        header = request.headers.get("Authorization", "")
        client = None
        if header[: len(BEARER)].lower() == BEARER and header[len(BEARER) :].strip():
            client = services.provisioning_client_for(header[len(BEARER) :].strip())
        if client is None:
            error = exceptions.AuthorizationError("A provisioning client's bearer token is required.")
            response = HttpResponse(
                json.dumps(error.to_dict()), content_type=constants.SCIM_CONTENT_TYPE, status=401
            )
            response["WWW-Authenticate"] = 'Bearer realm="samtale-scim"'
            return response
        request.scim_client = client
        with audit.context(provisioning_client=client.name):
            return self.get_response(request, *args, **kwargs)


def base_location(request=None, *args, **kwargs) -> str:
    return request.build_absolute_uri("/") if request is not None else "/"


def exclude_superusers(model):
    def get_extra_exclude_kwargs(request, *args, **kwargs):
        return {"is_superuser": True}

    return get_extra_exclude_kwargs


def refuse_superusers(model):
    def get_object_post_processor(request, obj, *args, **kwargs):
        if obj.is_superuser:
            raise exceptions.NotFoundError(obj.employee_id)
        return obj

    return get_object_post_processor


def with_unit_and_manager(model):
    def get_queryset_post_processor(request, queryset, *args, **kwargs):
        return queryset.select_related("unit", "manager")

    return get_queryset_post_processor


class ServiceProviderConfig(SCIMServiceProviderConfig):
    def to_dict(self):
        config = super().to_dict()
        config["filter"] = {"supported": True, "maxResults": 50}
        config["changePassword"] = {"supported": False}
        return config


class PersonFilter(UserFilterQuery):
    attr_map = {
        ("userName", None, None): "employee_id",
        ("externalId", None, None): "employee_id",
        ("employeeNumber", None, ENTERPRISE): "employee_id",
        ("displayName", None, None): "full_name",
        ("active", None, None): "is_active",
    }

"""Every concrete model of the project's apps has a factory in `tests/factories.py`, and each factory
makes a valid row (through the service that writes it, where one does)."""

import inspect

import factory
import pytest
from django.apps import apps

from tests import factories

APPS = ("background", "organization", "conversations", "goals", "reports", "identity")
# Written only by libraries on the services' behalf: django-pghistory's event rows and
# django-guardian's permission rows (granted by the services, never by a test directly).
NOT_FACTORIES = {"ConversationUserObjectPermission", "ConversationGroupObjectPermission"}


def project_models():
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            is_event = any(field.name == "pgh_label" for field in model._meta.fields)
            if not (model._meta.proxy or is_event or model.__name__ in NOT_FACTORIES):
                yield model


def model_factories():
    return [
        value
        for _, value in inspect.getmembers(factories, inspect.isclass)
        if issubclass(value, factory.django.DjangoModelFactory) and not value._meta.abstract
    ]


def test_every_model_has_a_factory():
    covered = {f._meta.model for f in model_factories()}
    missing = sorted(model.__name__ for model in project_models() if model not in covered)
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("model_factory", model_factories(), ids=lambda f: f.__name__)
def test_each_factory_makes_a_valid_row(model_factory):
    obj = model_factory()
    assert type(obj) is model_factory._meta.model
    assert type(obj)._default_manager.filter(pk=obj.pk).exists()

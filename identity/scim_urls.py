"""`/scim/v2/`: the parts of django-scim2 Samtale serves (Users, no Groups: roles travel in `roles`)."""

from django.urls import re_path
from django_scim import views

app_name = "scim"

urlpatterns = [
    re_path(r"^$", views.SCIMView.as_view(implemented=False), name="root"),
    re_path(r"^Users/\.search$", views.UserSearchView.as_view(), name="users-search"),
    re_path(r"^Users(?:/(?P<uuid>[^/]+))?$", views.UsersView.as_view(), name="users"),
    re_path(
        r"^ServiceProviderConfig$", views.ServiceProviderConfigView.as_view(), name="service-provider-config"
    ),
    re_path(r"^Schemas(?:/(?P<uuid>[^/]+))?$", views.SchemasView.as_view(), name="schemas"),
]

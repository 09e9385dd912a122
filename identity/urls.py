"""Sign-in pages and the SCIM endpoint (included before django.contrib.auth's, which they replace)."""

from django.urls import include, path

from identity import views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("sso/login/", views.AuthenticationRequestView.as_view(), name="oidc_authentication_init"),
    path("sso/callback/", views.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("konto/api-nokkel/", views.api_token, name="api_token"),
    path("scim/v2/", include("identity.scim_urls")),
]

"""Browser authentication routes, mounted under /api/v1.0/ by config/urls.py."""

from django.urls import path

from people.identity.auth import views

urlpatterns = [
    path("authenticate/", views.AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("callback/", views.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("logout/", views.LogoutView.as_view(), name="oidc_logout"),
    path("logout-callback/", views.LogoutCallbackView.as_view(), name="oidc_logout_callback"),
    path("backchannel-logout/", views.BackchannelLogoutView.as_view(), name="oidc_backchannel_logout"),
    path("login-failure/", views.LoginFailureView.as_view(), name="oidc_login_failure"),
]

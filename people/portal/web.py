"""The server-rendered home page: who is signed in, and where to go from here."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from people.identity.devlogin import dev_login


@never_cache
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "dev_login": settings.PEOPLE_DEV_LOGIN,
        "login_url": reverse("oidc_authentication_init"),
        "logout_url": reverse("oidc_logout"),
    }
    return render(request, "portal/home.html", context)


# Mounted at the root by config/urls.py. The development sign-in answers 404 unless enabled.
urlpatterns = [
    path("", home, name="home"),
    path("dev/login/", dev_login, name="dev-login"),
]

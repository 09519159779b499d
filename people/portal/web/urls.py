"""Mounted at the root by config/urls.py. The development sign-in answers 404 unless enabled."""

from django.urls import path

from people.identity.devlogin import dev_login
from people.portal.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.signin, name="signin"),
    path("language/", views.language_switch, name="language"),
    path("dev/login/", dev_login, name="dev-login"),
]

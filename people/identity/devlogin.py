"""Development sign-in: pick a user and be signed in, no identity provider needed.

Only answers when `PEOPLE_DEV_LOGIN` is on (production settings refuse to start with it), so the
route can stay in the URL configuration: everywhere else it is a 404. It signs in by e-mail
through the same backend as password sign-in, which refuses inactive accounts. Then it goes
to `?next=` when that URL passes the sign-in's own check (same host or OIDC_REDIRECT_ALLOWED_HOSTS),
else home: `authenticate/` sends here with it when no provider is configured.
"""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods
from mozilla_django_oidc.views import get_next_url

from people.core.search import search
from people.identity.models import User, normalize_email

logger = logging.getLogger("people.devlogin")

BACKEND = "people.identity.auth.backends.PasswordBackend"
DEMO_EMAIL = "demo@example.com"
LISTED_USERS = 50


class DevLoginForm(forms.Form):
    email = forms.EmailField(max_length=254)

    def clean_email(self) -> User:
        email = normalize_email(self.cleaned_data["email"])
        users = list(User.objects.filter(email=email, is_active=True)[:2])
        if len(users) != 1:
            raise forms.ValidationError(_("No active user has this e-mail address."), code="unknown")
        return users[0]


def listed_users(query: str | None) -> QuerySet[User]:
    """Active users, the demo user first, then by name; filtered like the API's `q`."""
    users = search(User.objects.filter(is_active=True), (query or "")[:100]).select_related("organization")
    demo_first = Case(When(email=DEMO_EMAIL, then=Value(0)), default=Value(1), output_field=IntegerField())
    return users.order_by(demo_first, "name", "email")[:LISTED_USERS]


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def dev_login(request: HttpRequest) -> HttpResponse:
    if not settings.PEOPLE_DEV_LOGIN:
        raise Http404("development sign-in is off")
    form = DevLoginForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = form.cleaned_data["email"]
        login(request, user, backend=BACKEND)
        logger.warning("development sign-in", extra={"user_id": str(user.pk)})
        return HttpResponseRedirect(get_next_url(request, "next") or "/")
    query = request.GET.get("q", "")
    context = {"form": form, "users": listed_users(query), "q": query[:100], "next": get_next_url(request, "next")}
    return render(request, "devlogin/login.html", context, status=400 if form.is_bound else 200)

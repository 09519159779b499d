"""The page helpers: pagination and ordering from the URL, the service runner, fragments for
htmx, and the partials' markup."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from people.core.errors import LastOwner, NotFound, ValidationFailed
from people.core.errors import PermissionDenied as DomainPermissionDenied
from people.core.web.actions import ServiceRefused, run_service
from people.core.web.forms import Form
from people.core.web.pages import Column, confirm_page, ordering_from, paginate, render_page


def request_for(url="/", method="get", data=None, **headers):
    request = getattr(RequestFactory(), method)(url, data or {}, **headers)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize(("raw", "number"), [("", 1), ("2", 2), ("0", 1), ("abc", 1), ("-3", 1), ("99", 5), ("last", 5)])
def test_paginate_never_fails(raw, number):
    page = paginate(request_for(f"/?page={raw}"), list(range(100)), per_page=20)
    assert page.number == number
    assert page.numbers[0] == 1
    assert page.numbers[-1] == 5


def test_ordering_from_the_url_or_the_default():
    allowed = ("name", "created_at")
    assert ordering_from(request_for("/?ordering=-name"), allowed, "name") == "-name"
    assert ordering_from(request_for("/?ordering=password"), allowed, "name") == "name"


class NameForm(Form):
    name = forms.CharField(label="Name", max_length=10)
    note = forms.CharField(label="Note", required=False)


def test_a_field_error_of_the_service_goes_next_to_its_field():
    form = NameForm({"name": "Alpha"})
    assert form.is_valid()

    def service(**kwargs):
        raise ValidationFailed(errors={"name": ["This name is taken."]})

    outcome = run_service(request_for(), service, form=form, name="Alpha")
    assert not outcome.ok
    assert outcome.status == 400
    assert form.errors == {"name": ["This name is taken."]}
    html = render_to_string("core/web/partials/form.html", {"form": form, "submit": "Save"})
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name-desc-error"' in html
    assert '<div id="id_name-desc-error">' in html
    assert "This name is taken." in html


def test_a_broken_rule_goes_above_the_fields_or_to_the_messages():
    def service(**kwargs):
        raise LastOwner()

    form = NameForm({"name": "Alpha"})
    form.is_valid()
    assert run_service(request_for(), service, form=form).status == 400
    assert form.non_field_errors() == [str(LastOwner.default_detail)]
    request = request_for()
    run_service(request, service)
    assert [str(message) for message in get_messages(request)] == [str(LastOwner.default_detail)]


def test_not_found_and_permission_denied_become_the_error_pages():
    def hidden(**kwargs):
        raise NotFound()

    def refused(**kwargs):
        raise DomainPermissionDenied("Only owners may do this.")

    with pytest.raises(Http404):
        run_service(request_for(), hidden)
    with pytest.raises(ServiceRefused) as caught:
        run_service(request_for(), refused)
    assert isinstance(caught.value, PermissionDenied)
    assert str(caught.value) == "Only owners may do this."


def test_success_adds_the_message_and_returns_the_value():
    request = request_for()
    outcome = run_service(request, lambda *, value: value * 2, success="Done.", value=21)
    assert outcome.ok
    assert outcome.value == 42
    assert outcome.status == 200
    assert [str(message) for message in get_messages(request)] == ["Done."]


def test_an_unbound_form_can_show_a_service_error():
    form = NameForm()
    run_service(request_for(), lambda: (_ for _ in ()).throw(ValidationFailed(errors={"__all__": ["No."]})), form=form)
    assert form.non_field_errors() == ["No."]


@pytest.mark.django_db
def test_render_page_answers_the_fragment_to_htmx_only():
    plain = request_for()
    plain.htmx = HtmxDetails(plain)
    page = render_page(plain, "core/web/confirm.html", {"title": "T", "fields": []}, fragment="core/web/partials/messages.html")
    assert "<html" in page.content.decode()
    htmx_request = request_for(HTTP_HX_REQUEST="true")
    htmx_request.htmx = HtmxDetails(htmx_request)
    fragment = render_page(htmx_request, "core/web/confirm.html", {"title": "T"}, fragment="core/web/partials/messages.html")
    assert "<html" not in fragment.content.decode()
    assert "HX-Request" in fragment["Vary"]


@pytest.mark.django_db
def test_the_confirmation_page_posts_the_fields():
    request = request_for()
    request.user = None
    body = confirm_page(request, title="Remove Alice?", message="She loses access.", action="/x/remove/",
                        confirm="Remove", cancel_url="/x/", fields=[("access", "42")]).content.decode()
    assert '<form method="post" action="/x/remove/" id="confirm-form">' in body
    assert '<input type="hidden" name="access" value="42">' in body
    assert 'href="/x/"' in body
    assert "Remove Alice?" in body


def test_the_table_keeps_the_search_in_its_links():
    request = request_for("/teams/?q=alpha&ordering=name&page=1")
    page = paginate(request, [{"name": f"Team {n}"} for n in range(45)])
    html = render_to_string("core/web/partials/table.html", {
        "request": request, "page": page, "caption": "Teams", "empty": "None",
        "columns": [Column("Name", "name"), Column("Members")], "row_template": "core/web/partials/messages.html",
    }, request=request)
    assert 'aria-sort="ascending"' in html
    assert 'href="?q=alpha&amp;ordering=-name"' in html  # sorting resets the page
    assert 'href="?q=alpha&amp;ordering=name&amp;page=2"' in html
    assert "45 results" in html


def test_the_search_keeps_the_ordering_and_swaps_the_results():
    request = request_for("/teams/?q=al&ordering=-name&page=3")
    html = render_to_string("core/web/partials/search.html", {"label": "Search a team"}, request=request)
    assert '<label class="fr-label" for="search-q">Search a team</label>' in html
    assert 'value="al"' in html
    assert '<input type="hidden" name="ordering" value="-name">' in html
    assert 'name="page"' not in html
    assert 'hx-target="#results"' in html
    assert 'hx-push-url="true"' in html

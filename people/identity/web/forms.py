"""Forms of the account and organization pages. The services check the values (a known
language and time zone, an organization's name): the forms only offer them."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from people.core.web.forms import Form


@cache
def timezone_choices() -> list[tuple[str, str]]:
    """The IANA zones this system knows (what `validate_timezone` accepts), by name."""
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def language_choices() -> list[tuple[str, str]]:
    """Each language in its own name, so that a reader of either finds theirs."""
    return [(code, get_language_info(code)["name_local"].capitalize()) for code, _label in settings.LANGUAGES]


class PreferencesForm(Form):
    language = forms.CharField(label=_("Language of the interface"), widget=forms.Select, max_length=10)
    timezone = forms.CharField(
        label=_("Time zone"), widget=forms.Select, max_length=64,
        help_text=_("Dates and times are given in this zone."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].widget.choices = language_choices()
        current = self["timezone"].value()
        zones = timezone_choices()
        if current and current not in dict(zones):  # an old value stays shown (and is refused if sent)
            zones = [(current, current), *zones]
        self.fields["timezone"].widget.choices = zones


class OrganizationNameForm(Form):
    name = forms.CharField(label=_("Name of the organization"), max_length=100)

"""Forms of the team pages: they check the shape of the input; the services decide the rules.

A form offers what the agent may choose (the teams they administer as parents, the services
their organization may use, the roles they may hand out), but accepts any well-formed value of
a rule the service checks (a role, a user's id): a forged choice then meets the service's own
refusal and its reason, as through the API, instead of a second copy of the rule here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from people.core.web.forms import Form
from people.identity.models import ServiceProvider
from people.teams.models import TEAM_NAME_MAX_LENGTH, TeamRole

# The roles from the highest down, the order in which the pages offer them.
ROLE_ORDER = (TeamRole.OWNER, TeamRole.ADMIN, TeamRole.MEMBER)


def role_choices(roles: Iterable[str]) -> list[tuple[str, str]]:
    """`roles` as (value, label) pairs, the highest first."""
    wanted = set(roles)
    return [(role.value, str(role.label).capitalize()) for role in ROLE_ORDER if role.value in wanted]


class TeamForm(Form):
    """A team's name, the services it is linked to and its visibility (settings page)."""

    name = forms.CharField(label=_("Name"), max_length=TEAM_NAME_MAX_LENGTH)
    service_providers = forms.MultipleChoiceField(
        label=_("Services linked to the team"),
        help_text=_("The services of your organization that see this team and its members."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_visible_all_services = forms.BooleanField(
        label=_("Visible to all services"),
        help_text=_("Every service of the suite sees this team, linked or not."),
        required=False,
    )

    def __init__(self, *args: Any, providers: Iterable[ServiceProvider] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [(str(provider.pk), provider.name) for provider in providers]
        if choices:
            self.fields["service_providers"].choices = choices
        else:  # nothing to choose: the organization uses no service
            del self.fields["service_providers"]

    def service_arguments(self) -> dict[str, Any]:
        """`cleaned_data` as the service takes it."""
        data = dict(self.cleaned_data)
        if "service_providers" not in self.fields:
            data.pop("service_providers", None)
        return data


class TeamCreateForm(TeamForm):
    """A new team: a top-level team, or a sub-team of one the agent administers."""

    parent = forms.ChoiceField(
        label=_("Parent team"),
        help_text=_("A team you administer; the new team is then one of its sub-teams."),
        required=False,
    )

    field_order = ("name", "parent", "service_providers", "is_visible_all_services")

    def __init__(self, *args: Any, parents: Iterable[tuple[Any, str]] = (), **kwargs: Any):
        """`parents`: (id, name) of the teams the agent administers."""
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        parent.choices = [("", _("None: a top-level team")), *((str(pk), name) for pk, name in parents)]

    def service_arguments(self) -> dict[str, Any]:
        data = super().service_arguments()
        data["parent"] = data.get("parent") or None
        return data


class RoleField(forms.ChoiceField):
    """Any role: whether the agent may give it is the service's answer. `offered` limits what
    the select shows to the roles the agent may hand out."""

    def __init__(self, *, offered: Iterable[str] = TeamRole.values, **kwargs: Any):
        kwargs.setdefault("label", _("Role"))
        kwargs.setdefault("initial", TeamRole.MEMBER.value)
        super().__init__(choices=TeamRole.choices, **kwargs)
        self.widget.choices = role_choices(offered)


class InvitationForm(Form):
    """Invite an e-mail address (an address already an account's gets the access at once)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("Format: name@domain.gouv.fr. The person joins the team when they first sign in."),
    )

    role = RoleField()

    def __init__(self, *args: Any, offered: Iterable[str] = TeamRole.values, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["role"].widget.choices = role_choices(offered)


class MemberAddForm(forms.Form):
    """A person picked in the search: a colleague by id, anyone else by their e-mail address
    (the invitation gives an existing account the access at once)."""

    user = forms.UUIDField(required=False)
    email = forms.EmailField(required=False, max_length=254)
    role = RoleField()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("user")) == bool(data.get("email")):
            raise forms.ValidationError(_("Choose one person to add."), code="one_person")
        return data


class RoleChangeForm(forms.Form):
    access = forms.UUIDField()
    role = RoleField()


class AccessForm(forms.Form):
    access = forms.UUIDField()


class InvitationActionForm(forms.Form):
    invitation = forms.UUIDField()

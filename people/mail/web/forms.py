"""Forms of the mail domain pages: they check the shape of the input (the API's patterns); the
services decide the rules (who may, duplicates, the domain's state).

A role is any of the domain's roles: the select offers those the agent may hand out, and a
forged one meets the service's refusal with its reason, as through the API.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from people.core.web.forms import Form
from people.mail.models import (
    ALIAS_LOCAL_PART_MAX_LENGTH,
    DISCARD_DESTINATION,
    DOMAIN_NAME_MAX_LENGTH,
    DOMAIN_NAME_PATTERN,
    LOCAL_PART_PATTERN,
    MAILBOX_LOCAL_PART_MAX_LENGTH,
    NAME_MAX_LENGTH,
    MailDomainRole,
)

# The roles from the highest down, the order in which the pages offer them.
ROLE_ORDER = (MailDomainRole.OWNER, MailDomainRole.ADMIN, MailDomainRole.VIEWER)
LOCAL_PART_HELP = _("Lower case letters, digits, dots, hyphens and underscores.")


def role_choices(roles: Iterable[str]) -> list[tuple[str, str]]:
    """`roles` as (value, label) pairs, the highest first."""
    wanted = set(roles)
    return [(role.value, str(role.label).capitalize()) for role in ROLE_ORDER if role.value in wanted]


def _local_part_field(*, max_length: int, label: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, help_text=LOCAL_PART_HELP,
        validators=[RegexValidator(LOCAL_PART_PATTERN, message=LOCAL_PART_HELP)],
    )


class RoleField(forms.ChoiceField):
    def __init__(self, *, offered: Iterable[str] = MailDomainRole.values, **kwargs: Any):
        kwargs.setdefault("label", _("Role"))
        kwargs.setdefault("initial", MailDomainRole.VIEWER.value)
        super().__init__(choices=MailDomainRole.choices, **kwargs)
        self.widget.choices = role_choices(offered)


class DomainCreateForm(Form):
    name = forms.CharField(
        label=_("Domain name"), max_length=DOMAIN_NAME_MAX_LENGTH,
        help_text=_("Format: ville.fr. The domain must be your organization's."),
        validators=[RegexValidator(DOMAIN_NAME_PATTERN, message=_("Enter a domain name such as example.fr."))],
    )
    support_email = forms.EmailField(
        label=_("Support e-mail address"), max_length=254,
        help_text=_("Told of every change of the domain's status. Format: support@ville.fr"),
    )


class MailboxForm(Form):
    """Names and secondary address: what the mailbox's own user may change too."""

    first_name = forms.CharField(label=_("First name"), max_length=NAME_MAX_LENGTH)
    last_name = forms.CharField(label=_("Last name"), max_length=NAME_MAX_LENGTH)
    secondary_email = forms.EmailField(
        label=_("Secondary e-mail address"), max_length=254,
        help_text=_("An address outside this mailbox, where the one-time login links are sent."),
    )


class MailboxCreateForm(MailboxForm):
    local_part = _local_part_field(max_length=MAILBOX_LOCAL_PART_MAX_LENGTH, label=_("Address (before the @)"))

    field_order = ("first_name", "last_name", "local_part", "secondary_email")


class AliasDestinationField(forms.EmailField):
    """An e-mail address, or the platform's discard destination (which has no dot)."""

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return DISCARD_DESTINATION if value.lower() == DISCARD_DESTINATION else value

    def run_validators(self, value: Any) -> None:
        if value != DISCARD_DESTINATION:
            super().run_validators(value)


class AliasForm(Form):
    local_part = _local_part_field(max_length=ALIAS_LOCAL_PART_MAX_LENGTH, label=_("Alias (before the @)"))
    destination = AliasDestinationField(
        label=_("Destination"), max_length=254,
        help_text=_("The address that receives what is sent to the alias; %(discard)s drops it.")
        % {"discard": DISCARD_DESTINATION},
    )


class InvitationForm(Form):
    email = forms.EmailField(
        label=_("E-mail address"), max_length=254,
        help_text=_("Format: name@domain.gouv.fr. The person gets the role when they first sign in."),
    )
    role = RoleField()

    def __init__(self, *args: Any, offered: Iterable[str] = MailDomainRole.values, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["role"].widget.choices = role_choices(offered)


class AccessAddForm(forms.Form):
    user = forms.UUIDField()
    role = RoleField()


class RoleChangeForm(forms.Form):
    access = forms.UUIDField()
    role = RoleField()


class RowForm(forms.Form):
    """The row a button names: an access, an invitation, a mailbox or an alias."""

    id = forms.UUIDField()


class LocalPartForm(forms.Form):
    local_part = forms.CharField(max_length=ALIAS_LOCAL_PART_MAX_LENGTH)

"""Forms of the contact pages: the contact and the repeatable groups of its profile fields.

The groups follow the contact data's JSON schema (`people/contacts/schemas/contact_data.json`):
their kinds, lengths and number of entries are read from it, so that a page offers what the
schema accepts; the service checks the whole `data` against the schema again. A group is a
formset: each entry is a line of fields, a line left empty is left out, and a line's "remove"
box drops it, so that the page needs no JavaScript to add or remove entries.
"""

from __future__ import annotations

from typing import Any, ClassVar

import jsonschema
from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from people.contacts.models import DATA_SCHEMA
from people.core.jsonschema import load_schema
from people.core.web.forms import Form

SCHEMA = load_schema(str(DATA_SCHEMA))
FORMAT_CHECKER = jsonschema.FormatChecker()

# The kinds of the schema's enums, as a person reads them; brand names stay as they are.
KIND_LABELS = {
    "Work": _("Work"),
    "Home": _("Home"),
    "Other": _("Other"),
    "Mobile": _("Mobile"),
    "Main": _("Main"),
    "Work Fax": _("Work fax"),
    "Home Fax": _("Home fax"),
    "Pager": _("Pager"),
    "Profile": _("Profile"),
    "Blog": _("Blog"),
    "Website": _("Website"),
}


def kind_label(value: str) -> str:
    return str(KIND_LABELS.get(value, value))


def _group_schema(group: str) -> dict[str, Any]:
    return SCHEMA["properties"][group]


def _property(group: str, name: str) -> dict[str, Any]:
    schema = _group_schema(group)
    item = schema.get("items") or {"properties": {name: schema.get("additionalProperties", {})}}
    return item["properties"].get(name, schema.get("additionalProperties", {}))


def _max_entries(group: str) -> int:
    schema = _group_schema(group)
    return schema.get("maxItems") or schema.get("maxProperties")


def _required_keys(group: str) -> list[str]:
    return _group_schema(group).get("items", {}).get("required", [])


def kind_field(group: str) -> forms.ChoiceField:
    """The entry's `type`; "not said" is offered where the schema does not require one. Like
    every field of a line, required only once the line is filled (`EntryForm.clean`)."""
    choices = [(value, kind_label(value)) for value in _property(group, "type")["enum"]]
    if "type" not in _required_keys(group):
        choices = [("", _("Not said")), *choices]
    return forms.ChoiceField(label=_("Kind"), choices=choices, required=False)


def text_field(group: str, name: str, label: str, **kwargs: Any) -> forms.CharField:
    """An optional text of the schema's length: a line of a group is checked as a whole."""
    return forms.CharField(label=label, required=False, max_length=_property(group, name).get("maxLength"), **kwargs)


def validate_uri(value: str) -> None:
    """The schema's `uri` format, as the schema's checker reads it."""
    if value and not FORMAT_CHECKER.conforms(value, "uri"):
        raise ValidationError(_("Enter a full address, such as https://www.example.fr."), code="invalid")


class EntryForm(Form):
    """One entry of a group. A line whose texts are all empty is left out; once a line is
    filled, its `required` fields must be."""

    group: ClassVar[str]
    # Form field → key of the entry in the contact's data.
    keys: ClassVar[dict[str, str]]
    # The texts that make a line filled (a kind alone does not).
    texts: ClassVar[tuple[str, ...]]

    # Grid columns of the line's fields on a wide screen (12 in a row); one per row on a phone.
    columns: ClassVar[dict[str, int]] = {"kind": 4, "value": 8}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.column_class = f"fr-col-12 fr-col-md-{self.columns[name]}" if name in self.columns else "fr-col-12 fr-col-md"

    @property
    def required(self) -> tuple[str, ...]:
        """The fields a filled line needs: the keys the schema requires."""
        return tuple(name for name, key in self.keys.items() if key in _required_keys(self.group))

    def is_blank(self) -> bool:
        return not any(str(self[name].value() or "").strip() for name in self.texts)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.is_blank():
            for name in self.required:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Fill in this field, or empty the whole line."))
        return cleaned

    def entry(self) -> dict[str, str]:
        """The entry of the contact's data (only the keys with a value)."""
        return {key: self.cleaned_data[name] for name, key in self.keys.items() if self.cleaned_data.get(name)}

    @classmethod
    def initial_from(cls, entry: dict[str, Any]) -> dict[str, Any]:
        return {name: entry.get(key, "") for name, key in cls.keys.items()}


class EmailForm(EntryForm):
    group = "emails"
    keys: ClassVar[dict[str, str]] = {"kind": "type", "value": "value"}
    texts = ("value",)

    kind = kind_field("emails")
    value = forms.EmailField(label=_("E-mail address"), required=False, max_length=_property("emails", "value")["maxLength"])


class PhoneForm(EntryForm):
    group = "phones"
    keys: ClassVar[dict[str, str]] = {"kind": "type", "value": "value"}
    texts = ("value",)

    kind = kind_field("phones")
    value = text_field("phones", "value", _("Phone number"))


class AddressForm(EntryForm):
    group = "addresses"
    keys: ClassVar[dict[str, str]] = {
        "kind": "type", "street": "street", "zip": "zip", "city": "city", "state": "state", "country": "country",
    }
    texts = ("street", "zip", "city", "state", "country")
    columns: ClassVar[dict[str, int]] = {"kind": 3, "street": 9, "zip": 2, "city": 4, "state": 3, "country": 3}

    kind = kind_field("addresses")
    street = text_field("addresses", "street", _("Street"))
    zip = text_field("addresses", "zip", _("Postcode"))
    city = text_field("addresses", "city", _("City"))
    state = text_field("addresses", "state", _("Region or state"))
    country = text_field("addresses", "country", _("Country"))


class OrganizationForm(EntryForm):
    group = "organizations"
    keys: ClassVar[dict[str, str]] = {"name": "name", "department": "department", "job_title": "jobTitle"}
    texts = ("name", "department", "job_title")
    columns: ClassVar[dict[str, int]] = {"name": 4, "department": 4, "job_title": 4}

    name = text_field("organizations", "name", _("Organization"))
    department = text_field("organizations", "department", _("Department"))
    job_title = text_field("organizations", "jobTitle", _("Job title"))


class LinkForm(EntryForm):
    group = "links"
    keys: ClassVar[dict[str, str]] = {"kind": "type", "value": "value"}
    texts = ("value",)

    kind = kind_field("links")
    value = text_field("links", "value", _("Address (URL)"), validators=[validate_uri])


class CustomFieldForm(EntryForm):
    """`customFields` is an object (name → text): a line per property."""

    group = "customFields"
    keys: ClassVar[dict[str, str]] = {"name": "name", "value": "value"}
    required = ("name", "value")  # a property: a name and its text
    columns: ClassVar[dict[str, int]] = {"name": 4, "value": 8}
    texts = ("name", "value")

    name = forms.CharField(label=_("Name"), required=False)
    value = text_field("customFields", "value", _("Value"))


class EntryFormSet(BaseFormSet):
    """A group of entries; see the module's docstring. `legend`, `add_label`, `remove_label`,
    `entry_label` (with `%(number)s`) are what the page shows."""

    legend: ClassVar[Any]
    add_label: ClassVar[Any]
    remove_label: ClassVar[Any]
    entry_label: ClassVar[Any]

    @property
    def group(self) -> str:
        return self.form.group

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        # Every line is checked, even one left as it was shown: its fields are all optional
        # and `EntryForm.clean` tells an empty line from a filled one.
        return {**super().get_form_kwargs(index), "empty_permitted": False}

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.remove_label

    def kept_forms(self) -> list[EntryForm]:
        return [form for form in self.forms if not self._should_delete_form(form) and not form.is_blank()]

    def entries(self) -> list[dict[str, str]]:
        return [form.entry() for form in self.kept_forms()]

    def value(self) -> Any:
        """This group's value in the contact's data."""
        return self.entries()

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> list[dict[str, Any]]:
        return [cls.form.initial_from(entry) for entry in data.get(cls.form.group) or [] if isinstance(entry, dict)]

    def raw_rows(self) -> list[dict[str, Any]]:
        """The lines as typed (a line whose "remove" box is ticked left out), to show the
        group again with a line more."""
        rows = []
        for form in self.forms:
            if "DELETE" in form.fields and form["DELETE"].value():
                continue
            rows.append({name: form[name].value() for name in form.fields if name != "DELETE"})
        return rows

    @property
    def can_add(self) -> bool:
        return self.total_form_count() < self.max_num

    def numbered_forms(self) -> list[tuple[EntryForm, str]]:
        """Each line with its legend ("E-mail address 2")."""
        return [(form, self.entry_label % {"number": number}) for number, form in enumerate(self.forms, start=1)]


class CustomFieldFormSet(EntryFormSet):
    def clean(self) -> None:
        seen: set[str] = set()
        for form in self.kept_forms():
            name = form.cleaned_data.get("name")
            if name in seen:
                form.add_error("name", _("This name is used twice."))
            seen.add(name)

    def value(self) -> dict[str, str]:
        return {entry["name"]: entry["value"] for entry in self.entries()}

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> list[dict[str, Any]]:
        fields = data.get("customFields")
        return [{"name": name, "value": value} for name, value in fields.items()] if isinstance(fields, dict) else []


# What a group shows: its legend, its "add" button, a line's "remove" box and a line's legend.
LABELS = {
    "emails": (_("E-mail addresses"), _("Add an e-mail address"), _("Remove this e-mail address"), _("E-mail address %(number)s")),
    "phones": (_("Phone numbers"), _("Add a phone number"), _("Remove this phone number"), _("Phone number %(number)s")),
    "addresses": (_("Postal addresses"), _("Add an address"), _("Remove this address"), _("Address %(number)s")),
    "organizations": (_("Organizations"), _("Add an organization"), _("Remove this organization"), _("Organization %(number)s")),
    "links": (_("Links"), _("Add a link"), _("Remove this link"), _("Link %(number)s")),
    "customFields": (_("Other details"), _("Add a detail"), _("Remove this detail"), _("Detail %(number)s")),
}


def group_formset(form: type[EntryForm], base: type[EntryFormSet] = EntryFormSet) -> type[EntryFormSet]:
    maximum = _max_entries(form.group)
    formset = formset_factory(
        form, formset=base, extra=0, can_delete=True, can_delete_extra=False,
        max_num=maximum, validate_max=True, absolute_max=maximum,
    )
    formset.legend, formset.add_label, formset.remove_label, formset.entry_label = LABELS[form.group]
    return formset


# The groups in the order of the page.
GROUPS: tuple[type[EntryFormSet], ...] = (
    *(group_formset(form) for form in (EmailForm, PhoneForm, AddressForm, OrganizationForm, LinkForm)),
    group_formset(CustomFieldForm, CustomFieldFormSet),
)
# Groups shown with an empty line when the contact has none: the usual ones.
OPEN_GROUPS = ("emails", "phones")


class ContactForm(Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    short_name = forms.CharField(label=_("Short name"), max_length=30, required=False, help_text=_("How you call them, e.g. a first name."))
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=10000, strip=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only you read your notes."),
    )


class ContactEditor:
    """The contact's form and its groups, validated and shown together.

    `contact_values()` gives the service's keyword arguments: `full_name`, `short_name`,
    `notes` and `data` (the groups; the keys the contact had stay, emptied when their lines
    are gone).
    """

    def __init__(self, data: Any = None, *, initial: dict[str, Any] | None = None, contact_data: dict[str, Any] | None = None,
                 group_rows: dict[str, list[dict[str, Any]]] | None = None, added: str | None = None):
        self.original = dict(contact_data or {})
        self.form = ContactForm(data, initial=initial)
        self.groups = []
        for formset_class in GROUPS:
            group = formset_class.form.group
            rows = group_rows[group] if group_rows is not None else formset_class.initial_from(self.original)
            formset = formset_class(data, initial=rows, prefix=group)
            if data is None:
                formset.extra = 1 if group == added or (not rows and group in OPEN_GROUPS and added is None) else 0
            self.groups.append(formset)
        if added:
            self._focus_new_line(added)

    @classmethod
    def for_contact(cls, contact: Any = None, data: Any = None, *, with_notes: bool = True) -> ContactEditor:
        if contact is None:
            return cls(data)
        initial = {"full_name": contact.full_name, "short_name": contact.short_name or ""}
        if with_notes:
            initial["notes"] = contact.notes
        return cls(data, initial=initial, contact_data=contact.data)

    def with_line_added(self, group: str) -> ContactEditor:
        """The same input shown again, unchecked, with an empty line more in `group`."""
        initial = {name: self.form[name].value() for name in self.form.fields}
        rows = {formset.group: formset.raw_rows() for formset in self.groups}
        return ContactEditor(initial=initial, contact_data=self.original, group_rows=rows, added=group)

    def _focus_new_line(self, group: str) -> None:
        for formset in self.groups:
            if formset.group == group and len(formset.forms) > formset.initial_form_count():
                new = formset.forms[-1]
                first = next(name for name in new.fields if name != "kind")
                new.fields[first].widget.attrs["autofocus"] = True

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        return all([valid, *[formset.is_valid() for formset in self.groups]])

    def contact_values(self) -> dict[str, Any]:
        data = {}
        for formset in self.groups:
            value = formset.value()
            if value or formset.group in self.original:
                data[formset.group] = value
        return {**self.form.cleaned_data, "data": data}

    @property
    def has_errors(self) -> bool:
        return bool(self.form.errors) or any(formset.total_error_count() for formset in self.groups)

"""The base of every page's form: the design system's markup, errors next to their field."""

from __future__ import annotations

from django import forms
from dsfr.forms import DsfrBaseForm


class Form(DsfrBaseForm):
    """A DSFR form: each field in its `fr-input-group` with its label, hint and errors (the
    input carries `aria-invalid` and `aria-describedby` naming its error), optional fields marked
    "(optional)". Render it with `core/web/partials/form.html`.

    Pages never write models: a form validates input, the view passes `cleaned_data` to a
    service through `people.core.web.actions.run_service`.
    """

    def get_context(self) -> dict:
        # DsfrBaseForm warns about a transitional setting on each render; its markup is the same.
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context

"""The POST body of the contact form, as a browser sends it (management forms included)."""

from __future__ import annotations

from typing import Any

GROUPS = ("emails", "phones", "addresses", "organizations", "links", "customFields")


def contact_form(*, full_name: str = "", short_name: str = "", notes: str = "", initial: dict[str, int] | None = None,
                 **groups: list[dict[str, Any]]) -> dict[str, Any]:
    """`groups`: lines per group, each a dict of the line's form fields (`kind`, `value`,
    `DELETE`...); `initial` the number of lines the page showed filled (default: all)."""
    body: dict[str, Any] = {"full_name": full_name, "short_name": short_name, "notes": notes}
    for group in GROUPS:
        lines = groups.get(group, [])
        body[f"{group}-TOTAL_FORMS"] = len(lines)
        body[f"{group}-INITIAL_FORMS"] = (initial or {}).get(group, len(lines))
        body[f"{group}-MIN_NUM_FORMS"] = 0
        body[f"{group}-MAX_NUM_FORMS"] = 50
        for index, line in enumerate(lines):
            for name, value in line.items():
                if name == "DELETE" and not value:
                    continue
                body[f"{group}-{index}-{name}"] = "on" if value is True else value
    return body

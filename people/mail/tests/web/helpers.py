"""What the mail pages' tests share: reading a page's parts."""

from __future__ import annotations

from django.urls import reverse

from people.core.models import AuditEntry


def part(body: str, element_id: str, end: str | None = None) -> str:
    """The markup from the element with this id to `end` (or to the end of the page)."""
    assert f'id="{element_id}"' in body, f"no #{element_id} on the page"
    rest = body.split(f'id="{element_id}"', 1)[1]
    return rest.split(end, 1)[0] if end else rest


def audit_entries() -> int:
    return AuditEntry.objects.count()


def page(name: str, domain, *args) -> str:
    return reverse(f"mail:{name}", args=[domain.slug, *args])

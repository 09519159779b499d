"""What the team pages' tests share: reading a page's parts, posting its forms."""

from __future__ import annotations

from people.core.models import AuditEntry


def part(body: str, element_id: str, end: str | None = None) -> str:
    """The markup from the element with this id to `end` (or to the end of the page)."""
    assert f'id="{element_id}"' in body, f"no #{element_id} on the page"
    rest = body.split(f'id="{element_id}"', 1)[1]
    return rest.split(end, 1)[0] if end else rest


def table(body: str, element_id: str = "results") -> str:
    return part(body, element_id, "</table>")


def audit_entries() -> int:
    return AuditEntry.objects.count()


def tag(body: str, element_id: str) -> str:
    """The opening tag of the element with this id (its attributes, whatever their order)."""
    end = body.index(f'id="{element_id}"')
    return body[body.rindex("<", 0, end): body.index(">", end) + 1]

"""Every route under a mail domain, for every role: viewers read, managers write, nobody else
learns the domain exists (404). The other test modules check what each action does; this one
checks that none is forgotten."""

import pytest

from people.mail.models import MailDomainRole
from tests.factories import (
    AliasFactory,
    MailboxFactory,
    MailDomainAccessFactory,
    MailDomainInvitationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

READ, WRITE = "read", "write"

# (method, path under the domain, body, kind): reads are open to every role, writes to managers.
ROUTES = [
    ("get", "", None, READ),
    ("post", "fetch/", None, WRITE),
    ("get", "accesses/", None, READ),
    ("get", "accesses/{access}/", None, READ),
    ("get", "accesses/users/", None, WRITE),
    ("post", "accesses/", {"user": "{colleague}", "role": "viewer"}, WRITE),
    ("patch", "accesses/{access}/", {"role": "administrator"}, WRITE),
    ("put", "accesses/{access}/", {"role": "administrator"}, WRITE),
    ("delete", "accesses/{access}/", None, WRITE),
    ("get", "invitations/", None, READ),
    ("get", "invitations/{invitation}/", None, READ),
    ("post", "invitations/", {"email": "guest@ville.fr"}, WRITE),
    ("post", "invitations/{invitation}/refresh/", None, WRITE),
    ("delete", "invitations/{invitation}/", None, WRITE),
    ("get", "mailboxes/", None, READ),
    ("get", "mailboxes/{mailbox}/", None, READ),
    ("post", "mailboxes/", {"first_name": "Ada", "last_name": "L", "local_part": "ada"}, WRITE),
    ("patch", "mailboxes/{mailbox}/", {"first_name": "Ada"}, WRITE),
    ("put", "mailboxes/{mailbox}/", {"first_name": "Ada", "last_name": "L"}, WRITE),
    ("post", "mailboxes/{mailbox}/disable/", None, WRITE),
    ("post", "mailboxes/{mailbox}/enable/", None, WRITE),
    ("post", "mailboxes/{mailbox}/reset_password/", None, WRITE),
    ("post", "mailboxes/{mailbox}/login_link/", None, WRITE),
    ("get", "aliases/", None, READ),
    ("post", "aliases/", {"local_part": "contact", "destination": "a@ville.fr"}, WRITE),
    ("delete", "aliases/{alias}/", None, WRITE),
    ("delete", "aliases/?local_part={alias_name}", None, WRITE),
]


@pytest.fixture
def objects(crew):
    alias = AliasFactory(domain=crew.domain)
    return {
        "access": MailDomainAccessFactory(domain=crew.domain, user=UserFactory(organization=crew.domain.organization)).pk,
        "colleague": crew.outsider.pk,
        "invitation": MailDomainInvitationFactory(domain=crew.domain).pk,
        "mailbox": MailboxFactory(domain=crew.domain).pk,
        "alias": alias.pk,
        "alias_name": alias.local_part,
    }


def fill(value, objects):
    if isinstance(value, str):
        return value.format(**objects)
    if isinstance(value, dict):
        return {key: fill(item, objects) for key, item in value.items()}
    return value


@pytest.mark.parametrize(("method", "path", "body", "kind"), ROUTES, ids=[f"{m} {p}" for m, p, _b, _k in ROUTES])
@pytest.mark.parametrize("role", ["owner", "admin", "viewer", "none"])
def test_each_route_for_each_role(client_for, crew, objects, method, path, body, kind, role):
    user = crew.outsider if role == "none" else crew.user(role)
    if role == "none":  # an outsider of the organization too: nothing to pick among colleagues
        objects["colleague"] = UserFactory(organization=crew.domain.organization).pk
    response = getattr(client_for(user), method)(crew.url(fill(path, objects)), fill(body, objects), format="json")
    if role == "none":
        expected = {404}
    elif kind == READ or role != "viewer":
        expected = set(range(200, 300))
    else:
        expected = {403}
    assert response.status_code in expected, (response.status_code, response.content[:300])


def test_the_routes_cover_the_schema():
    """Every operation under a mail domain in the schema is in ROUTES."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    prefix = "/api/v1.0/mail-domains/{"
    documented = {
        (method, path.split("}/", 1)[1])
        for path, operations in schema["paths"].items() if path.startswith(prefix)
        for method in operations
    }
    listed = {
        (method, path.split("?")[0].replace("{access}", "{id}").replace("{invitation}", "{id}")
         .replace("{mailbox}", "{id}").replace("{alias}", "{id}"))
        for method, path, _body, _kind in ROUTES
    }
    assert documented == listed
    assert MailDomainRole.values == ["viewer", "administrator", "owner"]

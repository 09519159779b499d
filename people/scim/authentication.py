"""Bearer tokens of provisioning clients: the only way into `/scim/v2/`.

Sessions and the resource server's tokens are not read here: a browser signed in to People
or a service of the suite gets a 401 like anyone without a provisioning token.
"""

from __future__ import annotations

from django.http import HttpRequest

from people.core import audit
from people.core.models import Audience
from people.scim.models import ScimClient

MAX_TOKEN_LENGTH = 512


def authenticate(request: HttpRequest) -> ScimClient | None:
    """The active client whose token the request bears, or None. Changes made afterwards in
    this request are audited as the SCIM audience, naming the client."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    client = (
        ScimClient.objects.select_related("organization")
        .filter(token_digest=ScimClient.digest(token), is_active=True, organization__is_active=True)
        .first()
    )
    if client is not None:
        audit.set_context(Audience.SCIM, service=f"scim:{client.name}")
    return client

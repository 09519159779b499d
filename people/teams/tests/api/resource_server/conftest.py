"""The resource server's test doubles for the team endpoints it serves: a fake OpenID provider
answering introspection, and `service`, a client calling as a suite service for a user."""

from people.resource_server.tests.conftest import (  # noqa: F401
    _fresh_keys,
    fake_provider,
    op_signing_key,
    rs_key,
    rs_settings,
    service,
)

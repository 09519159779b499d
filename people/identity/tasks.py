"""Outbox handlers of the identity app (discovered at start-up by `people.core`)."""

from people.core import outbox
from people.identity import onboarding

outbox.handler(onboarding.KIND)(onboarding.onboarding_deliver)

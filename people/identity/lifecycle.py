"""What follows the creation of a user, whoever created it (sign-in, admin, shell, demo).

Identity sits below teams and contacts and may not import them, yet a new account must at once
get its pending team invitations as accesses, its profile card and its onboarding. The layer
that composes the apps (`people.portal`) therefore registers its step here when Django starts
(`PortalConfig.ready`); `services.user_create` runs the registered steps in the transaction of
the creation, so a failing step creates nothing.

A plain list filled at start-up rather than a Django signal: the steps are business flows (they
write rows and enqueue outbound work), and who runs them, in which order, should be readable
from the code rather than found through receivers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from people.identity.models import User

UserCreatedStep = Callable[..., object]

_user_created_steps: list[UserCreatedStep] = []


def user_created_step_register(step: UserCreatedStep) -> None:
    """Add `step(user=...)` to what runs after each creation; registering twice adds it once."""
    if step not in _user_created_steps:
        _user_created_steps.append(step)


def user_created_steps() -> tuple[UserCreatedStep, ...]:
    return tuple(_user_created_steps)


def user_created_run(*, user: User) -> None:
    for step in _user_created_steps:
        step(user=user)

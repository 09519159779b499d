"""Settings of the team webhooks: how People pushes team changes to the suite's services.

Times are in seconds. A delivery is retried with the outbox's backoff until it is older than
TEAM_WEBHOOK_MAX_AGE (or has had TEAM_WEBHOOK_MAX_ATTEMPTS attempts); the periodic
reconciliation then repairs the remote group in full.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from config.env import CommaList, load, settings_from


class TeamsEnv(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")

    TEAM_WEBHOOK_CONNECT_TIMEOUT: float = Field(default=5.0, gt=0)
    TEAM_WEBHOOK_TIMEOUT: float = Field(default=20.0, gt=0)
    TEAM_WEBHOOK_MAX_AGE: int = Field(default=7 * 86400, ge=60)
    TEAM_WEBHOOK_MAX_ATTEMPTS: int = Field(default=500, ge=1)
    # Plain http:// webhook URLs are refused unless this is on (a local peer in development).
    TEAM_WEBHOOK_ALLOW_HTTP: bool = False
    # The hosts webhooks may call: names (`scim.service.gouv.fr`) or domains with their
    # sub-domains (`.gouv.fr`); empty, any host. Checked when a webhook is added and at each
    # delivery, so that team administrators cannot make People call inside its own network.
    TEAM_WEBHOOK_ALLOWED_HOSTS: CommaList = Field(default_factory=list)
    # Every team with webhooks is reconciled in full this often (0: never; the command still does).
    TEAM_WEBHOOK_RECONCILE_INTERVAL: int = Field(default=86400, ge=0)


TEAMS_ENV: TeamsEnv = load(TeamsEnv)

globals().update(settings_from(TEAMS_ENV))

TEAMS_BEAT_SCHEDULE = (
    {
        "team-webhooks-reconcile": {
            "task": "people.teams.tasks.team_webhooks_reconcile",
            "schedule": float(TEAMS_ENV.TEAM_WEBHOOK_RECONCILE_INTERVAL),
        }
    }
    if TEAMS_ENV.TEAM_WEBHOOK_RECONCILE_INTERVAL
    else {}
)

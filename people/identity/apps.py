from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IdentityConfig(AppConfig):
    name = "people.identity"
    label = "identity"

    def ready(self) -> None:
        from people.identity import lockout  # noqa: F401 - logs lockouts for operators
        from people.identity.email_index import email_index_sync_after_migrate

        # The unique index on e-mails follows USER_EMAIL_UNIQUE (see email_index).
        post_migrate.connect(email_index_sync_after_migrate, sender=self, dispatch_uid="identity_email_index")

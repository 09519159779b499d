from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "people.mail"
    label = "mail"
    verbose_name = "Mail"

    def ready(self) -> None:
        from django.db.models import Exists, OuterRef

        from people.identity.auth.backends import annotate_session_user
        from people.mail.models import MailDomainAccess

        # Every page's header and `users/me/` ask whether the user has a role on a mail domain.
        annotate_session_user(
            "has_mail_domain_access",
            lambda: Exists(MailDomainAccess.objects.filter(user=OuterRef("pk"))),
        )

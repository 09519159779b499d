from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "people.mail"
    label = "mail"
    verbose_name = "Mail"

from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "people.identity"
    label = "identity"

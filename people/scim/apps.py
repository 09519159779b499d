from django.apps import AppConfig


class ScimConfig(AppConfig):
    name = "people.scim"
    label = "scim"
    verbose_name = "SCIM"

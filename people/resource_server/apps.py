from django.apps import AppConfig


class ResourceServerConfig(AppConfig):
    name = "people.resource_server"
    label = "resource_server"

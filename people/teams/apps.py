from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "people.teams"
    label = "teams"

from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "people.contacts"
    label = "contacts"

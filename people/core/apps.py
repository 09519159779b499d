from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "people.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from people.core import outbox
        from people.core.api import schema  # noqa: F401 - registers the OpenAPI extensions

        # Outbox handlers are registered by each app's tasks.py.
        autodiscover_modules("tasks")
        outbox.start_worker_if_configured()

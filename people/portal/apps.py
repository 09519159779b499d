from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "people.portal"
    label = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from people.identity import lifecycle
        from people.portal.accounts import user_welcome

        # Every creation of a user (sign-in, admin, createsuperuser, demo) runs it.
        lifecycle.user_created_step_register(user_welcome)

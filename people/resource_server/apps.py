from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class ResourceServerConfig(AppConfig):
    name = "people.resource_server"
    label = "resource_server"
    verbose_name = "Resource server"

    def ready(self) -> None:
        """Parse our keys now, so that a bad configuration stops the start with a clear message."""
        from django.conf import settings
        from django.core.signals import setting_changed

        from people.oidc import keys

        ring = keys.get_key_ring()
        if settings.OIDC_RS_INTROSPECTION_FORMAT == "jwt" and not ring:
            raise ImproperlyConfigured(
                "OIDC_RS_INTROSPECTION_FORMAT=jwt needs our private key: set OIDC_RS_PRIVATE_KEY_STR "
                "or OIDC_RS_PRIVATE_KEY_FILE"
            )

        def _forget_keys(*, setting: str, **kwargs) -> None:
            if setting.startswith("OIDC_RS_"):
                keys.reset()

        setting_changed.connect(_forget_keys, weak=False, dispatch_uid="resource_server_keys")

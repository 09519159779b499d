"""Django's PostgreSQL backend with a health check of kept connections that costs no round trip
(`ENGINE` of `config.database`): see `base.DatabaseWrapper`."""

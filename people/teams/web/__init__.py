"""The team pages (mounted at `teams/` by config/urls.py): see `views`."""

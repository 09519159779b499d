"""The web interface's shared parts: layout context, pagination, forms, the service runner.

Pages live in `people/<app>/web/`; they extend `core/web/base.html` and use the partials of
`core/templates/core/web/partials/` (see the README's "Web interface" section).
"""

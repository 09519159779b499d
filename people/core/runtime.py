"""What a serving process does once its application is loaded: `prepare_collector`.

Python's cycle collector walks every tracked object at each full collection; a Django process
holds a few hundred thousand of them (modules, classes, URL patterns, settings) that live as
long as the process. Listing a large address book allocates enough to trigger such collections
several times a request, and each walked them all: the slowest 5% of the requests of a list
took three times its median. `gc.freeze()` moves what is loaded to a permanent generation the
collector no longer walks (the Python documentation recommends it for pre-fork servers).

Then the collector runs less often: a list of several hundred rows allocates some hundred
thousand objects, which at the default threshold (a young collection every 700 allocations,
an older one every 10 of those) meant dozens of collections walking the request's own rows
while they were still in use. With `COLLECTOR_THRESHOLDS` the bench's teams list and contacts
search went from about 55 to about 30 ms at p95, their median unchanged; memory grows by the
objects of one young generation (some megabytes).
"""

from __future__ import annotations

import gc

COLLECTOR_THRESHOLDS = (20_000, 10, 10)


def prepare_collector() -> int:
    """Import every view (the URL patterns), freeze what is loaded, then raise the collector's
    thresholds; returns how many objects are frozen."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view
    gc.collect()
    gc.freeze()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    return gc.get_freeze_count()

"""Celery entry points of the outbox (production). Each app registers its handlers in its own tasks.py."""

from celery import shared_task

from people.core import outbox


@shared_task(name="people.core.tasks.outbox_deliver")
def outbox_deliver(message_id: str) -> str | None:
    return outbox.deliver(message_id)


@shared_task(name="people.core.tasks.outbox_deliver_due")
def outbox_deliver_due() -> int:
    return outbox.deliver_due()

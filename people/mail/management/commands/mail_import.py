"""`manage.py mail_import [DOMAIN ...]`: bring into People the mailboxes and aliases made on the
mail platform outside it (see `people.mail.imports`); the periodic job does the same for every
enabled domain.

Without names, every enabled domain on the platform; a name People does not know, or the
platform down, is an error (exit status 1) after the other domains are done.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from people.core.delivery import DeliveryError
from people.mail import imports
from people.mail.models import MailDomain, MailDomainStatus


class Command(BaseCommand):
    help = "Import the mailboxes and aliases that exist on the mail platform but not in People."

    def add_arguments(self, parser):
        parser.add_argument("domains", nargs="*", metavar="DOMAIN", help="domain names (default: every enabled domain)")

    def handle(self, *args: Any, domains: list[str], **options: Any) -> None:
        if domains:
            names = [name.strip().lower() for name in domains]
            found = {domain.name: domain for domain in MailDomain.objects.filter(name__in=names)}
            unknown = [name for name in names if name not in found]
            selected = [found[name] for name in names if name in found]
        else:
            unknown = []
            selected = list(MailDomain.objects.filter(provisioned=True, status=MailDomainStatus.ENABLED).order_by("name"))
        failed = [f"{name}: unknown to People" for name in unknown]
        for domain in selected:
            try:
                result = imports.domain_import(domain)
            except DeliveryError as error:
                failed.append(f"{domain.name}: {error}")
                continue
            summary = f"{domain.name}: {len(result.mailboxes)} mailboxes, {len(result.aliases)} aliases imported"
            self.stdout.write(summary + (f", {len(result.skipped)} skipped" if result.skipped else ""))
            for line in [*result.mailboxes, *result.aliases]:
                self.stdout.write(f"  + {line}")
            for line in result.skipped:
                self.stdout.write(f"  - skipped {line}")
        if failed:
            raise CommandError("\n".join(failed))

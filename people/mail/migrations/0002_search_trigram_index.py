from django.db import migrations

from people.core.migration_operations import trigram_index


class Migration(migrations.Migration):
    """`q` on mailboxes (names, local part, secondary address) and on domains (name)."""

    dependencies = [("mail", "0001_initial")]

    operations = [trigram_index("mail_mailbox"), trigram_index("mail_maildomain", "name")]

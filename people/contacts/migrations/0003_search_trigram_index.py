from django.db import migrations

from people.core.migration_operations import trigram_index


class Migration(migrations.Migration):
    dependencies = [("contacts", "0002_initial")]

    operations = [trigram_index("contacts_contact")]

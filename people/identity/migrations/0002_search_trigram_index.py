from django.db import migrations

from people.core.migration_operations import trigram_index


class Migration(migrations.Migration):
    dependencies = [("identity", "0001_initial")]

    operations = [trigram_index("identity_user")]

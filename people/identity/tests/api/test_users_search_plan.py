"""GET /api/v1.0/users/?q= costs what the caller's organization costs, whatever the directory.

PostgreSQL only: the plans are PostgreSQL's. Through the trigram index, a common word reads the
index entries of every matching user of every organization; the search reads the caller's
organization by its index and checks the words on those rows.
"""

import pytest
from django.core.management import call_command
from django.db import connection

from people.identity.models import User
from tests import plans

pytestmark = [pytest.mark.django_db, plans.postgresql_plans]


def test_a_common_word_is_matched_within_the_organization(client_for):
    call_command("demo", users=6000, teams=0, organizations=6, verbosity=0)
    me = User.objects.filter(organization__isnull=False).order_by("created_at").last()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {User._meta.db_table}")
    with plans.recorded_sql() as statements:
        response = client_for(me).get("/api/v1.0/users/", {"q": "ma"})
    assert response.status_code == 200
    matching = User.objects.filter(organization=me.organization, is_active=True, search_text__contains="ma").count()
    assert response.json()["count"] == matching > 20
    user_reads = [(sql, params) for sql, params in statements if "LIKE" in sql]
    assert len(user_reads) == 2  # the count and the page
    for sql, params in user_reads:
        plan = plans.explain(sql, params)
        indexes = {node.get("Index Name") for node in plans.plan_nodes(plan["Plan"])}
        assert not any(name and "trgm" in name for name in indexes), indexes
        assert any(name and ("organization" in name or name == "user_org_created_idx") for name in indexes), indexes

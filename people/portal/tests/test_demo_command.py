"""`manage.py demo`: the demo user with teams and colleagues, bulk sizes, idempotence."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from people.contacts.models import Contact
from people.identity.models import Organization, OrganizationIdentifier, User
from people.identity.validators import validate_siret
from people.portal.management.commands.demo import DEMO_EMAIL, siret
from people.teams.models import Invitation, Team, TeamAccess, TeamRole
from tests import factories

pytestmark = pytest.mark.django_db


def run(**options):
    err = StringIO()
    call_command("demo", stdout=StringIO(), stderr=err, **options)
    return err.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (User, Organization, OrganizationIdentifier, Team, TeamAccess, Invitation, Contact)
    }


def test_demo_user_has_teams_colleagues_contacts_and_an_invitation():
    progress = run()
    assert "100%" in progress  # the progress bar goes to stderr
    demo = User.objects.get(email=DEMO_EMAIL)
    assert demo.name == "Demo User"
    assert demo.is_active
    assert not demo.has_usable_password()
    organization = demo.organization
    assert organization.domain_list == ["example.com"]
    assert set(OrganizationIdentifier.objects.filter(organization=organization).values_list("value", flat=True)) == {
        "example.com", *organization.registration_id_list,
    }
    colleagues = User.objects.filter(organization=organization).exclude(pk=demo.pk)
    assert colleagues.count() >= 5
    assert all(email.endswith("@example.com") for email in colleagues.values_list("email", flat=True))
    owned = Team.objects.filter(accesses__user=demo, accesses__role=TeamRole.OWNER)
    assert owned.count() >= 2
    assert all(team.organization_id == organization.pk for team in owned)
    # Colleagues are members of the demo user's teams.
    assert TeamAccess.objects.filter(team__in=owned).exclude(user=demo).exists()
    assert Contact.objects.filter(owner=demo).count() >= 3
    assert Invitation.objects.filter(team__in=owned).count() == 1


def test_rows_are_consistent_with_what_save_computes():
    run(users=30, teams=9, organizations=2)
    user = User.objects.exclude(email=DEMO_EMAIL).first()
    text = user.search_text
    user.save()
    assert user.search_text == text
    for team in Team.objects.all():
        assert team.depth == len(team.path) // 5
        if team.parent_id:
            assert team.path.startswith(team.parent.path)
            assert team.organization_id == team.parent.organization_id
        saved = team.search_text
        team.save()
        assert team.search_text == saved
    for organization in Organization.objects.all():
        organization.full_clean()  # valid SIRETs, identifiers owned by no other organization
    # Members of a team are users of its organization.
    for access in TeamAccess.objects.select_related("team", "user"):
        assert access.user.organization_id == access.team.organization_id


def test_running_twice_duplicates_nothing():
    run(users=25, teams=10, organizations=3)
    first = counts()
    run(users=25, teams=10, organizations=3)
    assert counts() == first
    assert first["User"] == 26
    assert first["Team"] == 10


def test_growing_the_set_adds_only_the_difference():
    run(users=10, teams=4, organizations=2)
    run(users=20, teams=8, organizations=2)
    assert User.objects.count() == 21
    assert Team.objects.count() == 8
    assert Team.objects.values("path").distinct().count() == 8


def test_existing_data_is_respected():
    """Teams and organizations made by hand keep their places and identifiers."""
    mine = factories.OrganizationFactory(domain_list=["example.com"])
    team = factories.TeamFactory(organization=mine)
    run(users=6, teams=4, organizations=2)
    assert User.objects.get(email=DEMO_EMAIL).organization == mine
    assert Team.objects.get(pk=team.pk).path == team.path
    assert Team.objects.filter(depth=1).count() == 2


def test_generated_sirets_are_valid():
    for index in (0, 1, 42, 99_999):
        validate_siret(siret(index))


def test_bad_sizes_are_refused():
    with pytest.raises(CommandError):
        run(users=-1)
    with pytest.raises(CommandError):
        run(organizations=0)


def test_names_vary_and_emails_are_prenom_nom_numbered_on_collision():
    run(users=300, teams=0, organizations=1)
    users = User.objects.exclude(email=DEMO_EMAIL)
    names = list(users.values_list("name", flat=True))
    assert len(set(names)) > 200  # no organization where everybody shares one name
    assert len({name.split()[0] for name in names}) > 80
    assert any(char in "".join(names) for char in "éèëïôç")
    emails = set(users.values_list("email", flat=True))
    assert len(emails) == 300
    for user in users:
        local = user.email.split("@")[0]
        assert local.rstrip("0123456789").count(".") == 1
        assert local.isascii()
    # The same prenom.nom twice in a domain: the second one is numbered.
    repeated = [local for local in (email.split("@")[0] for email in emails) if local[-1].isdigit()]
    assert repeated
    assert all(f"{local.rstrip('0123456789')}@example.com" in emails for local in repeated)
    # A search for "mar" finds some people, not everybody.
    found = User.objects.filter(search_text__contains="mar").count()
    assert 0 < found < 300 // 2


def test_members_and_directory_contacts_at_scale():
    run(users=200, teams=20, organizations=2, members=30, contacts=50)
    per_team = [Team.objects.get(pk=team.pk).accesses.count() for team in Team.objects.all()]
    assert min(per_team) < max(per_team)  # sizes vary
    assert 20 <= sum(per_team) / len(per_team) <= 40
    assert all(team.accesses.filter(role=TeamRole.OWNER).exists() for team in Team.objects.all())
    generated = Contact.objects.filter(search_text__contains="contact.example.org")
    assert generated.filter(owner__isnull=True).count() == 5
    assert generated.filter(owner__isnull=False).count() == 45
    before = counts()
    run(users=200, teams=20, organizations=2, members=30, contacts=50)
    assert counts() == before


def test_small_demo_keeps_small_teams():
    run(users=40, teams=12, organizations=3)
    assert max(team.accesses.count() for team in Team.objects.all()) <= 5


def test_the_planner_has_statistics_of_the_loaded_tables():
    """Without them PostgreSQL planned the bench's queries on default guesses (a sequential scan
    of every access for the ids of a few teams) until autovacuum came by, if it ever did."""
    from django.db import connection

    run(users=40, teams=8)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s AND attname = 'team_id'", ["teams_teamaccess"])
        else:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", ["teams_teamaccess"])
        assert cursor.fetchone()[0] >= 1

"""The layer above the apps: what joins identity, teams and contacts.

Each app (core < identity < resource_server < teams, contacts) imports only the layers below
it; what needs several of them lives here: the sign-in's account rules, the step every new user
goes through, the signed-in user's view of all apps (`users/me/` abilities, `scim/Me` with their
teams), the home page and the demo data. Nothing imports this package but `config`.
"""

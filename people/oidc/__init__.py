"""The OpenID provider as People sees it, below both the sign-in and the resource server.

One home for what both talk to the provider about: its discovery document and keys
(`provider`), the HTTP calls to it (`http`), our own encryption keys (`keys`), and the checks
of what it signs or encrypts for us (`jose`, `claims`), with one pair of errors (`errors`).
The callers keep only their protocol's rules: the sign-in its ID token, userinfo and logout
token claims (`people.identity.auth.tokens`), the resource server its introspection answers
(`people.resource_server.introspection`). This package imports neither of them.
"""

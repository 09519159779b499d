"""Writes on mail domains and what they hold: the one place their rules are enforced.

Every function is atomic, keyword-only, takes the acting user, decides through
`people.mail.policies` on a domain locked by `selectors.domain_get_for_actor`, writes an audit
entry, and queues what the mail platform must do in the outbox (`people.mail.provisioning`),
so that the request never waits on the platform and nothing is asked of it for a change that
rolls back. Split by concern: `domains` (domains, accesses, invitations), `mailboxes`,
`aliases`.
"""

from django.contrib.auth.backends import ModelBackend


class EmailPasswordBackend(ModelBackend):
    """Password sign-in (admin, operators) by e-mail, case-insensitive.

    E-mail uniqueness is configurable (USER_EMAIL_UNIQUE, see `email_index`), not a column
    constraint: when two accounts share an address, neither can sign in by password
    (`get_by_natural_key` refuses).
    """

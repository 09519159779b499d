"""Validators of organization registration ids (configurable: ORGANIZATION_REGISTRATION_ID_VALIDATORS)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_siret(value: str) -> None:
    """A French SIRET: 14 digits passing the Luhn check (La Poste's 356000000 ids excepted)."""
    if not (isinstance(value, str) and len(value) == 14 and value.isdigit()):
        raise ValidationError(_("%(value)s is not a SIRET: 14 digits expected."), params={"value": value}, code="siret")
    if value.startswith("356000000"):  # La Poste establishments: sum of digits divisible by 5
        if sum(int(d) for d in value) % 5 == 0:
            return
        raise ValidationError(_("%(value)s is not a valid SIRET."), params={"value": value}, code="siret")
    total = 0
    for index, digit in enumerate(reversed(value)):
        number = int(digit)
        if index % 2 == 1:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    if total % 10:
        raise ValidationError(_("%(value)s is not a valid SIRET (checksum)."), params={"value": value}, code="siret")

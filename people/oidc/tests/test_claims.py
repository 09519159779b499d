"""The shared JWT time window: exp / nbf / iat with leeway, NumericDates only."""

from __future__ import annotations

import pytest

from people.oidc.claims import check_time_claims, is_numeric_date

NOW = 1_800_000_000.0


class Refused(Exception):
    pass


def check(claims: dict, **options) -> None:
    options.setdefault("leeway", 30)
    check_time_claims(claims, error=Refused, now=NOW, **options)


@pytest.mark.parametrize("value", [0, 1, NOW, 1.5, -3])
def test_numbers_are_numeric_dates(value):
    assert is_numeric_date(value)


@pytest.mark.parametrize("value", [True, False, None, "1800000000", [1], float("nan"), float("inf"), -float("inf"), 10**400])
def test_other_values_are_not_numeric_dates(value):
    assert not is_numeric_date(value)


def test_a_token_inside_its_window_passes():
    check({"iat": NOW - 10, "nbf": NOW - 10, "exp": NOW + 60}, require_exp=True)


def test_leeway_tolerates_clock_skew_both_ways():
    check({"iat": NOW + 29, "nbf": NOW + 29, "exp": NOW - 29}, require_exp=True)


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"iat": NOW, "exp": NOW - 31}, "ID token expired or without a valid expiry"),
        ({"iat": NOW + 31}, "ID token issued in the future or without a valid iat"),
        ({"iat": NOW, "nbf": NOW + 31}, "ID token not yet valid"),
    ],
)
def test_outside_the_leeway_is_refused_with_what_was_checked(claims, message):
    with pytest.raises(Refused) as raised:
        check(claims, what="ID token")
    assert str(raised.value) == message


def test_iat_is_required_by_default_and_can_be_waived():
    with pytest.raises(Refused, match="iat"):
        check({"exp": NOW + 60})
    check({"exp": NOW + 60}, require_iat=False)


def test_exp_is_optional_unless_required():
    check({"iat": NOW})
    with pytest.raises(Refused, match="expiry"):
        check({"iat": NOW}, require_exp=True)


@pytest.mark.parametrize("name", ["exp", "iat", "nbf"])
@pytest.mark.parametrize("value", ["soon", True, float("nan"), float("inf"), 10**400, {"at": 1}])
def test_a_present_claim_must_be_a_numeric_date(name, value):
    claims = {"iat": NOW, name: value}
    with pytest.raises(Refused):
        check(claims)


def test_without_now_the_clock_is_used():
    import time

    check_time_claims({"iat": time.time(), "exp": time.time() + 5}, leeway=0, error=Refused)
    with pytest.raises(Refused):
        check_time_claims({"iat": time.time(), "exp": time.time() - 5}, leeway=0, error=Refused)

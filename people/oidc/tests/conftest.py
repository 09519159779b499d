import pytest
from joserfc.jwk import RSAKey


@pytest.fixture(scope="session")
def rs_key() -> RSAKey:
    return RSAKey.generate_key(2048)

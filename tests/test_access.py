"""The allow-list that decides who may open a deployed dashboard."""

from __future__ import annotations

import pytest

from natbacc.access import AccessPolicy, cookie_secret_problem

POLICY = AccessPolicy.from_config(
    {"allowed_domains": ["oakfield.sch.uk", "@elmpark.org.uk"], "allowed_emails": ["Data.Manager@Trust.org.uk"]}
)


@pytest.mark.parametrize(
    ("email", "verified", "admitted"),
    [
        ("head@oakfield.sch.uk", True, True),
        ("Head@OAKFIELD.sch.uk ", True, True),  # case and spacing do not matter
        ("teacher@elmpark.org.uk", True, True),
        ("teacher@elmpark.org.uk", None, False),  # a provider that does not vouch for the address is refused
        ("data.manager@trust.org.uk", True, True),
        ("someone.else@trust.org.uk", True, False),  # the trust's domain is not on the list, only one address
        ("head@oakfield.sch.uk.evil.com", True, False),  # look-alike domain
        ("head@notoakfield.sch.uk", True, False),
        ("head@sub.oakfield.sch.uk", True, False),  # subdomains are not the school's domain
        ("head@oakfield.sch.uk", False, False),  # unverified address
        ("oakfield.sch.uk", True, False),
        ("@oakfield.sch.uk", True, False),
        ("", True, False),
        (None, True, False),
    ],
)
def test_admits_only_listed_addresses_and_domains(email, verified, admitted):
    assert POLICY.admits(email, verified) is admitted


def test_an_empty_or_malformed_allow_list_admits_nobody():
    for config in (None, {}, {"allowed_domains": []}, {"allowed_domains": 42}, {"allowed_emails": [""]}):
        policy = AccessPolicy.from_config(config)
        assert policy.is_empty and not policy.admits("head@oakfield.sch.uk", True)
    assert AccessPolicy.from_config({"allowed_domains": "oakfield.sch.uk"}).admits("a@oakfield.sch.uk", True)


@pytest.mark.parametrize(
    ("secret", "words"),
    [
        (None, "no cookie_secret"),
        ("", "no cookie_secret"),
        ("   ", "no cookie_secret"),
        (42, "no cookie_secret"),
        ("CHANGE-ME", "example value"),
        ("change-me-to-something-long-and-random-please", "example value"),
        ("test-only-secret", "16 bytes long"),
        ("a" * 64, "repeats"),
    ],
)
def test_a_missing_example_or_short_cookie_secret_is_refused_with_the_fix(secret, words):
    problem = cookie_secret_problem(secret)
    assert problem is not None and words in problem
    assert "secrets.token_hex(32)" in problem


def test_a_generated_secret_is_accepted():
    import secrets

    assert cookie_secret_problem(secrets.token_hex(32)) is None
    assert cookie_secret_problem(secrets.token_urlsafe(32)) is None

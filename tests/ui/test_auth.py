"""Sign-in on a deployed dashboard: nothing is shown until an allowed user has signed in."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import natbacc.ui.auth as auth

from .conftest import APP, shown, texts

AUTH = {
    "redirect_uri": "https://natbacc.oakfield.sch.uk/oauth2callback",
    "cookie_secret": "9f2c6be0d1a74e53b8c4f07a2e61d93c5ab0e7f4c2d81963",
    "microsoft": {
        "client_id": "x",
        "client_secret": "y",
        "server_metadata_url": "https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration",
    },
    "google": {
        "client_id": "x",
        "client_secret": "y",
        "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
    },
}


def _run(monkeypatch, identity: auth.Identity, access: dict | None, auth_section: dict = AUTH) -> AppTest:
    monkeypatch.setattr(auth, "current_identity", lambda: identity)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["auth"] = auth_section
    if access is not None:
        at.secrets["access"] = access
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _shows_pupils(at: AppTest) -> bool:
    return any(m.label == "Pupils" for m in at.metric) or "sample school" in texts(at)


def test_signed_out_users_see_only_the_sign_in_buttons(monkeypatch):
    at = _run(monkeypatch, auth.Identity(False), {"allowed_domains": ["oakfield.sch.uk"]})
    assert [b.label for b in at.button] == ["Sign in with Microsoft", "Sign in with Google"]
    assert not _shows_pupils(at)
    assert "Sign in with your school account" in texts(at)


def test_an_allowed_user_gets_the_dashboard(monkeypatch):
    at = _run(
        monkeypatch, auth.Identity(True, "head@oakfield.sch.uk", "Head", True), {"allowed_domains": ["oakfield.sch.uk"]}
    )
    assert _shows_pupils(at)
    assert "Signed in as head@oakfield.sch.uk" in "\n".join(shown(c.value) for c in at.sidebar.caption)


@pytest.mark.parametrize(
    ("identity", "access", "message"),
    [
        (auth.Identity(True, "someone@gmail.com", None, True), {"allowed_domains": ["oakfield.sch.uk"]}, "not on this"),
        (
            auth.Identity(True, "head@oakfield.sch.uk", None, False),
            {"allowed_domains": ["oakfield.sch.uk"]},
            "did not confirm that this e-mail address belongs to you",
        ),
        (auth.Identity(True, "head@oakfield.sch.uk", None, True), None, "nobody is allowed in yet"),
        (
            auth.Identity(True, "head@oakfield.sch.uk", None, None),
            {"allowed_domains": ["oakfield.sch.uk"]},
            "did not confirm that this e-mail address belongs to you",
        ),
    ],
)
def test_anyone_else_is_turned_away_with_a_reason(monkeypatch, identity, access, message):
    at = _run(monkeypatch, identity, access)
    assert not _shows_pupils(at)
    assert message in "\n".join(e.value for e in at.error)
    assert [b.label for b in at.button] == ["Sign out"]


def test_without_an_auth_section_the_local_dashboard_is_open(app):
    assert _shows_pupils(app)
    assert not any(b.label.startswith("Sign in") for b in app.button)


ALLOWED = auth.Identity(True, "head@oakfield.sch.uk", "Head", True)


@pytest.mark.parametrize(
    ("secret", "words"),
    [(None, "no cookie_secret"), ("CHANGE-ME", "example value"), ("short-secret-123", "bytes long")],
)
def test_a_weak_cookie_secret_keeps_the_dashboard_closed_even_for_an_allowed_user(monkeypatch, secret, words):
    """A cookie signed with a guessable secret can claim any identity: nothing opens until it is fixed."""
    section = {k: v for k, v in AUTH.items() if k != "cookie_secret"}
    if secret is not None:
        section["cookie_secret"] = secret
    at = _run(monkeypatch, ALLOWED, {"allowed_domains": ["oakfield.sch.uk"]}, section)
    assert not _shows_pupils(at)
    message = "\n".join(e.value for e in at.error)
    assert "closed until the person who runs the server" in message and words in message
    assert not at.button  # no sign-in offered either: a sign-in would mint a cookie with the weak secret


@pytest.mark.parametrize(
    ("claims", "verified"),
    [
        ({"email_verified": True}, True),
        ({"email_verified": "true"}, True),
        ({"email_verified": False, "xms_edov": True}, False),
        ({"xms_edov": True}, True),
        ({"xms_edov": "false"}, False),
        ({}, None),
        ({"email_verified": "yes please"}, None),
    ],
)
def test_the_address_counts_as_verified_only_when_the_provider_says_so(claims, verified):
    assert auth.email_verified(claims) is verified

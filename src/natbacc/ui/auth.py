"""Sign-in for a deployed dashboard: OIDC through ``st.login``, then the allow-list.

Without an ``[auth]`` section in ``.streamlit/secrets.toml`` the dashboard is open, which is safe
only because it then listens on localhost (``server.address = "127.0.0.1"``). With one, every page
first requires sign-in through the school's identity provider (Microsoft Entra ID or Google
Workspace; see ``.streamlit/secrets.toml.example``) and admits only the addresses and domains in
``[access]`` (``natbacc.access``). ``current_identity`` is the one place that reads ``st.user``, so
tests can stand in for the identity provider.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from natbacc.access import AccessPolicy, cookie_secret_problem
from natbacc.ui.components.safe import md

_LOG = logging.getLogger(__name__)

#: Button labels for the providers schools use; any other named provider is offered by its name.
PROVIDER_LABELS = {"microsoft": "Sign in with Microsoft", "google": "Sign in with Google"}


@dataclass(frozen=True)
class Identity:
    """Who the identity provider says the user is."""

    logged_in: bool
    email: str | None = None
    name: str | None = None
    verified: bool | None = None


def email_verified(claims: Mapping[str, object]) -> bool | None:
    """Whether the identity provider vouches for the address, from the ID token's claims.

    Google sends ``email_verified``. Microsoft Entra ID does not; it says the address's domain is
    owned by the signing-in tenant with the optional claim ``xms_edov`` (docs/deployment.md says how
    to switch it on). Anything else is unstated (None), which the allow-list refuses.
    """
    for claim in ("email_verified", "xms_edov"):
        value = claims.get(claim)
        if isinstance(value, str):
            value = {"true": True, "false": False}.get(value.strip().lower())
        if value is True:
            return True
        if value is False:
            return False
    return None


def current_identity() -> Identity:
    """The signed-in user, from ``st.user`` (the identity cookie Streamlit keeps)."""
    user = st.user
    if not user.get("is_logged_in"):
        return Identity(False)
    claims = {key: user.get(key) for key in ("email_verified", "xms_edov")}
    email, name = user.get("email"), user.get("name")
    return Identity(
        True, email if isinstance(email, str) else None, name if isinstance(name, str) else None, email_verified(claims)
    )


def _auth_config() -> dict | None:
    try:
        return dict(st.secrets["auth"]) if "auth" in st.secrets else None
    except (FileNotFoundError, KeyError, AttributeError):
        return None


def _providers(config: dict) -> list[str | None]:
    """Named providers (``[auth.microsoft]`` ...) or None for a single unnamed one."""
    named = [name for name, value in config.items() if isinstance(value, Mapping)]
    return named or [None]


def gate() -> Identity | None:
    """Stop the page unless sign-in is off or an allowed user is signed in; returns who is signed in."""
    config = _auth_config()
    if config is None:
        return None
    problem = cookie_secret_problem(config.get("cookie_secret"))
    if problem:
        # Closed before anything else: with a guessable secret a forged cookie would pass every check below.
        _LOG.error("natbacc sign-in is closed: %s", problem)
        st.title("natbacc")
        st.error(
            "This dashboard is closed until the person who runs the server fixes its sign-in settings. "
            f"For them: {problem}"
        )
        st.stop()
    policy = AccessPolicy.from_config(dict(st.secrets.get("access", {})))
    identity = current_identity()
    if not identity.logged_in:
        st.title("natbacc")
        st.markdown("This dashboard holds pupils' data. Sign in with your school account to continue.")
        for provider in _providers(config):
            label = PROVIDER_LABELS.get(provider or "", f"Sign in with {provider}" if provider else "Sign in")
            st.button(
                label, on_click=st.login, args=(provider,) if provider else (), type="primary", key=f"login_{provider}"
            )
        st.stop()
    if not policy.admits(identity.email, identity.verified):
        st.title("natbacc")
        if policy.is_empty:
            st.error(
                "Sign-in is switched on but nobody is allowed in yet: the person who runs this server needs to add "
                "allowed_domains or allowed_emails under [access] in .streamlit/secrets.toml."
            )
        elif identity.verified is not True and policy.admits(identity.email, True):
            st.error(
                "Your school's sign-in service did not confirm that this e-mail address belongs to you, so the "
                "dashboard cannot let you in. The person who runs this server can switch the confirmation on "
                "(for Microsoft: the optional claim xms_edov; see docs/deployment.md)."
            )
        else:
            st.error(
                f"{md(identity.email or 'This account')} is not on this dashboard's list of allowed accounts. Ask your "
                "data manager to add you, or sign in with your school account."
            )
        st.button("Sign out", on_click=st.logout)
        st.stop()
    with st.sidebar:
        st.caption(f"Signed in as {md(identity.email or '')}")
        st.button("Sign out", on_click=st.logout, key="logout")
    return identity

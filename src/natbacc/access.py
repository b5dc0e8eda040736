"""Who may open the dashboard: an allow-list of e-mail addresses and domains.

Pure and small on purpose, so the rule that guards pupils' data can be read in one sitting and
tested without a browser. The dashboard asks the identity provider who the user is (OIDC through
``st.login``, see ``natbacc.ui.auth``) and admits them only when ``AccessPolicy.admits`` says so.

Configuration lives beside the sign-in settings in ``.streamlit/secrets.toml``::

    [access]
    allowed_domains = ["oakfield.sch.uk"]          # everyone with an address at the school
    allowed_emails = ["data.manager@trust.org.uk"]  # and named people elsewhere

An empty allow-list admits nobody: a misconfigured deployment fails closed. So does a weak
``cookie_secret``: Streamlit signs its identity cookie with it, so anyone who knows or guesses it can
forge a signed-in user (``cookie_secret_problem``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: The shortest cookie secret accepted: 32 bytes, as ``secrets.token_hex(32)`` gives 64.
MIN_COOKIE_SECRET_BYTES = 32
#: Values that appear in published examples (ours and Streamlit's docs): a server using one is open to anyone.
PLACEHOLDER_SECRETS = frozenset({"change-me", "changeme", "xxx", "secret", "your-secret", "cookie_secret"})
GENERATE_SECRET = 'python -c "import secrets; print(secrets.token_hex(32))"'


def cookie_secret_problem(secret: object) -> str | None:
    """Why ``secret`` must not sign sign-in cookies, in words for the operator; None when it is fit.

    Streamlit keeps who is signed in as a cookie signed with ``[auth] cookie_secret``. A missing,
    example or short secret lets anyone sign a cookie saying they are an allowed user, so the
    dashboard stays closed until it is replaced.
    """
    fix = f"Generate one with {GENERATE_SECRET} and put it under [auth] in .streamlit/secrets.toml."
    if not isinstance(secret, str) or not secret.strip():
        return f"Sign-in has no cookie_secret. {fix}"
    text = secret.strip()
    if text.casefold() in PLACEHOLDER_SECRETS or "change-me" in text.casefold():
        return f"The cookie_secret is still the example value, which anyone can read. {fix}"
    if len(text.encode("utf-8")) < MIN_COOKIE_SECRET_BYTES:
        return (
            f"The cookie_secret is {len(text.encode('utf-8'))} bytes long; at least {MIN_COOKIE_SECRET_BYTES} are "
            f"needed so it cannot be guessed. {fix}"
        )
    if len(set(text)) < 8:
        return f"The cookie_secret repeats a few characters and could be guessed. {fix}"
    return None


def _clean(values: object) -> frozenset[str]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple | set | frozenset):
        return frozenset()
    return frozenset(str(v).strip().lower().lstrip("@") for v in values if str(v).strip())


@dataclass(frozen=True)
class AccessPolicy:
    """The e-mail addresses and domains allowed in (lower case)."""

    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()

    @classmethod
    def from_config(cls, section: Mapping[str, object] | None) -> AccessPolicy:
        """From the ``[access]`` section of secrets.toml (missing keys allow nobody)."""
        section = section or {}
        return cls(_clean(section.get("allowed_emails", [])), _clean(section.get("allowed_domains", [])))

    @property
    def is_empty(self) -> bool:
        """True when nobody at all is allowed (the deployment is not configured yet)."""
        return not self.emails and not self.domains

    def admits(self, email: str | None, verified: bool | None) -> bool:
        """True for a verified address on the list, or at an allowed domain (not a look-alike subdomain).

        Only an address the identity provider vouches for (``verified is True``) is admitted: an
        unverified or unstated one could be any string the user typed into a personal account.
        """
        if not email or verified is not True:
            return False
        address = email.strip().lower()
        local, at, domain = address.rpartition("@")
        if not at or not local or not domain:
            return False
        return address in self.emails or domain in self.domains

"""Who may open the dashboard: an allow-list of e-mail addresses and domains.

Pure and small on purpose, so the rule that guards pupils' data can be read in one sitting and
tested without a browser. The dashboard asks the identity provider who the user is (OIDC through
``st.login``, see ``natbacc.ui.auth``) and admits them only when ``AccessPolicy.admits`` says so.

Configuration lives beside the sign-in settings in ``.streamlit/secrets.toml``::

    [access]
    allowed_domains = ["oakfield.sch.uk"]          # everyone with an address at the school
    allowed_emails = ["data.manager@trust.org.uk"]  # and named people elsewhere

An empty allow-list admits nobody: a misconfigured deployment fails closed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


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

    def admits(self, email: str | None, verified: bool | None = True) -> bool:
        """True for an address on the list, or at an allowed domain (not a look-alike subdomain).

        An address the identity provider says is unverified is never admitted.
        """
        if not email or verified is False:
            return False
        address = email.strip().lower()
        local, at, domain = address.rpartition("@")
        if not at or not local or not domain:
            return False
        return address in self.emails or domain in self.domains

"""What must be gone before IAM ``DeleteUser`` succeeds.

AWS refuses to delete a user that still has anything attached
(``DeleteConflict``, HTTP 409); moto 5.2 checks only policies.
``conflict(backend, user)`` returns the refusal message for the first thing
still attached, in the order of the DeleteUser documentation, or ``None``:

login profile, access keys, signing certificates, SSH public keys,
service-specific credentials, MFA devices, inline policies, attached
managed policies, group memberships.
"""

from __future__ import annotations

from collections.abc import Callable

from moto.iam.models import IAMBackend, User

from . import service_credentials

Check = Callable[[IAMBackend, User], bool]

_CHECKS: tuple[tuple[Check, str], ...] = (
    (lambda _, user: bool(user.password), "must delete login profile first"),
    (lambda _, user: bool(user.access_keys), "must delete access keys first"),
    (lambda _, user: bool(user.signing_certificates), "must delete signing certificates first"),
    (lambda _, user: bool(user.ssh_public_keys), "must delete SSH public keys first"),
    (lambda _, user: service_credentials.has_credentials(user),
     "must delete service specific credentials first"),
    (lambda _, user: bool(user.mfa_devices), "must delete MFA device first"),
    (lambda _, user: bool(user.policies), "must delete policies first"),
    (lambda _, user: bool(user.managed_policies), "must detach all policies first"),
    (lambda backend, user: bool(backend.get_groups_for_user(user.name)),
     "must remove users from group first"),
)


def conflict(backend: IAMBackend, user: User) -> str | None:
    """The DeleteConflict message for ``user``, or ``None`` if it may go."""
    for attached, what in _CHECKS:
        if attached(backend, user):
            return f"Cannot delete entity, {what}."
    return None

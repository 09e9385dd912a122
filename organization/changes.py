"""What a change to the people tells the rest of the service.

A writer of people (the organisation import, `org_import_apply`, or any other provisioning) returns
the manager changes it made; its caller hands them to `conversations.services.manager_changes_applied`,
which moves the conversations and the rights. So `organization` does not depend on `conversations`.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ManagerChange:
    """A stored person whose manager was changed (already saved).

    `employee_pk` is the person's `User.pk` (not the HR system's `employee_id`); `former_manager_pk`
    the `User.pk` of the manager before, or None if they had none or the former manager is unknown.
    The new manager is the one saved on the person, which the conversations' service reads."""

    employee_pk: int
    former_manager_pk: int | None

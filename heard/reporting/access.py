"""Who may see and do what with reports. Roles come from :mod:`heard.org.access`.

* Performance officers, the complaints team and administrators see the figures of every
  service; a head of service sees those of the services they belong to.
* Explaining a dip and importing measurements: performance officers, the complaints team and
  administrators.
* Publishing a period's figures to the public: performance officers and administrators.
* The equality monitoring report (aggregate, small numbers suppressed): equality officers and
  administrators only.
"""

from __future__ import annotations

from typing import Any

from heard.core.errors import NotPermitted
from heard.org.access import roles_of, service_ids_of
from heard.org.models import Role

R = Role
SEE_ALL_REPORTS = frozenset({R.PERFORMANCE_OFFICER, R.COMPLAINTS_TEAM, R.ADMINISTRATOR})
SEE_OWN_SERVICE_REPORTS = frozenset({R.HEAD_OF_SERVICE})
MANAGE_STANDARDS = frozenset({R.PERFORMANCE_OFFICER, R.COMPLAINTS_TEAM, R.ADMINISTRATOR})
PUBLISH = frozenset({R.PERFORMANCE_OFFICER, R.ADMINISTRATOR})
SEE_EQUALITY = frozenset({R.EQUALITY_OFFICER, R.ADMINISTRATOR})


def may_see_reports(user: Any) -> bool:
    return bool(roles_of(user) & (SEE_ALL_REPORTS | SEE_OWN_SERVICE_REPORTS))


def report_services(user: Any) -> frozenset[int] | None:
    """The services whose figures the user may see: None for every service."""
    roles = roles_of(user)
    if roles & SEE_ALL_REPORTS:
        return None
    if roles & SEE_OWN_SERVICE_REPORTS:
        return service_ids_of(user)
    raise NotPermitted(
        "Only performance officers, the complaints team, administrators and heads of service "
        "may see performance reports."
    )


def may_manage_standards(user: Any) -> bool:
    return bool(roles_of(user) & MANAGE_STANDARDS)


def may_publish(user: Any) -> bool:
    return bool(roles_of(user) & PUBLISH)


def require_manage_standards(user: Any) -> None:
    if not may_manage_standards(user):
        raise NotPermitted(
            "Only a performance officer, the complaints team or an administrator may explain "
            "dips and import measurements."
        )


def require_publish(user: Any) -> None:
    if not may_publish(user):
        raise NotPermitted("Only a performance officer or an administrator may publish figures.")


def may_see_equality(user: Any) -> bool:
    return bool(roles_of(user) & SEE_EQUALITY)


def require_see_equality(user: Any) -> None:
    if not may_see_equality(user):
        raise NotPermitted(
            "Only an equality officer or an administrator may see equality monitoring."
        )


def may_download(user: Any, report_file: Any) -> bool:
    """A report file is for those who may see the report, for every service it covers."""
    if report_file.kind == "equality":
        return may_see_equality(user)
    if not may_see_reports(user):
        return False
    allowed = report_services(user)
    if allowed is None:
        return True
    return report_file.service_ids is not None and set(report_file.service_ids) <= allowed

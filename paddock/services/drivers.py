"""The drivers a team enters: added by the team's managers, matched to the driver of the
entry lists by the duplicate rule (name and birth year, ``entries.models.person_key``), the
same rule the Talent Pool and the imports use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from entries.models import Driver, drivers_by_person, person_key
from paddock.models import EntrantDriver, EntrantTeam

DRIVER_FIELDS = ("first_name", "last_name", "date_of_birth", "nationality", "email")


def known_driver(first_name: str, last_name: str, date_of_birth: Any) -> Driver | None:
    """The driver of the entry lists this person is, if they raced here before."""
    person = (first_name, last_name, date_of_birth)
    return drivers_by_person([person]).get(person_key(*person))


def entrant_driver_create(
    *, team: EntrantTeam, fields: Mapping[str, Any], by: AbstractBaseUser
) -> EntrantDriver:
    """Enter a driver in ``team``, whose manager ``by`` is. The same person twice in a team is
    refused (``paddock_driver_once_per_team``) with a ValidationError that says so."""
    if not EntrantTeam.objects.managed_by(by).filter(pk=team.pk).exists():
        raise PermissionDenied(_("Only the team's managers enter its drivers."))
    values = {name: fields[name] for name in DRIVER_FIELDS if name in fields}
    driver = EntrantDriver(team=team, **values)
    driver.full_clean()  # the fields' rules and the once-per-team constraint
    driver.driver = known_driver(driver.first_name, driver.last_name, driver.date_of_birth)
    try:
        with transaction.atomic():
            driver.save()
    except IntegrityError:  # entered at the same moment by another manager
        raise ValidationError(_("This team has entered this driver already.")) from None
    return driver


def entrant_driver_link(
    *, entrant_driver: EntrantDriver, driver: Driver | None, by: AbstractBaseUser
) -> EntrantDriver:
    """Staff set (or clear) the driver of the entry lists an entered driver is."""
    with transaction.atomic():
        entrant_driver.driver = driver
        entrant_driver.save(update_fields=["driver"])
    return entrant_driver

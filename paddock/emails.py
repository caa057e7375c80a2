"""E-mails to a team (its managers' addresses), in the team's language. A failing mail server
never fails the request that caused it: the step is recorded either way."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from paddock.models import EntrantTeam

logger = logging.getLogger(__name__)


def send(
    recipients: list[str],
    *,
    language: str,
    subject: Callable[[], str],
    template: str,
    context: dict,
) -> bool:
    """Send ``template`` to ``recipients`` in ``language``; ``subject`` is called in that
    language. False (and logged) when the mail server refuses."""
    if not recipients:
        return False
    with translation.override(language):
        body = render_to_string(template, context)
        title = subject()
    try:
        send_mail(title, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except (smtplib.SMTPException, OSError):
        logger.exception("E-mail %r to %s not sent", template, ", ".join(recipients))
        return False
    return True


def team_send(
    team: EntrantTeam, *, subject: Callable[[], str], template: str, context: dict
) -> bool:
    """Send to the team's managers, in the team's language."""
    return send(
        team.manager_emails(),
        language=team.language,
        subject=subject,
        template=template,
        context={"team": team, **context},
    )

"""Emails to applicants (and the guardians of minors), in the language they applied in."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from talentpool.models import Application

logger = logging.getLogger(__name__)


def _send(application: Application, subject: str, template: str, context: dict) -> bool:
    recipients = [application.email]
    if application.minor and application.guardian_email:
        recipients.append(application.guardian_email)
    body = render_to_string(template, {"application": application, **context})
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except (smtplib.SMTPException, OSError):
        # The application is stored either way; the reference is on the confirmation page.
        logger.exception("Talent Pool email to %s not sent", application.reference)
        return False
    return True


def confirmation_send(application: Application, *, status_url: str) -> bool:
    with translation.override(application.language):
        subject = _("Your Talent Pool application %(reference)s") % {
            "reference": application.reference
        }
        return _send(
            application,
            subject,
            "talentpool/application_confirmation_email.txt",
            {"status_url": status_url},
        )


def status_send(application: Application) -> bool:
    with translation.override(application.language):
        subject = _("Talent Pool application %(reference)s: %(status)s") % {
            "reference": application.reference,
            "status": application.get_status_display(),
        }
        return _send(application, subject, "talentpool/application_status_email.txt", {})


def duplicate_send(application: Application, *, status_url: str) -> bool:
    """Tell the person on file that a second application in their name was not stored.

    Sent to the address of the application on file (and its guardian), never to the address
    typed into the second form, which may be someone else's.
    """
    with translation.override(application.language):
        subject = _("Your Talent Pool application %(reference)s: a second one was not stored") % {
            "reference": application.reference
        }
        return _send(
            application,
            subject,
            "talentpool/application_duplicate_email.txt",
            {"status_url": status_url},
        )

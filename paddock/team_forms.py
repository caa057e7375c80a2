"""Forms of the team pages: a new team account, and a manager's invitation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from paddock.models import EntrantDriver, EntrantTeam, TeamRole


class TeamForm(forms.Form):
    name = forms.CharField(
        label=_("Team name"),
        max_length=120,
        help_text=_("As the team races; no other team account may have the same name."),
    )
    # A name taken already is refused by the one rule, ``paddock.services.teams.team_create``;
    # the view shows its ValidationError beside this field.


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices, initial=TeamRole.DRIVER)
    driver = forms.ModelChoiceField(
        label=_("Driver (for a driver invitation)"),
        queryset=EntrantDriver.objects.none(),
        required=False,
        help_text=_(
            "The entered driver whose account this will be: they then see their own documents."
        ),
    )

    def __init__(self, *args: Any, team: EntrantTeam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["driver"].queryset = team.drivers.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("driver") is not None and data.get("role") != TeamRole.DRIVER:
            self.add_error("driver", _("Only a driver invitation names one of your drivers."))
        return data

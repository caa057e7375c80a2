"""Forms of the public pages: the standings page's table and after-round control."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from championships.standings.data import DRIVERS
from championships.tablechoice import TableChoice, choice_for, table_choices


class StandingsForm(forms.Form):
    """A GET form: which table, and after which round (empty: after the latest)."""

    table = forms.ChoiceField(label=_("Table"), required=False)
    after_round = forms.TypedChoiceField(
        label=_("After round"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, data: Mapping[str, str], *, class_codes: Sequence[str], rounds: Sequence[int]
    ) -> None:
        super().__init__(data)
        self.class_codes = class_codes
        self.fields["table"].choices = [(c.value, c.label) for c in table_choices(class_codes)]
        latest = [("", _("Latest round"))]
        self.fields["after_round"].choices = latest + [
            (str(r), _("Round %(round)s") % {"round": r}) for r in rounds
        ]

    def selection(self) -> tuple[TableChoice, int | None]:
        """The table and round asked for; for a value in error, the drivers table or the latest.

        ``cleaned_data`` keeps the fields that are valid, so one bad field spoils only itself.
        """
        self.is_valid()
        value = self.cleaned_data.get("table") or DRIVERS
        choice = choice_for(self.class_codes, value) or table_choices(self.class_codes)[0]
        return choice, self.cleaned_data.get("after_round")

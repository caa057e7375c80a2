"""What a place in a table wins."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from championships.models.season import Championship, class_code_validator


class PrizeTable(models.TextChoices):
    DRIVERS = "drivers", _("Drivers")
    ROOKIES = "rookies", _("Rookies")
    TEAMS = "teams", _("Teams")
    DEALERS = "dealers", _("Dealer trophy")


class Prize(models.Model):
    """What a place in a table wins, e.g. the drivers' leader after round 4 goes to Le Mans."""

    championship = models.ForeignKey(
        Championship,
        on_delete=models.CASCADE,
        related_name="prizes",
        verbose_name=_("championship"),
    )
    table = models.CharField(
        _("table"), max_length=10, choices=PrizeTable.choices, default=PrizeTable.DRIVERS
    )
    class_code = models.CharField(
        _("class"),
        max_length=20,
        blank=True,
        validators=[class_code_validator],
        help_text=_("A class code for that class's table (drivers table only); empty for all."),
    )
    after_round = models.PositiveSmallIntegerField(
        _("after round"),
        null=True,
        blank=True,
        help_text=_("Decided on the table after this round; empty: the final table."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=1, help_text=_("1 for the leader.")
    )
    award = models.CharField(_("award"), max_length=200, help_text=_("e.g. Le Mans 24 Hours"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        ordering = ["championship", "after_round", "table", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(after_round__isnull=True) | Q(after_round__gte=1),
                name="prize_after_round_positive",
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="prize_position_positive"),
            models.CheckConstraint(
                condition=Q(class_code="") | Q(table=PrizeTable.DRIVERS),
                name="prize_class_only_with_drivers_table",
            ),
            models.CheckConstraint(
                condition=Q(table__in=PrizeTable.values), name="prize_table_valid"
            ),
        ]

    def __str__(self) -> str:
        when = (
            _("after round %(round)s") % {"round": self.after_round}
            if self.after_round
            else _("at the end of the season")
        )
        table = f"{self.get_table_display()} {self.class_code}".strip()
        return _("%(award)s: P%(position)s of the %(table)s table %(when)s") % {
            "award": self.award,
            "position": self.position,
            "table": table,
            "when": when,
        }

"""Serializers of the entries app: what the public pages show of a driver, and no more.

Never a date of birth, an e-mail address or a phone number; nothing of the Talent Pool.
"""

from __future__ import annotations

from rest_framework import serializers

from championships.models import FiaCategory
from entries.models import Driver, Entry, Team


class DriverSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    # The FIA category in force today, from the driver's dated records (the view annotates it).
    category = serializers.ChoiceField(FiaCategory.choices, read_only=True, allow_null=True)
    url = serializers.HyperlinkedIdentityField(view_name="driver-detail", lookup_field="slug")

    class Meta:
        model = Driver
        fields = ["slug", "first_name", "last_name", "full_name", "nationality", "category", "url"]


class DriverSummarySerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Driver
        fields = ["slug", "full_name", "nationality"]


class TeamSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="team-detail", lookup_field="slug")

    class Meta:
        model = Team
        fields = ["slug", "name", "url"]


class TeamSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["slug", "name"]


class EntrySerializer(serializers.ModelSerializer):
    """A car of a championship; ``category`` is the driver's FIA category in force today, or
    on the last day of a past season, ``entry_class`` its class likewise (rule 7; the view
    annotates both)."""

    championship = serializers.CharField(source="championship.slug", read_only=True)
    driver = DriverSummarySerializer(read_only=True)
    team = TeamSummarySerializer(read_only=True)
    # Rule 7: the class in force today, or at the end of a past season (the view annotates it).
    entry_class = serializers.CharField(source="class_in_force", read_only=True)
    category = serializers.ChoiceField(
        FiaCategory.choices, source="category_in_force", read_only=True
    )
    url = serializers.HyperlinkedIdentityField(view_name="entry-detail")

    class Meta:
        model = Entry
        fields = [
            "id",
            "championship",
            "car_number",
            "driver",
            "team",
            "entry_class",
            "category",
            "rookie",
            "guest",
            "arrive_and_drive",
            "dealer_trophy",
            "url",
        ]


class EntryListRowSerializer(serializers.Serializer):
    """A car of a meeting's entry list for broadcasters and timing (the CSV's columns)."""

    number = serializers.IntegerField()
    driver = serializers.CharField()
    team = serializers.CharField()
    entry_class = serializers.CharField()
    category = serializers.CharField()
    chassis = serializers.CharField(allow_null=True, help_text="arrive-and-drive cars only")
    nationality = serializers.CharField(help_text="the driver's ISO 3166 country code")

    def get_fields(self) -> dict[str, serializers.Field]:
        # "class" is a Python keyword: the field is declared as entry_class.
        fields = super().get_fields()
        return {("class" if name == "entry_class" else name): f for name, f in fields.items()}


class EntryListSerializer(serializers.Serializer):
    """A meeting and its entry list, each driver's category the one in force on its first day."""

    championship = serializers.CharField(help_text="the championship's slug")
    round = serializers.IntegerField()
    circuit = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    entries = EntryListRowSerializer(many=True)

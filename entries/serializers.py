"""Serializers of the entries app: what the public pages show of a driver, and no more.

Never a date of birth, an e-mail address or a phone number; nothing of the Talent Pool.
"""

from __future__ import annotations

from rest_framework import serializers

from entries.models import Driver, Entry, Team


class DriverSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
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
    """A car of a championship; ``category`` is the driver's FIA category for that season."""

    championship = serializers.CharField(source="championship.slug", read_only=True)
    driver = DriverSummarySerializer(read_only=True)
    team = TeamSummarySerializer(read_only=True)
    entry_class = serializers.CharField(source="entry_class.code", read_only=True)
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

"""Serializers of the championships app: explicit fields, nothing personal."""

from rest_framework import serializers

from championships.models import Championship


class ChampionshipSerializer(serializers.ModelSerializer):
    series = serializers.CharField(source="series.name", read_only=True)

    class Meta:
        model = Championship
        fields = ["slug", "name", "year", "series"]

"""Read API of the championships app."""

from rest_framework import viewsets

from championships.models import Championship
from championships.serializers import ChampionshipSerializer


class ChampionshipViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Championship.objects.select_related("series").latest_first()
    serializer_class = ChampionshipSerializer
    lookup_field = "slug"

"""Public pages of the championships app. Views stay thin: querysets and templates."""

from django.db.models import Count, Prefetch, QuerySet
from django.views.generic import DetailView, ListView

from championships.models import Championship, Meeting, Race


class ChampionshipListView(ListView):
    template_name = "championships/championship_list.html"
    context_object_name = "championships"

    def get_queryset(self) -> QuerySet[Championship]:
        return (
            Championship.objects.select_related("series")
            .annotate(meeting_count=Count("meetings", distinct=True))
            .annotate(entry_count=Count("entries", distinct=True))
            .latest_first()
        )


class ChampionshipDetailView(DetailView):
    template_name = "championships/championship_detail.html"
    context_object_name = "championship"

    def get_queryset(self) -> QuerySet[Championship]:
        races = Race.objects.annotate(result_count=Count("results")).order_by("number")
        meetings = Meeting.objects.with_circuit().prefetch_related(Prefetch("races", races))
        return Championship.objects.select_related("series").prefetch_related(
            Prefetch("meetings", meetings)
        )

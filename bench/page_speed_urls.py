"""The project's URLs plus a reference page shaped like TechEmpower's "fortunes".

One query (every site's name and city), one row added in Python, sorted, then
one template with auto-escaping: the least a server-rendered page over
PostgreSQL does, through the same middleware as every other page.
"""

from django.shortcuts import render
from django.urls import include, path

from sites.models import Site


def fortunes(request):
    rows = list(Site.objects.order_by().values_list("pk", "name", "city"))
    rows.append((0, "Additional fortune added at request time.", ""))
    rows.sort(key=lambda row: row[1])
    return render(request, "bench_fortunes.html", {"rows": rows})


urlpatterns = [
    path("bench/fortunes/", fortunes),
    path("", include("technopark.urls")),
]

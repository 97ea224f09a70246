"""Paged lists: one page of a queryset, and the query string its pager links keep."""

from django.core.paginator import Page, Paginator


def paginate(request, queryset, per_page: int, param: str = "page") -> Page:
    """The page of ``queryset`` that ``?<param>=`` asks for (the last, when out of range)."""
    return Paginator(queryset, per_page).get_page(request.GET.get(param))


def query_without(request, *names: str) -> str:
    """The query string without ``names``: the filters a pager link must keep."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()

"""The staff's today page: what waits for them at their sites, as counts linking to lists.

The floor knows no app, so each app registers the panels it contributes
(``@workspace.panel(order=...)``, imported by its ``AppConfig.ready()``); the
admin index (``technopark.admin_site``) asks every panel for the person
signed in. A panel answers ``None`` when it has nothing for that person, and
runs a constant number of queries whatever the number of rows.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest


@dataclass
class Item:
    """One line of a panel: a count (or none, for a plain link) and where to work it."""

    label: str
    url: str
    count: int | None = None
    #: "warning" when the count means something is late.
    tone: str = ""


@dataclass
class Row:
    """A line of a schedule: a time, what happens, who."""

    when: str
    what: str
    who: str = ""
    url: str = ""


@dataclass
class Panel:
    title: str
    items: list[Item] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    #: Said when ``rows`` is empty.
    empty: str = ""
    order: int = 100


PanelBuilder = Callable[[HttpRequest], Panel | None]
_BUILDERS: list[tuple[int, PanelBuilder]] = []


def panel(*, order: int) -> Callable[[PanelBuilder], PanelBuilder]:
    """Register a function ``request -> Panel | None`` for the today page."""

    def register(builder: PanelBuilder) -> PanelBuilder:
        if builder not in [b for _, b in _BUILDERS]:
            _BUILDERS.append((order, builder))
            _BUILDERS.sort(key=lambda pair: pair[0])
        return builder

    return register


def panels_for(request: HttpRequest) -> list[Panel]:
    """The panels that have something for ``request.user``, in their order."""
    panels = []
    for order, builder in _BUILDERS:
        built = builder(request)
        if built is not None:
            built.order = order
            panels.append(built)
    return panels

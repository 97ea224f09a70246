"""The dashboard's filters: a GET form whose values live in the URL (shareable)."""

from __future__ import annotations

import datetime as dt

from crispy_forms.bootstrap import StrictButton
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from network import periods
from network.periods import Period
from technopark.forms import form_helper
from tenants.models import Program, Sector


class DashboardFilterForm(forms.Form):
    """Period (a quarter or a year), sites, sector and program; a bad value is ignored."""

    period = forms.CharField(label=_("Period"), required=False, max_length=7)
    site = forms.MultipleChoiceField(
        label=_("Sites"), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )
    program = forms.ChoiceField(
        label=_("Program"), required=False, choices=[("", _("All programs")), *Program.choices]
    )

    def __init__(self, data, *, sites, today: dt.date, with_sites: bool = True):
        if not data.get("period"):  # the list shows the period the page shows
            data = data.copy()
            data["period"] = Period.default(today=today).key
        super().__init__(data)
        self.today = today
        self.sites = list(sites)
        options = periods.choices(today=today)
        asked = Period.parse(str(data.get("period", "")), today=today)
        if asked and asked.key not in dict(options):
            options.insert(0, (asked.key, str(asked)))
        self.fields["period"].widget = forms.Select(choices=options)
        self.fields["site"].choices = [(site.slug, site.name) for site in self.sites]
        columns = [Column("period", css_class="col-md-3")]
        if with_sites:
            columns.append(Column("site", css_class="col-md-3"))
        else:
            del self.fields["site"]
        columns += [
            Column("sector", css_class="col-md-2"),
            Column("program", css_class="col-md-2"),
            Column(
                StrictButton(_("Show"), type="submit", css_class="btn-primary"),
                css_class="col-md-2 d-flex align-items-end mb-3",
            ),
        ]
        self.helper = form_helper(method="get")  # its button is in the row
        self.helper.layout = Layout(Row(*columns))

    def clean_period(self):
        return Period.parse(self.cleaned_data["period"], today=self.today)

    def selection(self) -> dict:
        """The valid part of what was asked: period (default: last due quarter), sites
        (default: all offered), sector, program."""
        self.is_valid()
        data = self.cleaned_data
        by_slug = {site.slug: site for site in self.sites}
        chosen = [by_slug[slug] for slug in data.get("site") or [] if slug in by_slug]
        return {
            "period": data.get("period") or Period.default(today=self.today),
            "sites": chosen or self.sites,
            "sector": data.get("sector") or "",
            "program": data.get("program") or "",
        }

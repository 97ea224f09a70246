"""Offices: the database guards the past of offices, the waiting lists and the statuses.

* A closed contract's leases stay under the "one contract per office at a time"
  constraint (the ``active`` flag that took them out is gone).
* Each lease keeps the office's area of the day it was signed (``area_m2``),
  copied here from the offices for the leases that exist.
* Waiting-list positions are unique per site (checked at commit) and start at 1;
  a decided application has its decision date; a closed contract has its end and
  a terminated one its reason.
"""

import django.contrib.postgres.constraints
import django.core.validators
import django.db.models.constraints
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_office_areas(apps, schema_editor):
    ResidencyOffice = apps.get_model("tenants", "ResidencyOffice")
    Space = apps.get_model("sites", "Space")
    ResidencyOffice.objects.update(
        area_m2=Subquery(Space.objects.filter(pk=OuterRef("office_id")).values("area_m2")[:1])
    )
    missing = sorted(
        ResidencyOffice.objects.filter(area_m2__isnull=True).values_list("office__name", flat=True)
    )
    if missing:
        raise RuntimeError(
            "These leased offices have no area: give them their area (m²), then migrate "
            "again: " + ", ".join(missing)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0003_historicalclosure_closure"),
        ("tenants", "0002_requests_slot_no_overlap"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="residencyoffice",
            name="office_one_active_residency_at_a_time",
        ),
        migrations.RemoveField(
            model_name="residencyoffice",
            name="active",
        ),
        migrations.AddField(
            model_name="residencyoffice",
            name="area_m2",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=8,
                null=True,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="area (m²)",
            ),
        ),
        migrations.RunPython(copy_office_areas, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="residencyoffice",
            name="area_m2",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=8,
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="area (m²)",
            ),
        ),
        migrations.AddConstraint(
            model_name="officeapplication",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("waiting_position__isnull", True),
                    ("waiting_position__gte", 1),
                    _connector="OR",
                ),
                name="application_position_from_1",
            ),
        ),
        migrations.AddConstraint(
            model_name="officeapplication",
            constraint=django.contrib.postgres.constraints.ExclusionConstraint(
                condition=models.Q(("status", "waiting_list")),
                deferrable=django.db.models.constraints.Deferrable["DEFERRED"],
                expressions=[("site", "="), ("waiting_position", "=")],
                name="application_one_position_per_site",
                violation_error_message="Another application holds this position.",
            ),
        ),
        migrations.AddConstraint(
            model_name="officeapplication",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("status__in", ("waiting_list", "accepted", "rejected")), _negated=True
                    ),
                    ("decided_at__isnull", False),
                    _connector="OR",
                ),
                name="application_decision_is_dated",
            ),
        ),
        migrations.AddConstraint(
            model_name="residency",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "active"), ("end__isnull", False), _connector="OR"),
                name="residency_closed_has_end",
                violation_error_message="A closed contract has its end date.",
            ),
        ),
        migrations.AddConstraint(
            model_name="residency",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "terminated"), _negated=True),
                    models.Q(("termination_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="residency_termination_has_reason",
                violation_error_message="A termination needs its reason.",
            ),
        ),
        migrations.AddConstraint(
            model_name="residencyoffice",
            constraint=django.contrib.postgres.constraints.ExclusionConstraint(
                expressions=[("office", "="), ("period", "&&")],
                name="office_one_residency_at_a_time",
                violation_error_message="This office is already let for these dates.",
            ),
        ),
        migrations.AddConstraint(
            model_name="residencyoffice",
            constraint=models.CheckConstraint(
                condition=models.Q(("area_m2__gt", 0)), name="lease_area_positive"
            ),
        ),
    ]

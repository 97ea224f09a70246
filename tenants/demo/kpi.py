"""Demo KPI reports: eight quarters for each resident company, a few of them late."""

from decimal import Decimal

from django.db import transaction

from technopark.demo import DemoContext
from tenants.models import Company, CompanyStatus, KPIReport, Stage
from tenants.selectors.kpi import last_due_quarter

QUARTERS = 8

#: (full-time staff, quarterly revenue in MAD) ranges by stage.
SIZE = {
    Stage.PROJECT: ((1, 3), (0, 60_000)),
    Stage.STARTUP: ((2, 12), (80_000, 1_500_000)),
    Stage.SME: ((10, 45), (1_000_000, 8_000_000)),
    Stage.LARGE: ((50, 200), (10_000_000, 40_000_000)),
}


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    """Reports for the last eight due quarters; one company in ten misses the last one."""
    last = last_due_quarter(ctx.today)
    reports = []
    companies = Company.objects.filter(status=CompanyStatus.RESIDENT, kpi_reports__isnull=True)
    for company in companies.order_by("pk"):
        (staff_low, staff_high), (revenue_low, revenue_high) = SIZE[company.stage]
        staff = ctx.rng.randint(staff_low, staff_high)
        revenue = Decimal(ctx.rng.randint(revenue_low, revenue_high))
        exports = Decimal(ctx.rng.choice([0, 0, 5, 10, 20, 35, 60]))
        quarters, quarter = [], last
        for _ in range(QUARTERS):
            quarters.append(quarter)
            quarter = quarter.previous()
        late = ctx.rng.random() < 0.1
        for number, quarter in enumerate(reversed(quarters)):
            if late and quarter == last:
                continue
            growth = Decimal(1 + 0.04 * number)
            reports.append(
                KPIReport(
                    company=company,
                    year=quarter.year,
                    quarter=quarter.number,
                    headcount_full_time=staff + number // 3,
                    headcount_part_time=ctx.rng.randint(0, 3),
                    interns=ctx.rng.randint(0, 4),
                    revenue=(revenue * growth).quantize(Decimal("1.00")),
                    funds_raised=Decimal(
                        ctx.rng.choice([0] * 12 + [250_000, 500_000, 1_000_000, 3_000_000])
                    ),
                    export_share=exports,
                )
            )
    KPIReport.objects.bulk_create(reports)
    ctx.say(f"KPI reports: {len(reports)} created.")

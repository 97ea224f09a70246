"""Writes of the offices area: applications, committee decisions, contracts, attestations.

Every function here enforces one rule of the allocation committee or of the
contracts and says which in its docstring. Callers (portal views, the staff
admin) check *who* may act through ``technopark.access`` (the admin with staff
roles only, ``via="site"``); these functions check *what* may be done. A
refusal is a ``ValidationError`` whose message is meant for the person, raised
before anything is saved (or inside the transaction that it rolls back), so
nothing is ever half-saved.

One module per subject: ``applications``, ``residencies``, ``rent`` (the
tariff's rows) and ``attestations``. The rent rule itself (tiers, months,
rates in force) is ``tenants.rent``, re-exported here for existing callers.
"""

from tenants.rent import (
    FIRM_MONTHS,
    FIRM_TIERS,
    STARTUP_RATE_MONTHS,
    add_months,
    first_start,
    leased_area,
    mature_from,
    monthly_rate,
    monthly_rent,
    rent_tier_on,
    tier_for_company,
)
from tenants.selectors.offices import residency_is_current
from tenants.services.offices.applications import (
    application_accept,
    application_document_add,
    application_reject,
    application_submit,
    application_wait,
    application_withdraw,
)
from tenants.services.offices.attestations import (
    ATTESTATION_VALID_MONTHS,
    attestation_issue,
    attestation_revoke,
    attestation_valid_until,
    attestation_verify_url,
)
from tenants.services.offices.rent import DEFAULT_RATES, DEFAULT_RATES_FROM, rent_rates_load
from tenants.services.offices.residencies import (
    residency_close_due,
    residency_create,
    residency_end,
    residency_terminate,
)

__all__ = [
    "ATTESTATION_VALID_MONTHS",
    "DEFAULT_RATES",
    "DEFAULT_RATES_FROM",
    "FIRM_MONTHS",
    "FIRM_TIERS",
    "STARTUP_RATE_MONTHS",
    "add_months",
    "application_accept",
    "application_document_add",
    "application_reject",
    "application_submit",
    "application_wait",
    "application_withdraw",
    "attestation_issue",
    "attestation_revoke",
    "attestation_valid_until",
    "attestation_verify_url",
    "first_start",
    "leased_area",
    "mature_from",
    "monthly_rate",
    "monthly_rent",
    "rent_rates_load",
    "rent_tier_on",
    "residency_close_due",
    "residency_create",
    "residency_end",
    "residency_is_current",
    "residency_terminate",
    "tier_for_company",
]

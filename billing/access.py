"""The billing app's access policy: invoices, credit notes, payments, issuers.

Company admins read their company's invoices, credit notes and payments;
members see no billing. A nomad billed in person (the invoice's ``holder``)
reads their own invoices, credit notes and payments, as their owner. Site
managers run their sites' billing (the run, drafts, issue, credit notes,
payments); the front desk reads it; network managers read every site's (the
gate's rule). Registered by ``BillingConfig.ready()``.
"""

from django.db.models import Q

from sites.access import FRONT_DESK, SITE_MANAGER
from technopark import access
from technopark.access import ALL, Scope, perms
from tenants.access import COMPANY_ADMIN

_DOCUMENTS = (
    "billing.invoice",
    "billing.invoiceline",
    "billing.creditnote",
    "billing.creditnoteline",
)

access.declare(
    "billing",
    roles={
        SITE_MANAGER: perms("billing.issuingentity", "view", "change")
        | perms("billing.numberseries", "view")
        | perms("billing.invoice", *ALL)
        | perms("billing.invoiceline", *ALL)
        | perms("billing.creditnote", "view", "add")
        | perms("billing.creditnoteline", "view")
        | perms("billing.payment", "view", "add")
        | perms("billing.reminder", "view"),
        FRONT_DESK: perms("billing.issuingentity", "view")
        | set().union(*(perms(m, "view") for m in _DOCUMENTS))
        | perms("billing.payment", "view"),
        COMPANY_ADMIN: set().union(*(perms(m, "view") for m in _DOCUMENTS))
        | perms("billing.payment", "view"),
    },
    scopes={
        "billing.taxrate": Scope(public=Q()),
        "billing.issuingentity": Scope(site="site"),
        "billing.numberseries": Scope(site="entity__site"),
        "billing.invoice": Scope(site="entity__site", company="company", owner="holder"),
        "billing.invoiceline": Scope(
            site="invoice__entity__site", company="invoice__company", owner="invoice__holder"
        ),
        "billing.creditnote": Scope(
            site="invoice__entity__site", company="invoice__company", owner="invoice__holder"
        ),
        "billing.creditnoteline": Scope(
            site="credit_note__invoice__entity__site",
            company="credit_note__invoice__company",
            owner="credit_note__invoice__holder",
        ),
        "billing.payment": Scope(
            site="invoice__entity__site", company="invoice__company", owner="invoice__holder"
        ),
        "billing.reminder": Scope(site="invoice__entity__site"),
    },
    # A nomad's own invoices (billed to them, not to a company) are theirs to read.
    owner={
        "billing.invoice": {"billing.view_invoice"},
        "billing.invoiceline": {"billing.view_invoiceline"},
        "billing.creditnote": {"billing.view_creditnote"},
        "billing.creditnoteline": {"billing.view_creditnoteline"},
        "billing.payment": {"billing.view_payment"},
    },
)

"""Model admins of the offices area: the committee's queue, contracts, rates, attestations.

Applications, contracts and attestations change only through the services
(``tenants.services.offices``): their change forms are read-only, and the
committee's decisions, ends of contracts and revocations are small admin views
that check the person's rights through ``technopark.access`` with staff roles
only (``via="site"``): a person who is staff somewhere and also a company's
admin never decides on their own company's rows here.
"""

from tenants.admin.offices import applications, attestations, residencies  # noqa: F401

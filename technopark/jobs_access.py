"""The access policy of the jobs and of what the e-mail jobs remember.

A job belongs to a site when its arguments name one (``site_id``, as the e-mail
jobs do when their message is about a site): the staff who run that site see it
in the admin (``technopark.jobs_admin``). Network managers read every job and
superusers may do anything; the jobs about no site are theirs only. Deliveries and
notices given are bookkeeping nobody browses; a digest entry is its recipient's.
"""

from technopark import access
from technopark.access import Scope

access.declare(
    "technopark",
    scopes={
        "technopark.maildelivery": Scope(),
        "technopark.notice": Scope(),
        "technopark.digestentry": Scope(owner="user"),
        "technopark.job": Scope(site="args__site_id"),
    },
)

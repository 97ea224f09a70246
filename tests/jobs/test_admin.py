"""Staff read the jobs in the admin and retry a failed one; nobody writes a job by hand."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from technopark import tasks
from technopark.jobs import run_queued
from technopark.models import Job
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _failed_job(site, person, **context):
    job_id = tasks.send_email.defer(
        key="k", to={"user": person.pk}, template="missing", context=context, site_id=site.pk
    )
    run_queued()
    return Job.objects.get(pk=job_id)


def test_a_sites_manager_retries_its_failed_job(site, site_staff, tenant_member):
    job = _failed_job(site, tenant_member)
    assert (job.status, job.attempts) == ("failed", 1)
    client = client_for(site_staff)
    page = client.get(reverse("admin:technopark_job_change", args=[job.pk]))
    retry = reverse("admin:technopark_job_retry", args=[job.pk])
    assert retry.encode() in page.content
    response = client.post(retry)
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("todo", 2)  # one more try, counted
    assert LogEntry.objects.filter(object_id=str(job.pk), user=site_staff).exists()


def test_a_job_that_has_not_failed_cannot_be_retried(site, superuser, tenant_member):
    job = _failed_job(site, tenant_member)
    client = client_for(superuser)
    client.post(reverse("admin:technopark_job_retry", args=[job.pk]))
    client.post(reverse("admin:technopark_job_retry", args=[job.pk]))  # now waiting again
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("todo", 2)


def test_network_managers_read_every_job_but_retry_none(site, network_manager, tenant_member):
    job = _failed_job(site, tenant_member)
    client = client_for(network_manager)
    page = client.get(reverse("admin:technopark_job_change", args=[job.pk]))
    assert page.status_code == 200
    assert b"/retry/" not in page.content
    assert client.post(reverse("admin:technopark_job_retry", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == "failed"


def test_a_secret_in_a_jobs_arguments_is_not_shown(site, site_staff, tenant_member):
    job = _failed_job(site, tenant_member, link="https://x/portal/team/join/SECRET-TOKEN/")
    page = client_for(site_staff).get(reverse("admin:technopark_job_change", args=[job.pk]))
    assert b"SECRET-TOKEN" not in page.content
    assert site.name.encode() in page.content


def test_the_list_names_the_site_and_the_status(site, site_staff, tenant_member):
    _failed_job(site, tenant_member)
    page = client_for(site_staff).get(reverse("admin:technopark_job_changelist"))
    assert site.name in page.content.decode()
    assert "email.send" in page.content.decode()

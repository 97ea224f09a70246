"""The portal's billing pages: a company's invoices, credit notes, balance and statement.

Company admins only (members get 404, like another company's invoice).
"""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from billing import documents, selectors
from billing.models import InvoiceStatus
from technopark.uploads import pdf_response
from tenants.views.base import portal_view, require_perm

VIEW = "billing.view_invoice"


@portal_view
def invoice_list(request):
    require_perm(request, VIEW)
    today = timezone.localdate()
    invoices = list(selectors.portal_invoices(company=request.company, user=request.user,
                                              today=today))  # fmt: skip
    for invoice in invoices:
        invoice.status_label = InvoiceStatus(invoice.status).label
    return render(
        request,
        "billing/invoices.html",
        {
            "company": request.company,
            "invoices": invoices,
            "credit_notes": selectors.portal_credit_notes(
                company=request.company, user=request.user
            ),  # fmt: skip
            "balance": selectors.balance_of(company=request.company, user=request.user),
            "overdue": [i for i in invoices if i.status == InvoiceStatus.OVERDUE],
        },
    )


@portal_view
def statement(request):
    require_perm(request, VIEW)
    entries = selectors.statement(company=request.company, user=request.user)
    return render(
        request,
        "billing/statement.html",
        {
            "company": request.company,
            "entries": entries,
            "balance": entries[-1].balance if entries else 0,
        },  # fmt: skip
    )


@portal_view
def invoice_pdf(request, pk: int):
    require_perm(request, VIEW)
    invoice = selectors.portal_invoice_document(pk, company=request.company, user=request.user)
    return pdf_response(
        documents.invoice_pdf(invoice), filename=documents.invoice_filename(invoice)
    )


@portal_view
def credit_note_pdf(request, pk: int):
    require_perm(request, VIEW)
    note = selectors.credit_note_document(pk, request.user)
    if note.invoice.company_id != request.company.pk:
        raise Http404
    return pdf_response(
        documents.credit_note_pdf(note), filename=documents.credit_note_filename(note)
    )

"""The portal's billing pages: the buyer's invoices, credit notes, balance and statement.

The buyer is the company a person acts for (its admins only: members get 404,
like another company's invoice), or, for a nomad member without a company,
the person billed (their own invoices only; another nomad's is 404).
"""

from functools import wraps

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from billing import documents, selectors
from billing.models import InvoiceStatus
from coworking.views.base import member_view
from technopark.uploads import pdf_response
from tenants.views.base import require_perm

VIEW = "billing.view_invoice"


def buyer_view(view):
    """A billing page of the portal: a company's admin (``request.company``) or a nomad
    member billed in person (``request.company`` None, ``request.nomad`` set), else 404."""

    @member_view
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.company is not None:
            require_perm(request, VIEW)
        return view(request, *args, **kwargs)

    return wrapper


@buyer_view
def invoice_list(request):
    today = timezone.localdate()
    buyer = {"company": request.company, "user": request.user}
    invoices = list(selectors.portal_invoices(**buyer, today=today))
    for invoice in invoices:
        invoice.status_label = InvoiceStatus(invoice.status).label
    return render(
        request,
        "billing/invoices.html",
        {
            "company": request.company,
            "invoices": invoices,
            "credit_notes": selectors.portal_credit_notes(**buyer),
            "balance": selectors.balance_of(**buyer),
            "overdue": [i for i in invoices if i.status == InvoiceStatus.OVERDUE],
        },
    )


@buyer_view
def statement(request):
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


@buyer_view
def invoice_pdf(request, pk: int):
    invoice = selectors.portal_invoice_document(pk, company=request.company, user=request.user)
    return pdf_response(
        documents.invoice_pdf(invoice), filename=documents.invoice_filename(invoice)
    )


@buyer_view
def credit_note_pdf(request, pk: int):
    note = selectors.credit_note_document(pk, request.user)
    invoice = note.invoice
    if request.company is not None:
        if invoice.company_id != request.company.pk:
            raise Http404
    elif invoice.company_id is not None or invoice.holder_id != request.user.pk:
        raise Http404
    return pdf_response(
        documents.credit_note_pdf(note), filename=documents.credit_note_filename(note)
    )

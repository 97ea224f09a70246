"""The staff's billing surfaces: the run, draft review, issue, credit notes, payments,
the overdue list and the accounting export, each scoped to the person's sites.

Nothing here writes past the services: invoices come from the run, lines by
the fee form, numbers by ``invoice_issue``; issued invoices, credit notes and
payments show read-only (PostgreSQL refuses changes anyway).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from billing import documents, export, selectors, services
from billing.forms import CreditNoteForm, ExportForm, FeeForm, LineForm, PaymentForm, RunForm
from billing.models import (
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    IssuingEntity,
    Payment,
    TaxRate,
)
from technopark import access
from technopark.admin import RelatedOnlyFilter, ScopedInline
from technopark.refusals import add_to_form, attempt, text
from technopark.uploads import pdf_response
from tenants.admin.requests.common import WithoutHistoryAdmin

FORM = "tenants/offices/admin/form.html"


class _ReadOnlyInline(ScopedInline, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InvoiceLineInline(_ReadOnlyInline):
    model = InvoiceLine
    fields = ("description", "quantity", "unit_price", "tva_rate", "amount_ht", "amount_tva",
              "source_kind", "period_start", "period_end")  # fmt: skip
    readonly_fields = fields


class PaymentInline(_ReadOnlyInline):
    model = Payment
    fields = ("paid_on", "amount", "method", "reference", "recorded_by")
    readonly_fields = fields


class CreditNoteInline(_ReadOnlyInline):
    model = CreditNote
    fields = ("number", "issued_on", "reason")
    readonly_fields = fields
    show_change_link = True


@admin.register(TaxRate)
class TaxRateAdmin(WithoutHistoryAdmin):
    list_display = ("name", "rate", "is_default", "exemption_note")


@admin.register(IssuingEntity)
class IssuingEntityAdmin(WithoutHistoryAdmin):
    list_display = ("name", "site", "prefix", "ice", "payment_terms_days", "reminder_every_days")
    list_select_related = ("site",)

    def get_readonly_fields(self, request, obj=None):
        # The prefix names the series already issued: it stays once set.
        return ("site", "prefix") if obj is not None else ()


@admin.register(Invoice)
class InvoiceAdmin(WithoutHistoryAdmin):
    list_display = ("reference", "buyer_label", "site_name", "month", "issued_on", "due_on",
                    "total", "left_to_pay", "status_label")  # fmt: skip
    list_filter = (("entity__site", RelatedOnlyFilter), "month", "issued_on")
    search_fields = ("number", "company__legal_name", "holder__email", "holder__full_name")
    readonly_fields = ("entity", "company", "holder", "month", "number", "issued_on", "due_on",
                       "issued_by", "language")  # fmt: skip
    fields = readonly_fields
    inlines = (InvoiceLineInline, CreditNoteInline, PaymentInline)
    actions = ("issue_drafts",)
    change_form_template = "admin/billing/invoice/change_form.html"
    change_list_template = "admin/billing/invoice/change_list.html"

    def get_queryset(self, request):
        rows = super().get_queryset(request).select_related("entity__site", "company", "holder")
        return selectors.with_status(rows, today=timezone.localdate())

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # issued invoices are never deleted
        return actions

    def has_add_permission(self, request):
        return False  # drafts come from the run

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.number is not None:
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"show_save": False, "show_save_and_continue": False,
                 "show_save_and_add_another": False}  # fmt: skip
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            raise PermissionDenied  # the workflow has its own views
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            site = obj.entity.site_id
            can_change = access.at_site(request.user, "billing.change_invoice", site)
            context["billing"] = {
                "is_draft": obj.number is None,
                "lines": list(obj.lines.all()) if obj.number is None and can_change else [],
                "can_change": can_change,
                "can_credit": access.at_site(request.user, "billing.add_creditnote", site),
                "can_pay": access.at_site(request.user, "billing.add_payment", site),
                "status": InvoiceStatus(obj.status).label,
                "totals": obj,
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("number"), ordering="number")
    def reference(self, obj):
        return obj.number or gettext("draft #%(id)s") % {"id": obj.pk}

    @admin.display(description=_("billed to"))
    def buyer_label(self, obj):
        return obj.buyer_name

    @admin.display(description=_("site"), ordering="entity__site__name")
    def site_name(self, obj):
        return obj.entity.site.name

    @admin.display(description=_("total incl. TVA"), ordering="total_ttc")
    def total(self, obj):
        return obj.total_ttc

    @admin.display(description=_("left to pay"), ordering="balance")
    def left_to_pay(self, obj):
        return obj.balance

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        return InvoiceStatus(obj.status).label

    def has_issue_permission(self, request):
        return access.has_staff_perm(request.user, "billing.change_invoice")

    @admin.action(description=_("Issue the selected drafts"), permissions=["issue"])
    def issue_drafts(self, request, queryset):
        allowed = access.scope(
            queryset.filter(number__isnull=True), request.user, "billing.change_invoice",
            via=access.VIA_SITE,
        )  # fmt: skip
        issued, refused = 0, []
        for invoice in allowed.order_by("pk"):
            try:
                services.invoice_issue(actor=request.user, invoice=invoice)
            except ValidationError as error:
                refused.append(f"#{invoice.pk}: {text(error)}")
            else:
                issued += 1
        if issued:
            messages.success(request, gettext("%(count)s invoices issued.") % {"count": issued})
        for refusal in refused:
            messages.error(request, refusal)

    # --- The workflow's own views ---------------------------------------------------------

    def get_urls(self):
        def view(function, *, post=False):
            wrapped = require_POST(function) if post else function
            return self.admin_site.admin_view(wrapped)

        return [
            path("run/", view(self.run_view), name="billing_invoice_run"),
            path("overdue/", view(self.overdue_view), name="billing_invoice_overdue"),
            path("export/", view(self.export_view), name="billing_invoice_export"),
            path(
                "<int:object_id>/issue/",
                view(self.issue_view, post=True),
                name="billing_invoice_issue",
            ),  # fmt: skip
            path("<int:object_id>/fee/", view(self.fee_view), name="billing_invoice_fee"),
            path(
                "<int:object_id>/lines/<int:line_id>/",
                view(self.line_change_view),
                name="billing_invoice_line_change",
            ),
            path(
                "<int:object_id>/lines/<int:line_id>/remove/",
                view(self.line_remove_view),
                name="billing_invoice_line_remove",
            ),
            path("<int:object_id>/credit/", view(self.credit_view), name="billing_invoice_credit"),
            path(
                "<int:object_id>/payment/", view(self.payment_view), name="billing_invoice_payment"
            ),  # fmt: skip
            path("<int:object_id>/pdf/", view(self.pdf_view), name="billing_invoice_pdf"),
            *super().get_urls(),
        ]

    def _page(self, request, title, **context):
        return TemplateResponse(
            request,
            context.pop("template", FORM),
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                **context,
            },  # fmt: skip
        )

    def _invoice(self, request, object_id, perm):
        return access.get_object_or_404(
            Invoice.objects.select_related("entity__site", "company", "holder"),
            request.user,
            perm,
            via=access.VIA_SITE,
            pk=object_id,
        )

    def _change_url(self, invoice):
        return reverse("admin:billing_invoice_change", args=[invoice.pk])

    def run_view(self, request):
        """Bill a month at a site (what is already billed is skipped)."""
        access.require(access.has_staff_perm(request.user, "billing.add_invoice"))
        today = timezone.localdate()
        form = RunForm(request.POST or None, user=request.user, today=today)
        if request.method == "POST" and form.is_valid():
            try:
                result = services.invoice_run(
                    actor=request.user, site=form.cleaned_data["site"],
                    month=form.cleaned_data["month"],
                )  # fmt: skip
            except ValidationError as error:
                add_to_form(form, error)
            else:
                messages.success(
                    request,
                    gettext(
                        "%(lines)s lines added to %(invoices)s drafts (%(skipped)s already billed)."
                    )  # fmt: skip
                    % {
                        "lines": result.lines_added,
                        "invoices": len(result.invoices),
                        "skipped": result.already_billed,
                    },  # fmt: skip
                )
                return redirect(reverse("admin:billing_invoice_changelist") + "?number__isnull=1")
        return self._page(request, gettext("Monthly invoice run"), form=form)

    def issue_view(self, request, object_id):
        invoice = self._invoice(request, object_id, "billing.change_invoice")
        attempt(
            request,
            lambda: services.invoice_issue(actor=request.user, invoice=invoice),
            done=gettext("The invoice is issued."),
        )
        return redirect(self._change_url(invoice))

    def fee_view(self, request, object_id):
        invoice = self._invoice(request, object_id, "billing.change_invoice")
        form = FeeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.invoice_line_add(actor=request.user, invoice=invoice, **form.cleaned_data)
            except ValidationError as error:
                add_to_form(form, error)
            else:
                messages.success(request, gettext("The line is added."))
                return redirect(self._change_url(invoice))
        return self._page(request, gettext("Add a line"), form=form, original=invoice)

    def _draft_line(self, request, object_id, line_id):
        """A line of a draft of the person's sites; 404 otherwise (an issued invoice's too)."""
        invoice = self._invoice(request, object_id, "billing.change_invoice")
        if invoice.number is not None:
            raise Http404
        return invoice, get_object_or_404(InvoiceLine, pk=line_id, invoice=invoice)

    def line_change_view(self, request, object_id, line_id):
        """Correct one line of a draft (description, quantity, unit price, TVA rate)."""
        invoice, line = self._draft_line(request, object_id, line_id)
        initial = {f: getattr(line, f) for f in LineForm.base_fields}
        form = LineForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.invoice_line_change(actor=request.user, line=line, **form.cleaned_data)
            except ValidationError as error:
                add_to_form(form, error)
            else:
                messages.success(request, gettext("The line is changed."))
                return redirect(self._change_url(invoice))
        return self._page(request, gettext("Change a line"), form=form, original=invoice)

    def line_remove_view(self, request, object_id, line_id):
        """Take a line off a draft, once confirmed."""
        invoice, line = self._draft_line(request, object_id, line_id)
        form = forms.Form(request.POST or None)
        if request.method == "POST":
            attempt(
                request,
                lambda: services.invoice_line_remove(actor=request.user, line=line),
                done=gettext("The line is removed."),
            )
            return redirect(self._change_url(invoice))
        title = gettext("Remove the line “%(line)s”?") % {"line": line.description}
        return self._page(request, title, form=form, original=invoice)

    def credit_view(self, request, object_id):
        invoice = self._invoice(request, object_id, "billing.add_creditnote")
        form = CreditNoteForm(request.POST or None, invoice=invoice)
        if request.method == "POST" and form.is_valid():
            try:
                note = services.credit_note_create(
                    actor=request.user, invoice=invoice, reason=form.cleaned_data["reason"],
                    amounts=form.amounts(),
                )  # fmt: skip
            except ValidationError as error:
                add_to_form(form, error)
            else:
                messages.success(
                    request, gettext("Credit note %(number)s issued.") % {"number": note.number}
                )
                return redirect(self._change_url(invoice))
        return self._page(request, gettext("Issue a credit note"), form=form, original=invoice)

    def payment_view(self, request, object_id):
        invoice = self._invoice(request, object_id, "billing.add_payment")
        form = PaymentForm(request.POST or None, initial={"paid_on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                services.payment_record(actor=request.user, invoice=invoice, **form.cleaned_data)
            except ValidationError as error:
                add_to_form(form, error)
            else:
                messages.success(request, gettext("The payment is recorded."))
                return redirect(self._change_url(invoice))
        return self._page(request, gettext("Record a payment"), form=form, original=invoice)

    def pdf_view(self, request, object_id):
        invoice = self._invoice(request, object_id, "billing.view_invoice")
        if invoice.number is None:
            messages.warning(request, gettext("A draft has no PDF: issue it first."))
            return redirect(self._change_url(invoice))
        invoice = selectors.invoice_document(invoice.pk)
        return pdf_response(
            documents.invoice_pdf(invoice), filename=documents.invoice_filename(invoice)
        )

    def overdue_view(self, request):
        """Issued invoices past their due date with something left to pay."""
        access.require(self.has_view_permission(request))
        today = timezone.localdate()
        return self._page(
            request,
            gettext("Overdue invoices"),
            template="admin/billing/invoice/overdue.html",
            invoices=selectors.overdue_invoices(user=request.user, today=today),
        )

    def export_view(self, request):
        """The accounting journal of a site and period, as CSV or XLSX."""
        access.require(self.has_view_permission(request))
        form = ExportForm(request.GET or None, user=request.user)
        if request.GET and form.is_valid():
            data = form.cleaned_data
            rows = export.journal(user=request.user, site=data["site"], first=data["first"],
                                  last=data["last"])  # fmt: skip
            name = f"journal-{data['site'].slug}-{data['first']}-{data['last']}"
            if data["format"] == "csv":
                response = HttpResponse(export.journal_csv(rows), content_type="text/csv")
                response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            else:
                response = HttpResponse(
                    export.journal_xlsx(rows),
                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
                response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        return self._page(request, gettext("Accounting export"),
                          template="admin/billing/invoice/export.html", form=form)  # fmt: skip


class _DocumentAdmin(WithoutHistoryAdmin):
    """Credit notes and payments: made from their invoice's page, shown read-only here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


class CreditNoteLineInline(_ReadOnlyInline):
    model = CreditNoteLine
    fields = ("description", "tva_rate", "amount_ht", "amount_tva")
    readonly_fields = fields


@admin.register(CreditNote)
class CreditNoteAdmin(_DocumentAdmin):
    list_display = ("number", "invoice", "issued_on", "reason")
    list_select_related = ("invoice",)
    list_filter = (("invoice__entity__site", RelatedOnlyFilter),)
    search_fields = ("number", "invoice__number")
    fields = ("number", "invoice", "issued_on", "reason", "issued_by")
    readonly_fields = fields
    inlines = (CreditNoteLineInline,)
    change_form_template = "admin/billing/creditnote/change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:object_id>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="billing_creditnote_pdf",
            ),  # fmt: skip
            *super().get_urls(),
        ]

    def pdf_view(self, request, object_id):
        note = selectors.credit_note_document(object_id, request.user, via=access.VIA_SITE)
        return pdf_response(
            documents.credit_note_pdf(note), filename=documents.credit_note_filename(note)
        )


@admin.register(Payment)
class PaymentAdmin(_DocumentAdmin):
    list_display = ("paid_on", "invoice", "amount", "method", "reference")
    list_select_related = ("invoice",)
    list_filter = ("method", ("invoice__entity__site", RelatedOnlyFilter))
    search_fields = ("invoice__number", "reference")
    fields = ("invoice", "amount", "method", "paid_on", "reference", "recorded_by")
    readonly_fields = fields

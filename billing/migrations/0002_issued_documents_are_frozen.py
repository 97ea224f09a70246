"""PostgreSQL refuses any change to an issued invoice, its lines, credit notes and payments.

The services and the admin refuse first, with a message; these triggers are
for everything else (a shell, a script, a bug): an issued invoice (``number``
set) cannot be updated or deleted, its lines cannot be added, changed or
deleted; credit notes, their lines and payments are never updated or deleted.
SQLSTATE 23001 (restrict_violation) reaches Django as an ``IntegrityError``.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION billing_invoice_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.number IS NOT NULL THEN
        RAISE EXCEPTION 'invoice % is issued: it cannot change', OLD.number
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER billing_invoice_frozen BEFORE UPDATE OR DELETE ON billing_invoice
    FOR EACH ROW EXECUTE FUNCTION billing_invoice_frozen();

CREATE FUNCTION billing_invoice_line_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND EXISTS (
        SELECT 1 FROM billing_invoice WHERE id = OLD.invoice_id AND number IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'the lines of issued invoice % cannot change', OLD.invoice_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP <> 'DELETE' AND EXISTS (
        SELECT 1 FROM billing_invoice WHERE id = NEW.invoice_id AND number IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'issued invoice % cannot take new lines', NEW.invoice_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER billing_invoice_line_frozen BEFORE INSERT OR UPDATE OR DELETE
    ON billing_invoiceline FOR EACH ROW EXECUTE FUNCTION billing_invoice_line_frozen();

CREATE FUNCTION billing_document_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed nor deleted', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER billing_creditnote_frozen BEFORE UPDATE OR DELETE ON billing_creditnote
    FOR EACH ROW EXECUTE FUNCTION billing_document_frozen();
CREATE TRIGGER billing_creditnoteline_frozen BEFORE UPDATE OR DELETE ON billing_creditnoteline
    FOR EACH ROW EXECUTE FUNCTION billing_document_frozen();
CREATE TRIGGER billing_payment_frozen BEFORE UPDATE OR DELETE ON billing_payment
    FOR EACH ROW EXECUTE FUNCTION billing_document_frozen();
"""

BACKWARD = """
DROP TRIGGER billing_payment_frozen ON billing_payment;
DROP TRIGGER billing_creditnoteline_frozen ON billing_creditnoteline;
DROP TRIGGER billing_creditnote_frozen ON billing_creditnote;
DROP FUNCTION billing_document_frozen();
DROP TRIGGER billing_invoice_line_frozen ON billing_invoiceline;
DROP FUNCTION billing_invoice_line_frozen();
DROP TRIGGER billing_invoice_frozen ON billing_invoice;
DROP FUNCTION billing_invoice_frozen();
"""


def default_rates(apps, schema_editor):
    """The standard rate (20%: equipped offices and services), and an exemption to pick."""
    TaxRate = apps.get_model("billing", "TaxRate")
    TaxRate.objects.get_or_create(name="TVA 20 %", defaults={"rate": 20, "is_default": True})
    TaxRate.objects.get_or_create(name="TVA 10 %", defaults={"rate": 10})
    TaxRate.objects.get_or_create(
        name="Exonéré", defaults={"rate": 0, "exemption_note": "Exonéré de TVA (CGI art. 91)"}
    )


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RunPython(default_rates, migrations.RunPython.noop),
    ]

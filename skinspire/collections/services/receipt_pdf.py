"""The receipt as a PDF (fpdf2), attached to the patient's e-mail.

The PDF's built-in fonts cover Latin-1 only, which has no rupee sign, so the receipt is set
in DejaVu Sans, shipped in skinspire/collections/fonts/ (Bitstream Vera licence, LICENSE.txt
there): amounts read "₹1,00,000.50" (Indian grouping) as on every page, and any patient name
DejaVu covers prints as written. fpdf2 embeds only the glyphs used (a subset), so a receipt
stays a few tens of kilobytes; its text is extractable (a ToUnicode map is written)."""

from pathlib import Path

from skinspire.collections.models import PatientPayment
from skinspire.core.money import format_inr

LABEL_WIDTH = 45
FONTS = Path(__file__).resolve().parents[1] / "fonts"
FONT = "DejaVuSans"


def rupees(amount) -> str:
    return format_inr(amount)


def receipt_rows(*, payment: PatientPayment) -> list[tuple[str, str]]:
    bill, patient = payment.bill, payment.bill.patient
    rows = [
        ("Receipt number", payment.reference),
        ("Patient", f"{patient.name} ({patient.patient_number})"),
        ("Bill", f"{bill.number} - {bill.get_category_display()}"),
        ("Amount received", rupees(payment.amount)),
        ("Paid on", payment.captured_at.strftime("%d %b %Y, %H:%M") if payment.captured_at else ""),
        ("Method", payment.get_method_display()),
    ]
    if payment.gateway_payment_id:
        rows.append(("Gateway payment id", payment.gateway_payment_id))
    if payment.bank_transaction_id:
        rows.append(("Bank reference", payment.bank_transaction_id))
    rows.append(("Still open on the bill", rupees(bill.amount_open)))
    return rows


def receipt_pdf(*, payment: PatientPayment) -> bytes:
    # Imported here: only sending a receipt needs it, so a virtualenv built before fpdf2
    # joined requirements/base.txt still imports the app (the URLconf imports the services).
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))  # A5, in millimetres
    pdf.add_font(FONT, style="", fname=FONTS / "DejaVuSans.ttf")
    pdf.add_font(FONT, style="B", fname=FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_title(f"Receipt {payment.reference}")
    pdf.add_page()
    pdf.set_font(FONT, style="B", size=14)
    pdf.multi_cell(0, 8, str(payment.hospital), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=12)
    pdf.cell(0, 8, "Payment receipt", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, size=10)
    for label, value in receipt_rows(payment=payment):
        pdf.cell(LABEL_WIDTH, 7, label)
        pdf.multi_cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())

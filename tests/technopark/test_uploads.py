"""Uploads are stored under a random name with their real type's extension, served sanitised."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from technopark.uploads import JPEG, PDF, PNG, download_name_for
from tests.factories.requests import PDF_BYTES, PNG_BYTES, RequestAttachmentFactory


@pytest.mark.parametrize(
    ("name", "kind", "offered"),
    [
        ("statuts.pdf", PDF, "statuts.pdf"),
        ("facture\u202efdp.exe", PDF, "facturefdp.pdf"),  # a right-to-left override
        ("photo.html", PNG, "photo.png"),
        ("a\x00b\r\n.jpg", JPEG, "ab.jpg"),
        ("../../etc/passwd", None, "etc_passwd.bin"),
        ("..", PDF, "file.pdf"),
        ("عقد الكراء.pdf", PDF, "عقد_الكراء.pdf"),
    ],
)
def test_the_download_name_has_no_control_characters_and_the_types_extension(name, kind, offered):
    assert download_name_for(name, kind) == offered


@pytest.mark.django_db
def test_a_file_is_stored_with_the_extension_of_what_it_is_not_of_its_name(tmp_path):
    png_named_pdf = SimpleUploadedFile("scan.pdf", PNG_BYTES, content_type="application/pdf")
    attachment = RequestAttachmentFactory(file=png_named_pdf, original_name="scan.pdf")
    assert attachment.file.name.startswith("requests/")
    assert attachment.file.name.endswith(".png")
    assert "scan" not in attachment.file.name


@pytest.mark.django_db
def test_a_pdf_keeps_pdf(tmp_path):
    attachment = RequestAttachmentFactory(
        file=SimpleUploadedFile("x.PDF", PDF_BYTES), original_name="x.PDF"
    )
    assert attachment.file.name.endswith(".pdf")


def test_the_pdfs_font_ships_with_the_project_and_draws_arabic():
    from reportlab.pdfbase.ttfonts import TTFont

    from technopark.uploads import FONTS_DIR

    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        font = TTFont(name, str(FONTS_DIR / name))
        # Arabic letters and their joined forms (what arabic-reshaper writes).
        assert {ord("ب"), 0xFE91, ord("é")} <= set(font.face.charToGlyph)

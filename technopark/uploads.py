"""Uploaded files: limited by size and by their real type, stored outside static files.

Files land under ``MEDIA_ROOT`` with a random name in a folder per use; no URL
serves that folder. Views hand a file out with :func:`file_response` only after
the access gate has found its row in the person's scope.
"""

import mimetypes
import unicodedata
import uuid
from pathlib import Path, PurePath

import filetype
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.http import FileResponse, HttpResponse
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
WEBP = "image/webp"
DOCUMENTS = (PDF, PNG, JPEG)
IMAGES = (PNG, JPEG, WEBP)

#: The extension each accepted type is stored and downloaded with.
EXTENSIONS: dict[str | None, str] = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", WEBP: ".webp"}


def sniff(file) -> str | None:
    """The type a file's first bytes reveal, whatever its name or the browser claims."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(262)
    file.seek(position)
    kind = filetype.guess(head)
    return kind.mime if kind else None


@deconstructible
class FileRules:
    """A validator: at most ``max_mb`` megabytes, of one of ``types`` by content."""

    def __init__(self, *, max_mb: int, types: tuple[str, ...]):
        self.max_mb = max_mb
        self.types = tuple(types)

    def __call__(self, file):
        if file.size > self.max_mb * MB:
            raise ValidationError(
                _("This file is %(size).1f MB; the limit is %(limit)d MB."),
                code="file_too_large",
                params={"size": file.size / MB, "limit": self.max_mb},
            )
        if sniff(file) not in self.types:
            names = ", ".join(sorted({mimetypes.guess_extension(t) or t for t in self.types}))
            raise ValidationError(
                _("This file type is not accepted. Accepted: %(types)s."),
                code="file_type",
                params={"types": names},
            )

    def __eq__(self, other):
        return (
            isinstance(other, FileRules)
            and self.max_mb == other.max_mb
            and self.types == other.types
        )


@deconstructible
class RandomName:
    """``upload_to`` that drops the client's name and extension: a random name, the real type's.

    A file sent as ``report.pdf`` that is a PNG is stored as ``<random>.png``;
    the extension follows what the content is (``sniff``), never the client.
    """

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename):
        kind = None
        for field in instance._meta.fields:
            if getattr(field, "upload_to", None) is self:
                upload = getattr(instance, field.attname)
                if upload and getattr(upload, "file", None) is not None:
                    kind = sniff(upload.file)
        return f"{self.folder}/{uuid.uuid4().hex}{EXTENSIONS.get(kind, '.bin')}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and self.folder == other.folder


def download_name_for(name: str, content_type: str | None) -> str:
    """A name safe to offer a browser: no control or bidi characters, the type's extension.

    "invoice\u202efdp.exe" would show as "invoiceexe.pdf"; a ".html" name on a
    PDF would mislead. Control and format characters (Unicode Cc and Cf, the
    bidi marks among them) go, and the extension is the content's.
    """
    cleaned = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    try:
        flat = cleaned.replace("/", "_").replace("\\", "_").lstrip("._ ")
        cleaned = get_valid_filename(flat)
    except SuspiciousFileOperation:
        cleaned = "file"
    stem = PurePath(cleaned).stem[:100] or "file"
    return f"{stem}{EXTENSIONS.get(content_type, '.bin')}"


def file_response(field_file, *, download_name: str, as_attachment: bool = True) -> FileResponse:
    """Serve a stored file with its sniffed type and a sanitised name; never inline as HTML."""
    handle = field_file.open("rb")
    content_type = sniff(handle) or "application/octet-stream"
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=download_name_for(download_name, content_type),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def pdf_response(data: bytes, *, filename: str) -> HttpResponse:
    """A PDF drawn on the fly, as a download under ``filename``."""
    response = HttpResponse(data, content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


#: DejaVu Sans, shipped with the project for the PDFs' Arabic glyphs (see its README).
FONTS_DIR = Path(__file__).resolve().parent / "fonts"

"""The certificate as a PDF: A4 landscape, in Bahasa Indonesia, with a QR code to its public
verification page. Text is in the PDF core font Helvetica when it fits Windows-1252, else in
Roboto (from the font-roboto package, embedded), which covers Latin names with any accent;
nothing outside the Python packages is needed."""
from __future__ import annotations

import io
import os
import tempfile
import threading
import zipfile
from datetime import date
from pathlib import Path

import segno
from babel.dates import format_date
from font_roboto import font_files
from fpdf import FPDF

from lms.certification.models import Certificate
from lms.core.locale_tables import slim_locale

LOCALE = "id"          # the certificate is Indonesian whatever the reader's interface language
WIDTH, HEIGHT = 297, 210
INK, ACCENT, MUTED = (20, 30, 45), (23, 92, 120), (90, 100, 110)


TIMEZONE = "Asia/Jakarta"  # stored times are UTC; the certificate gives the local date


def _date(value) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return format_date(value, format="long", locale=slim_locale(LOCALE))


def _local_date(moment) -> date:
    """The date in Indonesia of a stored (naive UTC) time, as the verify page shows it."""
    from datetime import UTC
    from zoneinfo import ZoneInfo
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(TIMEZONE)).date()


def _period(cert: Certificate) -> str:
    if cert.cohort_starts_on and cert.cohort_ends_on:
        return f"{_date(cert.cohort_starts_on)} – {_date(cert.cohort_ends_on)}"
    if cert.cohort_starts_on:
        return f"mulai {_date(cert.cohort_starts_on)}"
    return ""


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return buffer


# Latin with every accent (U+0020-U+024F, Latin Extended Additional), punctuation and the euro.
# Parsing the whole Roboto costs 0.1 s per document; this subset, made once per process, a fifth.
_RANGES = [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x1E00, 0x1F00), *range(0x2010, 0x2028),
           0x20AC, 0x2122]
_FONTS: dict[str, str] = {}
_FONTS_LOCK = threading.Lock()


def _font(style: str) -> str:
    """The path of a Latin subset of Roboto (style '' or 'B'), made once per process."""
    with _FONTS_LOCK:
        if style not in _FONTS:
            from fontTools import subset
            options = subset.Options()
            options.name_IDs = ["*"]
            options.notdef_outline = True
            font = subset.load_font(font_files["RobotoBold" if style == "B" else "Roboto"], options)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=_RANGES)
            subsetter.subset(font)
            folder = Path(tempfile.gettempdir()) / f"lms-fonts-{os.getuid()}"
            folder.mkdir(exist_ok=True)
            path = folder / f"roboto-latin-{style or 'R'}-{os.getpid()}.ttf"
            subset.save_font(font, str(path), options)
            _FONTS[style] = str(path)
        return _FONTS[style]


def _fits_core_font(text: str) -> bool:
    """Whether the text fits Windows-1252, the encoding of the PDF core fonts."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _document() -> FPDF:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_creator("Paralegal LMS")
    return pdf


def _text(pdf: FPDF, x: float, y: float, w: float, h: float, text: str, size: float, style: str = "",
          align: str = "", color=INK) -> None:
    """One line of text in Helvetica when it fits Windows-1252 (nearly every Indonesian name: no
    font is embedded, and a PDF renders three times faster), else in Roboto, embedded on first use."""
    if _fits_core_font(text):
        pdf.set_font("Helvetica", style, size)
    else:
        if f"roboto{style.lower()}" not in pdf.fonts:
            pdf.add_font("Roboto", style, _font(style))
        pdf.set_font("Roboto", style, size)
    pdf.set_text_color(*color)
    pdf.set_xy(x, y)
    pdf.cell(w, h, text, align=align)


def _line(pdf: FPDF, y: float, text: str, size: float, style: str = "", color=INK) -> None:
    """A centred line."""
    _text(pdf, 20, y, WIDTH - 40, size * 0.45, text, size, style, "C", color)


def _page(pdf: FPDF, cert: Certificate, url: str) -> None:
    pdf.add_page()
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, WIDTH - 16, HEIGHT - 16)
    pdf.set_line_width(0.3)
    pdf.rect(11, 11, WIDTH - 22, HEIGHT - 22)

    _line(pdf, 20, cert.organisation_name, 15, "B", ACCENT)
    _line(pdf, 32, "SERTIFIKAT", 34, "B")
    _line(pdf, 51, "diberikan kepada", 12, "", MUTED)
    _line(pdf, 59, cert.printed_name, 28, "B")
    _line(pdf, 75, "yang telah menyelesaikan pelatihan paralegal", 12, "", MUTED)
    _line(pdf, 82, cert.track_title, 17, "B", ACCENT)
    period = _period(cert)
    _line(pdf, 92, cert.cohort_name + (f" · {period}" if period else ""), 12)

    # The modules, in two columns.
    _text(pdf, 30, 103, 0, 5, "Modul yang diselesaikan:", 10, "B")
    many = len(cert.modules) > 12
    half, step = (len(cert.modules) + 1) // 2, 4.3 if many else 5
    for i, title in enumerate(cert.modules):
        column, row = divmod(i, half)
        _text(pdf, 30 + column * 92, 109 + row * step, 90, step, f"{i + 1}. {title}"[:70], 8.5 if many else 9.5)

    # Signatory lines.
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    for x, label in ((40, "Koordinator Program"), (130, "Pimpinan Organisasi")):
        pdf.line(x, 178, x + 70, 178)
        _text(pdf, x, 180, 70, 5, label, 10, align="C")

    _text(pdf, 30, 189, 170, 4, f"Diterbitkan {_date(_local_date(cert.issued_at))} · Kode {cert.code}", 8.5, color=MUTED)
    _text(pdf, 30, 193, 170, 4, f"Periksa keaslian: {url}", 8.5, color=MUTED)
    pdf.image(_qr_png(url), x=WIDTH - 70, y=HEIGHT - 72, w=48, h=48)
    _text(pdf, WIDTH - 74, HEIGHT - 24, 56, 4, "Pindai untuk memeriksa", 7.5, align="C", color=MUTED)

    if cert.revoked_at is not None:
        _line(pdf, 140, f"DICABUT pada {_date(_local_date(cert.revoked_at))}", 26, "B", (180, 20, 20))


def render(cert: Certificate, url: str) -> bytes:
    """One certificate's PDF; `url` is its public verification page (the QR code opens it)."""
    pdf = _document()
    pdf.set_title(f"Sertifikat {cert.printed_name}")
    _page(pdf, cert, url)
    return bytes(pdf.output())


def render_zip(certs: list[tuple[Certificate, str]]) -> bytes:
    """Many certificates' PDFs in one ZIP, one file per certificate."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for cert, url in certs:
            archive.writestr(filename(cert), render(cert, url))
    return buffer.getvalue()


def filename(cert: Certificate) -> str:
    """A file name without the person's name (a ZIP listing travels further than its files)."""
    return f"sertifikat-{cert.cohort_id}-{cert.user_id}-{cert.code[:8]}.pdf"

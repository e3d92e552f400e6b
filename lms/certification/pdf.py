"""The certificate as a PDF: A4 landscape, in Bahasa Indonesia, with a QR code to its public
verification page. The font (Roboto, from the font-roboto package) covers Latin names with
any accent; nothing outside the package is needed."""
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

LOCALE = "id"          # the certificate is Indonesian whatever the reader's interface language
WIDTH, HEIGHT = 297, 210
INK, ACCENT, MUTED = (20, 30, 45), (23, 92, 120), (90, 100, 110)


def _date(value) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return format_date(value, format="long", locale=LOCALE)


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


def _latin1(cert: Certificate) -> bool:
    """Whether every text fits Windows-1252, the encoding of the PDF core fonts."""
    texts = [cert.printed_name, cert.organisation_name, cert.cohort_name, cert.track_title, *cert.modules]
    try:
        "".join(texts).encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


class _Certificate(FPDF):
    text_family = "Helvetica"


def _document(cert: Certificate) -> _Certificate:
    """A document in Helvetica when every text of the certificate fits Windows-1252 (nearly every
    Indonesian name: the PDF then embeds no font and renders three times faster), else in
    Roboto, embedded (any Latin accent)."""
    pdf = _Certificate(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    if _latin1(cert):
        pdf.core_fonts_encoding = "cp1252"
    else:
        pdf.add_font("Roboto", "", _font(""))
        pdf.add_font("Roboto", "B", _font("B"))
        pdf.text_family = "Roboto"
    pdf.set_creator("Paralegal LMS")
    return pdf


def _line(pdf: _Certificate, y: float, text: str, size: float, style: str = "", color=INK) -> None:
    pdf.set_font(pdf.text_family, style, size)
    pdf.set_text_color(*color)
    pdf.set_xy(20, y)
    pdf.cell(WIDTH - 40, size * 0.45, text, align="C")


def _page(pdf: _Certificate, cert: Certificate, url: str) -> None:
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
    pdf.set_font(pdf.text_family, "B", 10)
    pdf.set_text_color(*INK)
    pdf.set_xy(30, 103)
    pdf.cell(0, 5, "Modul yang diselesaikan:")
    pdf.set_font(pdf.text_family, "", 8.5 if len(cert.modules) > 12 else 9.5)
    half = (len(cert.modules) + 1) // 2
    step = 4.3 if len(cert.modules) > 12 else 5
    for i, title in enumerate(cert.modules):
        column, row = divmod(i, half)
        pdf.set_xy(30 + column * 92, 109 + row * step)
        pdf.cell(90, step, f"{i + 1}. {title}"[:70])

    # Signatory lines.
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    for x, label in ((40, "Koordinator Program"), (130, "Pimpinan Organisasi")):
        pdf.line(x, 178, x + 70, 178)
        pdf.set_font(pdf.text_family, "", 10)
        pdf.set_xy(x, 180)
        pdf.cell(70, 5, label, align="C")

    pdf.set_font(pdf.text_family, "", 8.5)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(30, 189)
    pdf.cell(170, 4, f"Diterbitkan {_date(cert.issued_at.date())} · Kode {cert.code}")
    pdf.set_xy(30, 193)
    pdf.cell(170, 4, f"Periksa keaslian: {url}")

    pdf.image(_qr_png(url), x=WIDTH - 70, y=HEIGHT - 72, w=48, h=48)
    pdf.set_xy(WIDTH - 74, HEIGHT - 24)
    pdf.set_font(pdf.text_family, "", 7.5)
    pdf.cell(56, 4, "Pindai untuk memeriksa", align="C")

    if cert.revoked_at is not None:
        pdf.set_text_color(180, 20, 20)
        _line(pdf, 140, f"DICABUT pada {_date(cert.revoked_at.date())}", 26, "B", (180, 20, 20))


def render(cert: Certificate, url: str) -> bytes:
    """One certificate's PDF; `url` is its public verification page (the QR code opens it)."""
    pdf = _document(cert)
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

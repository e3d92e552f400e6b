"""What the page walks share (tests/test_tables.py through the test client,
tests/browser/test_every_page.py in Chromium): which links to follow, how paths fold, the
demo they walk over and a roster full of mistakes."""
import re
from urllib.parse import urlsplit

SIGN_OUTS = ("/logout", "/account/sessions/end")
DOWNLOADS = re.compile(r"\.(csv|json|pdf|zip|md|txt|png|svg|ico)$")
_NUMBER = re.compile(r"/\d+(?=/|$)")
# Rows a coordinator might really upload, each with something wrong, some too long to fit.
BAD_ROSTER = ("username;display_name;phone;email\n"
              "melati01;Melati;;\n"
              "melati01;Melati Dua;;\n"
              ";Tanpa Nama Pengguna;;\n"
              "nama pengguna dengan spasi;Nama;;\n"
              "kenanga;Kak Kenanga;nomor-telepon-yang-sangat-panjang-sekali-tanpa-spasi-1234567890;"
              "alamat.surel.yang.sangat.panjang.sekali@contoh-organisasi-masyarakat-sipil.or.id\n"
              "x;" + "N" * 200 + ";;bukan-surel\n")


def fold(path: str) -> str:
    """One key for the pages of one kind: numeric ids folded (`/cohorts/7` is `/cohorts/{n}`)."""
    return _NUMBER.sub("/{n}", path.rstrip("/") or "/")


def followable(url: str, origin: str) -> bool:
    """A same-origin page worth opening: not a download, not a sign-out."""
    parts = urlsplit(url)
    origin_of_url = f"{parts.scheme}://{parts.netloc}" if parts.netloc else origin
    return (origin_of_url == origin and not DOWNLOADS.search(parts.path)
            and not parts.path.startswith(SIGN_OUTS))


def create_rich_demo(password: str) -> None:
    """The demo over the fixture curriculum with its cohort on the fixture track (`dasar`), so
    the matrix, gain and certification pages have modules, tests and marks to show. Commits."""
    from lms.accounts.models import Organisation
    from lms.cohorts.models import Cohort
    from lms.demo import DEMO_COHORT, DEMO_ORGANISATION, create_demo_data
    from lms.extensions import db
    org = Organisation(name=DEMO_ORGANISATION)
    db.session.add(org)
    db.session.flush()
    db.session.add(Cohort(organisation_id=org.id, name=DEMO_COHORT, track_slug="dasar"))
    db.session.flush()
    create_demo_data(password)
    db.session.commit()

"""Time rendering 100 certificate PDFs (the budget: under 10 s), as the cohort ZIP does, with
Latin-1 names (core fonts) and with names that need the embedded Roboto; and signing one
Open Badges credential."""
from __future__ import annotations

import datetime as dt
import tempfile
import time

COUNT, BUDGET = 100, 10.0


def _certificates(name: str):
    from lms.certification.models import Certificate
    return [Certificate(id=i + 1, code=f"{i:032d}", cohort_id=1, user_id=i + 1, printed_name=f"{name} {i}",
                        organisation_name="Jaringan Paralegal Komunitas Karangsari", cohort_name="Angkatan I",
                        track_slug="paralegal", track_title="Paralegal Komunitas", rules_version=1,
                        modules=[f"Modul {m}: Hak asasi manusia dan bantuan hukum" for m in range(1, 17)],
                        cohort_starts_on="2026-09-07", cohort_ends_on="2026-11-30",
                        issued_at=dt.datetime(2026, 12, 1, 3, 0)) for i in range(COUNT)]


def main() -> list:
    from bench.figures import Figure
    from lms.certification import pdf
    figures = []
    pdf.render(_certificates("Warmup")[0], "https://lms.example.org/verify/x")
    for label, name in (("Latin-1 names", "Siti Aminah"), ("names beyond Latin-1", "Nguyễn Thị Hằng")):
        certs = _certificates(name)
        start = time.perf_counter()
        body = pdf.render_zip([(c, f"https://lms.example.org/verify/{c.code}") for c in certs])
        took = time.perf_counter() - start
        verdict = "ok" if took < BUDGET else "OVER BUDGET"
        print(f"certificates: {COUNT} PDFs in one ZIP ({label}) in {took:.1f} s, "
              f"{len(body) / 1024:.0f} KB, budget {BUDGET:.0f} s  {verdict}")
        figures.append(Figure(f"{COUNT} certificate PDFs in one ZIP, {label}", None, f"{took:.1f} s",
                              f"< {BUDGET:.0f} s", took < BUDGET))

    from lms import create_app
    from lms.certification import credential
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"INSTANCE_PATH": tmp, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/x.sqlite3",
                          "LMS_BASE_URL": "https://lms.example.org"})
        with app.app_context():
            cert = _certificates("Siti Aminah")[0]
            credential.signed_credential(cert, 1)
            start = time.perf_counter()
            for _ in range(10):
                credential.signed_credential(cert, 1)
            signing = (time.perf_counter() - start) * 100
            print(f"certificates: one Open Badges 3.0 credential signed (eddsa-rdfc-2022) in {signing:.0f} ms")
    figures.append(Figure("one Open Badges 3.0 credential signed", None, f"{signing:.0f} ms"))
    return figures


if __name__ == "__main__":
    main()

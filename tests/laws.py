"""The laws the curriculum may cite: (form, number, year) -> words its name must contain.

`FACT_SHEET` are the laws of ../shared/curriculum-facts.md (checked as of late 2026).
`BACKGROUND` are laws not on the fact sheet that the curriculum cites as background
knowledge (listed in the closing note as not re-checked); keep this list short.
"""
from lms.core.personal_data import OFFICIAL_NUMBERS as _OFFICIAL_NUMBERS

FACT_SHEET = {
    ("UU", 39, 1999): "Hak Asasi Manusia",
    ("UU", 26, 2000): "Pengadilan Hak Asasi Manusia",
    ("UU", 7, 1984): "CEDAW",
    ("Keppres", 36, 1990): "Konvensi Hak Anak",
    ("UU", 5, 1998): "Penyiksaan",
    ("UU", 11, 2005): "Ekonomi, Sosial dan Budaya",
    ("UU", 12, 2005): "Hak Sipil dan Politik",
    ("UU", 19, 2011): "Disabilitas",
    ("UU", 14, 2009): "Palermo",
    ("UU", 10, 2012): "Protokol Opsional",
    ("UU", 1, 2023): "Hukum Pidana|KUHP",
    ("UU", 20, 2025): "Hukum Acara Pidana|KUHAP",
    ("UU", 8, 1981): "Hukum Acara Pidana|KUHAP",
    ("UU", 1, 2026): "Penyesuaian Pidana",
    ("Permenkum", 34, 2025): "paralegal",
    ("Permenkumham", 3, 2021): "paralegal",
    ("Permenkumham", 1, 2018): "paralegal",
    ("UU", 12, 2011): "Pembentukan Peraturan",
    ("UU", 15, 2019): "Pembentukan Peraturan",
    ("UU", 13, 2022): "Pembentukan Peraturan",
    ("UU", 48, 2009): "Kekuasaan Kehakiman",
    ("UU", 11, 2012): "Peradilan Pidana Anak",
    ("Perma", 1, 2014): "bantuan hukum",
    ("Perma", 3, 2017): "perempuan",
    ("Perma", 1, 2024): "restoratif",
    ("SEMA", 2, 2026): "kasasi",
    ("UU", 30, 1999): "Arbitrase",
    ("Perma", 1, 2016): "mediasi",
    ("Perma", 3, 2022): "mediasi",
    ("Perpol", 8, 2021): "restoratif",
    ("Perja", 15, 2020): "restoratif",
    ("UU", 1, 1974): "Perkawinan",
    ("UU", 16, 2019): "Perkawinan",
    ("UU", 16, 2011): "Bantuan Hukum",
    ("PP", 42, 2013): "bantuan hukum",
    ("Perpol", 7, 2022): "kode etik",
    ("UU", 37, 2008): "Ombudsman",
    ("Permen PPPA", 2, 2022): "UPTD PPA|layanan",
    ("PP", 9, 2008): "pelayanan terpadu|TPPO|perdagangan orang",
    ("Permen PPPA", 8, 2021): "TPPO|perdagangan orang|pelayanan terpadu",
    ("Perpres", 98, 2024): "layanan terpadu|kekerasan seksual",
    ("Perpres", 20, 2024): "Bareskrim|PPA-PPO",
    ("Keppres", 181, 1998): "Komnas Perempuan|Kekerasan terhadap Perempuan",
    ("Perpres", 65, 2005): "Komnas Perempuan|Kekerasan terhadap Perempuan",
    ("PP", 27, 2024): "koordinasi|pemantauan",
    ("Permen PPPA", 5, 2010): "P2TP2A|PPT|pelayanan terpadu",
    ("Permen PPPA", 4, 2018): "UPTD PPA|Unit Pelaksana Teknis",
    ("Perpres", 55, 2024): "UPTD PPA|12/2022|Kekerasan Seksual",
    ("PP", 28, 2018): "kerja sama daerah",
    ("Permendagri", 22, 2020): "kerja sama daerah",
    ("UU", 21, 2007): "Perdagangan Orang",
    ("Perpres", 69, 2008): "Gugus Tugas",
    ("Perpres", 22, 2021): "Gugus Tugas",
    ("Perpres", 49, 2023): "Gugus Tugas",
    ("Perpres", 19, 2023): "RAN|Rencana Aksi",
    ("UU", 23, 2002): "Perlindungan Anak",
    ("UU", 35, 2014): "Perlindungan Anak",
    ("UU", 17, 2016): "Perlindungan Anak|Perppu",
    ("Perppu", 1, 2016): "Perlindungan Anak",
    ("PP", 78, 2021): "perlindungan khusus",
    ("UU", 12, 2022): "Kekerasan Seksual",
    ("Perpres", 9, 2024): "pendidikan|pelatihan",
    ("PP", 29, 2025): "Dana Bantuan Korban",
    ("UU", 13, 2006): "Perlindungan Saksi dan Korban",
    ("UU", 31, 2014): "Perlindungan Saksi dan Korban",
    ("PP", 7, 2018): "kompensasi|restitusi",
    ("PP", 35, 2020): "kompensasi|restitusi",
    ("PP", 43, 2017): "restitusi",
    ("Perpres", 61, 2016): "KPAI|Komisi Perlindungan Anak",
    ("UU", 11, 2009): "Kesejahteraan Sosial",
    ("PP", 16, 2018): "Polisi Pamong Praja",
    ("UU", 23, 2014): "Pemerintahan Daerah",
    ("Qanun Aceh", 6, 2014): "Jinayat",
}

BACKGROUND = {
    ("UU", 23, 2004): "Kekerasan dalam Rumah Tangga",
    ("UU", 18, 2017): "Pekerja Migran",
    ("UU", 44, 2008): "Pornografi",
    ("UU", 11, 2008): "Informasi dan Transaksi Elektronik",
    ("UU", 19, 2016): "Informasi dan Transaksi Elektronik",
    ("UU", 1, 2024): "Informasi dan Transaksi Elektronik",
    ("UU", 6, 2014): "Desa",
    ("UU", 20, 2003): "Sistem Pendidikan Nasional",
    ("UU", 17, 2023): "Kesehatan",
    ("UU", 40, 1999): "Pers",
}

ALLOWED = {**FACT_SHEET, **BACKGROUND}

# Phone numbers the curriculum may print: the official hotlines only.
OFFICIAL_NUMBERS = set(_OFFICIAL_NUMBERS)

# Facts of the second edition (issue 11) that the fact sheet does not settle, with how each
# was checked: "read" (the text itself, or a transcription of the official text), "secondary"
# (quoted by reputable secondary sources), "bk" (background knowledge, not re-checked) or
# "unverified" (written in the curriculum as "masih dikonfirmasi" / "belum dapat dipastikan"
# and never the key of a quiz item).
FACTS = {
    "UU 12/2022 Pasal 39(1): victims and witnesses may report to UPTD PPA, a community-based "
    "service provider (LPLBM) or the police": "read (Wikisource transcription of the official text)",
    "UU 12/2022 Pasal 41: UPTD PPA and LPLBM must pass a report to the police within 3 x 24 "
    "hours of the victim reporting": "read (Wikisource transcription of the official text)",
    "UU 12/2022 Pasal 4(2): the list of other sexual-violence crimes": "secondary",
    "UU 12/2022 Pasal 42-43: police temporary protection within 1 x 24 hours": "secondary",
    "UU 12/2022 Pasal 6 huruf a (physical sexual harassment), Pasal 7 (a complaint offence "
    "for adult victims)": "secondary",
    "UU 12/2022 Pasal 66-70: victims' rights to handling, protection and recovery": "secondary",
    "MA decision 22 P/HUM/2018 (31 May 2018) voided Permenkumham 1/2018 Pasal 11-12, the "
    "paralegal litigation provisions": "secondary (Kompas 16 Jul 2018, LBH write-ups)",
    "Permenkum 34/2025 on any court role of paralegals": "unverified",
    "UU 13/2006 Pasal 29 as amended by UU 31/2014: the LPSK decision deadline (7 or 30 days)": "unverified",
    "UU 18/2017 Pasal 30(1): migrant workers may not be charged placement costs": "secondary",
    "UU 21/2007 Pasal 1 angka 5, Pasal 6, Pasal 17: for a child no 'means' element is needed": "bk",
    "UU 35/2014 Pasal 76F with Pasal 83: trafficking of children": "bk",
    "UU 21/2007 Pasal 60: community participation in preventing TPPO": "secondary",
    "UU 21/2007 Pasal 57, 62: government duties, community reporting": "secondary",
    "UU 21/2007 Pasal 61, 63: facilities for participation, coordination": "bk",
    "UU 40/1999 Pasal 5(2)-(3): right of reply and correction": "secondary",
    "UU 40/1999 Pasal 15(2) huruf d: Dewan Pers handles complaints about the press": "bk",
    "KUHP: keeping someone else's goods entrusted to one is penggelapan": "bk",
    "PEP and emergency contraception within 72 hours of exposure": "bk (medical practice)",
}
FACT_STATUSES = ("read", "secondary", "bk", "unverified")

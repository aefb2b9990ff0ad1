"""Binder speed: the Word binder and the merged PDF for a synthetic framework.

    .venv/bin/python -m benchmarks.binder [--indicators 43] [--items 300] [--pages 3]
        [--images 20] [--docx 10] [--no-pdf]

Evidence: `items` PDFs of `pages` blank A4 pages each, `images` photos (2400×1800),
`docx` Word files (converted), spread over the leaf indicators of 4 level-1 groups.
Prints the time for the Word-only binder and for the PDF binder (LibreOffice), and the
PDF's pages and size.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    """Run in a temporary folder removed afterwards (a run used to leave ~185 MB behind)."""
    with tempfile.TemporaryDirectory(prefix="binder-bench-") as tmp:
        return _main(Path(tmp))


def _main(work: Path) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--indicators", type=int, default=43)
    ap.add_argument("--items", type=int, default=300)
    ap.add_argument("--pages", type=int, default=3)
    ap.add_argument("--images", type=int, default=20)
    ap.add_argument("--docx", type=int, default=10)
    ap.add_argument("--no-pdf", action="store_true")
    a = ap.parse_args()

    from pypdf import PdfReader, PdfWriter
    from test_gbt9704 import sample_document
    from test_print_upload_ready import big_photo

    from exporters.binder import make_binders
    from exporters.convert import LibreOfficeConverter
    from storage.readmodels import BundleFile, BundleIndicator, BundleSource

    store = work / "store"
    store.mkdir()
    paths: dict[str, Path] = {}

    def put(p: Path) -> tuple[str, int]:
        data = p.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        (store / sha).write_bytes(data)
        paths[sha] = store / sha
        return sha, len(data)

    w = PdfWriter()
    for _ in range(a.pages):
        w.add_blank_page(595, 842)
    with open(work / "p.pdf", "wb") as f:
        w.write(f)
    kinds = []
    for i in range(a.items):
        kinds.append((f"沂政发〔2023〕{i}号 关于质量强县工作的通知.pdf", *put(work / "p.pdf")))
    for i in range(a.images):
        kinds.append((f"现场照片{i}.jpg", *put(big_photo(work / f"i{i}.jpg", (2400, 1800)))))
    for i in range(a.docx):
        doc = sample_document(work / f"d{i}.docx")
        with open(doc, "ab") as f:
            f.write(os.urandom(8))       # distinct hashes
        kinds.append((f"工作方案{i}.docx", *put(doc)))
    inds = []
    per = max(1, len(kinds) // a.indicators)
    for n in range(a.indicators):
        chunk = kinds[n * per:(n + 1) * per] if n < a.indicators - 1 else kinds[n * per:]
        files = tuple(BundleFile(1000 * n + k, k + 1, 1, 1, name.rsplit(".", 1)[0], "", "accepted",
                                 name, sha, size) for k, (name, sha, size) in enumerate(chunk))
        g1 = n % 4 + 1
        inds.append(BundleIndicator(n + 1, f"{g1}.{n // 4 + 1}.1", f"指标{n + 1}", True, False, False, files))
    inds.sort(key=lambda i: [int(x) for x in i.code.split(".")])
    source = BundleSource(1, "基准指标体系", tuple(inds))
    day = dt.date(2024, 6, 1)

    t0 = time.perf_counter()
    make_binders(source, lambda s: paths[s], work / "word", export_date=day)
    t_word = time.perf_counter() - t0
    print(f"Word binder, {a.indicators} indicators, {len(kinds)} files: {t_word:.2f} s")
    if a.no_pdf:
        return 0
    t0 = time.perf_counter()
    r = make_binders(source, lambda s: paths[s], work / "pdf", export_date=day,
                     converter=LibreOfficeConverter())
    t_pdf = time.perf_counter() - t0
    pdf = Path(r.pdf[0])
    print(f"PDF binder (LibreOffice): {t_pdf:.2f} s, {len(PdfReader(pdf).pages)} pages, "
          f"{pdf.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

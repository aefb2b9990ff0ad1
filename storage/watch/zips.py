"""Zip files dropped by departments, opened into their files.

Names are decoded as GBK when the UTF-8 flag is absent (zips made on Chinese Windows);
limits on the number of members, their total size and the compression ratio stop zip bombs;
a member whose name is absolute or climbs out with '..' is refused, and members are written
under generated names in a private temporary folder, so no name can escape it.
"""
from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from storage.kernel.filters import excluded_by

MAX_MEMBERS = 2000
MAX_TOTAL_BYTES = 2 * 1024**3     # 2 GB unpacked
MAX_RATIO = 200                   # unpacked / packed, per member (zip bombs reach 1000s)
OTHER_ARCHIVES = (".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".cab", ".arj")
_UTF8_FLAG = 0x800


class ZipRefused(Exception):
    """The zip cannot be opened safely; str() is the reason in Chinese (English)."""


@dataclass(frozen=True)
class Member:
    name: str       # decoded inner path, '/'-separated
    path: Path      # where it was unpacked (temporary)
    size: int


def is_other_archive(name: str) -> bool:
    return name.lower().endswith(OTHER_ARCHIVES)


def _decode(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    # zipfile decoded the raw bytes as cp437; get them back and try GBK (GB18030 superset).
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


def _safe_name(name: str) -> str | None:
    name = name.replace("\\", "/")
    p = PurePosixPath(name)
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in p.parts:
        return None
    parts = [x for x in p.parts if x not in ("", ".")]
    return "/".join(parts) if parts else None


@contextmanager
def unpack(zip_path: Path, work_dir: Path) -> Iterator[tuple[list[Member], list[str]]]:
    """Unpack `zip_path` into a temporary folder under `work_dir` (removed afterwards).

    Yields (members, problems): members are the files to take; problems are reasons for
    members left out (unsafe names, lock files). Raises ZipRefused for a damaged zip or one
    over the limits (nothing is unpacked then).
    """
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as e:
        raise ZipRefused(f"压缩包已损坏或无法打开：{e} (damaged zip: {e})") from e
    work_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="zip-", dir=work_dir))
    try:
        with zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            if len(infos) > MAX_MEMBERS:
                raise ZipRefused(
                    f"压缩包内文件过多（{len(infos)} 个，上限 {MAX_MEMBERS}），请解压后放入文件夹 "
                    f"(too many files in zip: {len(infos)})"
                )
            total = sum(i.file_size for i in infos)
            if total > MAX_TOTAL_BYTES:
                raise ZipRefused(
                    f"压缩包解压后过大（{total / 1e9:.1f} GB），请解压后放入文件夹 (zip too large unpacked)"
                )
            members: list[Member] = []
            problems: list[str] = []
            for n, info in enumerate(infos):
                name = _safe_name(_decode(info))
                if name is None:
                    problems.append(f"不安全的路径已拒绝：{_decode(info)} (unsafe path refused)")
                    continue
                base = name.rsplit("/", 1)[-1]
                if excluded_by(base) or info.file_size == 0:
                    continue
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                    raise ZipRefused(
                        f"压缩比异常（{name}），疑似压缩炸弹，未解压 (suspicious compression ratio; not unpacked)"
                    )
                if info.flag_bits & 0x1:
                    problems.append(f"加密文件无法解压：{name} (encrypted member)")
                    continue
                dest = tmp / f"m{n:05d}"
                written = 0
                with zf.open(info) as src, open(dest, "wb") as out:
                    while chunk := src.read(1 << 20):
                        written += len(chunk)
                        if written > info.file_size or written > MAX_TOTAL_BYTES:
                            raise ZipRefused(f"压缩包内容与目录不符：{name} (member larger than declared)")
                        out.write(chunk)
                members.append(Member(name, dest, written))
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError) as e:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(e, OSError) and e.errno in (28, 122):
            raise  # the archive's disk is full: not the zip's fault
        raise ZipRefused(f"压缩包无法解压：{e} (cannot unpack zip: {e})") from e
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        yield members, problems
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


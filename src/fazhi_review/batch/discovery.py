"""Which files a batch reads: files and folders (recursively), in a stable order, with notes.

A county folder holds more than reports: Word's lock files (~$报告.docx), hidden files synced by
desktop clients, spreadsheets and scans. Those are skipped with a note rather than failing the
batch; a path that does not exist at all is a usage error, because it is a typo.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_review.batch.cache import CACHE_DIR
from fazhi_review.errors import UsageError
from fazhi_review.ingest import SUPPORTED, export_first, is_own_output_name, supported_formats
from fazhi_review.text import readable_path

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: files found in a folder and not read, with why (hidden files are not listed)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


#: the viewer pages a batch writes carry this mark
_OWN_PAGE_MARK = b'<meta name="generator" content="fazhi-review">'
OWN_OUTPUT = "本工具写出的文件（审阅意见、摘要、县级汇总或查看页），不是乡镇报告"


def _is_own_output(path: Path) -> bool:
    """A file an earlier batch wrote, found where its cache no longer marks the folder (moved,
    copied, or the cache deleted): never a township's report."""
    if is_own_output_name(path.name):
        return True
    if path.suffix.lower() not in (".html", ".htm"):
        return False
    try:
        with path.open("rb") as page:
            return _OWN_PAGE_MARK in page.read(512)
    except OSError:
        return False


def _skipped(path: Path) -> str | None:
    """Why a file found in a folder is not read (None: it is a report candidate)."""
    if path.name.startswith("~$"):
        return "Office 临时锁定文件"
    if _is_own_output(path):
        return OWN_OUTPUT
    if path.name.startswith("."):
        return "隐藏文件"
    if path.suffix.lower() not in SUPPORTED:
        if (how := export_first(path.suffix)) is not None:
            return how
        return f"不支持的格式 {path.suffix or '（无扩展名）'}（支持 {supported_formats()}）"
    return None


#: more files than this skipped for one reason in one folder are one note, not a line each
_NOTE_EACH_UP_TO = 2
#: names a grouped note still shows
_NAMES_SHOWN = 3


#: the folder a browser (or Word's 另存为网页) saves beside a page for its images, styles,
#: scripts and frames: "报告_files" (Chrome, Edge, Firefox, English Word), "报告.files" (Chinese
#: Word, old IE), "报告.fld"
_COMPANION = re.compile(r"(?P<stem>.+?)(?:_files|\.files|_文件|\.fld)", re.IGNORECASE)
_PAGE_SUFFIXES = (".html", ".htm", ".mht", ".mhtml", ".shtml")


def _saved_page_of(folder: Path) -> Path | None:
    """The saved page whose companion folder ``folder`` is, None when it is an ordinary folder."""
    named = _COMPANION.fullmatch(folder.name)
    if named is None:
        return None
    return next((page for suffix in _PAGE_SUFFIXES if (page := folder.parent / f"{named['stem']}{suffix}").is_file()), None)


class _Companions:
    """Which folders of the walk hold a saved page's parts, judged once per folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._pages: dict[Path, Path | None] = {}

    def holding(self, path: Path) -> tuple[Path, Path] | None:
        """(companion folder, its page) when ``path`` lies in one (at any depth)."""
        folder = self.root
        for part in path.relative_to(self.root).parts[:-1]:
            folder = folder / part
            if folder not in self._pages:
                self._pages[folder] = _saved_page_of(folder)
            page = self._pages[folder]
            if page is not None:
                return folder, page
        return None


#: why the files of an earlier batch's output folder (it holds the batch cache) are not read
EARLIER_OUTPUT = "本工具以前一次批量审阅的输出目录（其中的审阅意见、汇总和查看页不是乡镇报告）"


def _earlier_outputs(paths: list[Path]) -> set[Path]:
    """Folders among the walk's ``paths`` that an earlier ``fazhi batch`` wrote into (they hold its cache)."""
    return {path.parent for path in paths if path.name == CACHE_DIR and path.is_dir()}


_BROKEN_LINK = "符号链接（快捷方式）指向的文件不存在或链接成环，无法读取"


def _walk(folder: Path, found: Discovery, is_output: Callable[[Path], bool]) -> None:
    skipped: dict[tuple[Path, str], list[Path]] = {}
    companions = _Companions(folder)
    skipped_folders: dict[Path, list[Path]] = {}
    paths = sorted(folder.rglob("*"))  # one walk of the folder serves both
    earlier = _earlier_outputs(paths)
    for path in paths:
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts[:-1]):
            continue
        if not path.is_file():
            if path.is_symlink() and not path.exists():  # a dangling link or a loop: said, not lost
                skipped.setdefault((path.parent, _BROKEN_LINK), []).append(path)
            continue
        if is_output(path):
            continue  # this batch's own outputs (-o inside the input folder): never reports
        holder = next((parent for parent in path.parents if parent in earlier), None) if earlier else None
        if holder is not None:  # an earlier -o inside the input folder: its letters and pages are no reports
            skipped_folders.setdefault(holder, [holder]).append(path)
            continue
        companion = companions.holding(path)
        if companion is not None:  # a saved page's frames (.htm) would be read as reports
            skipped_folders.setdefault(companion[0], [companion[1]]).append(path)
            continue
        reason = _skipped(path)
        if reason is None:
            found.files.append(path)
        elif not path.name.startswith("."):
            skipped.setdefault((path.parent, reason), []).append(path)
    for (parent, reason), paths in skipped.items():
        found.notes.extend(_skip_notes(parent, reason, paths))
        found.skipped.extend((path, reason) for path in paths)
    for holder, (page, *paths) in skipped_folders.items():
        reason = EARLIER_OUTPUT if page == holder else f"网页 {page.name} 的附属文件夹（随网页保存的图片、样式、脚本和框架页，不是报告）"
        found.notes.append(f"跳过 {holder} 中的 {len(paths)} 个文件：{reason}")
        found.skipped.append((holder, reason))  # listed once, as the folder


def _skip_notes(parent: Path, reason: str, paths: list[Path]) -> list[str]:
    """A line per skipped file, or one line for a folder's many (a scanned annex of 50 images,
    the gold JSON beside the samples) so the notes do not bury the batch's own output."""
    if len(paths) <= _NOTE_EACH_UP_TO:
        return [f"跳过 {readable_path(path)}：{reason}" for path in paths]
    names = "、".join(Path(readable_path(path)).name for path in paths[:_NAMES_SHOWN])
    more = "等" if len(paths) > _NAMES_SHOWN else ""
    return [f"跳过 {parent} 中的 {len(paths)} 个文件（{names}{more}）：{reason}"]


def _never(_path: Path) -> bool:
    return False


def discover(inputs: list[Path], is_output: Callable[[Path], bool] = _never) -> Discovery:
    """Every report file under ``inputs``; a file named explicitly is read whatever its name.
    ``is_output``: whether a file is one the batch itself writes; when -o lies inside an input
    folder, its 审阅意见 .docx and viewer pages are left out, or a second run would review its
    own outputs as reports."""
    found = Discovery()
    for item in inputs:
        if item.is_dir():
            _walk(item, found, is_output)
        elif item.is_file():
            found.files.append(item)
        else:
            raise UsageError("文件或目录不存在", path=str(item), hint="请检查路径是否正确")
    unique = list({p.resolve(): p for p in reversed(found.files)}.values())[::-1]
    found.files = unique
    if not unique:
        where = "、".join(readable_path(item) for item in inputs[:3]) + ("等" if len(inputs) > 3 else "")
        raise UsageError("没有找到可读取的报告文件", path=where, hint=f"请指定报告文件或包含报告的目录（支持 {supported_formats()}）")
    return found


def output_names(files: list[Path]) -> dict[Path, str]:
    """A distinct, file-system-safe output stem per input, derived from the input's name.

    Two folders each holding 报告.docx (a county's folders are often one per township) must not
    overwrite each other: every report whose name another shares takes its folder's name
    ("甲镇-报告", "乙镇-报告"), then its format ("报告-pdf" beside "报告-docx"), then a counter.
    """
    shown = {path: Path(readable_path(path)) for path in files}
    bases = {path: _UNSAFE.sub("_", shown[path].stem).strip("._") or "报告" for path in files}
    shared = Counter(base.lower() for base in bases.values())
    names: dict[Path, str] = {}
    taken: set[str] = set()
    for path in files:
        base = bases[path]
        folder = f"{_UNSAFE.sub('_', shown[path].parent.name)}-{base}"
        format_ = f"{base}-{path.suffix.lstrip('.').lower()}"
        candidates = [folder, format_, f"{folder}-{path.suffix.lstrip('.').lower()}"] if shared[base.lower()] > 1 else [base]
        name = next((c for c in candidates if c.lower() not in taken), None)
        counter = 2
        while name is None or name.lower() in taken:
            name = f"{base}-{counter}"
            counter += 1
        taken.add(name.lower())
        names[path] = name
    return names

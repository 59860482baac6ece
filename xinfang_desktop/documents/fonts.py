"""Fonts by role: the workstation's installed fonts first, then the free fonts bundled in ``resources/fonts/``.

* :func:`get_fonts` loads and registers the fonts with reportlab once per process (thread-safe, ≈0.3 s) and
  returns a :class:`FontSet`.
* Each :class:`~xinfang_desktop.documents.model.FontRole` gets the first candidate that loads: on Windows
  仿宋_GB2312 → 仿宋 (simfang.ttf), 黑体 (simhei.ttf), 楷体_GB2312 → 楷体 (simkai.ttf), 宋体 (simsun.ttc),
  方正小标宋简体; then the bundled AR PL SungtiL GB (宋/仿宋, and 小标宋 drawn with a stroke to make it heavier),
  AR PL KaitiM GB (楷) and WenQuanYi Micro Hei (黑). Microsoft and Founder fonts are used where installed and
  licensed, never shipped.
* :meth:`FontSet.segments` splits text into runs by the font that has each character: the role's font first,
  then the other loaded fonts, then the rare-character fonts (SimSun-ExtB on Windows, the bundled Hanazono
  Mincho B subset for CJK Extension B such as 𠮷). What fell back is reported, never drawn as a blank box.
* reportlab writes non-BMP characters into the PDF's ToUnicode map as four hex digits, so 𠮷 (U+20BB7) extracts
  as "₻"; :func:`patch_reportlab_tounicode` replaces the CMap writer with one that writes UTF-16 surrogate pairs.

``XINFANG_FONT_DIRS`` (paths separated by ``os.pathsep``) adds directories to search for workstation fonts;
``XINFANG_SYSTEM_FONTS=0`` ignores the workstation's fonts (tests use it for reproducible output).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from xinfang_desktop.core.errors import DomainError
from xinfang_desktop.documents.model import FontRole
from xinfang_desktop.paths import resource

log = logging.getLogger(__name__)

# The names written into a DOCX when the role's font is a bundled one: what a Chinese Windows office has.
DOCX_ROLE_NAMES: dict[FontRole, str] = {
    FontRole.FANGSONG: "仿宋_GB2312",
    FontRole.HEITI: "黑体",
    FontRole.KAITI: "楷体_GB2312",
    FontRole.SONGTI: "宋体",
    FontRole.XIAOBIAOSONG: "方正小标宋简体",
}


@dataclass(frozen=True)
class Candidate:
    """A font file to look for: any of ``files`` (case-insensitive file names), face ``subfont_index``."""

    files: tuple[str, ...]
    family: str
    docx_name: str
    subfont_index: int = 0
    fake_bold: bool = False


@dataclass(frozen=True)
class FontFace:
    """A loaded font: ``key`` is its reportlab name, ``family`` the name reported to the user."""

    key: str
    family: str
    docx_name: str
    path: Path
    bundled: bool
    fake_bold: bool = False
    ascent: float = 0.88  # em, from the font file
    descent: float = -0.12


# Windows (%WINDIR%\Fonts, per-user fonts) names; the same names are looked for in the other font folders.
SYSTEM_CANDIDATES: dict[FontRole, tuple[Candidate, ...]] = {
    FontRole.FANGSONG: (
        Candidate(("仿宋_GB2312.ttf", "FS_GB2312.ttf", "SIMFANG_GB2312.ttf"), "仿宋_GB2312", "仿宋_GB2312"),
        Candidate(("simfang.ttf",), "仿宋 (FangSong)", "仿宋"),
    ),
    FontRole.HEITI: (Candidate(("simhei.ttf",), "黑体 (SimHei)", "黑体"),),
    FontRole.KAITI: (
        Candidate(("楷体_GB2312.ttf", "KT_GB2312.ttf", "SIMKAI_GB2312.ttf"), "楷体_GB2312", "楷体_GB2312"),
        Candidate(("simkai.ttf",), "楷体 (KaiTi)", "楷体"),
    ),
    FontRole.SONGTI: (Candidate(("simsun.ttc",), "宋体 (SimSun)", "宋体"),),
    FontRole.XIAOBIAOSONG: (
        Candidate(
            ("方正小标宋简体.ttf", "方正小标宋_GBK.ttf", "FZXBSJW.TTF", "FZXBSK.TTF", "FZXBSJW--GB1-0.ttf"),
            "方正小标宋简体",
            "方正小标宋简体",
        ),
    ),
}
SYSTEM_RARE: tuple[Candidate, ...] = (
    Candidate(("simsunb.ttf",), "SimSun-ExtB", "SimSun-ExtB"),
    Candidate(("SimSunExtG.ttf",), "SimSun-ExtG", "SimSun-ExtG"),
)

_SONG = Candidate(("gbsn00lp.ttf",), "AR PL SungtiL GB", "")
#: 朱雀仿宋 (OFL-1.1): a free 仿宋 with all of GB2312, so that a workstation without 仿宋_GB2312 still prints the
#: body in a 仿宋 face as GB/T 9704 asks, not in a 宋体 one (issue 18).
_FANG = Candidate(("ZhuqueFangsong-Regular.ttf",), "朱雀仿宋 (Zhuque Fangsong)", "")
_KAI = Candidate(("gkai00mp.ttf",), "AR PL KaitiM GB", "")
_HEI = Candidate(("wqy-microhei.ttc",), "WenQuanYi Micro Hei", "")
BUNDLED_CANDIDATES: dict[FontRole, tuple[Candidate, ...]] = {
    FontRole.FANGSONG: (_FANG, _SONG),
    FontRole.HEITI: (_HEI,),
    FontRole.KAITI: (_KAI,),
    FontRole.SONGTI: (_SONG,),
    FontRole.XIAOBIAOSONG: (Candidate(_SONG.files, _SONG.family, "", fake_bold=True),),
}
#: A 明朝 (Song-style) face with every CJK Unified Ideograph and Extension A (䶮 U+4DAE): the serif fallback for
#: characters outside GB2312 (喆 堃 龘 …), so that a name in 仿宋 or 宋体 text is not drawn in 黑体.
_HANA_A = Candidate(("HanaMinA-Hanzi.ttf",), "Hanazono Mincho A", "")
BUNDLED_FALLBACKS: tuple[Candidate, ...] = (_SONG, _KAI, _HANA_A, _HEI)
BUNDLED_RARE: tuple[Candidate, ...] = (Candidate(("HanaMinB-ExtB.ttf",), "Hanazono Mincho B (Ext. B)", ""),)
#: A text of at most this many characters (a table cell, a name on its own line) is drawn in one face.
SHORT_RUN = 6


def bundled_font_dir() -> Path:
    return resource("fonts")


def system_font_dirs() -> list[Path]:
    """Where the workstation's fonts live, most specific first."""
    dirs: list[Path] = [Path(p) for p in os.environ.get("XINFANG_FONT_DIRS", "").split(os.pathsep) if p]
    if os.environ.get("XINFANG_SYSTEM_FONTS", "1") == "0":
        return dirs
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR", r"C:\Windows")
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    else:
        home = Path.home()
        dirs += [
            home / ".local/share/fonts",
            home / ".fonts",
            home / "Library/Fonts",
            Path("/Library/Fonts"),
            Path("/usr/local/share/fonts"),
            Path("/usr/share/fonts"),
        ]
    return dirs


def _index_files(dirs: Iterable[Path]) -> dict[str, Path]:
    """Lower-cased file name → first path found (folders searched in order, recursively)."""
    found: dict[str, Path] = {}
    for base in dirs:
        if not base.is_dir():
            continue
        for root, _subdirs, files in os.walk(base):
            for name in files:
                found.setdefault(name.lower(), Path(root) / name)
    return found


@dataclass
class FontSet:
    """The fonts of this process: one per role, the fallback order, and which characters each has."""

    primary: dict[FontRole, FontFace]
    fallbacks: tuple[FontFace, ...]  # every loaded face in fallback order (roles' fonts, bundled, rare)
    load_seconds: float
    _coverage: dict[str, frozenset[int]] = field(default_factory=dict, repr=False)
    _choice: dict[tuple[FontRole, str], FontFace | None] = field(default_factory=dict, repr=False)

    def has(self, face: FontFace, ch: str) -> bool:
        return ord(ch) in self._coverage[face.key]

    def chain(self, role: FontRole) -> tuple[FontFace, ...]:
        first = self.primary[role]
        return (first, *(f for f in self.fallbacks if f.key != first.key))

    def face_for(self, role: FontRole, ch: str) -> FontFace | None:
        """The first font of ``role``'s chain that has ``ch`` (None when no loaded font has it)."""
        key = (role, ch)
        if key in self._choice:
            return self._choice[key]
        found: FontFace | None = None
        if ch in " \u3000\t\n":
            found = self.primary[role]
        else:
            for face in self.chain(role):
                if ord(ch) in self._coverage[face.key]:
                    found = face
                    break
        self._choice[key] = found
        return found

    def face_covering(self, role: FontRole, text: str) -> FontFace | None:
        """The first font of ``role``'s chain that has every character of ``text`` (None when no one font has)."""
        needed = {ord(ch) for ch in text if ch not in " \u3000\t\n"}
        for face in self.chain(role):
            if needed <= self._coverage[face.key]:
                return face
        return None

    def faces(self, role: FontRole, text: str, keep: Sequence[str] = ()) -> list[FontFace | None]:
        """The font of each character of ``text`` (None: no font has it).

        A character missing from the role's font takes the first font of the chain that has it — but a name keeps
        one typeface: each occurrence of a string of ``keep`` (the people and organs named in the document), and a
        text of at most :data:`SHORT_RUN` characters as a whole, is drawn in the first font that has all of it
        rather than switching fonts in the middle (李喆 in 明朝, not 李 in 宋 and 喆 in 黑体)."""
        found = [self.face_for(role, ch) for ch in text]
        primary = self.primary[role]
        if all(f is not None and f.key == primary.key for f in found):
            return found
        spans: list[tuple[int, int]] = []
        stripped = text.strip()
        if 1 < len(stripped) <= SHORT_RUN:
            start = text.index(stripped)
            spans.append((start, start + len(stripped)))
        for name in keep:
            if len(name) < 2:
                continue
            at = text.find(name)
            while at >= 0:
                spans.append((at, at + len(name)))
                at = text.find(name, at + len(name))
        for start, end in spans:
            while start < end and not text[start].isalnum():  # “李喆：” keeps its colon in the role's font
                start += 1
            while end > start and not text[end - 1].isalnum():
                end -= 1
            if end - start < 2:
                continue
            span = found[start:end]
            if all(f is not None and f.key == primary.key for f in span):
                continue
            face = self.face_covering(role, text[start:end])
            if face is not None:
                found[start:end] = [face] * (end - start)
        return found

    def segments(self, role: FontRole, text: str, keep: Sequence[str] = ()) -> list[tuple[FontFace, str]]:
        """``text`` cut into runs of one font (see :meth:`faces`); a character no font has stays with the role's
        font (the renderers refuse to issue such a document: :class:`MissingCharacters`)."""
        out: list[tuple[FontFace, str]] = []
        primary = self.primary[role]
        for ch, found in zip(text, self.faces(role, text, keep), strict=True):
            face = found or primary
            if out and out[-1][0].key == face.key:
                out[-1] = (face, out[-1][1] + ch)
            else:
                out.append((face, ch))
        return out

    def role_families(self) -> dict[str, str]:
        return {role.value: face.family for role, face in self.primary.items()}

    def docx_name(self, role: FontRole) -> str:
        face = self.primary[role]
        return face.docx_name or DOCX_ROLE_NAMES[role]


def body_face_note(fonts: FontSet) -> str:
    """For the clerk, on screen: the face the body (仿宋, GB/T 9704) is printed in, and whether it is 仿宋."""
    face = fonts.primary[FontRole.FANGSONG]
    if not face.bundled:
        return f"正文字体：{face.family}（本机已安装）"
    if "仿宋" in face.family or "Fangsong" in face.family:
        return f"正文字体：{face.family}（随软件提供；本机未安装仿宋_GB2312 或 仿宋，安装后自动改用）"
    return f"正文字体：{face.family}（宋体风格；本机没有仿宋字体，安装仿宋_GB2312 或 仿宋后自动改用）"


class MissingCharacters(DomainError):
    """The text has characters that no available font has: they would print as blanks, so nothing is issued."""

    def __init__(self, chars: str) -> None:
        listed = "、".join(f"“{ch}”（U+{ord(ch):04X}）" for ch in chars)
        super().__init__(
            f"文中的{listed}在本机已安装和随附的字体中都没有，打印出来会缺字，因此未出具。"
            "请在本机安装含有该字的字体（如 SimSun-ExtB、花园明朝）后重新出具，"
            "或把字体文件所在的文件夹加入环境变量 XINFANG_FONT_DIRS。",
            field="font",
            details={"missing": chars},
        )
        self.chars = chars


class FallbackReport:
    """Collects which role's characters were drawn with which other font, and characters no font has."""

    def __init__(self) -> None:
        self.fallbacks: dict[str, dict[str, str]] = {}
        self.missing: str = ""

    def note(self, fonts: FontSet, role: FontRole, text: str, keep: Sequence[str] = ()) -> None:
        primary = fonts.primary[role]
        for ch, face in zip(text, fonts.faces(role, text, keep), strict=True):
            if ch in " \u3000\t\n":
                continue
            if face is None:
                if ch not in self.missing:
                    self.missing += ch
            elif face.key != primary.key:
                chars = self.fallbacks.setdefault(role.value, {}).get(face.family, "")
                if ch not in chars:
                    self.fallbacks[role.value][face.family] = chars + ch

    def check(self) -> None:
        """Raise :class:`MissingCharacters` when some character has no font (a document is never issued so)."""
        if self.missing:
            raise MissingCharacters(self.missing)


_LOCK = threading.Lock()
_FONTS: FontSet | None = None
_PATCHED = False


def _tounicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ``makeToUnicodeCMap`` with UTF-16BE destinations, so that non-BMP code points are written as
    surrogate pairs (<D842DFB7> for U+20BB7) instead of the five hex digits that PDF readers misread."""

    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()

    cmap = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(cmap)


def patch_reportlab_tounicode() -> None:
    """Replace reportlab's ToUnicode CMap writer once per process (see :func:`_tounicode_cmap`).

    reportlab ≤ 4.x/5.1 formats each code point with ``%04X``; the module-level function is looked up at call
    time by ``TTFont.splitString``'s subset writer, so rebinding the module attribute is enough."""
    global _PATCHED
    if _PATCHED:
        return
    ttfonts_any: Any = ttfonts
    ttfonts_any.makeToUnicodeCMap = _tounicode_cmap
    _PATCHED = True


def _load(candidate: Candidate, path: Path, bundled: bool) -> tuple[FontFace, frozenset[int]] | None:
    key = f"XF-{path.stem}-{candidate.subfont_index}{'-b' if candidate.fake_bold else ''}"
    try:
        existing: Any = pdfmetrics.getFont(key) if key in pdfmetrics.getRegisteredFontNames() else None
        font: Any = existing or TTFont(key, str(path), subfontIndex=candidate.subfont_index)
        if existing is None:
            pdfmetrics.registerFont(font)
    except (TTFError, OSError, ValueError, KeyError) as exc:
        log.warning("font %s (%s) cannot be used: %s", candidate.family, path, exc)
        return None
    face_info = font.face
    face = FontFace(
        key=key,
        family=candidate.family,
        docx_name=candidate.docx_name,
        path=path,
        bundled=bundled,
        fake_bold=candidate.fake_bold,
        ascent=float(face_info.ascent) / 1000.0,
        descent=float(face_info.descent) / 1000.0,
    )
    return face, frozenset(face_info.charToGlyph)


def load_fonts(system_dirs: Sequence[Path] | None = None, bundled_dir: Path | None = None) -> FontSet:
    """Resolve and register every role's font (uncached; most callers want :func:`get_fonts`)."""
    patch_reportlab_tounicode()
    started = time.perf_counter()
    system_files = _index_files(system_font_dirs() if system_dirs is None else system_dirs)
    bundled_base = bundled_font_dir() if bundled_dir is None else bundled_dir
    coverage: dict[str, frozenset[int]] = {}
    loaded: dict[tuple[str, int, bool], FontFace] = {}

    def try_candidates(candidates: Iterable[Candidate], system: bool) -> FontFace | None:
        for cand in candidates:
            for name in cand.files:
                path = system_files.get(name.lower()) if system else bundled_base / name
                if path is None or not path.is_file():
                    continue
                cache_key = (str(path), cand.subfont_index, cand.fake_bold)
                if cache_key in loaded:
                    return loaded[cache_key]
                result = _load(cand, path, bundled=not system)
                if result is not None:
                    face, cmap = result
                    loaded[cache_key] = face
                    coverage[face.key] = cmap
                    return face
        return None

    primary: dict[FontRole, FontFace] = {}
    for role in FontRole:
        face = try_candidates(SYSTEM_CANDIDATES[role], system=True) or try_candidates(
            BUNDLED_CANDIDATES[role], system=False
        )
        if face is None:
            raise RuntimeError(f"no usable font for {role.value}: the bundled fonts are missing from {bundled_base}")
        if face.bundled:
            log.info("font role %s uses the bundled %s (no workstation font found)", role.value, face.family)
        primary[role] = face
    # Serif faces before the 黑体 ones, so that a rare character in 仿宋 text falls back to a 宋/楷 face first.
    serif_roles = (FontRole.FANGSONG, FontRole.SONGTI, FontRole.KAITI, FontRole.XIAOBIAOSONG)
    order: list[FontFace] = [primary[r] for r in serif_roles if not primary[r].fake_bold]
    for cand in BUNDLED_FALLBACKS[:3]:
        face = try_candidates((cand,), system=False)
        if face is not None:
            order.append(face)
    order.append(primary[FontRole.HEITI])
    for cand in BUNDLED_FALLBACKS[3:]:
        face = try_candidates((cand,), system=False)
        if face is not None:
            order.append(face)
    for cand in SYSTEM_RARE:
        face = try_candidates((cand,), system=True)
        if face is not None:
            order.append(face)
    for cand in BUNDLED_RARE:
        face = try_candidates((cand,), system=False)
        if face is not None:
            order.append(face)
    unique: dict[str, FontFace] = {}
    for face in order:
        unique.setdefault(face.key, face)
    return FontSet(primary, tuple(unique.values()), time.perf_counter() - started, coverage)


def get_fonts() -> FontSet:
    """The process-wide font set, loaded on first use (thread-safe)."""
    global _FONTS
    if _FONTS is None:
        with _LOCK:
            if _FONTS is None:
                _FONTS = load_fonts()
    return _FONTS

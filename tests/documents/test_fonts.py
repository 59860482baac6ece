"""Font resolution by role, per-character fallback, and the ToUnicode fix for non-BMP characters."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from xinfang_desktop.documents import fonts as fonts_module
from xinfang_desktop.documents.fonts import (
    FallbackReport,
    _tounicode_cmap,
    bundled_font_dir,
    get_fonts,
    load_fonts,
)
from xinfang_desktop.documents.model import FontRole


def test_bundled_fonts_and_licences_are_present() -> None:
    base = bundled_font_dir()
    for name in (
        "gbsn00lp.ttf",
        "gkai00mp.ttf",
        "wqy-microhei.ttc",
        "HanaMinA-Hanzi.ttf",
        "HanaMinB-ExtB.ttf",
        "ZhuqueFangsong-Regular.ttf",
        "README.md",
    ):
        assert (base / name).is_file(), name
    assert (base / "licenses" / "ARPHIC-PUBLIC-LICENSE.txt").is_file()
    assert (base / "licenses" / "Apache-2.0.txt").is_file()
    assert "Open Font License" in (base / "licenses" / "zhuque-fangsong-OFL.txt").read_text(encoding="utf-8")
    total = sum(p.stat().st_size for p in base.rglob("*") if p.is_file())
    assert total < 60 * 1024 * 1024  # 57 MB: the HanaMinA subset (every hanzi, Extension A) and 朱雀仿宋 (GB2312)


def test_a_machine_without_fangsong_prints_the_body_in_the_bundled_fangsong(tmp_path: Path) -> None:
    # GB/T 9704 asks for 仿宋: without 仿宋_GB2312 or 仿宋 installed the body is 朱雀仿宋, not a 宋体 face (issue 18).
    from xinfang_desktop.documents.fonts import body_face_note

    fonts = load_fonts(system_dirs=[tmp_path])
    face = fonts.primary[FontRole.FANGSONG]
    assert face.bundled and "Zhuque" in face.family
    assert all(fonts.has(face, ch) for ch in "信访事项受理告知书示范县人民政府〔〕《》“”，。")
    assert "朱雀仿宋" in body_face_note(fonts) and "随软件提供" in body_face_note(fonts)


def test_every_role_resolves_on_a_fresh_machine(tmp_path: Path) -> None:
    fonts = load_fonts(system_dirs=[tmp_path])
    assert set(fonts.primary) == set(FontRole)
    assert all(face.bundled for face in fonts.primary.values())
    assert fonts.primary[FontRole.XIAOBIAOSONG].fake_bold


def test_workstation_font_wins_over_the_bundled_one(tmp_path: Path) -> None:
    shutil.copy(bundled_font_dir() / "wqy-microhei.ttc", tmp_path / "simhei.ttf")
    fonts = load_fonts(system_dirs=[tmp_path])
    assert fonts.primary[FontRole.HEITI].family == "黑体 (SimHei)"
    assert not fonts.primary[FontRole.HEITI].bundled
    assert fonts.docx_name(FontRole.HEITI) == "黑体"


def test_rare_characters_fall_back_and_are_reported() -> None:
    fonts = get_fonts()
    song = fonts.primary[FontRole.FANGSONG]
    assert fonts.face_for(FontRole.FANGSONG, "中") == song
    ext_b = fonts.face_for(FontRole.FANGSONG, "𠮷")
    assert ext_b is not None and ext_b.key != song.key
    kun = fonts.face_for(FontRole.FANGSONG, "堃")
    assert kun is not None and fonts.has(kun, "堃")
    report = FallbackReport()
    report.note(fonts, FontRole.FANGSONG, "李𠮷堃")
    assert report.fallbacks["fangsong"][ext_b.family] == "𠮷"
    assert report.missing == ""
    segments = fonts.segments(FontRole.FANGSONG, "李𠮷堃。")
    assert "".join(t for _, t in segments) == "李𠮷堃。"
    assert len(segments) >= 3


def test_fonts_load_once_per_process_and_thread_safely() -> None:
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(get_fonts())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r is results[0] for r in results)
    assert get_fonts().load_seconds < 5


def test_tounicode_cmap_writes_surrogate_pairs() -> None:
    fonts_module.patch_reportlab_tounicode()
    from reportlab.pdfbase import ttfonts

    assert ttfonts.makeToUnicodeCMap is _tounicode_cmap
    cmap = _tounicode_cmap("F1", [0x41, 0x4E2D, 0x20BB7])
    assert "<00> <0041>" in cmap
    assert "<01> <4E2D>" in cmap
    assert "<02> <D842DFB7>" in cmap

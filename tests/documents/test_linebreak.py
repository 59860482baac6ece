"""The grid line-breaker: 避头尾, whole digit/Latin runs, justification."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from xinfang_desktop.documents.linebreak import (
    NO_LINE_END,
    NO_LINE_START,
    atoms,
    break_lines,
    char_offsets,
    check_lines,
)


def widths_of(text: str) -> list[float]:
    return [0.5 if ch.isascii() else 1.0 for ch in text]


def test_comma_never_starts_a_line() -> None:
    text = "一二三四五，六七八"
    lines = break_lines(text, widths_of(text), 5.0)
    assert [text[ln.start : ln.end] for ln in lines] == ["一二三四", "五，六七八"]
    assert check_lines(text, lines) == []


def test_opening_bracket_never_ends_a_line() -> None:
    text = "一二三四（五）六"
    lines = break_lines(text, widths_of(text), 5.0)
    assert [text[ln.start : ln.end] for ln in lines] == ["一二三四", "（五）六"]


def test_digit_runs_stay_whole() -> None:
    text = "截至2026年6月2日届满"
    lines = break_lines(text, widths_of(text), 4.0)
    segments = [text[ln.start : ln.end] for ln in lines]
    assert "".join(segments) == text
    assert any("2026" in s for s in segments)
    assert tuple("XF-2026-0012 3.5%"[a:b] for a, b in atoms("XF-2026-0012 3.5%") if b - a > 1) == (
        "XF-2026-0012",
        "3.5%",
    )


def test_first_line_indent_and_justification() -> None:
    text = "一二三四五六七八九十，一二三"
    w = widths_of(text)
    lines = break_lines(text, w, 8.0, first_indent=2.0)
    assert lines[0].indent == 2.0 and lines[1].indent == 0.0
    first = char_offsets(text, w, lines[0], 8.0)
    assert first[0] == 2.0
    assert first[-1] + w[lines[0].end - 1] <= 8.0 + 1e-9
    last = lines[-1]
    assert not last.justify
    assert char_offsets(text, w, last, 8.0)[0] == 0.0


def test_justified_line_ends_at_the_right_edge() -> None:
    text = "甲乙丙丁戊己庚辛，壬癸"
    w = widths_of(text)
    lines = break_lines(text, w, 8.0)
    first = lines[0]
    assert first.justify and first.width == 7.0  # "辛，" was pushed down
    xs = char_offsets(text, w, first, 8.0)
    assert abs(xs[-1] + w[first.end - 1] - 8.0) < 1e-9


ALPHABET = "中文字符信访事项，。、；：？！）》」”（《「“0123456789AbXy-. "


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=0, max_size=120), st.integers(min_value=6, max_value=28))
def test_no_forbidden_starts_or_ends_and_text_preserved(text: str, cells: int) -> None:
    # Runs of closers or openers longer than a line cannot be satisfied by any breaker.
    run = 0
    for ch in text:
        run = run + 1 if ch in NO_LINE_START or ch in NO_LINE_END else 0
        assume(run <= 3)
    assume(not any(len(text[a:b]) > cells for a, b in atoms(text)))
    lines = break_lines(text, widths_of(text), float(cells), first_indent=2.0)
    assert check_lines(text, lines) == []
    for line in lines:
        assert line.indent + line.width <= cells + 1e-9


def test_titles_break_between_words_in_balanced_lines() -> None:
    from xinfang_desktop.documents.linebreak import title_lines

    def split(title: str) -> list[str]:
        return [title[ln.start : ln.end] for ln in title_lines(title, [1.0] * len(title), 18)]

    assert split("信访事项受理告知书") == ["信访事项受理告知书"]
    lines = split("关于对城关街道办事处有关人员追究信访工作责任的建议")
    assert len(lines) == 2 and not lines[0].endswith("人") and abs(len(lines[0]) - len(lines[1])) <= 3
    assert split("示范县信访局关于进一步做好初信初访化解工作的通知")[0][-1] != "做"

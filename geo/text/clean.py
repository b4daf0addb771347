"""Repair report text damaged by a bad PDF extraction, and leave good text alone.

``clean_text`` composes small rules, each a function of its own:

* ``normalize_whitespace``: one newline convention, plain spaces, no control characters.
* ``undouble_line``: text drawn twice to fake bold comes out with every run repeated
  (``岁月如歌再启程岁月如歌再启程``, ``33月月1111日日``). Such *regions* are found and
  halved; ordinary repeats (常常, 共1111户, ……) are never touched outside them.
* ``close_cjk_spacing``: spaces that letter-spacing put between Chinese characters go.
* ``join_wrapped_lines``: lines cut by a narrow page layout become paragraphs again,
  while headings, captions and bylines stay lines of their own.
* ``collapse_repeated_phrases``: a Chinese phrase of three or more characters written
  twice in a row is written once.

Apart from whitespace (paragraphs come out separated by one blank line), every rule only
deletes characters, so clean text keeps every character it had. The result is a fixed
point: cleaning it again changes nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import accumulate, pairwise

from geo.text import lexicon

__all__ = [
    "clean_text",
    "close_cjk_spacing",
    "collapse_repeated_phrases",
    "join_wrapped_lines",
    "normalize_whitespace",
    "undouble_line",
]

# --- character classes -------------------------------------------------------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Punctuation that only occurs in Chinese typesetting: a space next to it is never meant.
_WIDE_PUNCT = (
    "\u3000-\u303f\u30fb\ufe10-\ufe1f\ufe30-\ufe4f"  # CJK symbols, vertical and compatibility forms
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\uffe0-\uffee"  # fullwidth forms but letters, digits
)
# Dashes, curly quotes, ellipsis, middle dot: shared with Western text, so a space next to
# one is dropped only when the other side is Chinese too.
_SHARED_PUNCT = "\u00b7\u2010-\u2027"
_CHINESE = _HAN + _WIDE_PUNCT + _SHARED_PUNCT

_IS_HAN = re.compile(f"[{_HAN}]")
_IS_WIDE_PUNCT = re.compile(f"[{_WIDE_PUNCT}]")
_IS_SHARED_PUNCT = re.compile(f"[{_SHARED_PUNCT}]")
_LETTER = re.compile(r"[^\W_]")  # a letter, digit or Chinese character
_DIGITS = "0123456789"

# --- rule: whitespace and control characters ---------------------------------------------

_NEWLINE = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_ODD_SPACE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Lone surrogates (from a font that maps glyphs into D800-DFFF, or text decoded with
# surrogateescape) are not characters and cannot be written as UTF-8: they go too.
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u180e\u200b-\u200f\u2060\ufeff\ud800-\udfff]"
)


def normalize_whitespace(text: str) -> str:
    """``\\n`` for every line break, a plain space for every other space, no control characters.

    Tabs stay. Lone surrogates are dropped. Form feeds (page breaks in extracted text) become line breaks.
    """
    text = _NEWLINE.sub("\n", text)
    text = _ODD_SPACE.sub(" ", text)
    return _INVISIBLE.sub("", text)


# --- rule: doubled runs ------------------------------------------------------------------

_MAX_HALF = 32  # the longest run a doubled region is expected to repeat
_DP_LIMIT = 4_000  # longer lines are split greedily instead of optimally
_TRIES = 8  # recurrences of a character tried as the end of a run; bounds the work per character
# A line worth a closer look: it starts (give or take a bullet) with a doubled run, or it
# holds doubled Chinese punctuation (but not …… or ——, which are written doubled).
_SQUARE_NEAR_START = re.compile(rf"[ \t]*(?:\S[ \t]*){{0,4}}?(\S{{1,{_MAX_HALF}}}?)\1")
_SQUARE = re.compile(rf"(\S{{1,{_MAX_HALF}}}?)\1")


def _best_split(s: str) -> list[tuple[int, int]]:
    """The squares (``start``, ``half``) of the best split of ``s`` into runs ``XX`` and single characters.

    Best means fewest characters left single, then most squares, so ``AABBAABB`` reads as
    ``ABAB`` drawn twice character by character, and ``常常见常常见`` as ``常常见`` twice.
    Dynamic programming from the right; a square starting at ``i`` has its half ``L``
    where ``s[i]`` recurs, so only the first ``_TRIES`` recurrences within ``_MAX_HALF``
    are tried, which keeps the work linear even on periodic text.
    """
    n = len(s)
    nxt = [n] * n  # next index holding the same character
    next_space = [n] * (n + 1)
    last: dict[str, int] = {}
    for i in range(n - 1, -1, -1):
        ch = s[i]
        nxt[i] = last.get(ch, n)
        last[ch] = i
        next_space[i] = i if ch in " \t\n" else next_space[i + 1]
    singles = [0] * (n + 1)
    squares = [0] * (n + 1)
    choice = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        if s[i] in " \t\n":
            singles[i], squares[i] = singles[i + 1], squares[i + 1]
            continue
        best = (singles[i + 1] + 1, -squares[i + 1])
        half = 0
        stop = min(i + _MAX_HALF, next_space[i])
        j = nxt[i]
        for _ in range(_TRIES):
            if j >= n or j > stop:
                break
            end = 2 * j - i
            if end <= next_space[i] and s[i:j] == s[j:end]:
                cand = (singles[end], -squares[end] - 1)
                if cand < best:
                    best, half = cand, j - i
            j = nxt[j]
        singles[i], squares[i], choice[i] = best[0], -best[1], half
    out: list[tuple[int, int]] = []
    i = 0
    while i < n:
        if choice[i]:
            out.append((i, choice[i]))
            i += 2 * choice[i]
        else:
            i += 1
    return out


def _greedy_split(s: str) -> list[tuple[int, int]]:
    return [(m.start(), len(m.group(1))) for m in _SQUARE.finditer(s)]


def _halved(s: str, squares: Sequence[tuple[int, int]]) -> str:
    parts: list[str] = []
    pos = 0
    for start, half in squares:
        parts.append(s[pos : start + half])
        pos = start + 2 * half
    parts.append(s[pos:])
    return "".join(parts)


def _worth_halving(s: str) -> bool:
    """Halved text must say something: three letters, one of them Chinese, not all alike."""
    letters = _LETTER.findall(s)
    return len(letters) >= 3 and len(set(letters)) > 1 and any(_IS_HAN.match(c) for c in letters)


def _strong_stretch(s: str, squares: Sequence[tuple[int, int]]) -> bool:
    """A doubled stretch inside an otherwise normal line: ``砥砺奋进启新程。。33月月``.

    It needs three runs in a row, one of them doubled Chinese punctuation (which normal
    text never has), and four letters, two Chinese, once halved. Reduplicated words such
    as 高高兴兴 have no doubled punctuation and stay.
    """
    marks = lexicon.layout().marks
    if len(squares) < 3 or not any(half == 1 and s[start] in marks for start, half in squares):
        return False
    halves = "".join(s[start : start + half] for start, half in squares)
    letters = _LETTER.findall(halves)
    return len(letters) >= 4 and sum(1 for c in letters if _IS_HAN.match(c)) >= 2


def _reduplication(half: str) -> bool:
    return len(half) <= 2 and all(_IS_HAN.match(c) for c in half)


def _halve_once(line: str) -> str:
    doubled_mark = lexicon.layout().doubled_mark
    if not (_SQUARE_NEAR_START.match(line) or doubled_mark.search(line)) or not _IS_HAN.search(line):
        return line
    squares = _best_split(line) if len(line) <= _DP_LIMIT else _greedy_split(line)
    if not squares:
        return line
    solid = len(line) - line.count(" ") - line.count("\t")
    covered = sum(2 * half for _, half in squares)
    if covered >= lexicon.layout().region_cover * solid:
        # Runs of one or two Chinese characters alone (高高兴兴, 研究研究) are reduplicated words.
        if all(_reduplication(line[start : start + half]) for start, half in squares):
            return line
        halved = _halved(line, squares)
        return halved if _worth_halving(halved) else line
    # Not a doubled line as a whole: look for strong doubled stretches inside it.
    chosen: list[tuple[int, int]] = []
    stretch: list[tuple[int, int]] = []
    for sq in [*squares, (len(line) + 1, 0)]:
        if stretch:
            gap_start = stretch[-1][0] + 2 * stretch[-1][1]
            if sq[0] >= gap_start and not line[gap_start : sq[0]].strip(" \t"):
                stretch.append(sq)
                continue
            if _strong_stretch(line, stretch):
                chosen.extend(stretch)
        stretch = [sq]
    return _halved(line, chosen) if chosen else line


def undouble_line(line: str) -> str:
    """Halve the doubled runs of ``line`` where the line (or a stretch of it) is a doubled region.

    A bold run drawn twice is extracted as the run repeated: a phrase
    (``防汛应急演练动员会防汛应急演练动员会``), a character (``举举``) or a few
    characters (``”）”）``). The line is split into runs ``XX`` and single characters
    (``_best_split``); when runs ``XX`` cover at least 80% of it, the line is a doubled
    region and every run is halved, so a real ``常常`` (drawn as ``常常常常``) comes back
    whole. Elsewhere only strong stretches are halved (``_strong_stretch``), so ``共1111户``,
    ``看看``, ``……`` stay. Repeated until nothing changes: text drawn four times is halved twice.
    """
    prev = None
    while line != prev:
        prev, line = line, _halve_once(line)
    return line


_REPEATED_PHRASE = re.compile(f"([{_HAN}]{{3,{_MAX_HALF}}}?)\\1+")


def _collapse(m: re.Match[str]) -> str:
    phrase = m.group(1)
    return m.group(0) if len(set(phrase)) == 1 else phrase


def collapse_repeated_phrases(text: str) -> str:
    """``携手同行谱新篇携手同行谱新篇`` → ``携手同行谱新篇``, anywhere in the text.

    Only phrases of three or more Chinese characters: two-character repeats (研究研究,
    一步一步) and runs of one character (哈哈哈哈哈哈) are ordinary Chinese.
    """
    while True:
        collapsed = _REPEATED_PHRASE.sub(_collapse, text)
        if collapsed == text:
            return text
        text = collapsed


# --- rule: spaces between Chinese characters ---------------------------------------------

# A run of spaces with Chinese on at least one side (written to start with the space, which
# lets the regex engine skip quickly to the next one).
_GAP = re.compile(f"[ \\t](?:(?<=[{_CHINESE}][ \\t])[ \\t]*(?=\\S)|[ \\t]*(?=[{_CHINESE}]))")
_NUMBER_TAIL = re.compile(r"(?:^|[^\x00-\x7f])[0-9][0-9.,%]*$")
_FIRST_TOKEN = re.compile(r"[^ \t\n]*")


def _single_letter(token: str) -> bool:
    return len(_LETTER.findall(token)) == 1


_TOKEN_REACH = 24  # how far a gap looks for the words on either side of it


_WIDE, _SHARED, _HANZI, _DIGIT, _OTHER = range(5)


@cache
def _kind(ch: str) -> int:
    if _IS_WIDE_PUNCT.match(ch):
        return _WIDE
    if _IS_SHARED_PUNCT.match(ch):
        return _SHARED
    if _IS_HAN.match(ch):
        return _HANZI
    return _DIGIT if ch in _DIGITS else _OTHER


def _left_token(text: str, start: int) -> str:
    left = text[max(0, start - _TOKEN_REACH) : start]
    return left[max(left.rfind(" "), left.rfind("\t"), left.rfind("\n")) + 1 :]


def _right_token(text: str, end: int) -> str:
    return _FIRST_TOKEN.match(text, end, end + _TOKEN_REACH).group()  # type: ignore[union-attr]


def _lone_before(text: str, start: int) -> bool:
    """The word before the gap at ``start`` has one letter (the common case answered first)."""
    if start < 2 or text[start - 2] in " \t\n":
        return True
    return _single_letter(_left_token(text, start))


def _lone_after(text: str, end: int) -> bool:
    if end + 1 >= len(text) or text[end + 1] in " \t\n":
        return True
    return _single_letter(_right_token(text, end))


def _drop_gap(text: str, start: int, end: int) -> bool:
    """Whether the spaces ``text[start:end]`` are letter-spacing; both neighbours are letters or marks."""
    ka, kb = _kind(text[start - 1]), _kind(text[end])
    if _WIDE in (ka, kb):
        return True
    if _SHARED in (ka, kb):
        return _HANZI in (ka, kb)
    if ka == _HANZI and kb == _HANZI:
        return _lone_before(text, start) or _lone_after(text, end)
    if ka == _HANZI and kb == _DIGIT:
        return _lone_before(text, start)
    if ka == _DIGIT and kb == _HANZI:
        return bool(_NUMBER_TAIL.search(_left_token(text, start))) or _lone_after(text, end)
    return False


def close_cjk_spacing(text: str) -> str:
    """Drop the spaces letter-spacing put into Chinese text; keep the ones that separate words.

    A space goes when it touches Chinese punctuation (``委 、市``), when it sits between
    Chinese characters and one side is a lone character (``市 政 府`` → ``市政府``,
    ``全 年 完 成 4`` → ``全年完成4``), or between a number and the Chinese word it
    counts (``2023 年``, ``3 个``). ``通讯员 李明远``, ``Hello world`` and ``13.08 km`` keep
    theirs. Works on one line or many.
    """
    parts: list[str] = []
    pos = 0
    for m in _GAP.finditer(text):
        if _drop_gap(text, m.start(), m.end()):
            parts.append(text[pos : m.start()])
            pos = m.end()
    if not parts:
        return text
    parts.append(text[pos:])
    return "".join(parts)


# --- rule: lines broken by the layout ----------------------------------------------------

# Sentence and clause marks, list entries and the heading thresholds: ``lexicons/layout.toml``.


def _width(line: str) -> float:
    """Printed width in Chinese characters: ASCII counts half, spaces nothing."""
    spaces = line.count(" ") + line.count("\t")
    ascii_chars = len(line.encode("ascii", "ignore")) - spaces
    return len(line) - spaces - 0.5 * ascii_chars


def _column_width(lines: Sequence[str]) -> float:
    """The width of the text column: the median width of body lines, weighted by characters.

    Body lines are lines with sentence punctuation, so headings and captions do not count.
    Weighting by characters makes the estimate follow the full lines that carry most of
    the text rather than the short last lines of paragraphs. Text without body lines has
    nothing to join: its column is unbounded and every line stands alone.
    """
    widths = sorted(w for w in (_width(ln) for ln in lines if lexicon.layout().body.search(ln)) if w > 0)
    half = sum(widths) / 2
    seen = 0.0
    for w in widths:
        seen += w
        if seen >= half:
            return w
    return float("inf")


def _ends_sentence(line: str) -> bool:
    """Ends in 。！？… (or a full stop after a word), with any closing quotes or brackets after it."""
    lay = lexicon.layout()
    core = line.rstrip(lay.closers)
    if not core:
        return False
    return core[-1] in lay.stops or (core[-1] == "." and core[-2:-1] not in _DIGITS)


def _stands_alone(line: str, column: float) -> bool:
    """Whether a line that starts a block and ends without a full stop is a heading, caption or byline.

    A line holding a full stop is body text. A line with commas is body text unless it is
    very short for the column (a title, a list entry). A line without punctuation is a
    heading unless it fills most of the column (the first line of a paragraph cut by the layout).
    """
    if "。" in line:
        return False
    lay = lexicon.layout()
    share = lay.clause_share if lay.clause.search(line) else lay.heading_share
    return _width(line) <= share * column


def _item_kind(line: str) -> str | None:
    m = lexicon.layout().list_item.match(line)
    return m.lastgroup if m else None


def _starts_new_item(first: str, line: str) -> bool:
    """``line`` starts a list entry like the one the paragraph began with (dates, numbers, bullets)."""
    kind = _item_kind(line)
    return kind is not None and (kind == "bullet" or kind == _item_kind(first))


def _glue(parts: Sequence[str]) -> str:
    """Join a paragraph's lines; two ASCII words (not two digits) keep a space between them."""
    out = [parts[0]]
    for prev, part in pairwise(parts):
        a, b = prev[-1], part[0]
        if a.isascii() and b.isascii() and a.isalnum() and b.isalnum() and not (a.isdigit() and b.isdigit()):
            out.append(" ")
        out.append(part)
    return "".join(out)


def join_wrapped_lines(lines: Iterable[str]) -> list[str]:
    """Paragraphs from physical lines: join lines while a sentence is unfinished.

    Blank lines carry no information (narrow layouts put one after every line), so
    paragraphs are rebuilt from punctuation and widths:

    * A line ending a sentence (。！？… with any closing quote or bracket) ends its paragraph.
    * A line that starts a block (the first, or one after a finished paragraph) and does
      not end a sentence *stands alone* as a heading, caption or byline when it is narrow
      for the column: without punctuation, at most 75% of the column width; with commas,
      at most 40%; never when it holds a full stop. The column width is the
      character-weighted median width of lines with punctuation, so it is that of the full
      lines of the body whether the text is laid out in narrow columns or one paragraph
      per line. Heading pairs (``回望2024年`` / ``携手同行谱新篇``) are two such lines.
    * Otherwise the paragraph is open, and every next line joins it (however short: text
      wrapped around a picture tapers to a character or two) until a line ends a sentence,
      unless that line starts a list entry of the kind the paragraph started with.
    """
    return [_glue(group) for group in _paragraph_groups([ln for ln in lines if ln])]


def _paragraph_groups(rows: Sequence[str]) -> list[list[str]]:
    """The non-blank ``rows`` grouped into paragraphs, as ``join_wrapped_lines`` describes."""
    column = _column_width(rows)
    groups: list[list[str]] = []
    is_open = False
    for row in rows:
        if groups and is_open and not _starts_new_item(groups[-1][0], row):
            groups[-1].append(row)
            is_open = not _ends_sentence(row)
            continue
        groups.append([row])
        is_open = not _ends_sentence(row) and not _stands_alone(row, column)
    return groups


# --- composition -------------------------------------------------------------------------

_ROUNDS = 8  # paragraph rebuilding settles in two rounds on real text
_LINE_EDGES = re.compile(r"^[ \t]+|[ \t]+$", re.M)
# ``_SQUARE_NEAR_START`` after a line break; starting with a literal makes the scan fast.
_SUSPECT_LINE = re.compile(rf"\n[ \t]*(?:\S[ \t]*){{0,4}}?(\S{{1,{_MAX_HALF}}}?)\1")


def _undouble_text(text: str) -> str:
    """``undouble_line`` on every line of ``text`` that shows a sign of doubling (one scan finds them)."""
    hits = [m.start() for m in _SUSPECT_LINE.finditer("\n" + text)]  # a line starts one after its hit
    hits += [m.start() for m in lexicon.layout().doubled_mark.finditer(text)]
    if not hits:
        return text
    lines = text.split("\n")
    starts = list(accumulate((len(ln) + 1 for ln in lines), initial=0))
    for i in {bisect_right(starts, pos) - 1 for pos in hits}:
        lines[i] = undouble_line(lines[i])
    return "\n".join(lines)


def _repair(line: str) -> str:
    """The rules that work within a line (halving, collapsing, spacing), until none changes it."""
    prev = None
    while line != prev:
        prev = line
        line = close_cjk_spacing(collapse_repeated_phrases(undouble_line(line)))
    return line


def _repair_lines(text: str) -> list[str]:
    """``_repair`` on every line, with whole-text scans doing the work on lines that need one pass."""
    halved = _undouble_text(text)
    spaced = close_cjk_spacing(collapse_repeated_phrases(halved))
    lines = spaced.split("\n")
    if spaced != halved:
        # A line that collapsing or spacing changed may now show doubling to halve.
        for i, before in enumerate(halved.split("\n")):
            if lines[i] != before:
                lines[i] = _repair(lines[i])
    return lines


def clean_text(raw: str) -> str:
    """Repair text from a bad PDF extraction; good text comes back with the same characters.

    Paragraphs are separated by one blank line; a heading or caption is a paragraph of its own.
    """
    lines = [ln for ln in _repair_lines(_LINE_EDGES.sub("", normalize_whitespace(raw))) if ln]
    # Joining moves the column width, and joined lines can show doubling no single line
    # had (a run cut by a line break); so paragraphs are rebuilt until no line joins
    # another, which makes the result a fixed point. The second round rarely joins anything.
    for _ in range(_ROUNDS):
        groups = _paragraph_groups(lines)
        if len(groups) == len(lines):
            break
        lines = [_repair(_glue(group)) if len(group) > 1 else group[0] for group in groups]
    return "\n\n".join(lines)

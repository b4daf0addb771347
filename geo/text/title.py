"""A report's title, issuing body and date, read from its first and last lines.

The title is the first heading-like line at the top (short, no sentence end): one marked as a
heading, one the page repeats, one holding a title word (工作总结, 报告 ...), else the first such
line before the body starts. The issuing body is an organ's name in the closing signature, the
title or a byline; the date comes from the signature, a byline or (a year only) the title.
Dates are given as ISO text: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``. The rules are
``geo/lexicons/report_title.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.text.lexicon import TitleRules, layout, title_rules

# the title and byline stand in the first lines, the signature in the last: only this much of each
# end is read, so a long report costs no more than a short one
EDGE_CHARS = 4_000


@dataclass(frozen=True)
class ReportHeading:
    """What a report says about itself; "" where it does not say."""

    title: str = ""
    issuer: str = ""
    date: str = ""


def read_heading(text: str) -> ReportHeading:
    """The title, issuing body and date of the (cleaned) report ``text``."""
    rules = title_rules()
    head = _lines(text[:EDGE_CHARS])[: rules.scan_lines]
    at = _title_index(head, rules)
    title = _unmarked(head[at], rules) if at is not None else ""
    bylines = [ln for i, ln in enumerate(head) if i != at and rules.byline.search(ln)]
    last = _lines(text[-EDGE_CHARS:])[-rules.tail_lines:] if len(_lines(text[:EDGE_CHARS], 2)) > 1 else []
    tail = [ln for ln in last if _short(ln, rules)]
    return ReportHeading(title, _issuer(title, bylines, tail, rules), _date(title, bylines, tail, rules))


def _lines(text: str, most: int | None = None) -> list[str]:
    out: list[str] = []
    for ln in text.splitlines():
        if ln.strip():
            out.append(ln.strip())
            if most is not None and len(out) >= most:
                break
    return out


def date_text(text: str) -> str:
    """The first date in ``text`` as ISO text (day, else month, else year); "" when none."""
    rules = title_rules()
    return _full_or_month(text, rules) or _year(text, rules)


def issuer_in(text: str) -> str:
    """The first issuing body named in ``text`` (a title); "" when none."""
    m = title_rules().issuer.search(text)
    return m.group(0) if m else ""


def _unmarked(line: str, rules: TitleRules) -> str:
    return line.lstrip(rules.heading_marks + " \t").strip()


def _short(line: str, rules: TitleRules) -> bool:
    return len(line) <= rules.max_chars and not any(c in line for c in rules.bad_inside + "，")


def _heading_like(line: str, rules: TitleRules) -> bool:
    s = _unmarked(line, rules)
    return (rules.min_chars <= len(s) <= rules.max_chars and s[-1] not in rules.bad_ends
            and not any(c in s for c in rules.bad_inside) and not rules.furniture.search(s)
            and not layout().list_item.match(s))


def _title_index(head: list[str], rules: TitleRules) -> int | None:
    """Which of the first lines is the title: a marked heading, a repeated line, a line with a
    title word, else the first heading-like line before the first line of body text."""
    fit = [i for i, ln in enumerate(head) if _heading_like(ln, rules)]
    texts = [_unmarked(ln, rules) for ln in head]
    for test in (lambda i: head[i][0] in rules.heading_marks,
                 lambda i: texts.count(texts[i]) > 1,
                 lambda i: any(cue in texts[i] for cue in rules.cues)):
        found = next((i for i in fit if test(i)), None)
        if found is not None:
            return found
    body = (i for i, ln in enumerate(head) if i not in fit and not rules.furniture.search(ln))
    first_body = next(body, len(head))
    return next((i for i in fit if i < first_body), None)


def _issuer(title: str, bylines: list[str], tail: list[str], rules: TitleRules) -> str:
    """An organ signing the closing lines, else named in the title, else in a byline."""
    for line in reversed(tail):
        m = rules.issuer.match(line)
        rest = line[m.end():].strip() if m else ""
        if m and (not rest or date_text(rest)):
            return m.group(0)
    for line in (title, *bylines):
        m = rules.issuer.search(line)
        if m:
            return m.group(0)
    return ""


def _date(title: str, bylines: list[str], tail: list[str], rules: TitleRules) -> str:
    """A date of the closing lines, else of a byline, else the title's date or year."""
    for line in (*reversed(tail), *bylines):
        found = _full_or_month(line, rules)
        if found:
            return found
    return date_text(title)


def _full_or_month(text: str, rules: TitleRules) -> str:
    m = rules.full_date.search(text)
    if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    m = rules.month_date.search(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    return ""


def _year(text: str, rules: TitleRules) -> str:
    m = rules.year.search(text)
    return m.group(1) if m else ""

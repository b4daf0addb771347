"""Reports written for the tests in each format the reader takes: PDF (a text layer in
STSong-Light, headings in fake bold), DOCX (headings, paragraphs, a table) and an HTML page with
its site chrome around the article."""

from __future__ import annotations

import html
from pathlib import Path

PARK = "狮子山休闲公园"
TITLE = "加速度跑出新成绩 务实迎接亚运盛会 县建设局半年度工作回眸"


def build_pdf(path: Path, blocks: list[tuple[int, str]], *, encrypt: str | None = None) -> Path:
    """A PDF in STSong-Light; headings in fake bold (drawn twice 0.3pt apart), body wrapped."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    width, height = A4
    y = height - 60
    for level, body in blocks:
        size = 15 if level else 11
        lines, line = [], ""
        for char in body:
            if pdfmetrics.stringWidth(line + char, font, size) > width - 120:
                lines.append(line)
                line = char
            else:
                line += char
        lines.append(line)
        for text in lines:
            if y < 60:
                pdf.showPage()
                y = height - 60
            pdf.setFont(font, size)
            pdf.drawString(60, y, text)
            if level:
                pdf.drawString(60.3, y, text)
            y -= size * 1.6
        y -= 8
    pdf.save()
    return path


def build_docx(path: Path, blocks: list[tuple[int, str]]) -> Path:
    import docx

    document = docx.Document()
    for level, body in blocks:
        if level:
            document.add_heading(body, level=level)
        else:
            document.add_paragraph(body)
    table = document.add_table(rows=2, cols=3)
    rows = [("项目", "地点", "进度"), (PARK, "武康街道", "有序施工")]
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.save(str(path))
    return path


def build_html(blocks: list[tuple[int, str]], charset: str | None) -> str:
    article = "\n".join(
        f"<h{level}>{html.escape(body)}</h{level}>" if level else f"<p>{html.escape(body)}</p>"
        for level, body in blocks
    )
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head>{meta}
<title>{TITLE} - 德清县人民政府</title>
<style>.nav {{ color: red; }} body::before {{ content: "样式表内容不应出现"; }}</style>
<script>var tracker = "脚本内容不应出现"; document.write("统计代码");</script>
</head><body>
<header><div class="logo">德清县人民政府门户网站</div>
<nav class="breadcrumb"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt;
<a href="/bmdt">部门动态面包屑</a></nav></header>
<div class="main">
<aside class="sidebar"><h3>相关链接</h3><ul>
<li><a href="/a1">甲市建设局召开全市安全生产会议</a></li>
<li><a href="/a2">莫干山镇开展人居环境整治</a></li>
<li><a href="/a3">我县举办消防宣传月活动</a></li></ul></aside>
<article class="content">
{article}
</article></div>
<footer><p>版权所有 &copy; 2023 德清县人民政府 浙ICP备12345678号</p>
<p>主办单位：德清县人民政府办公室 技术支持：某某网络公司</p></footer>
<script>console.log("页尾脚本不应出现");</script>
</body></html>"""

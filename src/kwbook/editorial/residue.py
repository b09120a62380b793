"""Web-page residue: lines a copy from a web page brings along that are not book text, and HTML entities."""

from __future__ import annotations

import html
import re

# Lines that are residue wherever they stand (Traditional and Simplified forms).
_LINE = [
    r"^(熱門|热门|精彩|相關|相关|更多|延伸|推薦|推荐)(推薦|推荐|閱讀|阅读|文章|新聞|新闻|內容|内容)$",
    r"^(猜你喜歡|猜你喜欢|相關文章|相关文章|相關新聞|相关新闻)$",
    r"^(留言|評論|评论|網友評論|网友评论)(回覆|回复|區|区)?$",
    r"^(回覆|回复|分享|收藏|點讚|点赞|舉報|举报|返回頂部|返回顶部|上一篇|下一篇)$",
    r"^(上一篇|下一篇)\s*[:：]",
    r"本文由.{0,60}提供",
    r"原文(連結|链接|網址|网址|地址)",
    r"(寫|写)了\s*\d+\s*篇文章",
    r"(獲得|获得)\s*\d+\s*次(喜歡|喜欢)",
    r"^(來源|来源|稿源|出處|出处)\s*[:：]",
    r"(責任編輯|责任编辑|編輯|编辑)\s*[:：]\s*\S{1,8}\s*$",
    r"(發布時間|发布时间|發佈時間|發表時間|发表时间)\s*[:：]",
    r"^(首頁|首页)\s*[>＞›»]",
    r"(您當前的位置|您当前的位置|當前位置|当前位置)\s*[:：]",
    r"(分享到|掃一掃|扫一扫|點擊查看|点击查看|閱讀原文|阅读原文|版權所有|版权所有|版權聲明|版权声明|免責聲明|免责声明)",
    r"^中文\s*[|｜]\s*English",
    r"(?i)^(search|share|reply|comments?|read more|advertisement)$",
]
_LINE_RE = [re.compile(p) for p in _LINE]

# After one of these, the rest of a web copy is the page's tail (recommendations, comments).
_TAIL = re.compile(r"^(熱門推薦|热门推荐|精彩推薦|精彩推荐|相關閱讀|相关阅读|猜你喜歡|猜你喜欢|相關文章|相关文章|留言回覆|留言回复|網友評論|网友评论)$")

ENTITY = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Entity names whose & and ; were lost on the way (“ldquo 五個一批 rdquo”).
BARE_ENTITY = re.compile(r"(?<![A-Za-z&])(ldquo|rdquo|lsquo|rsquo|mdash|hellip|middot|nbsp)(?![A-Za-z;])")


def is_residue(line: str) -> bool:
    """True when the line (stripped) looks like web-page residue rather than book text."""
    text = line.strip().lstrip("#>*- ").strip()
    return bool(text) and any(r.search(text) for r in _LINE_RE)


def is_tail_marker(line: str) -> bool:
    return bool(_TAIL.match(line.strip()))


def entity_char(entity: str) -> str | None:
    """The character an HTML entity stands for (a no-break space as a plain space), None if unknown."""
    char = html.unescape(entity)
    if char == entity:
        return None
    return char.replace("\u00a0", " ")


def entity_fix(entity: str) -> str | None:
    """What fix puts for an entity: its character when that cannot be Markdown or HTML syntax, else None.

    &ldquo; → “ and &nbsp; → a space are safe; &lt; &amp; &#42; stand for ASCII syntax characters and stay.
    """
    char = entity_char(entity)
    if char is None or (char.isascii() and char != " "):
        return None
    return char

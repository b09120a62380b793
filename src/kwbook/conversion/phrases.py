"""kwbook's own conversion phrases: character-level mistakes every OpenCC configuration makes, corrected.

Each entry maps a phrase in the source script to the same phrase, same length, in the target script. They were
found by converting policy prose with OpenCC 1.4 (s2t, s2tw, s2twp, s2hk; t2s, tw2s, hk2s) and each has a
test (tests/test_conversion.py) that shows OpenCC still gets it wrong and kwbook right. A manuscript adds its
own with book.yaml `conversion:` (a mapping, or the name of a YAML file holding one).
"""

from __future__ import annotations

# Simplified → Traditional (s2tw, s2hk)
TO_TRADITIONAL = {
    "被发明": "被發明",    # OpenCC reads 被发 as 被髮 (hair): 被髮明
    "姓范": "姓范",        # the surname 范 stays 范; OpenCC gives 姓範
    "头发展": "頭發展",    # 带头发展, 龙头发展, 牵头发展: OpenCC reads 头发 (hair) → 帶頭髮展
    "理发展": "理發展",    # 治理发展: OpenCC reads 理发 (haircut) → 治理髮展
}

# Traditional → Simplified (tw2s, hk2s)
TO_SIMPLIFIED = {
    "甚麼": "什么",        # the mainland form; OpenCC gives 甚么
}


def shipped(to_simplified: bool) -> dict[str, str]:
    """kwbook's phrases for one direction."""
    return dict(TO_SIMPLIFIED if to_simplified else TO_TRADITIONAL)

"""Chinese as UN documents write it: simplified characters, 。！？, full-width forms."""

from bitext.languages.base import Language

LANGUAGE = Language(
    code="zh",
    name="Chinese",
    script="Han",
    # UN Chinese is mainland simplified Chinese: zh-CN, the code bitext has always written.
    bcp47="zh-CN",
    spaced=False,
    cased=False,
    # Chinese UN text carries many Latin symbols and names; a fifth of the letters
    # in Han already means a Chinese text (no other language here uses Han).
    min_script_share=0.2,
    sentence_end="。！？!?",
    closing="”’」』）)】》\"'",
    opening="“‘「『（(【《",
    summary_words=("摘要", "概要", "内容提要"),
    annex_words=("附件", "附录"),
    agenda_pattern=r".{0,8}(?:议程|清单).{0,4}项目\s*[\d(（].{0,12}",
    session_pattern=r"第.{1,10}届(?:特别|续会)?会议",
    date_pattern=r"\d{4}\s*年.*月",
    masthead_words=(r"分发\s*[:：].*", r"原文\s*[:：].*"),
    masthead_names=("联合国",),
    page_words=("页",),
    recycle=("请回收",),
)

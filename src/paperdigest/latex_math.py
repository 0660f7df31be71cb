"""Math spans of abstracts converted by libraries: latex2mathml makes MathML, which is read
back and rebuilt from an allowlist; pylatexenc makes Unicode text for twins, feeds and search.
"""

from __future__ import annotations

import html
import logging
import re
from functools import lru_cache
from xml.etree import ElementTree

MATHML = "{http://www.w3.org/1998/Math/MathML}"
MATH_ELEMENTS = frozenset(
    {"math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub", "msubsup",
     "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
     "mstyle", "mpadded", "mphantom", "menclose"}
)  # fmt: skip
"""The MathML elements converted math may hold (MathML Core, and what browsers show)."""
MATH_ATTRIBUTES = frozenset(
    {"display", "mathvariant", "stretchy", "fence", "separator", "accent", "accentunder",
     "lspace", "rspace", "movablelimits", "largeop", "symmetric", "minsize", "maxsize",
     "width", "height", "depth", "linethickness", "columnalign", "rowspacing",
     "columnspacing", "scriptlevel", "displaystyle", "notation"}
)  # fmt: skip
"""The attributes they may carry: none holds a URL or a script."""
SUPERSCRIPTS = dict(zip("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", strict=True))
SUBSCRIPTS = dict(zip("0123456789+-=()aeoxhklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ", strict=True))


@lru_cache(maxsize=4096)
def mathml(latex: str) -> str | None:
    """Math as MathML rebuilt from the allowlist; None if it cannot be made safely."""
    import latex2mathml.converter  # here: most builds have no math to convert

    try:
        converted = latex2mathml.converter.convert(latex)
        root = ElementTree.fromstring(converted)
    except Exception:  # noqa: BLE001 - the converter raises many kinds; any is "cannot"
        return None
    return _rebuilt(root)


def _rebuilt(element: ElementTree.Element) -> str | None:
    """MathML rebuilt from the allowlist, or None if anything falls outside it."""
    tag = element.tag.removeprefix(MATHML)
    if tag not in MATH_ELEMENTS:
        return None
    attributes = []
    for name, value in sorted(element.attrib.items()):
        if name not in MATH_ATTRIBUTES:
            return None
        attributes.append(f' {name}="{html.escape(value)}"')
    text = element.text or ""
    if tag in ("mi", "mo", "mn", "mtext") and "\\" in text:
        return None  # a command the converter did not know, shown as its name
    if tag in ARITY and len(element) != ARITY[tag]:
        return None  # `\\frac{a}` with its second argument missing
    parts = [f"<{tag}{''.join(attributes)}>", html.escape(text, quote=False)]
    for child in element:
        inner = _rebuilt(child)
        if inner is None:
            return None
        parts.append(inner)
        parts.append(html.escape(child.tail or "", quote=False))
    parts.append(f"</{tag}>")
    return "".join(parts)


ARITY = {"mfrac": 2, "msup": 2, "msub": 2, "mroot": 2, "mover": 2, "munder": 2,
         "msubsup": 3, "munderover": 3}  # fmt: skip
"""How many children MathML requires of these; converted math with others is refused."""


class _Complaints(logging.Handler):
    """Notes that pylatexenc warned (it does, instead of raising, on what it cannot read)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.heard = False

    def emit(self, record: logging.LogRecord) -> None:
        self.heard = True


_PYLATEXENC = logging.getLogger("pylatexenc")
_PYLATEXENC.propagate = False  # its warnings are ours to judge, not the terminal's


_MATH_SCRIPT = re.compile(r"([\^_])(?:\{([^{}]{1,40})\}|([A-Za-z0-9]))")


@lru_cache(maxsize=4096)
def math_text(latex: str) -> str | None:
    """Math as Unicode text: `O(n^2)` gives `O(n²)`; scripts Unicode lacks stay as written.

    None if pylatexenc could not read it.
    """
    complaints = _Complaints()
    _PYLATEXENC.addHandler(complaints)
    try:
        text = _unicode(latex)
    except Exception:  # noqa: BLE001 - any failure of the converter means "cannot"
        return None
    finally:
        _PYLATEXENC.removeHandler(complaints)
    return None if complaints.heard else text


def _unicode(latex: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text  # here: most builds have no math

    def script(match: re.Match[str]) -> str:
        inner = match.group(2) or match.group(3)
        table = SUPERSCRIPTS if match.group(1) == "^" else SUBSCRIPTS
        shown = "".join(table.get(char, "") for char in inner)
        return shown if len(shown) == len(inner) else match.group(0)

    # Scripts Unicode has become its characters first; pylatexenc reads the rest whole.
    return str(LatexNodes2Text(math_mode="text").latex_to_text(_MATH_SCRIPT.sub(script, latex)))

"""Draw one Settings path as an original SVG sketch of the screen that holds its last row.

The sketch is a plain phone screen: a back label (the screen before), the screen's
title, and a short list in which the row to tap is labelled and outlined, with its
switch drawn in the position the step asks for. The other rows are grey bars: the
sketch says where to look, it does not copy Apple's screen. Colours are CSS classes
(delivered.css ``dlv-sketch``), so the same drawing follows the light and dark scheme.
"""

from __future__ import annotations

import html
import zlib

from diag.settings_paths import SettingsPath, Variant, is_placeholder

WIDTH = 300
ROW = 40
LIST_TOP = 76
ROWS = 4
HEIGHT = LIST_TOP + ROW * ROWS + 16
TARGET_INDEX = {"top": 0, "middle": 1, "bottom": ROWS - 1}
BAR_WIDTHS = (118, 86, 132, 100, 74, 124)
CHAR_EM = 0.56
"""Average glyph width of the system UI font, in ems, to keep labels inside their row."""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def shown_label(step: str) -> str:
    """What a row or title reads: the label itself, or a placeholder as words ("Your name")."""
    if is_placeholder(step):
        words = step[1:-1]
        return words[0].upper() + words[1:]
    return step


def _text(x: float, y: float, label: str, css: str, *, size: float, room: float) -> str:
    """An SVG text; squeezed to `room` px when the label would run past it."""
    fit = ""
    if len(label) * size * CHAR_EM > room:
        fit = f' textLength="{room:.0f}" lengthAdjust="spacingAndGlyphs"'
    return f'<text x="{x}" y="{y}" class="{css}" font-size="{size}"{fit}>{_e(label)}</text>'


def _bar_widths(path_id: str) -> list[int]:
    """Stable, varied widths for the grey placeholder rows (the same path always looks the same)."""
    start = zlib.crc32(path_id.encode()) % len(BAR_WIDTHS)
    return [BAR_WIDTHS[(start + n) % len(BAR_WIDTHS)] for n in range(ROWS)]


def _control(path: SettingsPath, state: str, top: int) -> tuple[str, float]:
    """The drawing at the right end of the target row, and the room it leaves for the label."""
    middle = top + ROW / 2
    if path.control == "switch":
        knob = 265 if state == "on" else 247
        return (
            f'<rect x="236" y="{top + 9}" width="40" height="22" rx="11" '
            f'class="dlv-sketch__switch dlv-sketch__switch--{state}"/>'
            f'<circle cx="{knob}" cy="{middle}" r="9" class="dlv-sketch__knob"/>',
            236 - 26 - 8,
        )
    if path.control == "link":
        return (
            f'<polyline points="270,{middle - 6} 276,{middle} 270,{middle + 6}" class="dlv-sketch__chevron"/>',
            262 - 26 - 6,
        )
    return "", 290 - 26 - 10


def render_sketch(path: SettingsPath, variant: Variant, state: str, label_id: str) -> str:
    """The ``<svg>`` for `variant` of `path`, named by the element with id `label_id`."""
    steps = variant.steps
    target = TARGET_INDEX[variant.position]
    parts = [
        f'<svg class="dlv-sketch" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="{_e(label_id)}" focusable="false">',
        f'<rect x="1" y="1" width="{WIDTH - 2}" height="{HEIGHT - 2}" rx="24" class="dlv-sketch__screen"/>',
    ]
    if len(steps) >= 3:
        parts.append(_text(18, 30, "‹ " + shown_label(steps[-3]), "dlv-sketch__back", size=14, room=200))
    parts.append(_text(18, 62, shown_label(steps[-2]), "dlv-sketch__title", size=22, room=WIDTH - 36))
    parts.append(
        f'<rect x="10" y="{LIST_TOP}" width="{WIDTH - 20}" height="{ROW * ROWS}" rx="12" class="dlv-sketch__group"/>'
    )
    widths = _bar_widths(path.id)
    for index in range(ROWS):
        top = LIST_TOP + ROW * index
        if index:
            parts.append(f'<line x1="26" y1="{top}" x2="{WIDTH - 10}" y2="{top}" class="dlv-sketch__separator"/>')
        if index == target:
            continue
        middle = top + ROW / 2
        parts.append(
            f'<rect x="26" y="{middle - 5}" width="{widths[index]}" height="10" rx="5" class="dlv-sketch__bar"/>'
        )
        parts.append(
            f'<polyline points="272,{middle - 5} 277,{middle} 272,{middle + 5}" '
            'class="dlv-sketch__chevron dlv-sketch__chevron--faint"/>'
        )
    top = LIST_TOP + ROW * target
    control, room = _control(path, state, top)
    css = {"button": "dlv-sketch__action", "destructive": "dlv-sketch__danger"}.get(path.control, "dlv-sketch__label")
    if is_placeholder(steps[-1]):
        css += " dlv-sketch__placeholder"
    parts.append(
        f'<rect x="12" y="{top + 2}" width="{WIDTH - 24}" height="{ROW - 4}" rx="10" class="dlv-sketch__target"/>'
    )
    parts.append(_text(26, top + 25, shown_label(steps[-1]), css, size=15, room=room))
    parts.append(control)
    parts.append("</svg>")
    return "".join(parts)


def caption_text(path: SettingsPath, variant: Variant, state: str) -> str:
    """The figure's caption and text alternative: the path, what to do with the row, any note."""
    text = variant.text
    if path.control == "switch":
        text += f": turn it {state}"
    sentences = [text + "."]
    if variant.note:
        sentences.append(variant.note.rstrip(".") + ".")
    if path.unconfirmed:
        sentences.append("The label may differ on your iPhone.")
    return " ".join(sentences)


def render_figure(path: SettingsPath, variant: Variant, state: str, figure_id: str) -> str:
    """The whole ``<figure data-settings-path>``: the sketch and its caption (kept out of search)."""
    caption_id = f"{figure_id}-caption"
    versions = " ".join(variant.versions)
    return (
        f'<figure class="dlv-settings" data-settings-path="{_e(variant.text)}" data-path-id="{_e(path.id)}" '
        f'data-ios="{_e(versions)}" data-state="{_e(state)}" data-search-exclude>'
        f"{render_sketch(path, variant, state, caption_id)}"
        f'<figcaption id="{_e(caption_id)}">{_e(caption_text(path, variant, state))}</figcaption>'
        "</figure>"
    )

"""Settings paths: the table, the [[settings:ID]] syntax, and the drawn figures in the built guide.

The table (diag/settings_paths.toml) is the one source of every Settings path the
guide names; the build writes the text and draws the figure from it. These tests
read the built site and call the hook's modules directly.
"""

from __future__ import annotations

import re
import sys
from html import unescape
from pathlib import Path

import pytest
from built_pages import load_pages
from conftest import ROOT, load_articles, page_url_path
from mkdocs.exceptions import PluginError

# diag first, from the installed wheel: the hook puts the source tree on sys.path for the build.
from diag.knowledge import default_model
from diag.payload import next_result
from diag.session import Answered, Session
from diag.settings_paths import (
    REFERENCE,
    TABLE_FILE,
    SettingsTableError,
    known_path_texts,
    load_table,
    render_paths,
)

HOOKS = ROOT / "overrides" / "hooks"
sys.path.insert(0, str(HOOKS))

import settings_paths  # noqa: E402

TABLE = load_table(TABLE_FILE)
FIXES = [a for a in load_articles() if a["kind"] == "fix"]
FIGURE = re.compile(r"<figure\b[^>]*data-settings-path=\"([^\"]*)\"[^>]*>.*?</figure>", re.S)
# A path written in the text: bold labels (or a [placeholder]) joined by ">", starting at
# Settings. "Messages > Settings > iMessage" is the Mac app's menu, not an iPhone path.
BOLD_PATH = re.compile(
    r"(?<!&gt; )(?<!System )<strong>Settings</strong>((?:\s*&gt;\s*(?:<strong>[^<]+</strong>|\[[^\]<]+\]))+)"
)
PLAIN_PATH = re.compile(
    r"(?<![>\w] )(?<!System )\bSettings((?: > [A-Z\[][\w&\]\- ]*?)+)(?=[).,;:]|\s(?:and|or|shows|on|to|before)\b|$)"
)


def _rewrite(markdown: str, *, every_block: bool = True) -> tuple[str, list[settings_paths.FigureSpec]]:
    settings_paths.table.cache_clear()
    return settings_paths.rewrite(markdown, "fixes/example.md", every_block=every_block)


def _bold_paths(html: str) -> list[str]:
    paths = []
    for match in BOLD_PATH.finditer(html):
        steps = ["Settings"] + [
            unescape(re.sub(r"</?strong>", "", s)).strip() for s in match.group(1).split("&gt;")[1:]
        ]
        paths.append(" > ".join(steps))
    return paths


def _text_without_figures(html: str) -> str:
    return FIGURE.sub(" ", html)


@pytest.fixture(scope="module")
def pages(site_dir: Path):
    return load_pages(site_dir)


# --- The table ---------------------------------------------------------------------------


def test_a_malformed_entry_fails_naming_the_file_and_the_entry(tmp_path):
    """Assert a wrong control type stops loading with the file name and the path id in the message."""
    bad = tmp_path / "settings_paths.toml"
    bad.write_text(
        '[[path]]\nid = "imessage"\ncontrol = "slider"\nsource = "A6"\n'
        '[[path.variant]]\nios = ["ios-18"]\nsteps = ["Settings", "Apps", "Messages", "iMessage"]\n',
        encoding="utf-8",
    )
    with pytest.raises(SettingsTableError, match=r"settings_paths\.toml: path 'imessage': 'control'"):
        load_table(bad)


def test_a_version_in_two_variants_of_one_path_is_refused(tmp_path):
    """Assert each iOS version has one variant of a path, never two."""
    bad = tmp_path / "settings_paths.toml"
    bad.write_text(
        '[[path]]\nid = "about"\ncontrol = "link"\nsource = "P21"\n'
        '[[path.variant]]\nios = ["ios-18", "ios-26"]\nsteps = ["Settings", "General", "About"]\n'
        '[[path.variant]]\nios = ["ios-18"]\nsteps = ["Settings", "About"]\n',
        encoding="utf-8",
    )
    with pytest.raises(SettingsTableError, match=r"path 'about': ios-18 is in more than one variant"):
        load_table(bad)


def test_app_settings_sit_under_apps_from_ios_18():
    """Assert every Messages or FaceTime path reads Settings > Apps > … on iOS 18 and 26, and not on iOS 17."""
    for path in TABLE.values():
        for variant in path.variants:
            if variant.steps[1:2] in (["Messages"], ["FaceTime"], ["Phone"]) or variant.steps[1] == "Apps":
                under_apps = variant.steps[1] == "Apps"
                assert under_apps == ("ios-17-or-earlier" not in variant.versions), (path.id, variant.text)


# --- The syntax --------------------------------------------------------------------------


def test_a_tab_title_picks_the_variant_for_its_ios_version():
    """Assert the same reference reads differently in the iOS 18 and the iOS 17 tab."""
    text, _ = _rewrite(
        '=== "iOS 18 and later"\n\n    1. Open [[settings:imessage]].\n\n'
        '=== "iOS 17 and earlier"\n\n    1. Open [[settings:imessage]].\n'
    )
    assert "1. Open **Settings** > **Apps** > **Messages** > **iMessage**." in text
    assert "1. Open **Settings** > **Messages** > **iMessage**." in text


def test_each_tab_gets_its_own_figure_after_the_step():
    """Assert a figure marker follows the numbered step, once per tab, nested inside the list item."""
    text, figures = _rewrite(
        '=== "iOS 18 and later"\n\n    1. Open [[settings:imessage off]].\n    2. Open [[settings:imessage]] again.\n\n'
        '=== "iOS 17 and earlier"\n\n    1. Open [[settings:imessage off]].\n'
    )
    assert [(f.variant.text, f.state) for f in figures] == [
        ("Settings > Apps > Messages > iMessage", "off"),
        ("Settings > Messages > iMessage", "off"),
    ]
    assert (
        "    1. Open **Settings** > **Apps** > **Messages** > **iMessage**.\n\n        <!--dlv-settings-figure:0-->"
        in text
    )


def test_a_path_that_differs_within_its_tab_fails_the_build():
    """Assert Blocked Contacts in an "iOS 18 and later" tab is refused: iOS 26 moved it."""
    with pytest.raises(PluginError, match=r"fixes/example\.md:3: \[\[settings:blocked-contacts\]\] differs between"):
        _rewrite('=== "iOS 18 and later"\n\n    1. Open [[settings:blocked-contacts]].\n')


def test_an_unknown_path_id_fails_the_build_naming_the_page():
    """Assert a typo in an id stops the build with the page, line and id."""
    with pytest.raises(
        PluginError, match=r"fixes/example\.md:1: \[\[settings:imesage\]\] is not in settings_paths\.toml"
    ):
        _rewrite("1. Open [[settings:imesage]].")


def test_a_path_missing_on_a_version_fails_the_build():
    """Assert RCS Messaging in an iOS 17 tab is refused: there is no RCS before iOS 18."""
    with pytest.raises(PluginError, match=r"does not exist on iOS 17 and earlier"):
        _rewrite('=== "iOS 17 and earlier"\n\n    1. Open [[settings:rcs-messaging]].\n')


def test_other_pages_draw_figures_for_numbered_steps_only():
    """Assert a path in a plain paragraph of a guide page is written but not drawn."""
    text, figures = _rewrite("Look under [[settings:iphone-storage]].", every_block=False)
    assert text == "Look under **Settings** > **General** > **iPhone Storage**."
    assert figures == []


# --- The built guide ---------------------------------------------------------------------


def test_every_settings_path_in_the_text_is_in_the_table(pages):
    """Assert no page names a Settings path the table does not have (or a screen on the way to one)."""
    known = known_path_texts(TABLE)
    missing = []
    for url, page in pages.items():
        html = _text_without_figures(page.main_html)
        found = _bold_paths(html)
        plain = re.sub(r"<[^>]+>", "", BOLD_PATH.sub(" ", html))
        found += ["Settings" + m.group(1).rstrip() for m in PLAIN_PATH.finditer(unescape(plain))]
        missing += [f"{url or 'home'}: {path}" for path in found if path not in known]
    assert missing == []


def test_the_path_finder_sees_a_hand_written_path():
    """Assert the check above would catch a path written by hand that the table lacks."""
    html = "<p>Open <strong>Settings</strong> &gt; <strong>Apps</strong> &gt; <strong>Fax</strong>.</p>"
    assert _bold_paths(html) == ["Settings > Apps > Fax"]
    assert "Settings > Apps > Fax" not in known_path_texts(TABLE)


@pytest.mark.parametrize("article", FIXES, ids=lambda a: a["id"])
def test_every_path_a_fix_page_names_has_its_figure(pages, article):
    """Assert each Settings path written on a fix page is drawn on that page, for each version named."""
    page = pages[page_url_path(str(article["path"]))]
    drawn = {unescape(path) for path in FIGURE.findall(page.main_html)}
    written = set(_bold_paths(_text_without_figures(page.main_html)))
    assert written - drawn == set()


def test_a_path_that_differs_by_version_is_drawn_once_per_version(pages):
    """Assert the iMessage switch is drawn both as Settings > Apps > Messages and as Settings > Messages."""
    page = pages["fixes/imessage-off-and-on/"]
    drawn = {unescape(path) for path in FIGURE.findall(page.main_html)}
    assert {"Settings > Apps > Messages > iMessage", "Settings > Messages > iMessage"} <= drawn


def test_each_figure_is_named_by_its_path(pages):
    """Assert every drawing is an image whose text alternative is the caption, which starts with the path."""
    count = 0
    for page in pages.values():
        for match in FIGURE.finditer(page.main_html):
            figure, path = match.group(0), unescape(match.group(1))
            label = re.search(r'<svg[^>]*role="img"[^>]*aria-labelledby="([^"]+)"', figure)
            assert label, figure[:200]
            caption = re.search(rf'<figcaption id="{label.group(1)}">([^<]*)</figcaption>', figure)
            assert caption
            assert unescape(caption.group(1)).startswith(path)
            count += 1
    assert count > 20


def test_drawings_take_their_colours_from_the_stylesheet(pages):
    """Assert no drawing hard-codes a colour, so each one follows the light and the dark scheme."""
    for page in pages.values():
        for match in FIGURE.finditer(page.main_html):
            assert not re.search(r'(?:fill|stroke|style)="', match.group(0))
    css = (ROOT / "docs" / "assets" / "stylesheets" / "delivered.css").read_text(encoding="utf-8")
    light, dark = css.split('[data-md-color-scheme="slate"] {\n  --dlv-sketch-screen')[0], css
    names = set(re.findall(r"(--dlv-sketch-[a-z-]+):", light))
    dark_block = re.search(r'\[data-md-color-scheme="slate"\] \{\n  --dlv-sketch-screen.*?\}', dark, re.S)
    assert dark_block
    assert names == set(re.findall(r"(--dlv-sketch-[a-z-]+):", dark_block.group(0)))


def test_switch_drawn_in_the_position_the_step_asks_for(pages):
    """Assert "turn it off" draws the switch off and "turn it on" draws it on."""
    html = pages["fixes/imessage-off-and-on/"].main_html
    states = re.findall(r'data-path-id="imessage"[^>]*data-state="(on|off)".*?dlv-sketch__switch--(on|off)', html, re.S)
    assert states
    assert all(state == drawn for state, drawn in states)
    assert ("off", "off") in states


# --- The engine's question hints ---------------------------------------------------------


def _sessions_with_version(version: str):
    """Every first answer, followed by the iOS version: the widget's session when it knows the version."""

    model = default_model()
    symptom = next(q for q in model.questions if q.first)
    for answer in symptom.answers:
        session = Session((Answered(symptom.id, answer.id), Answered("ios-version", version)))
        yield model, next_result(model, session)


@pytest.mark.parametrize("version", ["ios-26", "ios-18", "ios-17-or-earlier"])
def test_a_question_hint_shows_only_the_path_for_the_persons_ios_version(version):
    """Assert that once the version is known, a hint naming a Settings path shows that version's path alone."""

    shown = []
    for model, result in _sessions_with_version(version):
        ask = result["ask"]
        if ask is None:
            continue
        raw = next(q.hint for q in model.questions if q.id == ask["id"])
        if REFERENCE.search(raw):
            shown.append(ask["hint"])
            assert ask["hint"] == render_paths(raw, version)
            assert "(iOS" not in ask["hint"]
    assert shown, "no session asked a question whose hint names a Settings path"


def test_a_hint_names_every_variant_with_its_versions_while_the_version_is_unknown():
    """Assert the unknown-version hint gives each variant of a path that differs, each with the versions it is for."""

    assert render_paths("[[settings:send-and-receive]]", None) == (
        "Settings › Apps › Messages › Send & Receive (iOS 18 and later)"
        " or Settings › Messages › Send & Receive (iOS 17 and earlier)"
    )
    assert render_paths("[[settings:send-and-receive]]", "ios-17-or-earlier") == "Settings › Messages › Send & Receive"


def test_no_question_hint_writes_a_settings_path_by_hand():
    """Assert every Settings path in the knowledge file's hints is named from the table, not typed."""

    hints = [q.hint for q in default_model().questions] + [a.hint for q in default_model().questions for a in q.answers]
    assert [h for h in hints if "Settings ›" in h or "Settings >" in h] == []

"""Every page fits its screen: at a desktop width (1280 px) and a phone width (375 px), in
Korean and in English, for each role, nothing is wider than the window, no card's text
spills out of its card, and a table wider than the screen scrolls sideways inside a
labelled region that a keyboard user can focus. Each page is photographed (full page)
under SCREENSHOTS/<width>/<language>/ so a person can look at them."""

from __future__ import annotations

import pytest

from browser.helpers import (
    BROWSER,
    ROLES,
    SCREENSHOTS,
    add_draft_work,
    new_context,
    office_pages,
    portal_pages,
)

pytestmark = BROWSER

WIDTHS = [1280, 375]

# Problems a reader would see, found in the page's layout (empty when it fits).
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) {
    const wide = [...document.body.querySelectorAll('*')]
      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                   && !e.closest('.table-wrap'))
      .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                        + ' ' + (e.innerText || '').slice(0, 40).replace(/\\s+/g, ' '));
    problems.push(`page ${doc.scrollWidth}px wider than window ${window.innerWidth}px: `
                  + wide.join(' | '));
  }
  for (const card of document.querySelectorAll('.card')) {
    if (card.scrollWidth > card.clientWidth + 1) {
      problems.push(`card "${card.innerText.slice(0, 40).replace(/\\s+/g, ' ')}" content `
                    + `${card.scrollWidth}px in ${card.clientWidth}px`);
    }
  }
  for (const table of document.querySelectorAll('main table')) {
    let box = table.parentElement;
    while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') {
      box = box.parentElement;
    }
    const scrolls = box && box !== document.body;
    if (!scrolls) {
      if (table.getBoundingClientRect().right > window.innerWidth + 1) {
        problems.push(`table "${table.caption ? table.caption.innerText : ''}" cut off`);
      }
      continue;
    }
    if (box.scrollWidth > box.clientWidth + 1) {
      if (table.caption && table.caption.getBoundingClientRect().right
                           > box.getBoundingClientRect().right + 1) {
        problems.push(`caption "${table.caption.innerText}" cut off by its scrolling box`);
      }
      const named = box.getAttribute('aria-label') || box.getAttribute('aria-labelledby');
      if (box.getAttribute('role') !== 'region' || !named || box.tabIndex < 0) {
        problems.push(`table "${table.caption ? table.caption.innerText : ''}" scrolls in `
                      + 'a region without role=region, a label and tabindex=0');
      }
    }
  }
  return problems;
}"""


def check_pages(browser, live_server, user, pages, *, language, width):
    """Open each page; photograph it; return the layout problems found, page by page."""
    context = new_context(browser, live_server, user, language=language, width=width)
    page = context.new_page()
    found = {}
    folder = SCREENSHOTS / str(width) / language
    folder.mkdir(parents=True, exist_ok=True)
    who = user.username if user else "citizen"
    try:
        for name, path in pages:
            response = page.goto(live_server.url + path)
            assert response.status == 200, (who, path, response.status)
            assert page.locator("html").get_attribute("lang") == language, path
            page.screenshot(path=str(folder / f"{who}-{name}.png"), full_page=True)
            problems = page.evaluate(LAYOUT_PROBLEMS)
            if problems:
                found[f"{who} {path}"] = problems
    finally:
        context.close()
    return found


@pytest.mark.parametrize("role", ROLES, ids=[r or "citizen" for r in ROLES])
def test_pages_fit_desktop_and_phone_in_both_languages(live_server, demo_users, browser, role):
    add_draft_work(demo_users)
    user = demo_users[role] if role else None
    pages = office_pages(user) if user else portal_pages()
    if role in ("officer", None):
        # The public pages look the same to everyone; checked as citizen and as officer.
        pages = pages + ([] if user is None else portal_pages())
    problems = {}
    for width in WIDTHS:
        for language in ("ko", "en"):
            for where, what in check_pages(browser, live_server, user, pages,
                                           language=language, width=width).items():
                problems[f"{width}px {language} {where}"] = what
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())

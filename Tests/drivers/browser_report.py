"""Renders a report.html in a real browser (Debian's chromium and chromium-driver, selenium) at the given
widths and measures its layout with the page's own geometry (a script run in the page):

- every table: the box it sits in shows all of it (no horizontal overflow of the table's parent, and no
  part of the table right of the page);
- every SVG text element: its bounding box lies inside its SVG; inside a CONSORT box (`g.box`), inside
  the box's rectangle.

    browser_report.py REPORT.html SCREENSHOT_DIR WIDTH [WIDTH ...]

Writes a full-page screenshot per width (SCREENSHOT_DIR/report-WIDTH.png) and prints one JSON line:
{"WIDTH": {"tables": n, "texts": n, "boxes": n, "problems": [...], "screenshot": path}, ...}. Local file
only; every wait is bounded (page load 30 s)."""
import json
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

MEASURE = """
const problems = [];
const slack = 0.5;
const tables = Array.from(document.querySelectorAll('table'));
const pageRight = document.documentElement.clientWidth;
tables.forEach((t, i) => {
  const parent = t.parentElement;
  const name = (t.closest('section') && t.closest('section').querySelector('h2,h3')) ?
    t.closest('section').querySelector('h2,h3').textContent.trim() : 'table ' + i;
  if (parent.scrollWidth > parent.clientWidth + 1) {
    problems.push('table "' + name + '" is ' + parent.scrollWidth + ' px wide in a box of ' + parent.clientWidth + ' px');
  }
  const r = t.getBoundingClientRect();
  if (r.right > pageRight + slack) problems.push('table "' + name + '" ends at ' + r.right + ' px, right of the page (' + pageRight + ' px)');
});
const texts = Array.from(document.querySelectorAll('svg text'));
texts.forEach(text => {
  const b = text.getBoundingClientRect();
  const s = text.ownerSVGElement.getBoundingClientRect();
  const label = (text.ownerSVGElement.getAttribute('aria-label') || 'svg') + ': "' + text.textContent + '"';
  if (b.left < s.left - slack || b.right > s.right + slack || b.top < s.top - slack || b.bottom > s.bottom + slack) {
    problems.push(label + ' leaves its SVG');
  }
  const box = text.closest('g.box');
  if (box) {
    const rect = box.querySelector('rect').getBoundingClientRect();
    if (b.left < rect.left - slack || b.right > rect.right + slack || b.top < rect.top - slack || b.bottom > rect.bottom + slack) {
      problems.push(label + ' leaves its box (text ' + Math.round(b.left) + '–' + Math.round(b.right) + ', box ' +
                    Math.round(rect.left) + '–' + Math.round(rect.right) + ')');
    }
  }
});
return {tables: tables.length, texts: texts.length, boxes: document.querySelectorAll('g.box').length, problems: problems,
        height: document.documentElement.scrollHeight};
"""


def main():
    report, folder = sys.argv[1], sys.argv[2]
    widths = [int(w) for w in sys.argv[3:]]
    os.makedirs(folder, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("RCT_CHROMIUM", "/usr/bin/chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                     "--no-first-run", "--disable-extensions", "--force-device-scale-factor=1"]:
        options.add_argument(argument)
    service = Service(executable_path=os.environ.get("RCT_CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    result = {}
    try:
        for width in widths:
            driver.set_window_size(width, 1000)
            driver.get("file://" + os.path.abspath(report))
            # The layout viewport is the window less its frame: size the window so the page is `width` wide.
            inner = driver.execute_script("return window.innerWidth")
            driver.set_window_size(width + (width - inner), 1000)
            measured = driver.execute_script(MEASURE)
            measured["viewport"] = driver.execute_script("return window.innerWidth")
            driver.set_window_size(width + (width - inner), min(int(measured["height"]) + 40, 20000))
            path = os.path.join(folder, "report-%d.png" % width)
            driver.get_screenshot_as_file(path)
            measured["screenshot"] = path
            result[str(width)] = measured
    finally:
        driver.quit()
    print(json.dumps(result))


if __name__ == "__main__":
    main()

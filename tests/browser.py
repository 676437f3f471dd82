"""Open a report in headless Chromium: layout checks run in the page, and a screenshot.

The checks are a small script added to a copy of the report; it runs on the page's
``load`` event and writes its findings as JSON into the DOM, which ``--dump-dom``
prints. No driver, no network: Chromium from the system packages is enough.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import tempfile
from pathlib import Path

__all__ = ["CHROMIUM", "FLAGS", "check_page", "screenshot"]

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]

_CHECKS = """
<script>
window.addEventListener('load', function () {
  var W = window.innerWidth, H = window.innerHeight, doc = document.documentElement;
  var out = {width: W, height: H, docScrollWidth: doc.scrollWidth, overflowing: [],
             images: [], headline: null};
  document.querySelectorAll('body *').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > W + 1 && !el.closest('.scroll')) {
      out.overflowing.push(el.tagName + (el.className ? '.' + el.className : '')
                           + ' right=' + Math.round(r.right));
    }
  });
  document.querySelectorAll('.scroll').forEach(function (el) {
    if (el.scrollWidth > el.clientWidth + 1) {
      out.overflowing.push('table wider than the page: ' + el.scrollWidth + ' > ' + el.clientWidth);
    }
  });
  document.querySelectorAll('img').forEach(function (im) {
    out.images.push({complete: im.complete, naturalWidth: im.naturalWidth,
                     shownWidth: Math.round(im.getBoundingClientRect().width), alt: im.alt});
  });
  var h = document.querySelector('.summary .headline');
  if (h) {
    var r = h.getBoundingClientRect(), s = getComputedStyle(h);
    out.headline = {top: r.top, bottom: r.bottom, text: h.textContent,
                    visible: s.display !== 'none' && s.visibility !== 'hidden' && r.height > 0};
  }
  var pre = document.createElement('pre');
  pre.id = 'browser-checks';
  pre.textContent = 'CHECKS' + JSON.stringify(out) + 'END';
  document.body.appendChild(pre);
});
</script>
"""


def _profile() -> str:
    return tempfile.mkdtemp(prefix="runesim-chromium-")


def check_page(report: Path, width: int = 1280, height: int = 800, timeout: float = 120) -> dict:
    """Load ``report`` at ``width`` x ``height`` and return the page's own measurements."""
    text = Path(report).read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="runesim-page-") as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(text.replace("</body>", _CHECKS + "</body>"), encoding="utf-8")
        r = subprocess.run(
            [
                str(CHROMIUM),
                *FLAGS,
                f"--user-data-dir={_profile()}",
                f"--window-size={width},{height}",
                "--virtual-time-budget=10000",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    m = re.search(r'<pre id="browser-checks">CHECKS(.*?)END</pre>', r.stdout, re.S)
    if not m:
        raise RuntimeError(f"Chromium printed no checks (exit {r.returncode}): {r.stderr[-2000:]}")
    return json.loads(html.unescape(m.group(1)))


def screenshot(
    report: Path, png: Path, width: int = 1280, height: int = 900, timeout: float = 120
) -> Path:
    """A screenshot of the top of ``report`` at ``width`` x ``height``."""
    subprocess.run(
        [
            str(CHROMIUM),
            *FLAGS,
            f"--user-data-dir={_profile()}",
            f"--window-size={width},{height}",
            "--virtual-time-budget=10000",
            f"--screenshot={png}",
            Path(report).resolve().as_uri(),
        ],
        capture_output=True,
        timeout=timeout,
        check=True,
    )
    return Path(png)

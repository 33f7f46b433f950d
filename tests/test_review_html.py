"""review.html in a real headless browser (Debian's chromium): escaping, filter, no network."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
HOSTILE = ("The editor wrote <script>document.title='pwned'</script> in the article.\n\n"
           "An image <img src=x onerror=\"document.title='pwned'\"> and a “quoted <b>bold</b> word” "
           "followed, with 32,000 readers &amp; more.\n")


@pytest.fixture(scope="module")
def chromium():
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("chromium is not installed: run scripts/install.sh --test as root")
    return found


def _dom(chromium: str, url: str, profile) -> str:
    done = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def report(xlat, tmp_path):
    article = tmp_path / "hostile.txt"
    article.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "out"
    result = xlat("translate", str(article), "--to", "es", "--engine", "apertium", "--out", str(out))
    assert result.code == 0, result.stderr
    return out / "review.html"


def test_article_text_cannot_run_or_inject(chromium, report, tmp_path):
    page = report.read_text(encoding="utf-8")
    assert "<script>document.title" not in page and "<img" not in page
    dom = _dom(chromium, report.as_uri(), tmp_path / "profile")
    assert "<title>xlat review</title>" in dom  # the injected script did not run
    assert len(re.findall(r"<script\b", dom)) == 1  # only the page's own filter script
    assert "<img" not in dom
    # shown as text: the tags as code chips (kept verbatim), the words between them as words
    text = re.sub(r"<[^>]+>", "", dom)
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in text
    assert "hostile.txt" in dom and "en → es" in dom


def test_filter_shows_only_flagged_segments(chromium, report, tmp_path):
    plain = _dom(chromium, report.as_uri(), tmp_path / "p1")
    flagged = _dom(chromium, report.as_uri() + "#flagged", tmp_path / "p2")
    assert '<body class="only-flagged">' not in plain
    assert '<body class="only-flagged">' in flagged
    assert 'id="only-flagged" checked' not in plain


def test_self_contained(report):
    page = report.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<link" not in page and "@import" not in page

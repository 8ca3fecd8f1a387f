#!/usr/bin/env python3
"""Peer for the browse agent's extraction benchmark: BeautifulSoup with lxml on the same page.

  scripts/bench browse-agent --main dev.deepresearcher.browse.bench.ExtractionBenchmark /tmp/page.html
  python3 -m venv /tmp/bs && /tmp/bs/bin/pip install beautifulsoup4 lxml
  /tmp/bs/bin/python tools/reference/extraction_peer.py /tmp/page.html

Drops the same kinds of elements (script, style, nav, header, footer, aside, forms) and takes the text,
the usual Python recipe. Prints the median time per page over 20 runs and the MB/s.
"""
import statistics
import sys
import time

from bs4 import BeautifulSoup

html = open(sys.argv[1], encoding="utf-8").read()
mb = len(html.encode("utf-8")) / 1e6
times = []
for _ in range(20):
    start = time.perf_counter()
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "nav", "header", "footer", "aside", "form", "noscript"]):
        tag.decompose()
    text = soup.get_text("\n", strip=True)
    times.append(time.perf_counter() - start)
median = statistics.median(times)
print("page %.2f MB: median %.1f ms per page, %.1f MB/s (%d characters of text)" % (mb, median * 1000, mb / median, len(text)))

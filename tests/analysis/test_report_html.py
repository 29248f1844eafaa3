"""The HTML report stands alone and renders: opened in headless Chromium (Debian's chromium), every figure loads,
no text is cut (no element wider than its box, no page wider than the window), and a screenshot is not blank.
Fails, never skips, when Chromium is missing."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

innosim, src = sys.argv[1], sys.argv[2]
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    print("chromium not found: install it (scripts/install-deps.sh installs Debian's chromium)")
    sys.exit(1)

CHECK = """<script>
window.addEventListener('load', () => {
  const out = {images: [], cut: [], page: [document.documentElement.scrollWidth, window.innerWidth]};
  for (const img of document.images)
    out.images.push({alt: img.alt.slice(0, 50), complete: img.complete, natural: img.naturalWidth,
                     shown: img.getBoundingClientRect().width, src: img.src.slice(0, 22)});
  for (const el of document.body.querySelectorAll('h1,h2,p,li,ul,table,tr,td,th,figure,figcaption,img,code')) {
    const r = el.getBoundingClientRect(), box = el.parentElement.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'IMG')
      out.cut.push(el.tagName + ' overflows itself: ' + el.textContent.slice(0, 60));
    if (r.right > box.right + 1 || r.left < box.left - 1)
      out.cut.push(el.tagName + ' is wider than its box: ' + el.textContent.slice(0, 60));
  }
  const pre = document.createElement('pre');
  pre.id = 'innosim-check';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def chrome(args, profile):
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", f"--user-data-dir={profile}"]
    return subprocess.run([chromium] + flags + args, capture_output=True, text=True, timeout=120)


with tempfile.TemporaryDirectory() as d:
    runs = []
    for name in ("baseline", "angel-x2-from-2017"):
        path = f"{d}/{name}.h5"
        subprocess.run([innosim, "run", f"{src}/scenarios/{name}.yaml", "--scale", "0.1", "--replications", "6", "-q",
                        "-o", path], check=True, stdout=subprocess.DEVNULL)
        runs.append(path)
    out = f"{d}/report"
    subprocess.run([innosim, "report", runs[1], "--compare", runs[0], "-o", out], check=True, stdout=subprocess.DEVNULL)
    page = open(f"{out}/report.html").read()
    # Self-contained: moved alone to another folder, it still has every figure.
    alone = f"{d}/alone"
    os.makedirs(alone)
    shutil.copy(f"{out}/report.html", f"{alone}/report.html")
    assert not re.search(r"(src|href)=['\"](?!data:)", page), "the report links to a file beside it"
    with open(f"{alone}/checked.html", "w") as f:
        f.write(page.replace("</body>", CHECK + "</body>"))
    def check_page(path, images, tag):
        for width in (1280, 820):
            proc = chrome([f"--window-size={width},1000", "--virtual-time-budget=15000", "--dump-dom",
                           f"file://{path}"], f"{d}/profile-{tag}-{width}")
            found = re.search(r"<pre id=\"innosim-check\">(.*?)</pre>", proc.stdout, re.S)
            assert found, f"Chromium did not run the page's check (exit {proc.returncode}): {proc.stderr[-2000:]}"
            result = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<")
                                .replace("&gt;", ">"))
            assert len(result["images"]) == images, result["images"]
            for img in result["images"]:
                assert img["complete"] and img["natural"] > 0 and img["shown"] > 100, img
                assert img["src"].startswith("data:image/png;base64"), img
            assert not result["cut"], (tag, width, result["cut"][:10])
            assert result["page"][0] <= result["page"][1], f"{tag}: the page is wider than the window at {width}"
            print(f"{tag}, width {width}: {images} figure(s) rendered, nothing cut")

    check_page(f"{alone}/checked.html", 3, "comparison")
    # The optimisation page too (a small optimisation at scale 0.05).
    with open(f"{d}/opt.yaml", "w") as f:
        f.write(f"extends: {src}/scenarios/baseline.yaml\nrun: {{scale: 0.05}}\ntargets: {{scale: 0.05}}\n"
                "optimise:\n  targets: T1b\n  confidence: 0.5\n  replications: 4\n  max_replications: 8\n"
                "  evaluations: 4\n  variables:\n    policy.local_facility_subsidy.annual_budget: [0, 100]\n")
    subprocess.run([innosim, "optimise", f"{d}/opt.yaml", "-o", f"{d}/opt", "--threads", "2"], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([innosim, "report", f"{d}/opt/optimisation.h5", "-o", f"{d}/opt-report"], check=True,
                   stdout=subprocess.DEVNULL)
    with open(f"{d}/opt-report/checked.html", "w") as f:
        f.write(open(f"{d}/opt-report/report.html").read().replace("</body>", CHECK + "</body>"))
    check_page(f"{d}/opt-report/checked.html", 1, "optimisation")
    # The check can fail: a line that cannot wrap, in a copy, is found.
    with open(f"{alone}/wide.html", "w") as f:
        f.write(page.replace("</body>", "<p style='white-space:nowrap'>" + "x" * 400 + "</p>" + CHECK + "</body>"))
    proc = chrome(["--window-size=1280,1000", "--virtual-time-budget=15000", "--dump-dom", f"file://{alone}/wide.html"],
                  f"{d}/profile-wide")
    assert "wider than its box" in proc.stdout or "overflows itself" in proc.stdout, "the check missed a cut line"
    shot = f"{d}/report.png"
    proc = chrome(["--window-size=1280,3000", f"--screenshot={shot}", f"file://{alone}/report.html"], f"{d}/profile")
    assert os.path.exists(shot), proc.stderr[-2000:]
    import matplotlib.image

    pixels = matplotlib.image.imread(shot)
    ink = float((pixels[..., :3].mean(axis=2) < 0.9).mean())
    assert pixels.shape[0] >= 2900 and pixels.std() > 0.05 and ink > 0.02, (pixels.shape, pixels.std(), ink)
    print(f"screenshot {pixels.shape[1]}x{pixels.shape[0]}, {ink:.0%} of it ink")
    keep = os.environ.get("INNOSIM_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)
print("HTML report renders in headless Chromium")

#!/usr/bin/env bash
# Refreshes the screenshots in docs/img from a fresh build: the terminal report
# (`ftdesk demo`, its ANSI colours as HTML), the HTML report, and the desk's
# queue and case pages in English and Korean (taken by the browser test).
# Needs chromium, chromium-driver, fonts-noto-cjk (as .ci/run installs) and pngquant.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
out=docs/img
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --quiet -p ftdesk-cli --bin ftdesk
ftdesk="$target/debug/ftdesk"

# Headless Chromium: a page of the given width, as tall as its content (up to max).
shoot() { # html png width height
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$work/profile" --force-device-scale-factor=1 \
        --window-size="$3,$4" --screenshot="$PWD/$2" "file://$1" >/dev/null 2>&1
}

for lang in en ko; do
    # The terminal report: colours kept (--color always), turned into HTML spans.
    FTDESK_LANG=$lang "$ftdesk" demo --color always --lang "$lang" > "$work/demo-$lang.ansi"
    python3 - "$work/demo-$lang.ansi" "$work/terminal-$lang.html" <<'PY'
import html, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
colours = {"1": "font-weight:bold", "2": "opacity:.7", "3": "font-style:italic", "4": "text-decoration:underline",
           "31": "color:#f66", "32": "color:#5d5", "33": "color:#ec5", "34": "color:#6af", "35": "color:#d7d",
           "36": "color:#5cd", "37": "color:#ddd", "90": "color:#999", "91": "color:#f88", "92": "color:#8e8",
           "93": "color:#fe8", "94": "color:#8bf", "95": "color:#e9e", "96": "color:#8ee"}
out, open_spans = [], 0
for piece in re.split(r"(\x1b\[[0-9;]*m)", text):
    m = re.fullmatch(r"\x1b\[([0-9;]*)m", piece)
    if not m:
        out.append(html.escape(piece))
        continue
    codes = [c for c in m.group(1).split(";") if c and c != "0"]
    if not codes:
        out.append("</span>" * open_spans)
        open_spans = 0
        continue
    style = ";".join(colours[c] for c in codes if c in colours)
    out.append(f'<span style="{style}">')
    open_spans += 1
out.append("</span>" * open_spans)
page = ('<!doctype html><meta charset="utf-8"><body style="margin:0;background:#1e1e1e">'
        '<pre style="margin:0;padding:12px;color:#ddd;font:13px/1.35 \'DejaVu Sans Mono\',\'Noto Sans Mono CJK KR\',monospace">'
        + "".join(out) + "</pre>")
open(sys.argv[2], "w", encoding="utf-8").write(page)
PY
    lines=$(wc -l < "$work/demo-$lang.ansi")
    shoot "$work/terminal-$lang.html" "$out/terminal-$lang.png" 1300 $(( lines * 18 + 30 ))
    "$ftdesk" demo --format html --lang "$lang" -o "$work/report-$lang.html"
    shoot "$work/report-$lang.html" "$out/report-$lang.png" 1000 1400
done

# The desk's pages: the browser test drives a real desk and saves them.
cargo test --quiet -p ftdesk-cli --test it desk_browser -- --nocapture >/dev/null
for page in queue-en case-en queue-ko case-ko; do
    cp "$target/test-artefacts/desk/$page.png" "$out/desk-$page.png"
done

# Smaller files: a palette of at most 256 colours (pngquant, Debian's package).
command -v pngquant >/dev/null || { echo "screenshots: install pngquant (apt-get install pngquant)" >&2; exit 2; }
pngquant --force --skip-if-larger --ext .png --quality 60-90 "$out"/*.png || true
ls -l "$out"
for png in "$out"/*.png; do
    size=$(stat -c %s "$png")
    [ "$size" -le 204800 ] || { echo "screenshots: $png is $size bytes, over 200 KiB" >&2; exit 1; }
done

#!/usr/bin/env python3
"""Assembles the single-file ReachLens page (scripts/build_web.sh runs it).

    python3 scripts/build_single_html.py --page web/index.html --module build/wasm/web-single/reachlens.js
        --font build/wasm/web-single/reachlens-sc.otf --data build/wasm/web-single/demo
        --out build/wasm/web-single/reachlens.html

One HTML file that opens from file:// with no server: Chromium refuses fetch() of
relative files there, so everything the loader would fetch is inside the page:
  * the page's own scripts (web/*.js named by index.html), inlined in their order;
  * window.ReachLensBundle = {font (base64), dataset (text), campaigns [{name, text}]},
    before them, which web/loader.js takes instead of fetching;
  * the module's JS, linked with -sSINGLE_FILE=1 (the wasm is base64 inside it), in a
    <script type="text/plain" id="rl-bundle-module"> the loader runs once its Module
    object is set up.
"""

import argparse
import base64
import json
import os
import re
import sys


def script_safe(text, what):
    """Text that can sit between <script> and </script> without ending it early."""
    # "</script" can only occur inside a JS string or comment, where "<\\/script" means the same.
    text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)
    if "<!--" in text:
        # "<!--" inside a script switches the HTML parser into an escaped state.
        text = text.replace("<!--", "<\\!--")
        if "<!--" in text:
            sys.exit("build_single_html: %s holds '<!--' that cannot be escaped" % what)
    return text


def js_string(text):
    """A JS string literal for `text` that is also safe inside <script>."""
    return json.dumps(text, ensure_ascii=False).replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--page", required=True, help="web/index.html")
    ap.add_argument("--module", required=True, help="reachlens.js linked with -sSINGLE_FILE=1")
    ap.add_argument("--font", required=True, help="the UI font (.otf)")
    ap.add_argument("--data", required=True, help="a tenant folder with index.json")
    ap.add_argument("--emoji", help="the colour emoji sheet (scripts/build_emoji.py's .json)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    page_dir = os.path.dirname(os.path.abspath(args.page))
    with open(args.page, encoding="utf-8") as f:
        html = f.read()

    with open(os.path.join(args.data, "index.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    with open(os.path.join(args.data, manifest["dataset"]), encoding="utf-8") as f:
        dataset = f.read()
    campaigns = []
    for name in manifest.get("campaigns", []):
        with open(os.path.join(args.data, name), encoding="utf-8") as f:
            campaigns.append({"name": os.path.basename(name), "text": f.read()})
    with open(args.font, "rb") as f:
        font_b64 = base64.b64encode(f.read()).decode("ascii")

    emoji = "null"
    if args.emoji:
        with open(args.emoji, encoding="ascii") as f:
            emoji = f.read()  # a JSON object (ASCII: base64 and numbers) is a JS expression
    bundle = (
        "window.ReachLensBundle = {\n"
        "  name: %s,\n  font: %s,\n  emoji: %s,\n  dataset: %s,\n  campaigns: [%s]\n};\n"
        % (
            js_string(manifest.get("name", "demo")),
            js_string(font_b64),
            emoji,
            js_string(dataset),
            ",".join("{name: %s, text: %s}" % (js_string(c["name"]), js_string(c["text"])) for c in campaigns),
        )
    )

    # Every <script src="x.js"></script> of the page, inlined.
    tag = re.compile(r'<script src="([^"/]+\.js)"></script>')
    names = tag.findall(html)
    if "loader.js" not in names:
        sys.exit("build_single_html: %s has no <script src=\"loader.js\">" % args.page)

    def inline(match):
        name = match.group(1)
        with open(os.path.join(page_dir, name), encoding="utf-8") as f:
            code = f.read()
        return "<script>/* %s */\n%s\n</script>" % (name, script_safe(code, name))

    first = tag.search(html)
    html = html[: first.start()] + "<script>\n" + bundle + "</script>\n" + html[first.start():]
    html = tag.sub(inline, html)

    with open(args.module, encoding="utf-8") as f:
        module_js = f.read()
    module_tag = '<script type="text/plain" id="rl-bundle-module">%s</script>\n' % script_safe(module_js, "reachlens.js")
    html = html.replace("</body>", module_tag + "</body>", 1)

    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(html)
    os.replace(tmp, args.out)
    print(
        "%s: %d bytes (module %d, font %d as base64, dataset %d, %d campaigns, scripts %s)"
        % (args.out, os.path.getsize(args.out), len(module_js), len(font_b64), len(dataset.encode("utf-8")),
           len(campaigns), ", ".join(names))
    )


if __name__ == "__main__":
    main()

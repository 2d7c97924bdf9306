#!/usr/bin/env python3
"""Rebuild the bundled CJK fonts in fonts/ from Debian's open-licensed packages and 朱雀仿宋.

    apt-get install fonts-noto-cjk fonts-lxgw-wenkai && pip install fonttools fontmake
    git clone https://github.com/TrionesType/zhuque && cd zhuque/src \
        && fontmake -g ZhuqueFangsong.glyphspackage -o ttf --output-dir ../fonts    # ~10 min, 2 GB
    python3 tools/subset-fonts.py --zhuque zhuque/fonts/ZhuqueFangsong-Regular.ttf

Coverage: all of GBK, ASCII/Latin-1, General Punctuation, CJK Symbols and Punctuation,
Fullwidth Forms, enclosed numerals, arrows and maths operators that Typst emits (U+2212 MINUS SIGN).

Layout features: a reduced list. `--layout-features='*'` silently breaks ~3,000 hanzi under
typst 0.15 (glyphs reached through `locl`); this list matches the full font over all of GBK.
The test `tests/fonts.rs` renders the whole supported set and checks for glyph 0.

LXGW WenKai is licensed under the OFL with the Reserved Font Names "霞鹜" and "LXGW": a subset is a
Modified Version, so it is renamed "Juesuan Kai".

Zhuque Fangsong (朱雀仿宋, TrionesType, OFL 1.1, no Reserved Font Name; Latin from Alegreya, OFL) is
published as glyph sources only and its authors ask that modified versions not pass for theirs before
the 1.0 release, so the subset is renamed "Juesuan Fangsong". It covers all of GB2312's hanzi but not
all of GBK (about half of GBK's rarer hanzi, enclosed numerals, full-width digits and letters are
missing): the subset keeps what it has, and Typst falls back to Noto Serif CJK for the rest (the
template's family list puts Noto Serif after it). Its figures are Alegreya's; `lnum`/`tnum` are kept
so that tables can ask for lining, tabular digits.
"""
import argparse, subprocess, sys, tempfile, os
from fontTools.ttLib import TTCollection, TTFont

OUT = os.path.join(os.path.dirname(__file__), "..", "fonts")
FEATURES = "ccmp,liga,kern,palt,halt,vert,vrt2,vkrn,vpal,vhal,fwid,hwid,pwid"


def gbk_codepoints():
    cps = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                ch = bytes([lead, trail]).decode("gbk")
            except UnicodeDecodeError:
                continue
            cps.add(ord(ch))
    for lo, hi in [(0x2000, 0x206F), (0x2100, 0x214F), (0x2150, 0x218F), (0x2190, 0x21FF),
                   (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF),
                   (0x3000, 0x303F), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF)]:
        cps.update(range(lo, hi + 1))
    cps.add(0x2212)
    return sorted(cps)


def subset(src, dst, unicodes_file, features=FEATURES):
    subprocess.run([sys.executable, "-m", "fontTools.subset", src,
                    f"--unicodes-file={unicodes_file}", f"--layout-features={features}",
                    "--name-IDs=*", "--name-languages=*", "--notdef-outline",
                    "--no-hinting", f"--output-file={dst}"], check=True)


def rename(path, family):
    font = TTFont(path)
    for rec in font["name"].names:
        if rec.nameID in (1, 16):
            rec.string = family
        elif rec.nameID == 4:
            rec.string = family + " Regular"
        elif rec.nameID == 6:
            rec.string = family.replace(" ", "") + "-Regular"
        elif rec.nameID == 3:
            rec.string = family.replace(" ", "") + "-Regular;subset"
    font.save(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--zhuque", help="ZhuqueFangsong-Regular.ttf built with fontmake (see above)")
    parser.add_argument("--only-zhuque", action="store_true", help="rebuild only Juesuan Fangsong")
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        uni = os.path.join(tmp, "unicodes.txt")
        with open(uni, "w") as f:
            f.write("\n".join(f"U+{cp:04X}" for cp in gbk_codepoints()))
        if args.zhuque:
            fang = os.path.join(OUT, "JuesuanFangsong-Regular-GBK.ttf")
            subset(args.zhuque, fang, uni, FEATURES + ",lnum,tnum,pnum")
            rename(fang, "Juesuan Fangsong")
        if args.only_zhuque:
            return
        for ttc, name in [("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular"),
                          ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular")]:
            coll = TTCollection(ttc)
            face = next(f for f in coll.fonts if f["name"].getDebugName(1).endswith(" SC"))
            single = os.path.join(tmp, name + ".otf")
            face.save(single)
            subset(single, os.path.join(OUT, name + "-GBK.otf"), uni)
        kai = os.path.join(OUT, "JuesuanKai-Regular-GBK.ttf")
        subset("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", kai, uni)
        rename(kai, "Juesuan Kai")


if __name__ == "__main__":
    main()

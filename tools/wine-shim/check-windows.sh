#!/usr/bin/env bash
# CI's Windows step (.ci/run): dist/juesuan.exe under wine, as a clerk would use it.
#
# 1. The command lines of README.md's Windows section (between the windows-commands markers) run
#    VERBATIM through wine's cmd.exe, in a folder with a Chinese name and a space on drive C:.
#    The same lines run with the Linux program (juesuan.exe → dist/juesuan, \ → /, and build with
#    --bundled-fonts: wine has none of the 公文 fonts, so the .exe uses the bundled ones), and
#    every file they write must be byte-identical (a workbook: each part of it).
# 2. What a clerk meets beyond those lines: paths printed with \, an output held open by another
#    program (Excel, WPS, a PDF viewer), a path longer than 260 characters, a file on another
#    drive, and a double-click (no arguments: the page starts and the default browser opens).
#
# Needs: wine64 (Debian's 8.0), gcc-mingw-w64-x86-64 (for the test-only shim), curl, python3, and
# dist/juesuan.exe + dist/juesuan from tools/dist.sh. The shim (bcryptprimitives.c) and hold.exe
# are built into a temporary folder and never reach dist/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

exe=$root/dist/juesuan.exe
linux=$root/dist/juesuan
for f in "$exe" "$linux"; do
  [[ -x "$f" || -f "$f" ]] || {
    echo "缺少 $f：先运行 tools/dist.sh" >&2
    exit 1
  }
done
wine=/usr/lib/wine/wine64
[[ -x $wine ]] || wine=$(command -v wine64 || command -v wine)
wineserver=/usr/lib/wine/wineserver
[[ -x $wineserver ]] || wineserver=$(command -v wineserver)

work=$(mktemp -d /tmp/juesuan-wine.XXXXXX)
export WINEPREFIX=$work/prefix WINEDEBUG=-all LANG=C.UTF-8
# No Mono or Gecko installer prompts: juesuan needs neither.
export WINEDLLOVERRIDES="mscoree,mshtml="
browser_pid=""
cleanup() {
  [[ -n $browser_pid ]] && kill "$browser_pid" 2>/dev/null || true
  [[ -n ${hold_pid:-} ]] && kill "$hold_pid" 2>/dev/null || true
  "$wineserver" -k 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "失败：$*" >&2
  exit 1
}
t0=$SECONDS
lap() { echo "   （$1：$((SECONDS - t0)) 秒）"; t0=$SECONDS; }

echo "-- wine prefix"
# One quiet server for the whole check (stopped by cleanup); otherwise each wine call starts one
# that prints its state to this terminal when a program is killed.
mkdir -p "$WINEPREFIX"
"$wineserver" -p >/dev/null 2>&1
$wine wineboot --init >/dev/null 2>&1 || true
x86_64-w64-mingw32-gcc -O2 -shared -o "$work/bcryptprimitives.dll" \
  tools/wine-shim/bcryptprimitives.c -ladvapi32
x86_64-w64-mingw32-gcc -O2 -municode -o "$work/hold.exe" tools/wine-shim/hold.c
lap "wine 准备"

# The clerk's folder: drive C:, a Chinese name with a space.
clerk_win='C:\users\Public\Desktop\决算 材料'
clerk="$WINEPREFIX/drive_c/users/Public/Desktop/决算 材料"
mkdir -p "$clerk"
cp "$exe" "$clerk/juesuan.exe"
# Test-only: wine 8.0 lacks ProcessPrng (real Windows 10+ has it).
cp "$work/bcryptprimitives.dll" "$clerk/"

# Runs one command line through cmd.exe in the clerk's folder, exactly as typed: cmd expands
# %JUESUAN_LINE% and parses the result (wine would re-quote a line given as an argument).
in_cmd() {
  (cd "$clerk" && JUESUAN_LINE=$1 $wine cmd /c '%JUESUAN_LINE%')
}

echo "-- README.md 的 Windows 命令（原样运行）"
mapfile -t lines < <(
  sed -n '/^<!-- windows-commands/,/^<!-- \/windows-commands -->/p' README.md |
    grep -v -e '^```' -e '^<!--' -e '^[[:space:]]*$'
)
((${#lines[@]} > 0)) || fail "README.md 中没有找到 windows-commands 标记之间的命令"
mkdir -p "$work/linux"
for line in "${lines[@]}"; do
  echo "> $line"
  [[ $line == juesuan.exe\ * ]] || fail "README 的 Windows 命令应以 juesuan.exe 开头：$line"
  rc=0
  in_cmd "$line" >"$work/out.txt" 2>&1 || rc=$?
  cat "$work/out.txt"
  ((rc == 0)) || fail "$line 的退出码是 $rc"
  if grep '^已生成' "$work/out.txt" | grep -q '/'; then
    fail "打印的路径里有 /：$(grep '^已生成' "$work/out.txt")"
  fi
  # The Linux program, the same line.
  args=${line#juesuan.exe }
  args=${args//\\//}
  [[ $args == build\ * ]] && args+=" --bundled-fonts"
  (cd "$work/linux" && eval "\"\$linux\" $args") >/dev/null 2>&1 || fail "Linux 版运行 $args 失败"
done
# Every file byte for byte; a workbook part by part (the zip records the system that wrote it,
# Windows or Unix, so the archives differ in that field alone).
python3 - "$clerk" "$work/linux" <<'PY' || fail "juesuan.exe 与 Linux 版写出的文件不同"
import pathlib, sys, zipfile
win, lin = (pathlib.Path(p) for p in sys.argv[1:])
def files(root):
    skip = {"juesuan.exe", "bcryptprimitives.dll"}
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file() and p.name not in skip)
def parts(path):
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]
ok = files(win) == files(lin)
if not ok:
    print("文件不同：", files(win), files(lin))
for f in files(win) if ok else []:
    a, b = win / f, lin / f
    same = parts(a) == parts(b) if f.suffix == ".xlsx" else a.read_bytes() == b.read_bytes()
    print(("相同 " if same else "不同 ") + str(f))
    ok = ok and same
sys.exit(0 if ok else 1)
PY
pdfs=$(cd "$clerk" && find . -name '*.pdf' | wc -l)
((pdfs > 0)) || fail "README 的 Windows 命令没有生成 PDF"
echo "   与 Linux 版（--bundled-fonts）写出的文件相同，其中 PDF $pdfs 个"
lap "README 命令"

# The input the rest uses: the workbook the README's first build line builds.
read -r _ _ input _ < <(printf '%s\n' "${lines[@]}" | grep -m1 '^juesuan.exe build ') ||
  fail "README 的 Windows 命令中没有 build"
stem=${input%.*}
ref="$work/ref"
"$linux" build "$clerk/$input" -o "$ref" --format pdf,md --bundled-fonts >/dev/null 2>&1 ||
  fail "Linux 版生成 $input 失败"

# Holds a file open in the clerk's folder as Excel or a PDF viewer does, until release.
hold_pid=""
hold() {
  rm -f "$work/hold.txt"
  (cd "$clerk" && exec $wine "$work/hold.exe" "$1" 120 >"$work/hold.txt" 2>&1) &
  hold_pid=$!
  for _ in $(seq 60); do
    grep -q holding "$work/hold.txt" 2>/dev/null && return 0
    sleep 0.5
  done
  fail "hold.exe 未能打开 $1：$(cat "$work/hold.txt")"
}
release() {
  kill "$hold_pid" 2>/dev/null || true
  wait "$hold_pid" 2>/dev/null || true
  hold_pid=""
}

echo "-- 路径按 Windows 的写法显示；输入的工作簿在 Excel 中开着也能读"
hold "$input"
rc=0
in_cmd "juesuan.exe build $input -o out/pdf --format md" >"$work/out.txt" 2>&1 || rc=$?
release
cat "$work/out.txt"
((rc == 0)) || fail "输入开着时 build 的退出码是 $rc"
grep -qF "已生成 out\\pdf\\$stem.md" "$work/out.txt" || fail "应打印 已生成 out\\pdf\\$stem.md"

echo "-- 输出文件正被其他程序打开"
mkdir -p "$clerk/占用"
cp "$ref/$stem.pdf" "$clerk/占用/$stem.pdf"
echo "旧的 Markdown" >"$clerk/占用/$stem.md"
hold "占用\\$stem.pdf"
rc=0
in_cmd "juesuan.exe build $input -o 占用 --format pdf,md" >"$work/out.txt" 2>&1 || rc=$?
cat "$work/out.txt"
release
((rc == 1)) || fail "文件被占用时退出码应为 1，实为 $rc"
grep -qF "占用\\$stem.pdf" "$work/out.txt" || fail "消息没有指出被占用的文件"
grep -q "其他程序打开" "$work/out.txt" || fail "消息没有说文件正被其他程序打开"
[[ $(cat "$clerk/占用/$stem.md") == "旧的 Markdown" ]] || fail "另一个输出文件被改写了"
cmp -s "$clerk/占用/$stem.pdf" "$ref/$stem.pdf" || fail "被占用的 PDF 被改动了"
[[ $(ls -A "$clerk/占用" | wc -l) == 2 ]] || fail "留下了临时文件：$(ls -A "$clerk/占用")"

echo "-- 超过 260 个字符的路径"
long="$clerk"
long_win="$clerk_win"
for i in $(seq 12); do
  long+="/第${i}层 很长很长很长很长很长很长很长的文件夹名称"
  long_win+="\\第${i}层 很长很长很长很长很长很长很长的文件夹名称"
done
mkdir -p "$long"
cp "$clerk/$input" "$long/"
((${#long_win} > 260)) || fail "测试路径不够长（${#long_win} 个字符）"
in_cmd "juesuan.exe build \"$long_win\\$input\" -o \"$long_win\\输出\"" 2>&1 | tail -1
cmp "$long/输出/$stem.pdf" "$ref/$stem.pdf" || fail "长路径下生成的 PDF 与 Linux 版不同"
echo "   路径 ${#long_win} 个字符"

echo "-- 另一个磁盘（D:）"
mkdir -p "$work/d/资料"
ln -s "$work/d" "$WINEPREFIX/dosdevices/d:"
cp "$clerk/$input" "$work/d/资料/"
in_cmd "juesuan.exe build D:\\资料\\$input -o 输出D" 2>&1 | tail -1
in_cmd "juesuan.exe build $input -o D:\\决算输出" 2>&1 | tail -1
cmp "$clerk/输出D/$stem.pdf" "$ref/$stem.pdf" || fail "读 D: 上的工作簿生成的 PDF 与 Linux 版不同"
cmp "$work/d/决算输出/$stem.pdf" "$ref/$stem.pdf" || fail "写到 D: 的 PDF 与 Linux 版不同"
lap "路径与占用"

echo "-- 双击 juesuan.exe（不带参数）：启动网页版并打开默认浏览器"
# wine opens http addresses with the programs listed here: a stand-in that notes the address.
cat >"$work/browser" <<EOF
#!/bin/sh
echo "\$1" > "$work/opened.txt"
EOF
chmod +x "$work/browser"
$wine reg add 'HKCU\Software\Wine\WineBrowser' /v Browsers /t REG_SZ /d "$work/browser" /f >/dev/null 2>&1
(cd "$clerk" && exec $wine juesuan.exe </dev/null >"$work/serve.txt" 2>&1) &
browser_pid=$!
url=""
for _ in $(seq 120); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/serve.txt" 2>/dev/null | head -1 || true)
  [[ -n $url ]] && break
  sleep 0.5
done
cat "$work/serve.txt"
[[ -n $url ]] || fail "网页版没有打印地址"
grep -q "关闭此窗口" "$work/serve.txt" && grep -q "Ctrl+C" "$work/serve.txt" ||
  fail "窗口里没有说怎样停止"
curl -fsS -o "$work/page.html" "$url" || fail "$url 没有答出"
grep -q "决算通" "$work/page.html" || fail "$url 答出的不是网页版"
for _ in $(seq 60); do
  [[ -s $work/opened.txt ]] && break
  sleep 0.5
done
[[ $(cat "$work/opened.txt" 2>/dev/null) == "$url" ]] ||
  fail "默认浏览器没有打开 $url（打开的是：$(cat "$work/opened.txt" 2>/dev/null)）"
echo "   网页 $url 已答出，浏览器已打开同一地址"
kill "$browser_pid" 2>/dev/null || true
wait "$browser_pid" 2>/dev/null || true
browser_pid=""
lap "双击"
echo "Windows 检查全部通过。"

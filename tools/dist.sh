#!/usr/bin/env bash
# 发布用程序：在 Linux 上编译 Windows 版 juesuan.exe 与 Linux 版 juesuan，去掉调试符号后放进 dist/。
#
#   tools/dist.sh            # 两个都编译：dist/juesuan.exe、dist/juesuan、dist/SHA256SUMS
#   tools/dist.sh windows    # 只编译 Windows 版
#   tools/dist.sh linux      # 只编译 Linux 版
#
# Windows 版需要（Debian/Ubuntu，一次即可）：
#   apt-get install gcc-mingw-w64-x86-64
#   rustup target add x86_64-pc-windows-gnu
# 链接器在 .cargo/config.toml 中指定。详见 docs/windows.md。
set -euo pipefail
cd "$(dirname "$0")/.."

which="${1:-all}"
case "$which" in
  all | windows | linux) ;;
  *)
    echo "用法：tools/dist.sh [windows|linux]（不写则两个都编译）" >&2
    exit 2
    ;;
esac

missing=0
if [[ "$which" != linux ]]; then
  if ! command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
    echo "缺少 Windows 链接器 x86_64-w64-mingw32-gcc：请先运行 apt-get install gcc-mingw-w64-x86-64" >&2
    missing=1
  fi
  if command -v rustup >/dev/null 2>&1 &&
    ! rustup target list --installed | grep -qx x86_64-pc-windows-gnu; then
    echo "缺少 Rust 的 Windows 目标：请先运行 rustup target add x86_64-pc-windows-gnu" >&2
    missing=1
  fi
fi
((missing == 0)) || exit 1

target_dir="${CARGO_TARGET_DIR:-target}"
mkdir -p dist

elapsed() { echo "  （用时 $((SECONDS - $1)) 秒）"; }

if [[ "$which" != windows ]]; then
  t=$SECONDS
  echo "== Linux 版：cargo build --release"
  cargo build --release --locked
  rm -f dist/juesuan
  strip -o dist/juesuan "$target_dir/release/juesuan"
  elapsed "$t"
fi

if [[ "$which" != linux ]]; then
  t=$SECONDS
  echo "== Windows 版：cargo build --release --target x86_64-pc-windows-gnu"
  cargo build --release --locked --target x86_64-pc-windows-gnu
  rm -f dist/juesuan.exe
  x86_64-w64-mingw32-strip -o dist/juesuan.exe "$target_dir/x86_64-pc-windows-gnu/release/juesuan.exe"
  elapsed "$t"
fi

(cd dist && sha256sum $(ls juesuan juesuan.exe 2>/dev/null) > SHA256SUMS)
echo "== dist/"
(cd dist && ls -l $(ls juesuan juesuan.exe 2>/dev/null) && cat SHA256SUMS)

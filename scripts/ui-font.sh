#!/usr/bin/env bash
# Rebuilds internal/web/static/common/qhall-ui.woff2: Noto Sans CJK SC (SIL Open Font License
# 1.1, which allows embedding and subsetting) cut down to ASCII and the characters of qhall's own
# words (messages in three languages, the demo's names). Pages use it only where the machine has
# no CJK font. Needs Debian's fonts-noto-cjk and python3-fonttools python3-brotli.
set -euo pipefail
cd "$(dirname "$0")/.."
src=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test ./internal/i18n/ -run TestUIChars -count=1 -args -chars-out="$tmp/chars.txt" >/dev/null
# the demo organisation's names (halls, windows, services) are shown on every screen too
grep -ohP '[^\x00-\x7F]' internal/demo/*.go | sort -u | tr -d '\n' >>"$tmp/chars.txt"
printf '%s' ' !"#$%&'"'"'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~—–·…“”‘’、。，：；！？（）「」《》【】' >>"$tmp/chars.txt"
/usr/bin/python3 -m fontTools.subset "$src" --font-number=2 --text-file="$tmp/chars.txt" --flavor=woff2 \
  --layout-features='*' --no-hinting --desubroutinize --name-IDs='*' --output-file=internal/web/static/common/qhall-ui.woff2
ls -l internal/web/static/common/qhall-ui.woff2

#!/usr/bin/env bash
# Installs the Debian packages wenyin builds, tests and renders with, when missing.
set -euo pipefail
pkgs=(build-essential pkg-config libxml2-dev libcsv-dev libpango1.0-dev libcairo2-dev
      libcmark-dev libicu-dev libjpeg-dev zlib1g-dev libcmocka-dev libhyphen-dev hyphen-en-us
      fonts-noto-cjk fonts-noto-core fonts-arphic-ukai
      poppler-utils qpdf valgrind libxml2-utils python3 python3-pdfminer python3-fonttools time
      unicode-data rime-data-stroke)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"

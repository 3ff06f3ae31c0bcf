#!/usr/bin/env bash
# Installs what Rectify needs to build, run and test, from Debian 12 packages only.
# Does nothing when everything is there already; uses sudo when not run as root.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  # Compiler cache: deploy/build.sh, tests/sanitize.sh and the fuzz build use it when present, so
  # a second run of tests/run.sh on the same machine rebuilds in minutes, not half an hour.
  ccache
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libsqlite3-dev libssl-dev libcli11-dev
  libgtest-dev libgmock-dev
  # Reading Word .docx files in the importer (a ZIP of XML parts).
  libzip-dev libpugixml-dev
  tzdata openssl sqlite3 python3
  # The fuzz target (tests/fuzz/run.sh) is built with clang and its libFuzzer runtime; gcc's own
  # sanitizer runtimes (tests/sanitize.sh) come with build-essential.
  clang libclang-rt-14-dev
  # Paperwork (报送): workbooks written with libxlsxwriter, .docx zipped and .xlsx read with libzip
  # and pugixml; the end-to-end test reads them back with openpyxl and python-docx.
  libxlsxwriter-dev libzip-dev libpugixml-dev python3-openpyxl python3-docx
  # The HTTP gateway and web console (services/http): cpp-httplib is built by Debian with
  # OpenSSL, zlib and Brotli, so their headers come too; Bootstrap and Chart.js are embedded
  # from Debian's packages, never fetched from a CDN.
  libcpp-httplib-dev libbrotli-dev zlib1g-dev libjs-bootstrap5 libjs-chart.js
  # Notifications (services/notify/channels): libcurl for HTTPS to the group robots and
  # SMTP(S) with STARTTLS for mail.
  libcurl4-openssl-dev
  # The browser test of the web console (tests/browser): headless Chromium driven by Selenium,
  # and a Chinese font so that its screenshots are legible.
  chromium chromium-driver python3-selenium fonts-wqy-microhei
  # The PostgreSQL store (services/store/postgres) speaks libpq, PostgreSQL's own C client: the
  # server's wire protocol, typed binary parameters and SQLSTATE codes with no wrapper in between.
  # The tests start a private PostgreSQL 15 on 127.0.0.1 from the server package.
  libpq-dev postgresql-15
  # Prometheus metrics (services/metrics): prometheus-cpp's core library for the counters,
  # histograms and text format; GET /metrics is served by rectifyd's own HTTP server, so the
  # package's civetweb exposer, though installed with it, is not linked.
  prometheus-cpp-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: 依赖已齐全 / all packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: 安装 / installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

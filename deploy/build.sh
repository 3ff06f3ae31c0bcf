#!/usr/bin/env bash
# Configures and builds Rectify into ./build (or $BUILD_DIR). Extra arguments go to cmake.
# Uses ccache when it is installed (it is not required): rebuilds after a pull then take seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} \
  "${launcher[@]}" "$@" >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"

#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running server: installs what is missing,
# builds, and runs rectifyd on the embedded SQLite database ./rectify.db (gRPC on 127.0.0.1:50051,
# the web console on http://127.0.0.1:8080/).
# Extra arguments go to rectifyd, e.g.:  bash deploy/serve.sh --listen 127.0.0.1:6000
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
bash deploy/build.sh -DRECTIFY_BUILD_TESTS=OFF
echo "serve: 客户端 / client: $(pwd)/build/client/rectify"
echo "serve: 首次启动时管理员令牌写入数据库旁的 rectify-admin.token（仅本人可读）；用法 / first start writes the"
echo "serve: admin token beside the database (owner-only): export RECTIFY_TOKEN=\$(cat rectify-admin.token)"
echo "serve: 网页端 / web console: http://127.0.0.1:8080/ （用令牌文件的内容登录 / sign in with the token file's contents)"
exec ./build/services/rectifyd/rectifyd --db "${RECTIFY_DB:-rectify.db}" \
  --http_listen 127.0.0.1:8080 "$@"

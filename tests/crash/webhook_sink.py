#!/usr/bin/env python3
"""A WeCom- or Feishu-style webhook receiver for notify_crash_test.sh, on 127.0.0.1 only.

Checks the bytes of every request (POST, JSON content type, a body that parses as the robot's
message: WeCom markdown or Feishu text), answers {"errcode":0} after a short random delay (so that a SIGKILL of
rectifyd often lands while a delivery is in flight), and appends one line per request to the
record file: the marker found in the content ("N-<number>"), or "BAD <reason>".

Usage: webhook_sink.py PORT_FILE RECORD_FILE
"""
import http.server
import json
import random
import re
import sys
import threading
import time

PORT_FILE, RECORD = sys.argv[1], sys.argv[2]
LOCK = threading.Lock()
MARKER = re.compile(r"N-\d+")


def record(line):
    with LOCK, open(RECORD, "a", encoding="utf-8") as out:
        out.write(line + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        reason = None
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            reason = "content type " + self.headers.get("Content-Type", "")
        else:
            try:
                message = json.loads(body.decode("utf-8"))
                if "msg_type" in message:  # Feishu
                    content = message["content"]["text"]
                    if message["msg_type"] != "text":
                        reason = "msg_type"
                else:  # WeCom
                    content = message["markdown"]["content"]
                    if message.get("msgtype") != "markdown":
                        reason = "msgtype"
            except (ValueError, KeyError, TypeError) as e:
                reason = "body " + repr(e)
        if reason is None:
            found = MARKER.findall(content)
            reason = None if len(found) == 1 else "markers %r" % found
        time.sleep(random.uniform(0, 0.15))
        record(("BAD " + reason) if reason else found[0])
        answer = b'{"code":0,"msg":"success","errcode":0,"errmsg":"ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os  # noqa: E402  (after the bind: the port file appears only once it listens)
os.rename(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()

#!/usr/bin/env python3
"""Tiny loopback HTTP server that records requests and answers with a fixed reply.

    python3 clients/capture_server.py --out FILE [--status 200] [--body JSON]
                                      [--content-type application/json;charset=utf-8]
                                      [--port 0] [--max-requests N] [--lifetime SECONDS]

Listens on 127.0.0.1 (port 0 = a free one) and prints exactly one line on stdout,
`listening on http://127.0.0.1:PORT`, once it accepts connections. Each request is
appended to --out as one JSON line:

    {"method": "POST", "path": "/?A=b...", "headers": [["Host", "..."], ...],
     "body": "<body as text, latin-1 decoded>", "body_len": N}

Headers are kept in wire order and case. The answer is --status with --body (default
`{"RequestId":"capture-0000"}`), sent with Content-Type --content-type and Connection: close.
It stops after --max-requests requests or --lifetime seconds (default 120), whichever first,
and on SIGINT/SIGTERM. Standard library only (runs with any python3).
"""
import argparse
import http.server
import json
import signal
import sys
import threading


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="JSON-lines file to append requests to")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--status", type=int, default=200)
    ap.add_argument("--body", default='{"RequestId":"capture-0000"}')
    ap.add_argument("--content-type", default="application/json;charset=utf-8")
    ap.add_argument("--max-requests", type=int, default=0, help="0 = unlimited")
    ap.add_argument("--lifetime", type=float, default=120.0, help="seconds before exiting")
    args = ap.parse_args()

    lock = threading.Lock()
    count = [0]
    body_bytes = args.body.encode("utf-8")

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "capture"
        sys_version = ""

        def log_message(self, fmt, *a):  # quiet
            pass

        def _handle(self):
            n = int(self.headers.get("Content-Length") or 0)
            self.connection.settimeout(10)
            body = self.rfile.read(n) if n > 0 else b""
            rec = {
                "method": self.command,
                "path": self.path,
                "headers": [[k, v] for k, v in self.headers.raw_items()],
                "body": body.decode("latin-1"),
                "body_len": len(body),
            }
            with lock:
                with open(args.out, "a", encoding="utf-8") as f:
                    f.write(json.dumps(rec) + "\n")
                count[0] += 1
                done = args.max_requests and count[0] >= args.max_requests
            self.send_response(args.status)
            self.send_header("Content-Type", args.content_type)
            self.send_header("Content-Length", str(len(body_bytes)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body_bytes)
            self.close_connection = True
            if done:
                threading.Thread(target=srv.shutdown, daemon=True).start()

        def handle_one_request(self):
            # as the stdlib's, but with a 4 MiB request line: the legacy SDK puts every
            # parameter, PEM included, in the URL
            try:
                self.raw_requestline = self.rfile.readline(4 << 20)
                if not self.raw_requestline:
                    self.close_connection = True
                    return
                if not self.parse_request():
                    return
                mname = "do_" + self.command
                if not hasattr(self, mname):
                    self.send_error(501, "Unsupported method (%r)" % self.command)
                    return
                getattr(self, mname)()
                self.wfile.flush()
            except TimeoutError:
                self.close_connection = True

        def setup(self):
            self.timeout = 10
            super().setup()

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _handle

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        # the legacy SDK sends every parameter (PEM included) in the URL
        request_queue_size = 64

    import http.client as _hc
    _hc._MAXLINE = 1 << 20  # allow long header lines

    srv = Server(("127.0.0.1", args.port), Handler)
    port = srv.server_address[1]
    print(f"listening on http://127.0.0.1:{port}", flush=True)

    def stop(*_):
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    timer = threading.Timer(args.lifetime, stop)
    timer.daemon = True
    timer.start()
    srv.serve_forever()
    srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

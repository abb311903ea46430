#!/usr/bin/python3
"""Serves the page for qiocat's browser test on 127.0.0.1.

  browser-page.py HTTP-PORT WS-PORT RESULT-FILE

GET / returns a page whose JavaScript opens a WebSocket to
ws://127.0.0.1:WS-PORT/, sends binary data, checks the echo and then
requests /result?PASS (or /result?FAIL:reason), which is written to
RESULT-FILE."""
import http.server
import sys
import urllib.parse

http_port, ws_port, result_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]

PAGE = """<!doctype html>
<html><head><title>qiocat websocket test</title></head><body>
<script>
function report(text) {
  fetch('/result?' + encodeURIComponent(text));
}
const size = 200000;
const sent = new Uint8Array(size);
for (let i = 0; i < size; i++) { sent[i] = (i * 7 + 3) & 255; }
const ws = new WebSocket('ws://127.0.0.1:%s/');
ws.binaryType = 'arraybuffer';
let got = [];
let total = 0;
ws.onopen = () => { ws.send(sent.slice(0, 1000)); ws.send(sent.slice(1000)); };
ws.onmessage = (ev) => {
  got.push(new Uint8Array(ev.data));
  total += ev.data.byteLength;
  if (total < size) { return; }
  const all = new Uint8Array(total);
  let off = 0;
  for (const part of got) { all.set(part, off); off += part.length; }
  for (let i = 0; i < size; i++) {
    if (all[i] !== sent[i]) { report('FAIL:byte ' + i); return; }
  }
  report(total === size ? 'PASS' : 'FAIL:' + total + ' bytes');
  ws.close();
};
ws.onerror = () => report('FAIL:websocket error');
</script></body></html>
""" % ws_port


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path == "/result":
            with open(result_file, "w") as f:
                f.write(urllib.parse.unquote(url.query))
            body = b"ok"
        else:
            body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", http_port), Handler).serve_forever()

"""`kojo lsp`, keystroke to diagnostics: a whole-document didChange (a
comment line added), then the time until that file's diagnostics arrive;
the median of N edits, and the first check on open.

    python3 bench/lsp_keystroke.py target/release/kojo examples/guideline-factory plant.kojo 30

Figures go in docs/performance.md ("Editor"); medians, never a timed test.
"""
import subprocess, json, sys, select, os, time, statistics, pathlib
kojo, project, rel, n = sys.argv[1], pathlib.Path(sys.argv[2]).resolve(), sys.argv[3], int(sys.argv[4])
path = project / rel
uri = path.as_uri()
p = subprocess.Popen([kojo, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
def send(obj):
    b = json.dumps(obj).encode(); p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b); p.stdin.flush()
buf = b""
def recv():
    global buf
    while True:
        if b"\r\n\r\n" in buf:
            head, rest = buf.split(b"\r\n\r\n", 1)
            length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
            if len(rest) >= length:
                buf = rest[length:]; return json.loads(rest[:length])
        buf += os.read(p.stdout.fileno(), 1 << 20)
def wait_diag():
    while True:
        m = recv()
        if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
            return m
send({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}); recv()
send({"jsonrpc":"2.0","method":"initialized","params":{}})
text = path.read_text()
t0 = time.perf_counter()
send({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":uri,"languageId":"kojo","version":1,"text":text}}})
wait_diag(); first = time.perf_counter() - t0
times = []
for i in range(n):
    edited = text + f"\n// edit {i}\n"
    t0 = time.perf_counter()
    send({"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":uri,"version":i+2},"contentChanges":[{"text":edited}]}})
    wait_diag(); times.append(time.perf_counter() - t0)
send({"jsonrpc":"2.0","id":2,"method":"shutdown"}); 
print(f"{project.name}/{rel}: open {first*1000:.1f} ms; keystroke median {statistics.median(times)*1000:.1f} ms, min {min(times)*1000:.1f}, max {max(times)*1000:.1f} (n={n})")
p.kill()

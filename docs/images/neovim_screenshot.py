"""Takes docs/images/neovim.png: Neovim (Debian's, with
editors/neovim/kojo.lua) on examples/small-plant with an unknown zone,
after `kojo lsp` has answered: the error where it is, and a hover.

Neovim runs in a pseudo-terminal; pyte (PyPI) reads its screen, which is
drawn as HTML and photographed by headless Chromium. Run from the
repository root with kojo built:

    pip install pyte==0.8.2
    python3 docs/images/neovim_screenshot.py target/debug/kojo
"""

import fcntl
import html
import os
import pathlib
import pty
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import time

import pyte

COLUMNS, LINES = 110, 32
REPO = pathlib.Path(__file__).resolve().parents[2]


def run(kojo: str, out: pathlib.Path) -> None:
    work = pathlib.Path(tempfile.mkdtemp())
    project = work / "small-plant"
    shutil.copytree(REPO / "examples/small-plant", project)
    plant = project / "plant.kojo"
    text = plant.read_text()
    plant.write_text(text.replace(" in control {", " in contrl {", 1))
    line = text[: text.index(" in control {")].count("\n") + 1
    screen = pyte.Screen(COLUMNS, LINES)
    stream = pyte.ByteStream(screen)
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ["COLUMNS"], os.environ["LINES"] = str(COLUMNS), str(LINES)
        os.chdir(project)
        os.execvp(
            "nvim",
            [
                "nvim", "--clean", "-n",
                "-c", f"let g:kojo_command = '{kojo}'",
                "-c", f"luafile {REPO / 'editors/neovim/kojo.lua'}",
                "-c", "set termguicolors number",
                "-c", "hi NormalFloat guibg=#303030 guifg=#e0e0e0",
                "-c", "edit plant.kojo",
                "-c", f"{line}",
                "-c", "normal! zt",
            ],
        )
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))

    def pump(seconds: float) -> None:
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    stream.feed(os.read(fd, 65536))
                except OSError:
                    return

    pump(4)
    # Hover the misspelt zone's neighbour: the asset declared on that line.
    os.write(fd, b"0w")
    pump(0.5)
    os.write(fd, b":lua vim.lsp.buf.hover()\r")
    pump(3)
    draw(screen, out)
    os.write(fd, b"\x1b:qa!\r")
    pump(1)


def color(value: str, default: str) -> str:
    if value == "default":
        return default
    if len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value):
        return "#" + value
    return value


def draw(screen: "pyte.Screen", out: pathlib.Path) -> None:
    rows = []
    for y in range(screen.lines):
        cells = []
        line = screen.buffer[y]
        for x in range(screen.columns):
            char = line[x]
            fg, bg = color(char.fg, "#d0d0d0"), color(char.bg, "#1c1c1c")
            if char.reverse:
                fg, bg = bg, fg
            weight = "bold" if char.bold else "normal"
            cells.append(f'<span style="color:{fg};background:{bg};font-weight:{weight}">{html.escape(char.data or " ")}</span>')
        rows.append("".join(cells))
    page = (
        "<!doctype html><meta charset=utf-8><style>body{margin:0;background:#1c1c1c}"
        "pre{margin:0;padding:8px;font:14px/1.25 'DejaVu Sans Mono','Noto Sans Mono CJK JP',monospace}</style>"
        f"<pre>{chr(10).join(rows)}</pre>"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as f:
        f.write(page)
    subprocess.run(
        [
            "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--screenshot={out}", f"--window-size={COLUMNS * 9 + 16},{LINES * 18 + 16}", f"file://{f.name}",
        ],
        check=True,
        capture_output=True,
    )


if __name__ == "__main__":
    run(os.path.abspath(sys.argv[1]), REPO / "docs/images/neovim.png")

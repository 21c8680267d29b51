"""Open every page of a board pack in headless Chromium, offline, and check it with axe-core.

For each ``*.html`` page under a reports folder (``_screenshots/``, ``_executed/`` and
hidden files are skipped) it:

1. opens the page from ``file://`` in a fresh browser context of a Chromium started with
   an empty ``--user-data-dir``, background networking off, and every host name mapped
   to nothing (``--host-resolver-rules="MAP * ~NOTFOUND"``);
2. intercepts every request the page makes (DevTools ``Fetch`` and ``Network`` domains):
   the page's own ``file://`` address and ``data:``/``blob:``/``about:`` URLs are allowed;
   anything else is blocked and is a failure;
3. injects axe-core (npm, pinned to :data:`AXE_VERSION`) and runs the WCAG 2.0, 2.1 and
   2.2 level A and AA rules; any violation is a failure, reported with page, rule,
   impact, target selector and help (axe's best-practice rules are reported as warnings);
4. saves a full-page screenshot to ``<reports>/_screenshots/<page>.png``.

It drives Debian's ``/usr/bin/chromium`` directly through the Chrome DevTools Protocol
over ``--remote-debugging-pipe`` (file descriptors 3 and 4), so it needs no Python
package beyond the standard library and never downloads a browser. With ``install=True``
(the default) a missing Chromium is installed with ``apt-get`` (root, non-interactive)
and a missing axe-core with ``npm`` into ``.cache/node/``.

It is test tooling, not part of the runtime package: ``tests/browser/test_board_pack.py``
imports it, and ``make test-browser`` runs it on the demonstrator pack::

    python tests/browser/browser_check.py reports/            # exit 1 on any failure
    python tests/browser/browser_check.py reports/ --no-install --json out.json
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import logging
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lis_analysis.errors import LisError

log = logging.getLogger(__name__)

#: axe-core release used by the check (npm). Change it here and only here.
AXE_VERSION = "4.14.1"
#: axe rule tags: WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = (1280, 900)
SKIP_DIRS = {"_screenshots", "_executed", "_failed", ".ipynb_checkpoints"}

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,"
    "AutofillServerCommunication,InterestFeedContentSuggestions,CertificateTransparencyComponentUpdater",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--mute-audio",
    "--hide-scrollbars",
    "--force-color-profile=srgb",
    "--font-render-hinting=none",
    f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}",
)

_ALLOWED_SCHEMES = ("data:", "blob:", "about:")


class BrowserCheckError(LisError):
    """The browser check could not run (no Chromium, no axe-core, the browser died)."""


# --------------------------------------------------------------------------------------
# Installing the tools
# --------------------------------------------------------------------------------------


def _default_cache() -> Path:
    try:
        from lis_analysis.config import project_root

        return project_root() / ".cache" / "node"
    except Exception:  # noqa: BLE001 - config is optional here
        return Path.cwd() / ".cache" / "node"


def ensure_chromium(*, install: bool = True, path: str | None = None) -> Path:
    """Path of Chromium; installs Debian's ``chromium`` with apt-get when it is missing.

    ``LIS_CHROMIUM`` (or ``path``) names another binary. Installing needs root (CI runs
    as root); otherwise the error says what to run.
    """
    candidate = Path(path or os.environ.get("LIS_CHROMIUM") or CHROMIUM)
    if candidate.exists():
        return candidate
    found = shutil.which("chromium")
    if found:
        return Path(found)
    if not install:
        raise BrowserCheckError(
            f"Chromium is not installed at {candidate}; run: apt-get install -y chromium"
        )
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise BrowserCheckError(
            f"Chromium is not installed at {candidate} and cannot be installed from here "
            "(needs root and apt-get); run: sudo apt-get install -y chromium"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    log.info("installing Chromium: %s", " ".join(cmd))
    t0 = time.monotonic()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:  # a fresh machine needs the package lists first
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, text=True)
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0 or not candidate.exists():
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise BrowserCheckError("apt-get could not install chromium: " + " | ".join(tail))
    log.info("Chromium installed in %.0f s", time.monotonic() - t0)
    return candidate


def ensure_axe(
    cache_dir: str | Path | None = None, *, install: bool = True, version: str = AXE_VERSION
) -> Path:
    """Path of ``axe.min.js`` at exactly ``version``; ``npm install``s it into ``cache_dir``
    (default ``.cache/node`` in the project) when missing or at another version."""
    cache = Path(cache_dir) if cache_dir else _default_cache()
    pkg = cache / "node_modules" / "axe-core"
    script = pkg / "axe.min.js"

    def installed() -> str | None:
        try:
            return json.loads((pkg / "package.json").read_text())["version"]
        except (OSError, ValueError, KeyError):
            return None

    if script.exists() and installed() == version:
        return script
    if not install:
        raise BrowserCheckError(
            f"axe-core {version} is not in {cache}; run: npm install --prefix {cache} axe-core@{version}"
        )
    npm = shutil.which("npm")
    if npm is None and shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        log.info("installing npm with apt-get (to fetch axe-core)")
        if subprocess.run(
            ["apt-get", "install", "-y", "npm"], env=env, capture_output=True
        ).returncode:
            subprocess.run(["apt-get", "update"], env=env, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "npm"], env=env, capture_output=True)
        npm = shutil.which("npm")
    if npm is None:
        raise BrowserCheckError("npm is needed to install axe-core; run: apt-get install -y npm")
    cache.mkdir(parents=True, exist_ok=True)
    cmd = [
        npm,
        "install",
        "--prefix",
        str(cache),
        f"axe-core@{version}",
        "--no-audit",
        "--no-fund",
        "--no-save",
        "--loglevel=error",
    ]
    log.info("installing axe-core: %s", " ".join(cmd))
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0 or installed() != version:
        raise BrowserCheckError(
            f"npm could not install axe-core@{version}: {(done.stderr or done.stdout).strip()[-400:]}"
        )
    return script


# --------------------------------------------------------------------------------------
# Chrome DevTools Protocol over a pipe
# --------------------------------------------------------------------------------------


class CDPError(BrowserCheckError):
    """A DevTools command failed."""


class Chromium:
    """Headless Chromium driven over ``--remote-debugging-pipe`` (NUL-separated JSON).

    Use as a context manager; :meth:`call` sends a command and waits for its answer while
    dispatching events to the listeners added with :meth:`listen`.
    """

    def __init__(self, executable: str | Path, *, extra_flags: Sequence[str] = ()) -> None:
        self.profile = tempfile.mkdtemp(prefix="lis-chromium-")
        self._stderr = open(Path(self.profile) / "chromium-stderr.log", "wb")  # noqa: SIM115
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()
        # Chromium reads commands on fd 3 and writes replies on fd 4; keep the parent's ends
        # off 3 and 4 so that the dup2 in the child cannot clobber them.
        import fcntl

        child_in = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_chrome_r)
        os.close(from_chrome_w)

        def wire_pipes() -> None:  # runs in the child, before exec
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        args = [
            str(executable),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={self.profile}",
            "--remote-debugging-pipe",
            *extra_flags,
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            preexec_fn=wire_pipes,
            close_fds=False,
        )
        os.close(child_in)
        os.close(child_out)
        self._w = to_chrome_w
        self._r = from_chrome_r
        os.set_blocking(self._r, False)
        self._buf = b""
        self._next_id = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self._events: list[dict[str, Any]] = []
        self._listeners: list[Callable[[dict[str, Any]], None]] = []
        self.version = self.call("Browser.getVersion", timeout=30)

    # -- plumbing --------------------------------------------------------------------
    def _read_available(self, timeout: float) -> None:
        ready, _, _ = select.select([self._r], [], [], max(0.0, timeout))
        if not ready:
            return
        try:
            chunk = os.read(self._r, 1 << 20)
        except BlockingIOError:
            return
        if not chunk:
            raise BrowserCheckError("Chromium closed the DevTools pipe: " + self.stderr_tail())
        self._buf += chunk
        *messages, self._buf = self._buf.split(b"\0")
        for raw in messages:
            msg = json.loads(raw)
            if "id" in msg:
                self._replies[msg["id"]] = msg
            else:
                for listener in list(self._listeners):
                    listener(msg)
                self._events.append(msg)

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> int:
        """Send a command without waiting; returns its id."""
        self._next_id += 1
        msg: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            # drain replies while writing, so neither side can block on a full pipe
            readable, writable, _ = select.select([self._r], [self._w], [], 30)
            if readable:
                self._read_available(0)
            if writable:
                n = os.write(self._w, data[: 1 << 16])
                data = data[n:]
            if not readable and not writable:
                raise BrowserCheckError("Chromium stopped reading DevTools commands")
        return self._next_id

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float = 60,
    ) -> dict[str, Any]:
        """Send a command and return its result (raises :class:`CDPError` on an error)."""
        cid = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while cid not in self._replies:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserCheckError(f"Chromium did not answer {method} within {timeout:.0f} s")
            self._read_available(min(left, 0.5))
        reply = self._replies.pop(cid)
        if "error" in reply:
            raise CDPError(
                f"{method}: {reply['error'].get('message')} {reply['error'].get('data', '')}".strip()
            )
        return reply.get("result", {})

    def wait_event(
        self, method: str, session: str | None = None, timeout: float = 60
    ) -> dict[str, Any]:
        """Wait for (and consume) the next event called ``method`` on ``session``."""
        deadline = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self._events):
                if ev.get("method") == method and (
                    session is None or ev.get("sessionId") == session
                ):
                    del self._events[: i + 1]
                    return ev
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserCheckError(f"no {method} within {timeout:.0f} s")
            self._read_available(min(left, 0.5))

    def pump(self, seconds: float) -> None:
        """Process events for ``seconds`` (lets late requests show themselves)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self._read_available(min(left, 0.1))

    def listen(self, fn: Callable[[dict[str, Any]], None]) -> Callable[[], None]:
        self._listeners.append(fn)
        return lambda: self._listeners.remove(fn)

    def stderr_tail(self) -> str:
        with contextlib.suppress(OSError):
            self._stderr.flush()
            return " | ".join(
                (Path(self.profile) / "chromium-stderr.log")
                .read_text(errors="replace")
                .strip()
                .splitlines()[-5:]
            )
        return ""

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.send("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for fd in (self._r, self._w):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._stderr.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------------------


@dataclass
class Violation:
    rule: str
    impact: str | None
    help: str
    help_url: str
    targets: list[str]
    html: list[str]
    tags: list[str]


@dataclass
class PageResult:
    page: str
    url: str
    violations: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    screenshot: str | None = None
    seconds: float = 0.0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.violations and not self.requests and self.error is None


@dataclass
class Report:
    reports: str
    chromium: str
    axe_version: str
    tags: list[str]
    pages: list[PageResult]
    seconds: float

    @property
    def ok(self) -> bool:
        return bool(self.pages) and all(p.ok for p in self.pages)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    def text(self) -> str:
        """A readable report: one line per page, then each failure in detail."""
        lines = [
            f"browser check of {self.reports}: {len(self.pages)} page(s), {self.chromium}, "
            f"axe-core {self.axe_version} ({', '.join(self.tags)}), {self.seconds:.1f} s"
        ]
        width = max((len(p.page) for p in self.pages), default=10)
        for p in self.pages:
            status = "PASS" if p.ok else "FAIL"
            lines.append(
                f"  {status}  {p.page:<{width}}  {len(p.violations)} violation(s), {len(p.requests)} network "
                f"request(s), {len(p.warnings)} best-practice warning(s), {p.seconds:.1f} s"
                + (f"  -> {p.screenshot}" if p.screenshot else "")
            )
            if p.error:
                lines.append(f"        error: {p.error}")
            for v in p.violations:
                lines.append(f"        [{v.impact or 'unknown'}] {v.rule}: {v.help}")
                for t, h in list(zip(v.targets, v.html, strict=False))[:5]:
                    lines.append(f"            at {t}   {h}")
                if len(v.targets) > 5:
                    lines.append(f"            ... and {len(v.targets) - 5} more")
                lines.append(f"            help: {v.help_url}")
            for url in p.requests:
                lines.append(f"        network request blocked: {url}")
            for v in p.warnings:
                lines.append(
                    f"        warning (best practice) {v.rule}: {v.help} at {', '.join(v.targets[:3])}"
                )
        failed = [p for p in self.pages if not p.ok]
        lines.append(
            "browser check passed: 0 violations, 0 network requests"
            if self.ok
            else f"browser check FAILED on {len(failed)} of {len(self.pages)} page(s)"
            if self.pages
            else "browser check FAILED: no pages found"
        )
        return "\n".join(lines)


def find_pages(reports: str | Path) -> list[Path]:
    """Every ``*.html`` page under ``reports`` (not in _screenshots/_executed, not hidden)."""
    root = Path(reports)
    pages = []
    for p in sorted(root.rglob("*.html")):
        rel = p.relative_to(root)
        if any(part in SKIP_DIRS or part.startswith(".") for part in rel.parts):
            continue
        pages.append(p)
    return pages


def _screenshot_name(rel: Path) -> str:
    return "__".join(rel.with_suffix("").parts) + ".png"


_AXE_RUN = """
axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})
  .then(r => JSON.stringify({
    version: axe.version,
    violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      tags: v.tags, nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160)}))})),
    incomplete: r.incomplete.map(v => v.id)
  }))
"""


def _check_page(
    browser: Chromium,
    page: Path,
    root: Path,
    axe_source: str,
    shots: Path | None,
    tags: Sequence[str],
) -> PageResult:
    t0 = time.monotonic()
    url = page.resolve().as_uri()
    rel = page.relative_to(root)
    result = PageResult(page=rel.as_posix(), url=url)
    ctx = browser.call("Target.createBrowserContext", {"disposeOnDetach": True})["browserContextId"]
    target = browser.call("Target.createTarget", {"url": "about:blank", "browserContextId": ctx})[
        "targetId"
    ]
    session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
        "sessionId"
    ]

    def allowed(u: str) -> bool:
        return u.split("#", 1)[0] == url or u.startswith(_ALLOWED_SCHEMES)

    def on_event(ev: dict[str, Any]) -> None:
        if ev.get("sessionId") != session:
            return
        method, params = ev.get("method"), ev.get("params", {})
        if method == "Network.requestWillBeSent":
            u = params.get("request", {}).get("url", "")
            if not allowed(u) and u not in result.requests:
                result.requests.append(u)
        elif method == "Fetch.requestPaused":
            u = params.get("request", {}).get("url", "")
            if allowed(u):
                browser.send("Fetch.continueRequest", {"requestId": params["requestId"]}, session)
            else:
                if u not in result.requests:
                    result.requests.append(u)
                browser.send(
                    "Fetch.failRequest",
                    {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                    session,
                )

    stop = browser.listen(on_event)
    try:
        browser.call("Network.enable", {}, session)
        browser.call(
            "Fetch.enable", {"patterns": [{"urlPattern": "*", "requestStage": "Request"}]}, session
        )
        browser.call("Page.enable", {}, session)
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1, "mobile": False},
            session,
        )
        nav = browser.call("Page.navigate", {"url": url}, session)
        if nav.get("errorText"):
            raise BrowserCheckError(f"could not open {url}: {nav['errorText']}")
        browser.wait_event("Page.loadEventFired", session, timeout=60)
        browser.pump(0.25)  # anything the page asks for just after load
        browser.call(
            "Runtime.evaluate",
            {"expression": axe_source, "returnByValue": False},
            session,
            timeout=60,
        )
        out = browser.call(
            "Runtime.evaluate",
            {
                "expression": _AXE_RUN % json.dumps(list(tags)),
                "awaitPromise": True,
                "returnByValue": True,
            },
            session,
            timeout=120,
        )
        if "exceptionDetails" in out:
            raise BrowserCheckError(
                f"axe-core failed on {rel}: {out['exceptionDetails'].get('text')}"
            )
        axe = json.loads(out["result"]["value"])
        wcag = set(tags)
        for v in axe["violations"]:
            item = Violation(
                rule=v["id"],
                impact=v.get("impact"),
                help=v["help"],
                help_url=v["helpUrl"],
                targets=[n["target"] for n in v["nodes"]],
                html=[n["html"] for n in v["nodes"]],
                tags=v["tags"],
            )
            (result.violations if wcag & set(v["tags"]) else result.warnings).append(item)
        result.incomplete = axe.get("incomplete", [])
        if shots is not None:
            metrics = browser.call("Page.getLayoutMetrics", {}, session)
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            height = min(int(size["height"]) + 1, 30000)
            shot = browser.call(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": VIEWPORT[0], "height": height, "scale": 1},
                },
                session,
                timeout=120,
            )
            dest = shots / _screenshot_name(rel)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(base64.b64decode(shot["data"]))
            result.screenshot = (
                dest.relative_to(root).as_posix() if dest.is_relative_to(root) else str(dest)
            )
        browser.pump(0.05)
    except BrowserCheckError as exc:
        result.error = str(exc)
    finally:
        stop()
        with contextlib.suppress(BrowserCheckError):
            browser.call("Target.closeTarget", {"targetId": target}, timeout=10)
            browser.call("Target.disposeBrowserContext", {"browserContextId": ctx}, timeout=10)
    result.seconds = time.monotonic() - t0
    return result


def check_reports(
    reports: str | Path,
    *,
    pages: Iterable[str | Path] | None = None,
    screenshots: str | Path | None = None,
    install: bool = True,
    cache_dir: str | Path | None = None,
    tags: Sequence[str] = WCAG_TAGS,
    best_practice: bool = True,
) -> Report:
    """Check every page of ``reports`` (or just ``pages``) and return a :class:`Report`.

    Parameters
    ----------
    reports : the reports folder (pages are named relative to it)
    pages : check only these pages (default: :func:`find_pages`)
    screenshots : folder for the screenshots (default ``<reports>/_screenshots``);
        ``False``-y string '' disables them
    install : install Chromium (apt-get) and axe-core (npm) when missing
    cache_dir : where axe-core is installed (default ``.cache/node`` in the project)
    tags : axe rule tags that fail the check
    best_practice : also run axe's best-practice rules, reported as warnings
    """
    t0 = time.monotonic()
    root = Path(reports).resolve()
    if not root.is_dir():
        raise BrowserCheckError(f"no reports folder at {root}")
    page_list = [Path(p).resolve() for p in pages] if pages is not None else find_pages(root)
    chromium = ensure_chromium(install=install)
    axe_js = ensure_axe(cache_dir, install=install)
    axe_source = axe_js.read_text(encoding="utf-8")
    shots = (
        None
        if screenshots == ""
        else Path(screenshots).resolve()
        if screenshots
        else root / "_screenshots"
    )
    run_tags = [*tags, "best-practice"] if best_practice else list(tags)
    results: list[PageResult] = []
    with Chromium(chromium) as browser:
        product = browser.version.get("product", "Chromium")
        for page in page_list:
            res = _check_page(browser, page, root, axe_source, shots, run_tags)
            # a rule tagged best-practice only is a warning; tags that are WCAG fail
            res.warnings += [v for v in res.violations if not set(v.tags) & set(tags)]
            res.violations = [v for v in res.violations if set(v.tags) & set(tags)]
            results.append(res)
            log.info(
                "%s: %d violation(s), %d request(s), %.1f s",
                res.page,
                len(res.violations),
                len(res.requests),
                res.seconds,
            )
    return Report(
        reports=str(root),
        chromium=product,
        axe_version=AXE_VERSION,
        tags=list(tags),
        pages=results,
        seconds=time.monotonic() - t0,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python tests/browser/browser_check.py REPORTS``: exit 0 when every page passes."""
    ap = argparse.ArgumentParser(
        prog="python tests/browser/browser_check.py", description=__doc__.splitlines()[0]
    )
    ap.add_argument(
        "reports", nargs="?", default="reports", help="reports folder (default: reports)"
    )
    ap.add_argument(
        "--no-install", action="store_true", help="do not install Chromium or axe-core when missing"
    )
    ap.add_argument("--screenshots", help="screenshot folder (default: REPORTS/_screenshots)")
    ap.add_argument("--cache", help="where axe-core is installed (default: .cache/node)")
    ap.add_argument("--json", help="also write the full report as JSON to this file")
    ap.add_argument(
        "--install-only", action="store_true", help="install Chromium and axe-core, then stop"
    )
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        if args.install_only:
            print(f"chromium: {ensure_chromium()}\naxe-core: {ensure_axe(args.cache)}")
            return 0
        report = check_reports(
            args.reports,
            screenshots=args.screenshots,
            install=not args.no_install,
            cache_dir=args.cache,
        )
    except LisError as exc:
        print(f"browser check: {exc}", file=sys.stderr)
        return 2
    print(report.text())
    if args.json:
        Path(args.json).write_text(report.to_json(), encoding="utf-8")
    return 0 if report.ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

#!/usr/bin/env python3
"""kojo against Aerleon, side by side, on the same flows and the same machine.

1. Writes the synthetic plant (kojo-synth, Modbus flows without function
   limits, so that packet filters alone can carry it).
2. `kojo build`s it with the `json` backend to get every device's flows
   (`build/<device>/policy.json`).
3. Converts those flows into an Aerleon policy: one term per flow (the
   flow's interfaces, source and destination networks, service ports,
   accept, counted where kojo counts), default deny, with networks and
   services definitions.
4. Times, with hyperfine (median of several runs, both writing their files
   from scratch, both as a user runs them): `aclgen` generating nftables and
   iptables for that policy, and `kojo build` of the same plant with a
   manifest selecting `nftables` and `iptables`.
5. Prints both medians and the ratio, checks both nftables outputs with
   `nft -c -f` (as root), and counts what each generated.

Only the Python standard library is needed here; Aerleon runs from its own
virtualenv (see bench/README.md). Run from anywhere:
`python3 bench/aerleon_compare.py [--assets 10000] [--runs 5]`.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_ACLGEN = REPO / "bench" / ".venv" / "bin" / "aclgen"


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Runs a command, failing the comparison (with its output) if it fails."""
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"error: `{' '.join(cmd)}` exited with {result.returncode}")
    return result


def token(name: str) -> str:
    """An Aerleon definition name (A-Z, 0-9, `_`, `-`) for a kojo name."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", name).upper()


class Definitions:
    """Aerleon's networks and services, named after kojo's host groups and
    services. A kojo name can stand for different addresses on different
    devices (an asset with interfaces in two zones), so a name is reused only
    for the same addresses."""

    def __init__(self) -> None:
        self.networks: dict[str, list[str]] = {}
        self.services: dict[str, list[tuple[str, str]]] = {}

    def _intern(self, table: dict, name: str, value) -> str:
        key, n = token(name), 1
        while table.get(key, value) != value:
            n += 1
            key = f"{token(name)}_{n}"
        table[key] = value
        return key

    def network(self, group: dict) -> str:
        return self._intern(self.networks, group["name"], sorted(group["addresses"]))

    def service(self, service: dict, protocol: str) -> str:
        """The service's ports of one protocol. Aerleon applies every port of
        a term's services to every protocol of the term, so a service with
        ports of two protocols (ethernet-ip: tcp/44818, udp/44818, udp/2222)
        becomes one definition per protocol, used by one term per protocol."""
        ports = [p for p in (spec.split("/", 1) for spec in service["ports"]) if p[0] == protocol]
        protocols = {spec.split("/", 1)[0] for spec in service["ports"]}
        name = service["name"] if len(protocols) == 1 else f"{service['name']}_{protocol}"
        return self._intern(self.services, name, ports)

    def yaml(self) -> tuple[str, str]:
        networks = ["networks:"]
        for name in sorted(self.networks):
            networks.append(f"  {name}:\n    values:")
            networks.extend(f"      - address: {a}" for a in self.networks[name])
        services = ["services:"]
        for name in sorted(self.services):
            services.append(f"  {name}:")
            services.extend(f"    - port: {json.dumps(p)}\n      protocol: {t}" for t, p in self.services[name])
        return "\n".join(networks) + "\n", "\n".join(services) + "\n"


def families(policy: dict) -> set[int]:
    versions = set()
    for rule in policy["rules"]:
        for side in (rule["sources"], rule["destinations"]):
            if side != "any":
                versions.update(ipaddress.ip_network(a).version for g in side for a in g["addresses"])
    return versions or {4}


def aerleon_policy(policy: dict, defs: Definitions) -> tuple[str, int]:
    """One device's kojo policy as an Aerleon policy file, and its term count:
    one term per flow and protocol."""
    interfaces = {i["zone"]: i["name"] for i in policy["interfaces"]}
    terms = []
    for rule in policy["rules"]:
        protocols = sorted({p.split("/", 1)[0] for s in rule["services"] for p in s["ports"]})
        for protocol in protocols:
            name = f"{rule['conduit']}-{rule['flow']}" + (f"-{protocol}" if len(protocols) > 1 else "")
            lines = [f"      - name: {name}"]
            # policy.json names no source line: generated files do not
            # change when a flow only moves in the sources.
            comment = "kojo: conduit {conduit} flow {flow}".format(**rule)
            lines.append(f"        comment: {json.dumps(comment)}")
            lines.append(f"        source-interface: {interfaces[rule['from']]}")
            lines.append(f"        destination-interface: {interfaces[rule['to']]}")
            for key, side in (("source-address", rule["sources"]), ("destination-address", rule["destinations"])):
                if side != "any":
                    lines.append(f"        {key}: {' '.join(defs.network(g) for g in side)}")
            services = [defs.service(s, protocol) for s in rule["services"] if any(p.startswith(protocol + "/") for p in s["ports"])]
            lines.append(f"        protocol: {protocol}")
            lines.append(f"        destination-port: {' '.join(services)}")
            if rule["log"]:
                # kojo counts these flows (nftables `counter`; iptables
                # counts every rule); Aerleon's `counter` does the same.
                lines.append(f"        counter: {name}")
            lines.append("        action: accept")
            terms.append("\n".join(lines))
    # One filter that both generators render, so Aerleon reads the terms
    # once; default deny (iptables `DROP`, nftables' default), as kojo's.
    # Aerleon's `mixed` nftables family writes every IPv4 rule twice, so
    # `inet` (IPv4 only, in Aerleon's words) unless the device has IPv6
    # flows, which then need a second filter for ip6tables.
    v6 = 6 in families(policy)
    headers = [{"nftables": "mixed forward" if v6 else "inet forward", "iptables": "FORWARD DROP inet"}]
    if v6:
        headers.append({"iptables": "FORWARD DROP inet6"})
    filters = []
    for targets in headers:
        filters.append(
            "  - header:\n"
            f"      comment: {json.dumps(policy['device'] + ': generated from kojo policy.json')}\n"
            "      targets:\n" + "".join(f"        {t}: {o}\n" for t, o in targets.items()) + "    terms:\n" + "\n".join(terms)
        )
    return "filters:\n" + "\n".join(filters) + "\n", len(terms)


def hyperfine(name: str, command: list[str], prepare: str, runs: int, warmup: int, work: Path) -> dict:
    """Times `command` (no shell), `prepare` before each run; the JSON result."""
    export = work / f"hyperfine-{name}.json"
    cmd = ["hyperfine", "-N", "--style", "basic", "--runs", str(runs), "--warmup", str(warmup)]
    cmd += ["--prepare", prepare, "--export-json", str(export), "--command-name", name, " ".join(command)]
    result = run(cmd)
    sys.stderr.write(result.stdout)
    return json.loads(export.read_text())["results"][0]


def nft_check(label: str, path: Path, runs: int, work: Path) -> str:
    """Whether `nft -c -f` accepts the file, and its median time."""
    if os.geteuid() != 0 or not shutil.which("nft"):
        return "not checked (needs nft and root)"
    result = subprocess.run(["nft", "-c", "-f", str(path)], capture_output=True, text=True)
    if result.returncode != 0:
        return f"REJECTED by `nft -c -f`: {(result.stderr.strip().splitlines() or ['?'])[0]}"
    timed = hyperfine(f"nft-{label}", ["nft", "-c", "-f", str(path)], "true", runs, 0, work)
    return f"accepted by `nft -c -f`, median {timed['median'] * 1000:.0f} ms of {runs} runs"


def _ports(line: str) -> list[str]:
    m = re.search(r"--dports? (\S+)", line)
    return m.group(1).split(",") if m else ["*"]


def _host(text: str) -> str:
    return text.removesuffix("/32")


def kojo_accepts(rules: Path) -> set[tuple]:
    """What kojo's iptables.rules accepts, as (in, out, source, destination,
    protocol, port) tuples: its FORWARD jumps name a zone pair's chain by
    interfaces, and the chain's rules the rest."""
    lines = rules.read_text().splitlines()
    jumps = {}
    for line in lines:
        if m := re.match(r"-A FORWARD -i (\S+) -o (\S+) -j (\S+)$", line):
            jumps[m.group(3)] = (m.group(1), m.group(2))
    # A flow that opens connections jumps to its conntrack ticket chain,
    # which marks the connection and accepts it.
    tickets = {m.group(1) for line in lines if (m := re.match(r"-A (kojo_[0-9a-f]{8}) .*-j ACCEPT$", line))}
    accepted = set()
    for line in lines:
        m = re.match(r"-A (\S+) -s (\S+) -d (\S+) -p (\S+) .*-j (\S+)$", line)
        if m and m.group(1) in jumps and (m.group(5) == "ACCEPT" or m.group(5) in tickets):
            accepted.update((*jumps[m.group(1)], _host(m.group(2)), _host(m.group(3)), m.group(4), p) for p in _ports(line))
    return accepted


def aerleon_accepts(rules: Path) -> set[tuple]:
    """The same tuples from Aerleon's iptables output, one rule per line."""
    accepted = set()
    for line in rules.read_text().splitlines():
        if line.endswith("-j ACCEPT") and " -p " in line:
            f = {k: re.search(rf" {k} (\S+)", line) for k in ("-i", "-o", "-s", "-d", "-p")}
            if all(f.values()):
                key = (f["-i"].group(1), f["-o"].group(1), _host(f["-s"].group(1)), _host(f["-d"].group(1)), f["-p"].group(1))
                accepted.update((*key, p) for p in _ports(line))
    return accepted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=0, help="warm-up runs besides the first, untimed, run")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kojo-aerleon"), help="scratch directory (replaced)")
    parser.add_argument("--aclgen", default=str(VENV_ACLGEN), help="Aerleon's aclgen (default: bench/.venv)")
    parser.add_argument("--no-cargo", action="store_true", help="use the release binaries as they are")
    parser.add_argument("--kojo-backends", default="nftables,iptables",
                        help="what kojo builds (default: nftables,iptables, what Aerleon generates here)")
    args = parser.parse_args()

    if not shutil.which("hyperfine"):
        sys.exit("error: hyperfine is not installed (apt-get install hyperfine)")
    if not Path(args.aclgen).exists() and not shutil.which(args.aclgen):
        sys.exit(f"error: no aclgen at {args.aclgen}; install Aerleon as bench/README.md says")
    if not args.no_cargo:
        run(["cargo", "build", "--release", "--bin", "kojo", "--bin", "kojo-synth"], cwd=REPO)
    # cargo says where it builds (CARGO_TARGET_DIR, a config), not target/.
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=REPO, capture_output=True, text=True, check=True
    )
    release = Path(json.loads(meta.stdout)["target_directory"]) / "release"
    kojo, synth = release / "kojo", release / "kojo-synth"
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    # 1-2: the plant, and its flows as kojo lowers them.
    flows_dir = work / "flows"
    run([str(synth), str(args.assets), str(flows_dir), "--no-functions", "--backend", "json"])
    run([str(kojo), "build", str(flows_dir)])
    policies = [json.loads(p.read_text()) for p in sorted((flows_dir / "build").glob("*/policy.json"))]

    # 3: the same flows as an Aerleon policy.
    aerleon = work / "aerleon"
    (aerleon / "def").mkdir(parents=True)
    (aerleon / "policies" / "pol").mkdir(parents=True)  # aclgen reads `pol` directories
    defs, terms, flows = Definitions(), 0, sum(len(p["rules"]) for p in policies)
    for policy in policies:
        text, count = aerleon_policy(policy, defs)
        (aerleon / "policies" / "pol" / f"{policy['device']}.yaml").write_text(text)
        terms += count
    networks, services = defs.yaml()
    (aerleon / "def" / "networks.yaml").write_text(networks)
    (aerleon / "def" / "services.yaml").write_text(services)

    # 4: the same plant for kojo, building only what Aerleon generates.
    plant = work / "kojo"
    run([str(synth), str(args.assets), str(plant), "--no-functions", "--backend", args.kojo_backends])
    out = aerleon / "out"
    aclgen = [args.aclgen, "--base_directory", str(aerleon / "policies"), "--definitions_directory",
              str(aerleon / "def"), "--output_directory", str(out)]
    kojo_build = [str(kojo), "build", str(plant)]
    # A first, untimed, run of each: a failure shows its own message rather
    # than hyperfine's, and it warms the page cache.
    run(aclgen)
    run(kojo_build)
    timed = {
        "aerleon": hyperfine("aerleon", aclgen, f"rm -rf {out}", args.runs, args.warmup, work),
        "kojo": hyperfine("kojo", kojo_build, f"rm -rf {plant / 'build'}", args.runs, args.warmup, work),
        "kojo-check": hyperfine("kojo-check", [str(kojo), "check", str(plant)], "true", args.runs, args.warmup, work),
    }

    # 5: what each wrote, and the figures.
    kojo_files = sorted(p for p in (plant / "build").rglob("*") if p.is_file() and p.name != "kojo-index.txt")
    aerleon_files = sorted(p for p in out.rglob("*") if p.is_file())
    print(f"\nplant: {args.assets} assets, {len(policies)} enforcing device(s), {flows} flows, {terms} Aerleon terms")
    print(f"Aerleon definitions: {len(defs.networks)} networks, {len(defs.services)} services")
    for label, files in (("kojo", kojo_files), ("aerleon", aerleon_files)):
        for f in files:
            text = f.read_text()
            print(f"  {label:8} {f.relative_to(work)}: {len(text.splitlines())} lines, {len(text) // 1024} KiB")
    for device in (p["device"] for p in policies):
        if not (plant / "build" / device / "iptables.rules").exists() or not (out / device).exists():
            continue
        ours, theirs = kojo_accepts(plant / "build" / device / "iptables.rules"), aerleon_accepts(out / device)
        same = "the same" if ours == theirs else f"DIFFERENT ({len(ours - theirs)} only kojo's, {len(theirs - ours)} only Aerleon's)"
        print(f"  {device}: the iptables outputs accept {same} {len(ours)} (in, out, source, destination, protocol, port)")
    for label, files in (("kojo", kojo_files), ("aerleon", aerleon_files)):
        for f in files:
            if f.suffix == ".nft":
                print(f"  {label:8} {f.name}: {nft_check(label, f, min(args.runs, 3), work)}")
    median = {k: v["median"] for k, v in timed.items()}
    print(f"\nmachine: {os.cpu_count()} CPUs, {cpu_model()}; load average {load_before} before, "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} after")
    print(f"\nmedians of {args.runs} runs (hyperfine, after {args.warmup} warm-up runs):")
    print(f"  aclgen (Aerleon {aerleon_version(args.aclgen)}) nftables + iptables: {median['aerleon'] * 1000:9.1f} ms")
    print(f"  kojo build {args.kojo_backends:41}: {median['kojo'] * 1000:9.1f} ms")
    print(f"    of which kojo check (parse, resolve, rules):        {median['kojo-check'] * 1000:9.1f} ms")
    print(f"  ratio Aerleon / kojo: {median['aerleon'] / median['kojo']:.1f}x")
    return 0


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def aerleon_version(aclgen: str) -> str:
    python = Path(aclgen).with_name("python")
    if not python.exists():
        return "?"
    result = subprocess.run([str(python), "-c", "import importlib.metadata as m; print(m.version('aerleon'))"],
                            capture_output=True, text=True)
    return result.stdout.strip() or "?"


if __name__ == "__main__":
    sys.exit(main())

//! The network-namespace lab of the packet tests: the example plant's zones
//! and enforcing devices as namespaces joined by veth pairs, with routes so
//! that every zone reaches every other through the chain of firewalls, and
//! the probe script (`probe.py`) serving and connecting inside them.
//!
//! It owns the topology (which namespace holds which address, the routes),
//! creating and always removing the namespaces (a [`Lab`] deletes them on
//! drop, also when a test fails), and running commands in them. What to
//! probe and what to expect is `packets.rs`'s.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::io::{BufRead, BufReader, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

use kojo_backends::policy::Policy;
use kojo_compiler::model::{Model, ZoneId};
use kojo_compiler::reach::addresses_in;

/// An address block: the network address and the prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Net {
    pub address: IpAddr,
    pub prefix: u8,
}

impl Net {
    pub fn host(address: IpAddr) -> Net {
        Net { address, prefix: if address.is_ipv4() { 32 } else { 128 } }
    }

    /// The block of `prefix` bits that holds `address`.
    pub fn around(address: IpAddr, prefix: u8) -> Net {
        Net { address: mask(address, prefix), prefix }
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        address.is_ipv4() == self.address.is_ipv4() && mask(address, self.prefix) == self.address
    }
}

impl fmt::Display for Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

fn mask(address: IpAddr, prefix: u8) -> IpAddr {
    match address {
        IpAddr::V4(a) => {
            let bits = u32::from(a) & u32::MAX.checked_shl(32 - u32::from(prefix.min(32))).unwrap_or(0);
            IpAddr::V4(bits.into())
        }
        IpAddr::V6(a) => {
            let bits = u128::from(a) & u128::MAX.checked_shl(128 - u32::from(prefix.min(128))).unwrap_or(0);
            IpAddr::V6(bits.into())
        }
    }
}

/// A host in a zone's namespace.
#[derive(Debug, Clone)]
pub struct Host {
    /// The asset's name, or `other_<zone>` for the test's own host.
    pub name: String,
    pub address: IpAddr,
    /// The test's own host, named by no asset.
    pub extra: bool,
}

/// A zone: one namespace with a bridge `br0` holding its hosts.
#[derive(Debug, Clone)]
pub struct Zone {
    pub id: ZoneId,
    pub name: String,
    pub ns: String,
    pub subnets: Vec<Net>,
    /// The subnets, and host routes for addresses outside them (every
    /// address of a zone without subnets).
    pub nets: Vec<Net>,
    /// Assets in the model order, then the test's own host.
    pub hosts: Vec<Host>,
}

/// A router's interface in a zone.
#[derive(Debug, Clone)]
pub struct Port {
    /// Index into [`Topology::zones`].
    pub zone: usize,
    /// The interface name the generated rules use.
    pub ifname: String,
    /// The veth's other end, on the zone's bridge.
    pub peer: String,
    pub address: IpAddr,
}

/// An enforcing device: one namespace, an interface per zone.
#[derive(Debug, Clone)]
pub struct Router {
    pub name: String,
    pub ns: String,
    pub ports: Vec<Port>,
}

impl Router {
    fn port_in(&self, zone: usize) -> Option<&Port> {
        self.ports.iter().find(|p| p.zone == zone)
    }
}

#[derive(Debug, Clone)]
pub struct Topology {
    pub zones: Vec<Zone>,
    pub routers: Vec<Router>,
}

/// The first node after the start of a path, and the second.
type Hops = (Node, Option<Node>);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    Zone(usize),
    Router(usize),
}

impl Topology {
    /// The plant's zones that some enforcing device joins, and the devices.
    pub fn new(model: &Model, policy: &Policy, prefix: &str) -> Topology {
        let enforcing: BTreeSet<_> = policy.devices.iter().map(|d| d.device).collect();
        let joined: BTreeSet<ZoneId> =
            policy.devices.iter().flat_map(|d| d.interfaces.iter().map(|i| i.zone)).collect();
        let mut used: BTreeSet<IpAddr> = model
            .assets
            .iter()
            .flat_map(|a| a.addresses.iter().copied().chain(a.interfaces.iter().map(|i| i.address)))
            .collect();
        let mut zones = Vec::new();
        for zone in model.zones.iter().filter(|z| joined.contains(&z.id)) {
            let subnets: Vec<Net> = zone.subnets.iter().map(|n| Net::around(n.addr(), n.prefix_len())).collect();
            let mut hosts: Vec<Host> = model
                .assets
                .iter()
                .filter(|a| !enforcing.contains(&a.id))
                .flat_map(|a| {
                    addresses_in(model, a.id, zone.id).into_iter().map(|address| Host {
                        name: a.name.clone(),
                        address,
                        extra: false,
                    })
                })
                .collect();
            // The test's own host: in the zone's subnet, else beside the
            // firewall's address in a zone without subnets (an `any` host).
            let router_address =
                policy.devices.iter().flat_map(|d| d.interfaces.iter()).find(|i| i.zone == zone.id).map(|i| i.address);
            let base = subnets
                .first()
                .copied()
                .or_else(|| router_address.map(|a| Net::around(a, if a.is_ipv4() { 24 } else { 120 })));
            if let Some(address) = base.and_then(|net| free_address(net, &used)) {
                used.insert(address);
                hosts.push(Host { name: format!("other_{}", zone.name), address, extra: true });
            }
            zones.push(Zone {
                id: zone.id,
                name: zone.name.clone(),
                ns: format!("{prefix}z-{}", zone.name),
                subnets,
                nets: Vec::new(),
                hosts,
            });
        }
        let routers = routers(policy, &zones, prefix);
        for (index, zone) in zones.iter_mut().enumerate() {
            let mut nets = zone.subnets.clone();
            let addresses = zone
                .hosts
                .iter()
                .map(|h| h.address)
                .chain(routers.iter().flat_map(|r| r.port_in(index).map(|p| p.address)));
            for address in addresses {
                if !zone.subnets.iter().any(|n| n.contains(address)) {
                    nets.push(Net::host(address));
                }
            }
            nets.sort();
            nets.dedup();
            zone.nets = nets;
        }
        Topology { zones, routers }
    }

    pub fn zone_index(&self, id: ZoneId) -> Option<usize> {
        self.zones.iter().position(|z| z.id == id)
    }

    /// The address with its on-link prefix: that of the zone subnet holding
    /// it, else a host route.
    fn on_link(&self, zone: usize, address: IpAddr) -> Net {
        let subnet = self.zones.get(zone).and_then(|z| z.subnets.iter().find(|n| n.contains(address)));
        Net { address, prefix: subnet.map_or(Net::host(address).prefix, |n| n.prefix) }
    }

    fn neighbours(&self, node: Node) -> Vec<Node> {
        match node {
            Node::Zone(z) => (0..self.routers.len())
                .filter(|r| self.routers.get(*r).is_some_and(|r| r.port_in(z).is_some()))
                .map(Node::Router)
                .collect(),
            Node::Router(r) => {
                self.routers.get(r).map_or(Vec::new(), |r| r.ports.iter().map(|p| Node::Zone(p.zone)).collect())
            }
        }
    }

    /// For every zone reachable from `start`, the first two nodes on the
    /// shortest path there (breadth first, lowest index first).
    fn first_hops(&self, start: Node) -> BTreeMap<usize, Hops> {
        let mut seen = BTreeSet::from([start]);
        let mut queue: VecDeque<(Node, Option<Hops>)> = VecDeque::from([(start, None)]);
        let mut hops = BTreeMap::new();
        while let Some((node, path)) = queue.pop_front() {
            if let (Node::Zone(z), Some(path)) = (node, path) {
                hops.insert(z, path);
            }
            for next in self.neighbours(node) {
                if seen.insert(next) {
                    let path = match path {
                        None => (next, None),
                        Some((first, None)) => (first, Some(next)),
                        Some(full) => full,
                    };
                    queue.push_back((next, Some(path)));
                }
            }
        }
        hops
    }

    /// The router a packet from zone `from` to zone `to` crosses first.
    pub fn first_router(&self, from: usize, to: usize) -> Option<&Router> {
        match self.first_hops(Node::Zone(from)).get(&to) {
            Some((Node::Router(r), _)) => self.routers.get(*r),
            _ => None,
        }
    }

    /// `(namespace, ip -batch commands)` in the order they must run: the
    /// routers' links and addresses (which create the veth pairs), the
    /// zones' bridges, hosts and routes, then the routers' routes.
    fn scripts(&self) -> Vec<(String, String)> {
        let mut links = Vec::new();
        let mut bridges = Vec::new();
        let mut routes = Vec::new();
        for (index, router) in self.routers.iter().enumerate() {
            let mut link = String::from("link set lo up\n");
            let mut route = String::new();
            for port in &router.ports {
                let Some(zone) = self.zones.get(port.zone) else { continue };
                link += &format!("link add {} type veth peer name {} netns {}\n", port.ifname, port.peer, zone.ns);
                link += &format!(
                    "addr add {} dev {}{}\n",
                    self.on_link(port.zone, port.address),
                    port.ifname,
                    nodad(port.address)
                );
                link += &format!("link set {} up\n", port.ifname);
                let connected = Net::around(port.address, self.on_link(port.zone, port.address).prefix);
                for net in zone.nets.iter().filter(|n| **n != connected && **n != Net::host(port.address)) {
                    route += &format!("route add {net} dev {}\n", port.ifname);
                }
            }
            for (target, hop) in self.first_hops(Node::Router(index)) {
                let (Node::Zone(via), Some(Node::Router(next))) = hop else { continue };
                let (Some(out), Some(gateway)) =
                    (router.port_in(via), self.routers.get(next).and_then(|r| r.port_in(via)))
                else {
                    continue;
                };
                for net in self.zones.get(target).map_or(&[][..], |z| &z.nets) {
                    route += &format!("route add {net} via {} dev {} onlink\n", gateway.address, out.ifname);
                }
            }
            links.push((router.ns.clone(), link));
            routes.push((router.ns.clone(), route));
        }
        for (index, zone) in self.zones.iter().enumerate() {
            let mut script = String::from("link set lo up\nlink add br0 type bridge\nlink set br0 up\n");
            for port in self.routers.iter().filter_map(|r| r.port_in(index)) {
                script += &format!("link set {} master br0\nlink set {} up\n", port.peer, port.peer);
            }
            let mut connected = BTreeSet::new();
            for host in &zone.hosts {
                let net = self.on_link(index, host.address);
                connected.insert(Net::around(host.address, net.prefix));
                connected.insert(Net::host(host.address));
                script += &format!("addr add {net} dev br0{}\n", nodad(host.address));
            }
            for net in zone.nets.iter().filter(|n| !connected.contains(n)) {
                script += &format!("route add {net} dev br0\n");
            }
            for (target, hop) in self.first_hops(Node::Zone(index)) {
                let (Node::Router(first), _) = hop else { continue };
                let Some(gateway) = self.routers.get(first).and_then(|r| r.port_in(index)) else { continue };
                for net in self.zones.get(target).map_or(&[][..], |z| &z.nets) {
                    script += &format!("route add {net} via {} dev br0 onlink\n", gateway.address);
                }
            }
            bridges.push((zone.ns.clone(), script));
        }
        links.into_iter().chain(bridges).chain(routes).collect()
    }
}

fn nodad(address: IpAddr) -> &'static str {
    if address.is_ipv6() {
        " nodad"
    } else {
        ""
    }
}

/// An unused host address in `net`, from its 200th host on.
fn free_address(net: Net, used: &BTreeSet<IpAddr>) -> Option<IpAddr> {
    let candidates: Vec<IpAddr> = match net.address {
        IpAddr::V4(a) => (200..255u32)
            .chain(1..200)
            .filter_map(|i| u32::from(a).checked_add(i))
            .map(|n| IpAddr::V4(n.into()))
            .collect(),
        IpAddr::V6(a) => {
            (0x200..0x300u128).filter_map(|i| u128::from(a).checked_add(i)).map(|n| IpAddr::V6(n.into())).collect()
        }
    };
    candidates.into_iter().find(|a| net.contains(*a) && !used.contains(a))
}

/// Runs a command; its stdout, or why it failed.
pub fn run(program: &str, args: &[&str]) -> Result<String, String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `{program}`: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "`{program} {}` failed ({}): {}{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr),
            String::from_utf8_lossy(&output.stdout)
        ))
    }
}

/// Why namespaces cannot be made here, if they cannot.
pub fn unavailable(tools: &[&str]) -> Option<String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for tool in ["ip", "python3"].iter().chain(tools) {
        if !std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()) {
            return Some(format!("`{tool}` is not installed (not on PATH)"));
        }
    }
    let probe = format!("kojo-packets-canary-{}", std::process::id());
    match run("ip", &["netns", "add", &probe]) {
        Ok(_) => {
            let _ = run("ip", &["netns", "delete", &probe]);
            None
        }
        Err(e) => Some(format!("cannot create a network namespace (root is needed): {e}")),
    }
}

/// The namespaces of one test run and the servers in them; dropping it
/// stops the servers and deletes the namespaces.
pub struct Lab {
    namespaces: Vec<String>,
    servers: Vec<(Child, Option<ChildStdin>)>,
    dir: PathBuf,
    /// The interpreter itself, not a version manager's shim, which would
    /// add a third of a second to every start (and it runs with `-S -E`:
    /// the script needs only the standard library).
    python: String,
    script: PathBuf,
}

impl Lab {
    /// Removes what earlier runs left (namespaces named `<family><pid>-…`
    /// whose process is gone), then builds the topology, whose namespaces
    /// are named `<family><our pid>-…`.
    pub fn build(topology: &Topology, family: &str, dir: &Path) -> Result<Lab, String> {
        for line in run("ip", &["netns", "list"])?.lines() {
            let Some(name) = line.split_whitespace().next() else { continue };
            let Some(pid) = name.strip_prefix(family).and_then(|rest| rest.split('-').next()) else { continue };
            if !Path::new("/proc").join(pid).exists() {
                run("ip", &["netns", "delete", name])?;
            }
        }
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packets/probe.py");
        let python = run("python3", &["-c", "import sys; print(sys.executable)"])?.trim().to_string();
        let mut lab = Lab { namespaces: Vec::new(), servers: Vec::new(), dir: dir.to_path_buf(), python, script };
        let names = topology.routers.iter().map(|r| &r.ns).chain(topology.zones.iter().map(|z| &z.ns));
        for ns in names {
            run("ip", &["netns", "add", ns])?;
            lab.namespaces.push(ns.clone());
        }
        for (ns, script) in &topology.scripts() {
            lab.batch(ns, script)?;
        }
        // Forwarding on, and no reverse-path filter: what is dropped must be
        // dropped by a rule.
        for ns in &lab.namespaces {
            lab.exec(
                ns,
                &[
                    "sh",
                    "-c",
                    "for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 >\"$f\"; done; \
                     echo 1 >/proc/sys/net/ipv4/ip_forward; \
                     echo 1 >/proc/sys/net/ipv6/conf/all/forwarding",
                ],
            )?;
        }
        Ok(lab)
    }

    fn batch(&self, ns: &str, script: &str) -> Result<(), String> {
        let path = self.dir.join(format!("{ns}-{}.ip", self.namespaces.len()));
        std::fs::write(&path, script).map_err(|e| format!("{}: {e}", path.display()))?;
        let path = path.to_string_lossy().into_owned();
        run("ip", &["-n", ns, "-batch", &path]).map(|_| ()).map_err(|e| format!("{e}\nin:\n{script}"))
    }

    /// Runs a command inside a namespace.
    pub fn exec(&self, ns: &str, command: &[&str]) -> Result<String, String> {
        let mut args = vec!["netns", "exec", ns];
        args.extend_from_slice(command);
        run("ip", &args)
    }

    /// Starts a server in each namespace listening on each `(transport,
    /// address, port)`, and waits until all of them listen.
    pub fn serve(&mut self, servers: &BTreeMap<String, BTreeSet<(&'static str, IpAddr, u16)>>) -> Result<(), String> {
        let script = self.script.to_string_lossy().into_owned();
        let mut starting = Vec::new();
        for (ns, listeners) in servers {
            let mut child = Command::new("ip")
                .args(["netns", "exec", ns, &self.python, "-S", "-E", &script, "serve"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .map_err(|e| format!("cannot start the probe server in {ns}: {e}"))?;
            let mut stdin = child.stdin.take();
            let stdout = child.stdout.take();
            let mut text: String = listeners.iter().map(|(t, a, p)| format!("{t} {a} {p}\n")).collect();
            text.push('\n');
            let written = stdin.as_mut().is_some_and(|s| s.write_all(text.as_bytes()).and_then(|()| s.flush()).is_ok());
            self.servers.push((child, stdin));
            starting.push((ns, stdout, written));
        }
        for (ns, stdout, written) in starting {
            let mut line = String::new();
            if let Some(stdout) = stdout {
                let _ = BufReader::new(stdout).read_line(&mut line);
            }
            if !written || line.trim() != "ready" {
                return Err(format!("the probe server in {ns} did not start (see its error above)"));
            }
        }
        Ok(())
    }

    /// Runs `lines` (`ID tcp|udp SOURCE DESTINATION PORT`) from `ns`, all at
    /// once; the script's answer lines.
    pub fn connect(&self, ns: &str, lines: &str, timeout: f64) -> Result<String, String> {
        let script = self.script.to_string_lossy().into_owned();
        let mut child = Command::new("ip")
            .args(["netns", "exec", ns, &self.python, "-S", "-E", &script, "connect", &timeout.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start probes in {ns}: {e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(lines.as_bytes()).map_err(|e| format!("probes in {ns}: {e}"))?;
        }
        let output = child.wait_with_output().map_err(|e| format!("probes in {ns}: {e}"))?;
        if !output.status.success() {
            return Err(format!("probes in {ns} failed: {}", String::from_utf8_lossy(&output.stderr)));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        for (child, stdin) in &mut self.servers {
            drop(stdin.take());
            let _ = child.kill();
            let _ = child.wait();
        }
        for ns in self.namespaces.iter().rev() {
            if let Err(e) = run("ip", &["netns", "delete", ns]) {
                eprintln!("packet test: could not remove namespace {ns}: {e}");
            }
        }
    }
}

/// A router per enforcing device, with a port in each zone of the lab it
/// has an interface in.
fn routers(policy: &Policy, zones: &[Zone], prefix: &str) -> Vec<Router> {
    policy
        .devices
        .iter()
        .enumerate()
        .map(|(index, device)| Router {
            name: device.name.clone(),
            ns: format!("{prefix}r-{}", device.name),
            ports: device
                .interfaces
                .iter()
                .filter_map(|i| {
                    Some(Port {
                        zone: zones.iter().position(|z| z.id == i.zone)?,
                        ifname: i.name.clone(),
                        peer: format!("v{index}-{}", device.name).chars().take(15).collect(),
                        address: i.address,
                    })
                })
                .collect(),
        })
        .collect()
}

plant "T" { profile meti-factory }

zone transport "Automated transport" { subnet 10.5.0.0/24 }

asset ap "Wireless LAN access point" in transport {
  kind access-point
  ip 10.5.0.5
}

asset scanner "Handy terminal" in transport {
  kind handheld
  ip 10.5.0.30
}

asset agv1 "AGV 1" in transport {
  kind agv
  ip 10.5.0.21
}

plant "T" { profile meti-factory }

zone internet "Internet" : untrusted
zone line "Production line" { subnet 10.2.0.0/24 }

asset fw "FW" {
  kind firewall
  interfaces { internet 203.0.113.1; line 10.2.0.1 }
}

asset hmi "HMI" in line {
  kind hmi
  ip 10.2.0.11
}

// A raw port is the web all the same.
conduit line_out "Updates" from line to internet {
  allow hmi -> any port tcp/443
  enforced-by fw
}

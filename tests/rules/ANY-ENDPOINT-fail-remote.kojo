plant "T" { profile meti-factory }

zone internet "Internet" : untrusted
zone maint "Remote maintenance" {
  subnet 10.4.0.0/24
  tier medium
}

asset fw "FW" {
  kind firewall
  interfaces { internet 203.0.113.1; maint 10.4.0.1 }
}

asset jump "Jump host" in maint {
  kind jump-host
  ip 10.4.0.10
}

// Anyone on the internet may connect to the jump host, and nothing says
// they are authenticated: a warning.
conduit internet_to_maint "Remote access" from internet to maint {
  allow any -> jump service https
  enforced-by fw
}

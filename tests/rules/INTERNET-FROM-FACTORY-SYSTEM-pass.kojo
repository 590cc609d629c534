plant "T" { profile meti-factory }

zone internet "Internet" : untrusted
zone oa "Office" {
  subnet 10.1.0.0/24
  role office
}
zone line "Production line" { subnet 10.2.0.0/24 }

asset fw "FW" {
  kind firewall
  interfaces { internet 203.0.113.1; oa 10.1.0.1; line 10.2.0.1 }
}

asset pc "Office PC" in oa {
  kind workstation
  ip 10.1.0.10
}

asset historian "Historian" in line {
  kind historian
  ip 10.2.0.10
}

// The office network browses the web; the line reaches the internet only
// for time, which is neither web nor mail.
conduit oa_out "Web from the office" from oa to internet {
  allow pc -> any service https
  enforced-by fw
}

conduit line_out "Time" from line to internet {
  allow historian -> any service ntp
  enforced-by fw
}

plant "T" { profile meti-factory }

zone internet "Internet" : untrusted
zone line "Production line" { subnet 10.2.0.0/24 }

asset fw "FW" {
  kind firewall
  interfaces { internet 203.0.113.1; line 10.2.0.1 }
}

asset ews "Engineering workstation" in line {
  kind engineering-workstation
  ip 10.2.0.10
}

// A production PC that browses the web and sends mail itself.
conduit line_out "Web and mail from the line" from line to internet {
  allow ews -> any service [https, smtp]
  enforced-by fw
}

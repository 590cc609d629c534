plant "T" { profile meti-factory }

// The internet's way in passes an IPS; the vendor's two ways in do not.
// One finding, on the shorter: vendor → maint → control.
zone internet "Internet" : untrusted
zone vendor "Vendor centre" : external
zone oa "Office" { subnet 10.1.0.0/24 }
zone maint "Remote maintenance" { subnet 10.4.0.0/24 }
zone control "Control" {
  subnet 10.3.0.0/24
  tier high
}

asset fw "FW" {
  kind firewall
  interfaces { internet 203.0.113.1; vendor 198.51.100.1; oa 10.1.0.1; maint 10.4.0.1; control 10.3.0.1 }
}

asset web "Web server" in oa {
  kind server
  ip 10.1.0.10
}

asset jump "Jump host" in maint {
  kind jump-host
  ip 10.4.0.10
}

asset plc "PLC" in control {
  kind plc
  ip 10.3.0.10
}

conduit internet_to_oa "Web server" from internet to oa {
  allow any -> web service https
  controls [mfa, ips]
  enforced-by fw
}

conduit oa_to_maint "Office to the jump host" from oa to maint {
  allow web -> jump service ssh
  enforced-by fw
}

conduit vendor_to_oa "Vendor portal" from vendor to oa {
  allow any -> web service https
  controls [mfa]
  enforced-by fw
}

conduit vendor_to_maint "Vendor to the jump host" from vendor to maint {
  allow any -> jump service https
  controls [mfa]
  enforced-by fw
}

conduit maint_to_control "Jump host to the line" from maint to control {
  allow jump -> plc service modbus-tcp
  enforced-by fw
}

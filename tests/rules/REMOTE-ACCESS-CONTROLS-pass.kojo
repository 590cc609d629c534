plant "T" { profile meti-factory }

zone vendor "Vendor centre" : external
zone maint "Remote maintenance" { subnet 10.4.0.0/24 }

asset fw "FW" {
  kind firewall
  interfaces { vendor 198.51.100.1; maint 10.4.0.1 }
}

asset vendor_pc "Vendor engineers' PCs" in vendor {
  kind workstation
  ip 198.51.100.10
}

asset jump "Jump host" in maint {
  kind jump-host
  ip 10.4.0.10
}

conduit vendor_in "Vendor remote maintenance" from vendor to maint {
  allow vendor_pc -> jump service rdp
  controls [mfa, per-user-targets, out-of-window-detection, ips]
  enforced-by fw
  window "Mon-Fri 09:00-17:00 Asia/Tokyo"
}

// Outbound: the plant opens the connections, nothing comes in.
conduit maint_out "Updates" from maint to vendor {
  allow jump -> vendor_pc service https
  enforced-by fw
}

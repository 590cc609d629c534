plant "T" { profile meti-factory }

zone internet "Internet" : untrusted
zone oa "Office" {
  subnet 10.1.0.0/24
  tier medium
}
zone lab "Lab" { subnet 10.3.0.0/24 }
zone lab2 "Lab 2" { subnet 10.5.0.0/24 }

asset fw "FW" {
  kind firewall
  interfaces { internet 203.0.113.1; oa 10.1.0.1; lab 10.3.0.1; lab2 10.5.0.1 }
}

asset pc "Office PC" in oa {
  kind workstation
  ip 10.1.0.5
}

asset web "Web server" in oa {
  kind server
  ip 10.1.0.10
}

asset ntp1 "Time server" in lab2 {
  kind server
  ip 10.5.0.10
}

// `any` on the internet side: web browsing, and remote users behind MFA.
conduit oa_to_internet "Office web access" from oa to internet {
  allow pc -> any service https
  enforced-by fw
}

conduit internet_to_oa "Remote access" from internet to oa {
  allow any -> web service https
  controls [mfa]
  enforced-by fw
}

// A minimum-tier conduit may use `any`.
conduit lab_to_lab2 "Lab time" from lab to lab2 {
  allow any -> ntp1 service ntp
  enforced-by fw
}

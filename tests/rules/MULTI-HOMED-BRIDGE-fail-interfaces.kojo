plant "T" { profile meti-factory }

zone internet "Internet" : untrusted
zone oa "Office" { subnet 10.1.0.0/24 }
zone oa2 "Office annex" { subnet 10.3.0.0/24 }

// Interfaces only, no `in`: a server with a foot on the internet.
asset web "Web server" {
  kind server
  interfaces { oa 10.1.0.10; oa2 10.3.0.10; internet 203.0.113.10 }
}

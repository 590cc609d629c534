

zone internet "Internet" : untrusted
zone vendor "Vendor" : external


zone office "Office" : trusted
zone control "Control" {
  vlan 20


  tier high
}
zone after "After"
zone after2 "After 2"
asset a in office



asset b in office

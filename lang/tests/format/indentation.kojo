      plant "KNT1" {
name "Kanto Plant 1"
            profile meti-factory ,   custom
    }
	zone  internet   "Internet"   :   untrusted
zone vendor "Vendor":external



        zone control "Control" {
	subnet    10.20.0.0/24
		vlan 20


      tier high
 }
asset plc1 "Line 1 PLC"
   in control
      {
  kind plc
     ip 10.20.0.10
        interfaces {   control 10.20.0.10
   prod_mgmt 10.10.0.10 }
}

zone dmz "DMZ" { subnet 10.30.0.0/24; vlan 30; tier medium; controls [firewall, ids,]; }
asset hist "Historian" in dmz { kind server; ip 10.30.0.5; services [https, opc-ua]; ports { usb locked; serial capped; }; impact { continuity mid; quality low; }; }
conduit dmz_out from dmz to internet { allow hist -> any port [tcp/443, udp/123]; one-way; enforced-by diode1; }
waive NW-MFA on asset hist { reason "legacy"; until 2027-03-31; compensating [isolation]; }
attest E-1-1 level 3 { evidence "docs/a.pdf"; owner "Plant manager"; }

// expect: KOJO-E0312
plant "T" { profile meti-factory }
zone net "Internet" : untrustd

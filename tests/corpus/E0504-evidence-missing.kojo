// expect: KOJO-E0504
// expect: KOJO-E0504
plant "T" { profile meti-factory }

attest E-1-1 level 3 {
  evidence "docs/org/budget-approval.md"
  evidence "docs/org/minutes-2026.md"
  owner "Plant manager"
}

// expect: KOJO-E0502
plant "T" { profile meti-factory }

// `docs/../x` would stay inside; this goes above the project root.
attest E-2-2 level 3 { evidence "docs/../../shared/security-policy.md" }

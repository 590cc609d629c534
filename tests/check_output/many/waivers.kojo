// Hides one finding: `kojo check --show-waived` names this waiver.
waive DEV-FILE-ACCESS on asset ws3 {
  reason "the vendor's recipe tool runs as one shared user; replaced in the 2027 refit"
  until 2099-12-31
  compensating [vuln-info]
}

// Waives nothing: a warning, listed after the errors.
waive DEV-UPS on asset fw {
  reason "a UPS is on order"
  until 2099-12-31
  compensating []
}

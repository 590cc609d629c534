// The reason holds what XML and GitHub's workflow commands must escape:
// markup, quotes, a control character, a tab, a percent sign, a colon and a
// comma.
waive REMOTE-ACCESS-CONTROLS on conduit internet_to_maint {
  reason "vendor <jump> & \"legacy\" box:\u{1} no MFA\tyet, 100%"
  until 2099-12-31
  compensating []
}

// Waives nothing: a warning.
waive DEV-UPS on asset fw {
  reason "a UPS is on order"
  until 2099-12-31
  compensating []
}

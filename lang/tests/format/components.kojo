// Software components, written loosely.
asset hmi1 "HMI" in control { kind hmi; component "Windows Embedded" {kind operating-system;vendor "Microsoft"} ip 10.3.0.31 }
asset mes in prod {kind server
  component "MES Suite" { kind application; version "2024.2"; vendor "ExampleSoft"; purl "pkg:generic/examplesoft/mes-suite@2024.2" }   // the vendor's package
  component "Recipe add-on"
  component "Empty" {}
}

// SYNTAX TEST "source.kojo" "declarations, properties and values"
zone control "Control" {
// <---- keyword.declaration.kojo
//   ^^^^^^^ entity.name.kojo
//           ^^^^^^^^^ string.quoted.double.kojo
  subnet 10.20.0.0/24
//^^^^^^ keyword.other.kojo
//       ^^^^^^^^^^^^ constant.numeric.address.kojo
  controls [firewall, ids]   // a comment
//^^^^^^^^ keyword.other.kojo
//         ^ punctuation.section.brackets.kojo
//                           ^^^^^^^^^^^^ comment.line.double-slash.kojo
}
conduit a_to_b from office to control {
// <------- keyword.declaration.kojo
//      ^^^^^^ entity.name.kojo
//             ^^^^ keyword.other.kojo
  allow scada -> [plc1, plc-2] service modbus-tcp { functions [read] }
//^^^^^ keyword.other.kojo
//            ^^ keyword.operator.arrow.kojo
//                             ^^^^^^^ keyword.other.kojo
//                                                  ^^^^^^^^^ keyword.other.kojo
  allow any -> plc1 port tcp/502
//      ^^^ keyword.other.kojo
//                  ^^^^ keyword.other.kojo
//                       ^^^^^^^ constant.numeric.port.kojo
  enforced-by fw1
//^^^^^^^^^^^ keyword.other.kojo
  one-way
//^^^^^^^ keyword.other.kojo
}
asset data-logger "Logger \"A\"" in control { kind sensor; ip 10.20.0.5 }
//    ^^^^^^^^^^^ entity.name.kojo
//                        ^^ constant.character.escape.kojo
//                                            ^^^^ keyword.other.kojo
waive [NW-MFA, E-3-7] on asset data-logger {
// <----- keyword.declaration.kojo
//     ^^^^^^ constant.language.rule.kojo
//             ^^^^^ constant.language.rule.kojo
//                    ^^ keyword.other.kojo
//                       ^^^^^ keyword.other.kojo
  until 2027-03-31
//      ^^^^^^^^^^ constant.numeric.date.kojo
}
/* a block
   comment */
// <------------ comment.block.kojo
operation production "Machining" {
// <--------- keyword.declaration.kojo
  zones [control]
//^^^^^ keyword.other.kojo
  data [nc_programs]
//^^^^ keyword.other.kojo
//      ^^^^^^^^^^^ - keyword.other.kojo
}
waive ANY-ENDPOINT on asset plc1 { compensating [ids] }
//    ^^^^^^^^^^^^ constant.language.rule.kojo

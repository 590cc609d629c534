// expect: KOJO-E0501
// expect: KOJO-E0501
// expect: KOJO-E0501
plant "T" { profile meti-factory }

attest E-1-1 level 3 { evidence "/home/plant-manager/budget.pdf" }
attest E-1-2 level 3 { evidence "C:\\Users\\plant\\charter.docx" }
attest E-1-3 level 3 { evidence "docs\\org\\chart.md" }

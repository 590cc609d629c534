//! Stable diagnostic codes. Each has a page that `kojo explain` prints
//! (the pages live in `kojo-stdlib`, under `explain/`).
//!
//! Codes are never renumbered or reused: CI configurations and suppressions
//! refer to them.

use std::fmt;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $title:literal; )*) => {
        /// A diagnostic code such as `KOJO-E0201`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable code, e.g. `KOJO-E0201`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// A one-line title for listings.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }

            /// Looks a code up by its text, ignoring case.
            pub fn parse(text: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| c.as_str().eq_ignore_ascii_case(text))
            }
        }
    };
}

codes! {
    // Syntax: the file cannot be read as kojo.
    Syntax = "KOJO-E0001", "syntax error";
    InvalidUtf8 = "KOJO-E0002", "file is not valid UTF-8";
    FileTooLarge = "KOJO-E0003", "file too large";
    UnterminatedString = "KOJO-E0004", "unterminated string";
    UnterminatedComment = "KOJO-E0005", "unterminated block comment";
    InvalidEscape = "KOJO-E0006", "invalid escape in string";
    // The project: manifest and files.
    ManifestNotFound = "KOJO-E0101", "no kojo.kdl manifest found";
    ManifestSyntax = "KOJO-E0102", "manifest is not valid KDL";
    ManifestInvalid = "KOJO-E0103", "invalid manifest entry";
    UnknownProfile = "KOJO-E0104", "unknown profile";
    UnknownBackend = "KOJO-E0105", "unknown backend";
    NoSources = "KOJO-E0106", "project has no .kojo files";
    Io = "KOJO-E0107", "cannot read a file or directory";
    InvalidProfile = "KOJO-E0108", "invalid profile file";
    // Names.
    UnknownName = "KOJO-E0201", "unknown name";
    DuplicateName = "KOJO-E0202", "name declared twice";
    ReservedName = "KOJO-E0203", "reserved name";
    PlantDeclaration = "KOJO-E0204", "missing or repeated plant declaration";
    DuplicateProperty = "KOJO-E0205", "property given twice";
    MissingProperty = "KOJO-E0206", "required property missing";
    EndpointOutsideConduit = "KOJO-E0207", "flow endpoint not in the conduit's zones";
    NotEnforcingDevice = "KOJO-E0208", "`enforced-by` names an asset that cannot enforce";
    ConduitLoop = "KOJO-E0209", "conduit from a zone to itself";
    // Types and values.
    InvalidAddress = "KOJO-E0301", "invalid IP address";
    InvalidSubnet = "KOJO-E0302", "invalid subnet";
    InvalidVlan = "KOJO-E0303", "invalid VLAN ID";
    InvalidPort = "KOJO-E0304", "invalid port";
    InvalidDate = "KOJO-E0305", "invalid date";
    AddressOutsideSubnet = "KOJO-E0306", "address outside its zone's subnets";
    OverlappingSubnets = "KOJO-E0307", "zone subnets overlap";
    UnknownService = "KOJO-E0308", "unknown service";
    UnknownControl = "KOJO-E0309", "unknown control";
    InvalidWindow = "KOJO-E0310", "invalid time window";
    UnknownTier = "KOJO-E0311", "unknown tier";
    UnknownTrust = "KOJO-E0312", "unknown trust level";
    UnknownImpactAxis = "KOJO-E0313", "unknown impact axis";
    UnknownImpactLevel = "KOJO-E0314", "unknown impact level";
    UnknownAssetKind = "KOJO-E0315", "unknown asset kind";
    UnknownPortState = "KOJO-E0316", "unknown physical port or port state";
    InvalidLevel = "KOJO-E0317", "invalid achievement level";
    UnknownChecklistItem = "KOJO-E0318", "unknown checklist item";
    UnknownFunction = "KOJO-E0319", "unknown protocol function";
    DuplicateAddress = "KOJO-E0320", "address used twice";
    UnknownSoftwareKind = "KOJO-E0321", "unknown software kind";
    UnknownInspection = "KOJO-E0322", "unknown inspection mode";
    UnknownCapability = "KOJO-E0323", "unknown capability";
    UnknownComponentKind = "KOJO-E0324", "unknown software component kind";
    InvalidComponentId = "KOJO-E0325", "malformed package URL or CPE name";
    DuplicateComponent = "KOJO-E0326", "software component listed twice";
    UnknownZoneRole = "KOJO-E0330", "unknown zone role";
    InvalidZoneLevel = "KOJO-E0335", "invalid zone level";
    // Building artifacts: the model compiles, but a target cannot carry it.
    Unrenderable = "KOJO-E0401", "a target cannot express a flow or option";
    DeviceConfig = "KOJO-E0402", "device settings do not fit the model";
    OutputPath = "KOJO-E0403", "invalid output directory";
    // Evidence: what an attestation points at must be a file inside the project.
    EvidenceNotRelative = "KOJO-E0501", "evidence path is not a relative path";
    EvidenceClimbsOut = "KOJO-E0502", "evidence path climbs out of the project";
    EvidenceLeavesByLink = "KOJO-E0503", "evidence path leaves the project through a link";
    EvidenceMissing = "KOJO-E0504", "evidence file missing";
    // Documents: a project's own template cannot be used.
    InvalidTemplate = "KOJO-E0601", "invalid document template";
    // Findings: the model compiles but breaks a rule of a profile. The
    // diagnostic's `rule` names the rule; this code only marks the kind.
    Finding = "KOJO-F0001", "guideline finding";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_parse_back() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert_eq!(Code::parse(code.as_str()), Some(*code));
            assert_eq!(Code::parse(&code.as_str().to_lowercase()), Some(*code));
        }
        assert_eq!(Code::parse("KOJO-E9999"), None);
    }
}

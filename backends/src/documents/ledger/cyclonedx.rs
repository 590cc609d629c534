//! The ledger as a CycloneDX 1.6 SBOM (JSON) of the plant's inventory.
//!
//! The plant is `metadata.component`; each asset is a `device` component
//! (`bom-ref` `asset:NAME`), its vendor as manufacturer and supplier, its
//! title as description, and what CycloneDX has no field for (zone, kind,
//! tier, addresses, model, services, controls in force, live waivers) as
//! properties in kojo's namespace (`kojo:zone` …), repeated for lists.
//! Its firmware is a nested `firmware` component (named after the model,
//! else the asset) with the version, and the software it runs (`component`
//! in the model) nested `application`, `operating-system` or `library`
//! components with their version, supplier, purl and CPE (`bom-ref`
//! `asset:NAME#component-N`, in source order). `dependencies` says what
//! each device runs. The serial number is a name-based (v5) UUID of the content and
//! the timestamp is the document date, so the same model on the same date
//! gives the same bytes, and a changed inventory a new serial number.

use serde::Serialize;
use uuid::Uuid;

use super::view::{AssetRow, LedgerView};

const SPEC_VERSION: &str = "1.6";
const SCHEMA: &str = "http://cyclonedx.org/schema/bom-1.6.schema.json";

// The document, typed: serialised as it is written, with no intermediate
// JSON tree (a 10,000-asset plant is tens of megabytes of SBOM).

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Bom<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    bom_format: &'static str,
    spec_version: &'static str,
    serial_number: String,
    version: u32,
    metadata: Metadata<'a>,
    components: &'a [Device<'a>],
    dependencies: &'a [Dependency],
}

#[derive(Serialize)]
struct Metadata<'a> {
    timestamp: String,
    tools: Tools<'a>,
    component: Component<'a>,
}

#[derive(Serialize)]
struct Tools<'a> {
    components: [Component<'a>; 1],
}

#[derive(Serialize)]
struct Device<'a> {
    #[serde(flatten)]
    component: Component<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    components: Vec<Component<'a>>,
}

/// The fields of a component kojo writes; `None` and empty ones are left out.
#[derive(Serialize, Default)]
struct Component<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(rename = "bom-ref", skip_serializing_if = "Option::is_none")]
    bom_ref: Option<String>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manufacturer: Option<Entity<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    supplier: Option<Entity<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purl: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cpe: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    properties: Vec<Property>,
}

#[derive(Serialize, Clone, Copy)]
struct Entity<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct Property {
    name: &'static str,
    value: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dependency {
    #[serde(rename = "ref")]
    reference: String,
    depends_on: Vec<String>,
}

pub fn render(view: &LedgerView) -> String {
    let components: Vec<Device<'_>> = view.assets.iter().map(device).collect();
    let dependencies: Vec<Dependency> = components
        .iter()
        .filter(|d| !d.components.is_empty())
        .map(|d| Dependency {
            reference: d.component.bom_ref.clone().unwrap_or_default(),
            depends_on: d.components.iter().filter_map(|c| c.bom_ref.clone()).collect(),
        })
        .collect();
    let content = serde_json::to_vec(&(&components, &dependencies)).unwrap_or_default();
    let plant = Component {
        kind: "device",
        bom_ref: Some(format!("plant:{}", view.plant_code)),
        name: &view.plant_code,
        description: view.plant_name.as_deref(),
        properties: vec![Property { name: "kojo:project", value: view.project.clone() }],
        ..Component::default()
    };
    let kojo =
        Component { kind: "application", name: "kojo", version: Some(view.kojo_version), ..Component::default() };
    let bom = Bom {
        schema: SCHEMA,
        bom_format: "CycloneDX",
        spec_version: SPEC_VERSION,
        serial_number: format!("urn:uuid:{}", serial(&view.project, &view.date, &content)),
        version: 1,
        metadata: Metadata {
            timestamp: format!("{}T00:00:00Z", view.date),
            tools: Tools { components: [kojo] },
            component: plant,
        },
        components: &components,
        dependencies: &dependencies,
    };
    let mut text = serde_json::to_string_pretty(&bom).unwrap_or_default();
    text.push('\n');
    text
}

fn device(asset: &AssetRow) -> Device<'_> {
    let vendor = asset.vendor.as_deref().map(|name| Entity { name });
    let mut nested = Vec::new();
    if let Some(version) = &asset.firmware {
        nested.push(Component {
            kind: "firmware",
            bom_ref: Some(format!("asset:{}#firmware", asset.name)),
            name: asset.model.as_deref().unwrap_or(&asset.name),
            version: Some(version),
            manufacturer: vendor,
            ..Component::default()
        });
    }
    for (i, software) in asset.components.iter().enumerate() {
        nested.push(Component {
            kind: software.kind,
            bom_ref: Some(format!("asset:{}#component-{}", asset.name, i + 1)),
            name: &software.name,
            version: software.version.as_deref(),
            supplier: software.vendor.as_deref().map(|name| Entity { name }),
            purl: software.purl.as_deref(),
            cpe: software.cpe.as_deref(),
            ..Component::default()
        });
    }
    Device {
        component: Component {
            kind: "device",
            bom_ref: Some(format!("asset:{}", asset.name)),
            name: &asset.name,
            description: asset.title.as_deref(),
            manufacturer: vendor,
            supplier: vendor,
            properties: properties(asset),
            ..Component::default()
        },
        components: nested,
    }
}

fn properties(asset: &AssetRow) -> Vec<Property> {
    let mut out = Vec::new();
    let mut add = |name: &'static str, value: String| out.push(Property { name, value });
    if let Some(zone) = &asset.zone {
        add("kojo:zone", zone.clone());
    }
    for zone in &asset.other_zones {
        add("kojo:other-zone", zone.clone());
    }
    add("kojo:kind", asset.kind.id.clone());
    if let Some(tier) = &asset.tier {
        add("kojo:tier", tier.id.clone());
    }
    for address in &asset.addresses {
        match &address.zone {
            Some(zone) => add("kojo:interface", format!("{zone} {}", address.address)),
            None => add("kojo:address", address.address.clone()),
        }
    }
    if let Some(model) = &asset.model {
        add("kojo:model", model.clone());
    }
    for service in &asset.services {
        add("kojo:service", service.clone());
    }
    for control in &asset.controls {
        add("kojo:control", control.id.clone());
    }
    for capability in &asset.capabilities {
        add("kojo:capability", capability.clone());
    }
    for port in &asset.ports {
        add("kojo:port", format!("{} {}", port.port, port.state));
    }
    for waiver in &asset.waivers {
        add("kojo:waiver", format!("{} until {}", waiver.rules.join(","), waiver.until));
    }
    out
}

/// A v5 UUID of the project, the date and the inventory.
fn serial(project: &str, date: &str, content: &[u8]) -> String {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:kojo:cyclonedx");
    let mut name = format!("{project}\n{date}\n").into_bytes();
    name.extend_from_slice(content);
    Uuid::new_v5(&namespace, &name).to_string()
}

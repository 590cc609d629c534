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

use serde_json::{json, Value};
use uuid::Uuid;

use super::view::{AssetRow, LedgerView};

const SPEC_VERSION: &str = "1.6";

pub fn render(view: &LedgerView) -> String {
    let components: Vec<Value> = view.assets.iter().map(device).collect();
    let dependencies: Vec<Value> = view
        .assets
        .iter()
        .map(|a| (reference(a), nested(a).iter().filter_map(|c| c.get("bom-ref").and_then(Value::as_str).map(String::from)).collect()))
        .filter(|(_, runs): &(String, Vec<String>)| !runs.is_empty())
        .map(|(device, runs)| json!({ "ref": device, "dependsOn": runs }))
        .collect();
    let mut plant = json!({
        "type": "device",
        "bom-ref": format!("plant:{}", view.plant_code),
        "name": view.plant_code,
        "properties": [{ "name": "kojo:project", "value": view.project }],
    });
    if let (Some(name), Some(fields)) = (&view.plant_name, plant.as_object_mut()) {
        fields.insert("description".to_string(), json!(name));
    }
    let content = json!([components, dependencies]).to_string();
    let serial = serial(&view.project, &view.date, &content);
    let document = json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": format!("urn:uuid:{serial}"),
        "version": 1,
        "metadata": {
            "timestamp": format!("{}T00:00:00Z", view.date),
            "tools": { "components": [{ "type": "application", "name": "kojo", "version": view.kojo_version }] },
            "component": plant,
        },
        "components": components,
        "dependencies": dependencies,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn reference(asset: &AssetRow) -> String {
    format!("asset:{}", asset.name)
}

fn firmware_ref(asset: &AssetRow) -> String {
    format!("asset:{}#firmware", asset.name)
}

fn device(asset: &AssetRow) -> Value {
    let mut component = json!({
        "type": "device",
        "bom-ref": reference(asset),
        "name": asset.name,
        "properties": properties(asset),
    });
    let Some(fields) = component.as_object_mut() else { return component };
    if let Some(title) = &asset.title {
        fields.insert("description".to_string(), json!(title));
    }
    if let Some(vendor) = &asset.vendor {
        fields.insert("manufacturer".to_string(), json!({ "name": vendor }));
        fields.insert("supplier".to_string(), json!({ "name": vendor }));
    }
    let nested = nested(asset);
    if !nested.is_empty() {
        fields.insert("components".to_string(), Value::Array(nested));
    }
    component
}

/// What the device runs: its firmware, then its software in source order.
fn nested(asset: &AssetRow) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(version) = &asset.firmware {
        let mut firmware = json!({
            "type": "firmware",
            "bom-ref": firmware_ref(asset),
            "name": asset.model.as_deref().unwrap_or(&asset.name),
            "version": version,
        });
        if let (Some(vendor), Some(f)) = (&asset.vendor, firmware.as_object_mut()) {
            f.insert("manufacturer".to_string(), json!({ "name": vendor }));
        }
        out.push(firmware);
    }
    for (i, software) in asset.components.iter().enumerate() {
        let mut component = json!({
            "type": software.kind,
            "bom-ref": format!("asset:{}#component-{}", asset.name, i + 1),
            "name": software.name,
        });
        if let Some(fields) = component.as_object_mut() {
            let optional = [("version", &software.version), ("purl", &software.purl), ("cpe", &software.cpe)];
            for (key, value) in optional {
                if let Some(value) = value {
                    fields.insert(key.to_string(), json!(value));
                }
            }
            if let Some(vendor) = &software.vendor {
                fields.insert("supplier".to_string(), json!({ "name": vendor }));
            }
        }
        out.push(component);
    }
    out
}

fn properties(asset: &AssetRow) -> Vec<Value> {
    let mut out = Vec::new();
    let mut add = |name: &str, value: &str| out.push(json!({ "name": format!("kojo:{name}"), "value": value }));
    if let Some(zone) = &asset.zone {
        add("zone", zone);
    }
    for zone in &asset.other_zones {
        add("other-zone", zone);
    }
    add("kind", &asset.kind.id);
    if let Some(tier) = &asset.tier {
        add("tier", &tier.id);
    }
    for address in &asset.addresses {
        match &address.zone {
            Some(zone) => add("interface", &format!("{zone} {}", address.address)),
            None => add("address", &address.address),
        }
    }
    if let Some(model) = &asset.model {
        add("model", model);
    }
    for service in &asset.services {
        add("service", service);
    }
    for control in &asset.controls {
        add("control", &control.id);
    }
    for capability in &asset.capabilities {
        add("capability", capability);
    }
    for port in &asset.ports {
        add("port", &format!("{} {}", port.port, port.state));
    }
    for waiver in &asset.waivers {
        add("waiver", &format!("{} until {}", waiver.rules.join(","), waiver.until));
    }
    out
}

/// A v5 UUID of the project, the date and the inventory.
fn serial(project: &str, date: &str, content: &str) -> String {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:kojo:cyclonedx");
    Uuid::new_v5(&namespace, format!("{project}\n{date}\n{content}").as_bytes()).to_string()
}

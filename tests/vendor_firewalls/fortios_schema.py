"""Extracts tests/vendor_firewalls/fortios-schema.json from Fortinet's
Ansible collection fortinet.fortios (its modules carry FortiOS's CLI schema
per version, as `v_range`). The collection ships in the PyPI package
`ansible`; run from the directory the wheel was unpacked in:

    pip download --no-deps ansible==12.3.0 && unzip -q ansible-12.3.0-py3-none-any.whl
    python3 tests/vendor_firewalls/fortios_schema.py ansible_collections/fortinet/fortios > tests/vendor_firewalls/fortios-schema.json

Only the tables kojo writes are kept, with each setting's version ranges
and its options' ranges; CLI names use `-` where the modules use `_`.
"""

import ast
import json
import re
import sys

TABLES = {
    "firewall address": "firewall_address",
    "firewall address6": "firewall_address6",
    "firewall addrgrp": "firewall_addrgrp",
    "firewall addrgrp6": "firewall_addrgrp6",
    "firewall service custom": "firewall_service_custom",
    "firewall schedule recurring": "firewall_schedule_recurring",
    "firewall schedule group": "firewall_schedule_group",
    "firewall policy": "firewall_policy",
    "user group": "user_group",
    "system settings": "system_settings",
}


def schema(root, module):
    src = open(f"{root}/plugins/modules/fortios_{module}.py").read()
    start = src.index("versioned_schema = ") + len("versioned_schema = ")
    depth = 0
    for end, c in enumerate(src[start:], start=start):
        depth += c == "{"
        depth -= c == "}"
        if depth == 0:
            break
    # A literal only: the module's text is data here, never code to run.
    return ast.literal_eval(src[start : end + 1])


def main(root):
    manifest = json.load(open(f"{root}/MANIFEST.json"))["collection_info"]
    versions = set()
    tables = {}
    for table, module in TABLES.items():
        data = schema(root, module)
        versions.update(re.findall(r"v\d+\.\d+\.\d+", repr(data)))
        settings = {}
        for key, child in sorted(data["children"].items()):
            entry = {"v_range": child.get("v_range") or child.get("children", {}).get("name", {}).get("v_range")}
            options = {o["value"]: o.get("v_range", entry["v_range"]) for o in child.get("options", [])}
            if options:
                entry["options"] = options
            settings[key.replace("_", "-")] = entry
        tables[table] = settings
    order = lambda v: tuple(int(n) for n in v[1:].split("."))
    print(json.dumps({
        "source": f"Ansible collection {manifest['namespace']}.{manifest['name']} {manifest['version']} (PyPI package ansible 12.3.0), plugins/modules/fortios_*.py versioned_schema",
        "versions": sorted(versions, key=order),
        "tables": tables,
    }, indent=1, sort_keys=True))


main(sys.argv[1])

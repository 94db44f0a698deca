#!/usr/bin/env bash
# Re-downloads the SARIF 2.1.0 JSON Schema from OASIS; compare the printed
# checksum with SOURCE.md and update both when OASIS publishes a new errata.
set -euo pipefail
cd "$(dirname "$0")"
curl -fsSL -o sarif-schema-2.1.0.json \
  https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json
sha256sum sarif-schema-2.1.0.json

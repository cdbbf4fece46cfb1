#!/usr/bin/env bash
# Copies pinned front-end assets from node_modules (installed from package-lock.json) into Django's
# static folder. Nothing is downloaded at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/govuk-frontend ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
out=safehold/frontend/static/vendor
rm -rf "$out"; mkdir -p "$out/govuk" "$out/moj"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/govuk/"
cp -r node_modules/govuk-frontend/dist/govuk/assets "$out/govuk/assets"
# The stylesheet points at /assets/; serve them from our static path instead.
sed -i "s|url(/assets/|url(/static/vendor/govuk/assets/|g" "$out/govuk/govuk-frontend.min.css"
cp node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.css node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js "$out/moj/" 2>/dev/null || true
cp node_modules/axe-core/axe.min.js "$out/axe.min.js"
echo "assets built in $out"

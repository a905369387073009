#!/usr/bin/env bash
# Vendor the query page's JavaScript into package data: YASGUI (the SPARQL editor and result
# viewer users of Oxigraph, Fuseki and GraphDB know) and Chart.js (the chart of aggregate results).
# Both come from the npm registry by exact version through `npm pack` (which checks the tarball's
# integrity); only the built browser files are kept, with a record of name, version, licence and
# integrity beside them. The page serves them itself: no CDN, nothing fetched at run time.
#
#   scripts/vendor_yasgui.sh            # the pinned versions below
#   YASGUI_VERSION=4.6.3 scripts/vendor_yasgui.sh
set -euo pipefail

YASGUI_VERSION="${YASGUI_VERSION:-4.6.2}"
CHARTJS_VERSION="${CHARTJS_VERSION:-4.6.1}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/miner/data/assets/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

fetch() {  # fetch NAME VERSION -> unpacked into $WORK/NAME/package
  local name="$1" version="$2" dir="$WORK/${1//[@\/]/_}"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$name@$version" >/dev/null && tar xzf ./*.tgz)
  echo "$dir/package"
}

record() {  # record NAME VERSION PACKAGE_DIR FILES... -> one block of VENDORED.txt
  local name="$1" version="$2" pkg="$3"; shift 3
  local licence integrity
  licence="$(node -p "require('$pkg/package.json').license")"
  integrity="$(npm view "$name@$version" dist.integrity)"
  printf '%s %s\n  licence: %s\n  integrity: %s\n  files: %s\n' "$name" "$version" "$licence" "$integrity" "$*"
}

mkdir -p "$DEST"
yasgui="$(fetch @zazuko/yasgui "$YASGUI_VERSION")"
cp "$yasgui/build/yasgui.min.js" "$yasgui/build/yasgui.min.css" "$DEST/"
# Patch: YASR fills `{{name}}` inside a literal with the row's ?name before the table shows it
# (applyMustacheToLiterals), so a cell showed what the graph does not hold. Values are shown as
# they are: the function becomes the identity. The script stops if the code is not found once.
node -e "
const fs = require('fs'), file = process.argv[1];
const code = fs.readFileSync(file, 'utf8');
const from = 'var applyMustacheToLiterals=e=>{for(let t in e)e[t].type!==\\\`uri\\\`&&(e[t].value=e[t].value.replace(/{{(.*?)}}/g,t=>(t=t.substring(2,t.length-2).trim(),e[t]?e[t].value:t)));return e}';
if (code.split(from).length !== 2) { console.error('yasgui.min.js: applyMustacheToLiterals not found once; review the patch'); process.exit(1); }
fs.writeFileSync(file, code.replace(from, 'var applyMustacheToLiterals=e=>e'));
" "$DEST/yasgui.min.js"
chart="$(fetch chart.js "$CHARTJS_VERSION")"
cp "$chart/dist/chart.umd.min.js" "$DEST/chart.umd.min.js"

# The YASGUI tarball carries no licence file: its package.json says MIT, author Triply, contributor Zazuko.
node -e "
const p = require('$yasgui/package.json');
const who = [p.author, ...(p.contributors || []).map(c => c.name || c)].join(', ');
process.stdout.write('MIT License\n\nCopyright (c) ' + who + '\n\n' + require('fs').readFileSync(process.argv[1], 'utf8'));
" "$ROOT/scripts/MIT-permission.txt" > "$DEST/LICENSE-yasgui.txt"
cp "$chart/LICENSE.md" "$DEST/LICENSE-chartjs.md"
{
  echo "Vendored by scripts/vendor_yasgui.sh; do not edit these files, rerun the script."
  record @zazuko/yasgui "$YASGUI_VERSION" "$yasgui" yasgui.min.js yasgui.min.css LICENSE-yasgui.txt
  echo "  patched: yasgui.min.js, applyMustacheToLiterals made the identity: YASR filled {{name}} in a literal"
  echo "    with the row's ?name, so the table showed what the graph does not hold (literals shown as they are)"
  record chart.js "$CHARTJS_VERSION" "$chart" chart.umd.min.js LICENSE-chartjs.md
} > "$DEST/VENDORED.txt"
ls -l "$DEST"

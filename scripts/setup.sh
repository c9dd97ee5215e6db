#!/usr/bin/env bash
# Idempotent set-up for the demo and the tests on a fresh Debian/Ubuntu machine:
# the real services the tests talk to (from Debian packages), the npm dependencies, and a Node 24
# binary (from the npm registry) when the machine's Node is older.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=''
[ "$(id -u)" = 0 ] || sudo='sudo'

# command -> Debian package
declare -A packages=(
  [prometheus]=prometheus
  [influxd]=influxdb
  [openssl]=openssl
  [buildah]=buildah
  [docker-registry]=docker-registry
  [git]=git
  # gitlab-ci-local copies job artifacts with rsync
  [rsync]=rsync
)
missing=()
for command in "${!packages[@]}"; do
  command -v "$command" >/dev/null 2>&1 || [ -x "/usr/bin/$command" ] || missing+=("${packages[$command]}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]} from Debian packages"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts packaged daemons on install where it can; the tests run their own on loopback ports.
for service in prometheus influxdb docker-registry; do
  $sudo service "$service" stop >/dev/null 2>&1 || true
done

# buildah refuses to pull or push without a signature policy; the tests only use local images.
if [ ! -f /etc/containers/policy.json ]; then
  $sudo mkdir -p /etc/containers
  echo '{"default":[{"type":"insecureAcceptAnything"}]}' | $sudo tee /etc/containers/policy.json >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The action runs on node24 and gitlab-ci-local needs Node >= 22: when the machine's Node is older, the
# tests run those parts (and the unit tests, a second time) with this Node 24 binary, the official build
# published on the npm registry as node-<os>-<cpu>. The tests find it at .tools/node24/bin/node.
NODE24_VERSION=24.22.3
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 24 ]; then
  case "$(uname -m)" in
    x86_64 | amd64) cpu=x64 ;;
    aarch64 | arm64) cpu=arm64 ;;
    *) echo "setup: no Node 24 binary package for $(uname -m)" >&2; exit 1 ;;
  esac
  dir=.tools/node24
  binary="$dir/node_modules/node-linux-$cpu/bin/node"
  if [ "$("$binary" --version 2>/dev/null)" != "v$NODE24_VERSION" ]; then
    echo "setup: installing Node $NODE24_VERSION (npm package node-linux-$cpu) into $dir"
    rm -rf "$dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "node-linux-$cpu@$NODE24_VERSION"
  fi
  mkdir -p "$dir/bin"
  ln -sfn "../node_modules/node-linux-$cpu/bin/node" "$dir/bin/node"
  "$dir/bin/node" --version >/dev/null
fi

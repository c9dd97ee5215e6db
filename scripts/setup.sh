#!/usr/bin/env bash
# Idempotent set-up for the demo and the tests on a fresh Debian/Ubuntu machine:
# the real services the tests talk to (from Debian packages) and the npm dependencies.
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

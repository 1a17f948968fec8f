#!/usr/bin/env bash
# Debian packages the tests use for real inputs (container tools, a registry,
# compilers that make real binaries and archives). Installs what is missing;
# fails loudly when it cannot.
set -euo pipefail

packages=(
  # images, registry, engine
  podman skopeo debootstrap docker-registry runc uidmap apache2-utils openssl zstd
  golang-docker-credential-helpers pass gnupg
  # real Go binaries and Java archives
  golang-go openjdk-17-jdk-headless zip unzip binutils
  libcommons-lang3-java libslf4j-java libguice-java libaopalliance-java
  golang-github-pkg-errors-dev golang-github-google-uuid-dev golang-github-spf13-pflag-dev
  # the real tools each version scheme is compared against
  rpm ruby python3-packaging libmaven3-core-java golang-golang-x-mod-dev php-cli php-composer-semver
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

echo "installing Debian packages the tests need: ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "error: not root; install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
  apt-get update >&2
  apt-get install -y --no-install-recommends "${missing[@]}" >&2 || {
    echo "error: could not install: ${missing[*]}" >&2
    exit 1
  }
fi

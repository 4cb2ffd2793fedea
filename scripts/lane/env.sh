# The Windows lane's locations and pins, sourced by the lane scripts.
LANE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LANE_NODE_VERSION=22.23.3
LANE_NODE_DIR="$LANE_ROOT/.cache/node-win"
LANE_NODE_EXE="$LANE_NODE_DIR/node.exe"
LANE_WINE=/usr/lib/wine/wine64
LANE_WINESERVER=/usr/lib/wine/wineserver64
LANE_DEBIAN_PACKAGES=(
  wine64
  g++-mingw-w64-x86-64-posix
  mingw-w64-x86-64-dev
  mingw-w64-tools
  clang-14
  clang-format
  # ntlm_auth: Wine's NTLM/Negotiate packages run it, so auth options can reach its runtime.
  winbind
  cmake
  make
  python3
)
export WINEPREFIX="$LANE_ROOT/.cache/wine/prefix"
export WINEDEBUG=-all
# Wine must not try to install Mono or Gecko (no network) or pop up dialogs.
export WINEDLLOVERRIDES="mscoree,mshtml="

#!/usr/bin/env bash
# Builds the Tessera server's container image with Debian's podman (docs/container.md), from nothing
# but Debian's mirror, the npm cache/registry and this clone — no image registry:
#   1. a Debian bookworm base made with debootstrap and `podman import`ed (once; kept as $BASE),
#   2. the packed @tessera/protocol and @tessera/server installed from their tarballs into a staging
#      directory, with the host's Node.js binary next to them,
#   3. deploy/container/Containerfile built on the base with that directory as its context.
# Needs `npm run build` first, root, and: apt-get install podman runc debootstrap
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${TESSERA_IMAGE:-localhost/tessera:latest}"
BASE="${TESSERA_BASE_IMAGE:-localhost/tessera-base:bookworm}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# crun 1.8 (bookworm's default runtime) refuses a cgroup v1/v2 hybrid host such as this CI's VM;
# runc runs there. On a pure cgroup v2 host either works.
RUNTIME="${TESSERA_OCI_RUNTIME:-runc}"

fail() {
  echo "build-image: $*" >&2
  exit 1
}

for tool in podman "$RUNTIME"; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install podman runc debootstrap)"
done
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' ||
  fail "Node.js $(node --version) is too old: the image copies the host's node, Tessera needs 20.19 or newer"
[ -f packages/server/dist/cli/main.js ] && [ -f packages/server/dist/console/index.html ] ||
  fail 'packages/server is not built: run `npm run build` first'

work="$(mktemp -d "${TMPDIR:-/tmp}/tessera-image.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if ! podman image exists "$BASE"; then
  command -v debootstrap >/dev/null || fail 'debootstrap is not installed (apt-get install debootstrap)'
  echo "build-image: making the base $BASE with debootstrap from $MIRROR (about a minute)…"
  debootstrap --variant=minbase bookworm "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; fail 'debootstrap failed'; }
  # The image never runs apt: its package lists and downloaded packages are 80 MB of nothing.
  rm -rf "$work"/rootfs/var/lib/apt/lists/* "$work"/rootfs/var/cache/apt/*
  tar -C "$work/rootfs" -c . |
    podman import --message 'debootstrap --variant=minbase bookworm' - "$BASE" >"$work/import.log" 2>&1 ||
    { tail -n 20 "$work/import.log" >&2; fail 'podman import failed'; }
  rm -rf "$work/rootfs"
fi

echo 'build-image: packing and installing @tessera/protocol and @tessera/server…'
mkdir -p "$work/packs" "$work/context/app"
node --import tsx -e "import('./scripts/packages.ts').then((packages) => packages.packCopies(process.argv[1]))" \
  "$work/packs" >/dev/null
printf '{ "name": "tessera-image", "private": true, "type": "module" }\n' >"$work/context/app/package.json"
# better-sqlite3's install script would look for a prebuilt addon on GitHub (unreachable here) and
# then compile SQLite (two minutes): the workspace's addon of the same version, built on this host
# for this node, is copied in instead — the image runs the very same node binary.
(cd "$work/context/app" && npm install --omit=dev --no-audit --no-fund --prefer-offline --ignore-scripts \
  --loglevel=error "$work"/packs/tessera-protocol-*.tgz "$work"/packs/tessera-server-*.tgz >/dev/null)
version_of() { node -p 'require(process.argv[1]).version' "$(readlink -f "$1")/package.json"; }
workspace_sqlite=node_modules/better-sqlite3
image_sqlite="$work/context/app/node_modules/better-sqlite3"
[ "$(version_of "$workspace_sqlite")" = "$(version_of "$image_sqlite")" ] ||
  fail "better-sqlite3 $(version_of "$image_sqlite") in the image, $(version_of "$workspace_sqlite") in the workspace: run npm ci"
mkdir -p "$image_sqlite/build/Release"
cp "$workspace_sqlite/build/Release/better_sqlite3.node" "$image_sqlite/build/Release/"
cp "$(readlink -f "$(command -v node)")" "$work/context/node"

echo "build-image: building $IMAGE…"
podman build --runtime "$RUNTIME" --build-arg "BASE=$BASE" --file deploy/container/Containerfile \
  --tag "$IMAGE" "$work/context" >"$work/build.log" 2>&1 ||
  { tail -n 30 "$work/build.log" >&2; fail 'podman build failed'; }
echo "build-image: $IMAGE ($(podman image inspect --format '{{.Size}}' "$IMAGE" | numfmt --to=si)B)"

#!/usr/bin/env bash
# Builds the real test images (a debootstrapped Debian bookworm and images
# built on it with podman) plus their oracles, and caches them.
#
#   bash scripts/test-fixtures.sh            build what is missing or stale
#   PORTCULLIS_TEST_REBUILD=1 ...            rebuild everything (or: =node,go)
#   PORTCULLIS_BENCH_LARGE=1 ...             also build the ~2 GB "large" image
#   PORTCULLIS_TEST_VERBOSE=1 ...            show tool output, not only progress
#
# Cache: ${PORTCULLIS_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/portcullis-test}
# Each step is rebuilt only when its key changes: the step's own function text,
# its Dockerfile directory under test/fixtures/, and the build of its parent.
# <cache>/fixtures.json lists every artefact; test/support/fixtures.ts reads it.
# See docs/testing.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/host-setup.sh
source "$root/scripts/lib/host-setup.sh"

readonly FORMAT=1
readonly PREFIX=localhost/portcullis-test
readonly FIXTURES_SRC="$root/test/fixtures"
# shellcheck disable=SC2016 # dpkg-query expands these, not the shell
readonly DPKG_FORMAT='${Package}\t${Version}\t${source:Package}\t${source:Version}\t${Architecture}\n'
readonly WHITEOUT_PURGE=bsdutils
cache=${PORTCULLIS_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/portcullis-test}
no_cache=""

image_ref() {
  if [[ $1 == bookworm ]]; then echo "$PREFIX/bookworm:12"; else echo "$PREFIX/$1:latest"; fi
}

# run_logged STEP CMD...: output goes to the step's log (and stderr when
# verbose); on failure, show the log's tail and stop.
run_logged() {
  local step=$1 logfile="$cache/logs/$1.log" rc=0
  shift
  printf '\n$ %s\n' "$*" >>"$logfile"
  if [[ ${PORTCULLIS_TEST_VERBOSE:-} == 1 ]]; then
    "$@" 2>&1 | tee -a "$logfile" >&2 || rc=$?
  else
    "$@" >>"$logfile" 2>&1 || rc=$?
  fi
  if ((rc != 0)); then
    tail -n 40 "$logfile" >&2
    die "$step: '$*' failed (exit $rc); full log: $logfile"
  fi
}

# rm -rf that never crosses into a mounted filesystem: a failed debootstrap can
# leave /proc, /sys or a bind-mounted /dev inside the rootfs it was building.
remove_tree() { # DIR
  local m
  [[ -e $1 ]] || return 0
  while IFS= read -r m; do
    umount -l "$m" 2>/dev/null || true
  done < <(awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r)
  rm -rf --one-file-system "$1"
}

# Images our tags used to point at; removed once a run succeeds (a failed run
# leaves them listed for the next one).
remember_replaced() { # OLD-ID REF
  local now
  now=$(podman image inspect --format '{{.Id}}' "$2")
  [[ -z $1 || $1 == "$now" ]] || echo "$1" >>"$cache/.replaced-images"
}

remove_replaced() {
  local list="$cache/.replaced-images" id keep=()
  [[ -f $list ]] || return 0
  # newest first, so children go before the bases they were built on
  while IFS= read -r id; do
    podman image exists "$id" || continue
    # still tagged (by us again, or by someone else): not ours to remove
    [[ $(podman image inspect --format '{{len .RepoTags}}' "$id") == 0 ]] || continue
    podman rmi "$id" >/dev/null 2>&1 || keep+=("$id")
  done < <(tac "$list")
  if ((${#keep[@]})); then printf '%s\n' "${keep[@]}" | tac >"$list"; else rm -f "$list"; fi
}

# --- helpers whose text is part of the keys of the steps using them ----------

podman_build() { # NAME PARENT CONTEXT [BUILD-ARG...]
  local name=$1 parent=$2 ctx=$3 ref old
  shift 3
  ref=$(image_ref "$name")
  old=$(podman image inspect --format '{{.Id}}' "$ref" 2>/dev/null || true)
  local args=(--pull=never --build-arg "BASE=$(image_ref "$parent")" -f "$FIXTURES_SRC/$name/Dockerfile" -t "$ref")
  local a
  for a in "$@"; do args+=(--build-arg "$a"); done
  [[ -n $no_cache ]] && args+=(--no-cache)
  run_logged "$name" podman build "${args[@]}" "$ctx"
  remember_replaced "$old" "$ref"
}

# docker-archive of the image and the dpkg oracle read inside it.
image_outputs() { # NAME OUT
  local ref
  ref=$(image_ref "$1")
  run_logged "$1" podman save --format docker-archive -o "$2/$1.docker.tar" "$ref"
  podman run --rm --network=none "$ref" dpkg-query -W -f "$DPKG_FORMAT" >"$2/$1.dpkg.tsv" \
    || die "$1: dpkg-query in $ref failed"
}

extract_from_image() { # NAME PATH-IN-IMAGE DEST
  local cid rc=0
  mkdir -p "$(dirname "$3")"
  cid=$(podman create "$(image_ref "$1")")
  podman cp "$cid:$2" "$3" || rc=$?
  podman rm -f "$cid" >/dev/null
  ((rc == 0)) || die "$1: could not copy $2 out of the image"
}

# Every package.json at a package position under /app/node_modules of the
# final filesystem: in-image path, name, version.
node_modules_oracle() { # NAME OUT-FILE
  local tmp
  tmp=$(mktemp -d)
  extract_from_image "$1" /app/node_modules "$tmp/node_modules"
  # shellcheck disable=SC2016 # JavaScript template literals
  node -e '
    const fs = require("fs"), path = require("path");
    const rows = [];
    const walk = (dir, rel) => {
      if (!fs.existsSync(dir)) return;
      for (const n of fs.readdirSync(dir).sort()) {
        if (n.startsWith(".")) continue;
        if (n.startsWith("@")) {
          for (const s of fs.readdirSync(path.join(dir, n)).sort()) pkg(path.join(dir, n, s), `${rel}${n}/${s}`);
        } else pkg(path.join(dir, n), rel + n);
      }
    };
    const pkg = (dir, rel) => {
      const file = path.join(dir, "package.json");
      if (!fs.existsSync(file)) return;
      const { name, version } = JSON.parse(fs.readFileSync(file, "utf8"));
      rows.push(`${rel}/package.json\t${name}\t${version}\n`);
      walk(path.join(dir, "node_modules"), `${rel}/node_modules/`);
    };
    walk(process.argv[1], "/app/node_modules/");
    process.stdout.write(rows.join(""));
  ' "$tmp/node_modules" >"$2"
  rm -rf "$tmp"
}

# Whiteout entries in each layer of a docker-archive: layer index, layer file, path.
whiteout_entries() { # ARCHIVE
  local i=0 layer
  while IFS= read -r layer; do
    tar -xOf "$1" "$layer" | tar -t | awk -v i="$i" -v l="$layer" '/(^|\/)\.wh\./ { print i "\t" l "\t" $0 }'
    i=$((i + 1))
  done < <(tar -xOf "$1" manifest.json | node -e '
    const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
    process.stdout.write(m[0].Layers.map((l) => l + "\n").join(""));')
}

# COUNT random characters from the tr(1) character SET.
random_chars() { # SET COUNT
  local s=""
  while ((${#s} < $2)); do s+=$(head -c 512 /dev/urandom | LC_ALL=C tr -dc "$1"); done
  printf '%s' "${s:0:$2}"
}

# The image config (JSON) of a docker-archive.
archive_config() { # ARCHIVE
  local config
  config=$(tar -xOf "$1" manifest.json | node -e '
    process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8"))[0].Config);')
  tar -xOf "$1" "$config"
}

# --- steps: build_NAME OUT writes the step's artefacts into OUT ---------------

build_bookworm() {
  local out=$1 rootfs="$1/rootfs" ref mirror
  ref=$(image_ref bookworm)
  mirror=$(debian_mirror)
  log "bookworm: debootstrap --variant=minbase bookworm from $mirror"
  run_logged bookworm debootstrap --variant=minbase bookworm "$rootfs" "$mirror"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
  mkdir -p "$rootfs/var/lib/apt/lists/partial"
  # like published base images: no device nodes, nothing of this host's network
  find "$rootfs/dev" -mindepth 1 -delete
  rm -f "$rootfs/etc/hostname"
  : >"$rootfs/etc/resolv.conf"
  local old
  old=$(podman image inspect --format '{{.Id}}' "$ref" 2>/dev/null || true)
  tar --numeric-owner -C "$rootfs" -c . \
    | run_logged bookworm podman import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["/bin/bash"]' - "$ref"
  remember_replaced "$old" "$ref"
  run_logged bookworm podman save --format docker-archive -o "$out/bookworm.docker.tar" "$ref"
  run_logged bookworm podman save --format oci-archive -o "$out/bookworm.oci.tar" "$ref"
  run_logged bookworm skopeo copy "containers-storage:$ref" "oci:$out/bookworm-oci:12"
  run_logged bookworm skopeo copy --dest-compress-format zstd "containers-storage:$ref" "oci:$out/bookworm-oci-zstd:12"
  dpkg-query --admindir="$rootfs/var/lib/dpkg" -W -f "$DPKG_FORMAT" >"$out/bookworm.dpkg.tsv"
}

build_node() {
  local out=$1 app="$1/context/app"
  mkdir -p "$app"
  cp "$FIXTURES_SRC/node/package.json" "$app/package.json"
  # npm's defaults, whatever the host's npmrc says: lockfile entries carry "resolved"
  (cd "$app" && export npm_config_update_notifier=false npm_config_omit_lockfile_registry_resolved=false \
    && run_logged node npm install --no-audit --no-fund lodash@4.17.15 minimist@1.2.0 express@4.17.1)
  (cd "$app" && npm ls --all --json) >"$out/node.npm-ls.json" 2>>"$cache/logs/node.log" || die "node: npm ls failed"
  podman_build node bookworm "$out/context"
  image_outputs node "$out"
  node_modules_oracle node "$out/node.node-modules.tsv"
}

build_go() {
  local out=$1 tmp
  mkdir -p "$out/context"
  build_htmltext "$out/htmltext" "$out/context/htmltext"
  podman_build go bookworm "$out/context"
  image_outputs go "$out"
  tmp=$(mktemp -d)
  extract_from_image go /opt/tools/skopeo "$tmp/opt/tools/skopeo"
  extract_from_image go /opt/tools/htmltext "$tmp/opt/tools/htmltext"
  (cd "$tmp" && go version -m opt/tools/skopeo) >"$out/go.version-m.txt" || die "go: go version -m failed"
  (cd "$tmp" && go version -m opt/tools/htmltext) >"$out/go.htmltext.version-m.txt" || die "go: go version -m failed"
  rm -rf "$tmp"
  grep -q $'^\tdep\tgolang.org/x/net\t' "$out/go.htmltext.version-m.txt" || die "go: htmltext lists no golang.org/x/net dependency"
}

# Builds test/fixtures/go/htmltext in module mode, offline: golang.org/x/net is
# vendored from Debian's source package at the upstream version Debian ships.
build_htmltext() { # WORK-DIR BINARY
  local src=$1/src debs=$1/debs deb xver
  mkdir -p "$src/vendor/golang.org/x/net" "$debs/x"
  cp "$FIXTURES_SRC/go/htmltext/main.go" "$src/"
  (cd "$debs" && apt_download golang-golang-x-net-dev)
  deb=$(echo "$debs"/golang-golang-x-net-dev_*.deb)
  dpkg-deb -x "$deb" "$debs/x"
  xver=$(dpkg-deb -f "$deb" Version | sed -E 's/^[0-9]+://; s/[+~-].*$//')
  cp -a "$debs/x/usr/share/gocode/src/golang.org/x/net/html" "$src/vendor/golang.org/x/net/"
  find "$src/vendor" \( -name '*_test.go' -o -name testdata -prune \) -exec rm -rf {} +
  printf 'module portcullis.test/htmltext\n\ngo 1.19\n\nrequire golang.org/x/net v%s\n' "$xver" >"$src/go.mod"
  printf '# golang.org/x/net v%s\n## explicit\ngolang.org/x/net/html\ngolang.org/x/net/html/atom\n' "$xver" \
    >"$src/vendor/modules.txt"
  (cd "$src" && export CGO_ENABLED=0 GOFLAGS=-mod=vendor GOPROXY=off GOTOOLCHAIN=local \
    && run_logged go go build -trimpath -o "$2" .)
  rm -rf "$1"
}

build_pyjava() {
  local out=$1 ctx="$1/context" debs="$1/debs"
  mkdir -p "$ctx/dist-packages" "$ctx/lib" "$debs/x"
  # dist-info (packaging, typing-extensions, tomli) and egg-info (idna, requests)
  (cd "$debs" && apt_download python3-packaging python3-typing-extensions python3-tomli \
    python3-idna python3-requests libcommons-lang3-java)
  local deb
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$debs/x"; done
  cp -a "$debs/x/usr/lib/python3/dist-packages/." "$ctx/dist-packages/"
  local jar="$debs/x/usr/share/java/commons-lang3.jar" version
  version=$(unzip -p "$jar" META-INF/maven/org.apache.commons/commons-lang3/pom.properties | tr -d '\r' | sed -n 's/^version=//p')
  [[ -n $version ]] || die "pyjava: no pom.properties version in $jar"
  cp "$jar" "$ctx/lib/commons-lang3-$version.jar"
  rm -rf "$debs"
  podman_build pyjava bookworm "$ctx"
  image_outputs pyjava "$out"
  # oracles read straight from the copied files: name, version, in-image path
  local meta site=/usr/local/lib/python3.11/dist-packages
  for meta in "$ctx"/dist-packages/*.dist-info/METADATA "$ctx"/dist-packages/*.egg-info/PKG-INFO; do
    [[ -f $meta ]] || continue
    awk -v p="$site/${meta#"$ctx"/dist-packages/}" '
      { sub(/\r$/, "") } /^$/ { exit }
      /^Name: / { n = substr($0, 7) } /^Version: / { v = substr($0, 10) }
      END { print n "\t" v "\t" p }' "$meta"
  done >"$out/pyjava.python.tsv"
  for jar in "$ctx"/lib/*.jar; do
    unzip -Z1 "$jar" | grep '^META-INF/maven/.*/pom.properties$' | while IFS= read -r props; do
      unzip -p "$jar" "$props" | tr -d '\r' | awk -v p="/opt/app/lib/${jar##*/}" -F= '
        $1 == "groupId" { g = $2 } $1 == "artifactId" { a = $2 } $1 == "version" { v = $2 }
        END { print g "\t" a "\t" v "\t" p }'
    done
  done >"$out/pyjava.maven.tsv"
  [[ $(wc -l <"$out/pyjava.python.tsv") -ge 5 && -s $out/pyjava.maven.tsv ]] || die "pyjava: oracles are incomplete"
}

build_whiteout() {
  local out=$1
  mkdir -p "$out/context"
  podman_build whiteout node "$out/context" "PURGE=$WHITEOUT_PURGE"
  image_outputs whiteout "$out"
  node_modules_oracle whiteout "$out/whiteout.node-modules.tsv"
  whiteout_entries "$out/whiteout.docker.tar" >"$out/whiteout.whiteouts.tsv"
  # Overlay storage turns a directory removed and recreated in one step into an
  # opaque directory; other drivers (vfs) list whiteouts per child instead.
  local opaque plain
  opaque=$(awk -F'\t' '$3 ~ /(^|\/)\.wh\.\.wh\.\.opq$/' "$out/whiteout.whiteouts.tsv" | wc -l)
  plain=$(awk -F'\t' '$3 !~ /(^|\/)\.wh\.\.wh\./' "$out/whiteout.whiteouts.tsv" | wc -l)
  ((opaque >= 1)) || die "whiteout: no .wh..wh..opq in the saved layers (storage driver: $(podman info --format '{{.Store.GraphDriverName}}'); overlay is needed)"
  ((plain >= 3)) || die "whiteout: only $plain .wh. entries in the saved layers"
  ! cut -f1 "$out/whiteout.dpkg.tsv" | grep -qx "$WHITEOUT_PURGE" || die "whiteout: $WHITEOUT_PURGE is still installed"
}

# Secrets in layer files, in a file a later layer deletes, in the config's Env
# and in a RUN's history; all generated fresh here, never committed. Oracle rows:
# where (file, deleted-file, env, history), in-image path or -, rule id, value.
build_secrets() {
  local out=$1 app="$1/context/app"
  mkdir -p "$app/config" "$app/keys" "$app/old"
  local aws_id aws_secret github gitlab stripe key_head
  aws_id=AKIA$(random_chars 'A-Z2-7' 16)
  aws_secret=$(random_chars 'A-Za-z0-9/+' 40)
  github=ghp_$(random_chars 'A-Za-z0-9' 36)
  gitlab=glpat-$(random_chars 'A-Za-z0-9_-' 20)
  stripe=sk_live_$(random_chars 'A-Za-z0-9' 24)
  printf 'AWS_REGION=eu-west-1\nAWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n' "$aws_id" "$aws_secret" >"$app/config/.env"
  printf 'GITHUB_TOKEN=%s\n' "$github" >"$app/old/token.txt"
  run_logged secrets openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$app/keys/deploy_key"
  chmod 600 "$app/keys/deploy_key"
  # the value that must never be printed: a stretch of the base64 body that is
  # the key's own (the first 48 characters are the same for every P-256 key)
  key_head=$(sed -n '3p' "$app/keys/deploy_key" | cut -c1-40)
  [[ $(head -n1 "$app/keys/deploy_key") == "-----BEGIN PRIVATE KEY-----" && ${#key_head} == 40 ]] \
    || die "secrets: openssl wrote no PKCS#8 PEM key"
  podman_build secrets bookworm "$out/context" "GITLAB_TOKEN=$gitlab" "STRIPE_API_KEY=$stripe"
  rm -rf "$out/context"
  image_outputs secrets "$out"
  printf '%s\t%s\t%s\t%s\n' \
    file /app/config/.env PCS-SEC-001 "$aws_id" \
    file /app/config/.env PCS-SEC-002 "$aws_secret" \
    file /app/keys/deploy_key PCS-SEC-015 "$key_head" \
    deleted-file /app/old/token.txt PCS-SEC-007 "$github" \
    env - PCS-SEC-011 "$stripe" \
    history - PCS-SEC-008 "$gitlab" >"$out/secrets.planted.tsv"
  # each secret really is where the oracle says
  local archive="$out/secrets.docker.tar" config layer in_layer=0
  config=$(archive_config "$archive")
  node -e 'for (const h of JSON.parse(process.argv[1]).history ?? []) console.log(h.created_by ?? "");' "$config" \
    | grep -F -- "$gitlab" >/dev/null || die "secrets: the GitLab token is in no history created_by of the image config"
  node -e 'for (const e of JSON.parse(process.argv[1]).config?.Env ?? []) console.log(e);' "$config" \
    | grep -xF -- "STRIPE_API_KEY=$stripe" >/dev/null || die "secrets: STRIPE_API_KEY=<planted value> is not in the image config's Env"
  while IFS= read -r layer; do
    tar -xOf "$archive" "$layer" | tar -t | grep -x 'app/old/token.txt' >/dev/null && in_layer=1
  done < <(tar -xOf "$archive" manifest.json | node -e '
    process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8"))[0].Layers.map((l) => l + "\n").join(""));')
  ((in_layer)) || die "secrets: app/old/token.txt is in no layer of the archive"
  podman run --rm --network=none "$(image_ref secrets)" sh -c \
    'test ! -e /app/old/token.txt && test -s /app/config/.env && test -s /app/keys/deploy_key' \
    || die "secrets: the final filesystem does not have the planted files as expected"
}

build_large() {
  local out=$1
  mkdir -p "$out/context"
  podman_build large bookworm "$out/context"
  image_outputs large "$out"
}

# --- cache keys and the step runner ------------------------------------------

wants_rebuild() {
  local r=${PORTCULLIS_TEST_REBUILD:-}
  [[ $r == 1 || $r == all || $r == true ]] && return 0
  [[ ,${r// /,}, == *",$1,"* ]]
}

# The helpers whose text, besides build_NAME's, is part of NAME's key.
declare -A STEP_HELPERS=(
  [bookworm]=""
  [node]="podman_build image_outputs extract_from_image node_modules_oracle"
  [go]="build_htmltext podman_build image_outputs extract_from_image"
  [pyjava]="podman_build image_outputs"
  [whiteout]="podman_build image_outputs extract_from_image node_modules_oracle whiteout_entries"
  [secrets]="random_chars podman_build image_outputs archive_config"
  [large]="podman_build image_outputs"
)

step_key() { # NAME PARENT...
  local name=$1 p
  shift
  {
    echo "format $FORMAT $PREFIX $DPKG_FORMAT $WHITEOUT_PURGE"
    # shellcheck disable=SC2086 # a list of function names
    declare -f "build_$name" ${STEP_HELPERS[$name]}
    if [[ -d $FIXTURES_SRC/$name ]]; then
      (cd "$FIXTURES_SRC" && find "$name" -type f -print0 | sort -z | xargs -0 sha256sum)
    fi
    for p in "$@"; do echo "parent $p $(cat "$cache/$p/.build-id")"; done
  } | sha256sum | cut -d' ' -f1
}

is_current() { # NAME KEY
  local dir="$cache/$1" f
  [[ -f $dir/.stamp && $(<"$dir/.stamp") == "$2" && -f $dir/.outputs ]] || return 1
  while IFS= read -r f; do [[ -e $dir/$f ]] || return 1; done <"$dir/.outputs"
}

# step NAME PARENT...: build NAME unless its artefacts are current; make sure
# its image is in podman's storage either way (later steps build FROM it).
step() {
  local name=$1 key dir="$cache/$1" ref
  key=$(step_key "$@")
  ref=$(image_ref "$name")
  if ! wants_rebuild "$name" && is_current "$name" "$key"; then
    if ! podman image exists "$ref"; then
      log "$name: loading $ref from the cached archive"
      run_logged "$name" podman load -i "$dir/$name.docker.tar"
    fi
    log "$name: up to date"
    return 0
  fi
  local tmp="$cache/.build/$name" t0=$SECONDS
  no_cache=""
  wants_rebuild "$name" && no_cache=1
  remove_tree "$tmp"
  mkdir -p "$tmp"
  : >"$cache/logs/$name.log"
  log "$name: building (log: $cache/logs/$name.log)"
  "build_$name" "$tmp"
  (cd "$tmp" && find . -mindepth 1 -maxdepth 1 ! -name '.*' -printf '%f\n' | sort) >"$tmp/.outputs"
  echo $((SECONDS - t0)) >"$tmp/.seconds"
  echo "$key" >"$tmp/.stamp"
  echo "$key $(date +%s%N)" >"$tmp/.build-id"
  remove_tree "$dir"
  mv "$tmp" "$dir"
  log "$name: built in $((SECONDS - t0)) s, $(du -sh "$dir" | cut -f1)"
}

write_fixtures_json() {
  local c=$cache args
  args=(
    "cacheDir=$c"
    "bookworm.image=$(image_ref bookworm)" "bookworm.rootfs=$c/bookworm/rootfs"
    "bookworm.dockerArchive=$c/bookworm/bookworm.docker.tar" "bookworm.ociArchive=$c/bookworm/bookworm.oci.tar"
    "bookworm.ociLayout=$c/bookworm/bookworm-oci" "bookworm.ociLayoutZstd=$c/bookworm/bookworm-oci-zstd"
    "bookworm.ociRef=12" "bookworm.dpkgTsv=$c/bookworm/bookworm.dpkg.tsv"
    "node.image=$(image_ref node)" "node.dockerArchive=$c/node/node.docker.tar" "node.dpkgTsv=$c/node/node.dpkg.tsv"
    "node.appDir=$c/node/context/app" "node.npmLs=$c/node/node.npm-ls.json"
    "node.nodeModulesTsv=$c/node/node.node-modules.tsv"
    "go.image=$(image_ref go)" "go.dockerArchive=$c/go/go.docker.tar" "go.dpkgTsv=$c/go/go.dpkg.tsv"
    "go.versionM=$c/go/go.version-m.txt" "go.toolPath=/opt/tools/skopeo" "go.dpkgOwnedPath=/usr/bin/skopeo"
    "go.moduleToolPath=/opt/tools/htmltext" "go.moduleToolVersionM=$c/go/go.htmltext.version-m.txt"
    "pyjava.image=$(image_ref pyjava)" "pyjava.dockerArchive=$c/pyjava/pyjava.docker.tar"
    "pyjava.dpkgTsv=$c/pyjava/pyjava.dpkg.tsv" "pyjava.pythonTsv=$c/pyjava/pyjava.python.tsv"
    "pyjava.mavenTsv=$c/pyjava/pyjava.maven.tsv"
    "pyjava.sitePackages=/usr/local/lib/python3.11/dist-packages" "pyjava.jarDir=/opt/app/lib"
    "whiteout.image=$(image_ref whiteout)" "whiteout.dockerArchive=$c/whiteout/whiteout.docker.tar"
    "whiteout.dpkgTsv=$c/whiteout/whiteout.dpkg.tsv" "whiteout.nodeModulesTsv=$c/whiteout/whiteout.node-modules.tsv"
    "whiteout.whiteoutsTsv=$c/whiteout/whiteout.whiteouts.tsv" "whiteout.purgedPackage=$WHITEOUT_PURGE"
    "secrets.image=$(image_ref secrets)" "secrets.dockerArchive=$c/secrets/secrets.docker.tar"
    "secrets.dpkgTsv=$c/secrets/secrets.dpkg.tsv" "secrets.plantedTsv=$c/secrets/secrets.planted.tsv"
  )
  if [[ ${large_current:-} == 1 ]]; then
    args+=("large.image=$(image_ref large)" "large.dockerArchive=$c/large/large.docker.tar" "large.dpkgTsv=$c/large/large.dpkg.tsv")
  fi
  node -e '
    const o = { format: Number(process.argv[1]), large: null };
    for (const arg of process.argv.slice(2)) {
      const at = arg.indexOf("="), keys = arg.slice(0, at).split(".");
      let t = o;
      for (const k of keys.slice(0, -1)) t = t[k] ??= {};
      t[keys[keys.length - 1]] = arg.slice(at + 1);
    }
    process.stdout.write(JSON.stringify(o, null, 2) + "\n");
  ' "$FORMAT" "${args[@]}" >"$c/fixtures.json.tmp"
  mv "$c/fixtures.json.tmp" "$c/fixtures.json"
}

main() {
  local t0=$SECONDS
  require_root
  ensure_commands flock:util-linux
  mkdir -p "$cache/logs"
  exec {lock}>"$cache/.lock"
  if ! flock -n "$lock"; then
    log "another build holds $cache/.lock; waiting"
    flock -w 3600 "$lock" || die "gave up waiting for $cache/.lock"
  fi
  ensure_commands debootstrap:debootstrap podman:podman runc:runc skopeo:skopeo \
    docker-registry:docker-registry go:golang-go unzip:unzip node:nodejs npm:npm \
    openssl:openssl
  ensure_files /usr/share/keyrings/debian-archive-keyring.gpg:debian-archive-keyring
  ensure_containers_conf

  step bookworm
  step node bookworm
  step go bookworm
  step pyjava bookworm
  step whiteout node
  step secrets bookworm
  large_current=0
  if [[ ${PORTCULLIS_BENCH_LARGE:-} == 1 ]]; then
    step large bookworm
    large_current=1
  elif is_current large "$(step_key large bookworm)"; then
    large_current=1
  fi
  write_fixtures_json

  remove_replaced
  remove_tree "$cache/.build"
  log "fixtures ready in $((SECONDS - t0)) s: $cache/fixtures.json"
  echo "$cache/fixtures.json"
}

main "$@"

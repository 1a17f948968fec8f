# shellcheck shell=bash
# Host preparation shared by the test scripts: logging, Debian tools installed
# on demand, the Podman settings this project needs, and the Debian mirror the
# machine already uses. Source it; it defines functions only.

log() { printf '[fixtures %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { printf '[fixtures] ERROR: %s\n' "$*" >&2; exit 1; }

require_root() {
  [[ $(id -u) -eq 0 ]] || die "must run as root: debootstrap and rootful podman need it"
  command -v apt-get >/dev/null || die "needs a Debian-based host (apt-get not found)"
}

# apt-get install, refreshing the package lists once if the first try fails
# (a fresh machine often has none).
apt_install() {
  log "installing Debian packages: $*"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y "$@" >&2; then
    log "apt-get install failed; running apt-get update and retrying"
    apt-get update >&2 || die "apt-get update failed"
    apt-get install -y "$@" >&2 || die "apt-get install -y $* failed"
  fi
}

# apt-get download into the current directory, with the same retry.
apt_download() {
  if ! apt-get download "$@" >/dev/null 2>&1; then
    apt-get update >&2 || die "apt-get update failed"
    apt-get download "$@" >&2 || die "apt-get download $* failed"
  fi
}

# ensure_commands CMD:PACKAGE... installs the packages whose command is missing.
ensure_commands() {
  local pair missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  ((${#missing[@]} == 0)) && return 0
  apt_install "${missing[@]}"
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || die "command ${pair%%:*} still missing after installing ${pair#*:}"
  done
}

# ensure_files PATH:PACKAGE... likewise for files (keyrings and the like).
ensure_files() {
  local pair missing=()
  for pair in "$@"; do
    [[ -e ${pair%%:*} ]] || missing+=("${pair#*:}")
  done
  ((${#missing[@]} == 0)) && return 0
  apt_install "${missing[@]}"
  for pair in "$@"; do
    [[ -e ${pair%%:*} ]] || die "${pair%%:*} still missing after installing ${pair#*:}"
  done
}

# Podman here needs runc and bounded ulimits. Set exactly those two keys in
# containers.conf, keeping every other line; a missing key is added to its
# table (or the table is appended), an existing one is replaced.
ensure_containers_conf() {
  local conf=${PORTCULLIS_CONTAINERS_CONF:-/etc/containers/containers.conf}
  local ulimits='default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]'
  local runtime='runtime = "runc"'
  local new
  mkdir -p "$(dirname "$conf")"
  [[ -f $conf ]] || : >"$conf"
  new=$(awk -v ul="$ulimits" -v rt="$runtime" '
    function add_missing(sec) {
      if (sec == "containers" && !has_ul) { print ul; has_ul = 1 }
      if (sec == "engine" && !has_rt) { print rt; has_rt = 1 }
    }
    # rest of a multi-line array being replaced
    skip { if ($0 ~ /\]/) skip = 0; next }
    /^[ \t]*\[/ {
      add_missing(section)
      h = $0; sub(/#.*/, "", h); gsub(/[ \t]/, "", h)
      section = h == "[containers]" ? "containers" : h == "[engine]" ? "engine" : "other"
      if (section == "containers") seen_c = 1
      if (section == "engine") seen_e = 1
      print; next
    }
    section == "containers" && /^[ \t]*default_ulimits[ \t]*=/ {
      print ul; has_ul = 1
      v = $0; sub(/^[^=]*=/, "", v); sub(/#.*/, "", v)
      if (v ~ /\[/ && v !~ /\]/) skip = 1
      next
    }
    section == "engine" && /^[ \t]*runtime[ \t]*=/ { print rt; has_rt = 1; next }
    { print }
    END {
      add_missing(section)
      if (!seen_c) { if (NR) print ""; print "[containers]"; print ul; NR = 1 }
      if (!seen_e) { print ""; print "[engine]"; print rt }
    }' "$conf")
  if [[ $new != "$(cat "$conf")" ]]; then
    printf '%s\n' "$new" >"$conf"
    log "set default_ulimits and runtime in $conf"
  fi
}

# The Debian archive this machine's apt already uses (never hard-coded):
# PORTCULLIS_DEBIAN_MIRROR if set, else the first main-archive URI found in the
# apt sources, preferring one that serves the bookworm suite.
debian_mirror() {
  if [[ -n ${PORTCULLIS_DEBIAN_MIRROR:-} ]]; then
    printf '%s\n' "$PORTCULLIS_DEBIAN_MIRROR"
    return
  fi
  local candidates=() f
  shopt -s nullglob
  for f in /etc/apt/sources.list.d/*.sources; do
    # deb822: blank-line separated stanzas, continuation lines start with space.
    mapfile -t -O "${#candidates[@]}" candidates < <(awk '
      function flush(   n, i, j, us, ss) {
        if (types ~ /(^|[ \t])deb([ \t]|$)/ && tolower(enabled) != "no") {
          n = split(uris, us, /[ \t]+/); split(suites, ss, /[ \t]+/)
          for (i = 1; i <= n; i++) for (j in ss) if (us[i] != "" && ss[j] != "") print ss[j] "\t" us[i]
        }
        types = uris = suites = last = ""; enabled = "yes"
      }
      BEGIN { enabled = "yes" }
      /^#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { if (last == "uris") uris = uris " " $0; else if (last == "suites") suites = suites " " $0; next }
      {
        k = tolower(substr($0, 1, index($0, ":") - 1)); v = substr($0, index($0, ":") + 1)
        last = k
        if (k == "types") types = v; else if (k == "uris") uris = v
        else if (k == "suites") suites = v; else if (k == "enabled") { enabled = v; gsub(/[ \t]/, "", enabled) }
      }
      END { flush() }' "$f")
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    mapfile -t -O "${#candidates[@]}" candidates < <(awk '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if (i + 1 <= NF) print $(i + 1) "\t" $i
      }' "$f")
  done
  shopt -u nullglob
  local line suite uri fallback=""
  for line in "${candidates[@]}"; do
    suite=${line%%$'\t'*}
    uri=${line#*$'\t'}
    [[ $uri =~ ^(https?|ftp|file): ]] || continue
    [[ $uri == *security* || $suite == *-* ]] && continue
    if [[ $suite == bookworm ]]; then
      printf '%s\n' "$uri"
      return
    fi
    [[ -z $fallback ]] && fallback=$uri
  done
  [[ -n $fallback ]] || die "no Debian mirror found in the apt sources; set PORTCULLIS_DEBIAN_MIRROR"
  printf '%s\n' "$fallback"
}

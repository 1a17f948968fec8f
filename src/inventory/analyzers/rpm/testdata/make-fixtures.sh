#!/usr/bin/env bash
# Regenerates the committed rpmdb fixtures in this folder from the two specs
# here, with real rpm and Berkeley DB tools (see README.md for each file).
#
# Needs, on Debian 12:
#   apt-get install -y rpm db5.3-util gnupg python3-rpm
# and an rpm 4.16.1.3 built from its release tag with the Berkeley DB and NDB
# backends that Debian's rpm 4.18 lacks (Debian's can only read BDB, and has
# no NDB at all). Pass its install prefix as RPM416:
#   ./configure --prefix="$RPM416" --enable-bdb=yes --enable-ndb --enable-sqlite=yes \
#     --with-crypto=libgcrypt --without-lua --without-archive --disable-python --disable-plugins
#   (build deps: libdb5.3-dev libsqlite3-dev libgcrypt20-dev libpopt-dev libmagic-dev
#    zlib1g-dev libzstd-dev liblzma-dev libbz2-dev autoconf automake libtool autopoint)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
: "${RPM416:?set RPM416 to the install prefix of rpm 4.16.1.3 built with --enable-bdb --enable-ndb}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

qf='%{DBINSTANCE}\t%{NAME}\t%{EPOCHNUM}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\t%{LICENSE}\n'
files_qf='[%{=NAME}\t%{FILENAMES}\n]'

# 1. Build the packages with Debian's rpmbuild.
for spec in hello-tool sample-data; do
  rpmbuild --quiet -bb --define "_topdir $work/build" "$here/$spec.spec"
done
mapfile -t rpms < <(find "$work/build/RPMS" -name '*.rpm' | sort)

# 2. A throwaway OpenPGP key, imported as rpm's gpg-pubkey pseudo package.
export GNUPGHOME="$work/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'Portcullis Fixture <fixture@example.invalid>' rsa2048 sign never
gpg --batch --armor --export > "$work/key.asc"

install_into() { # rpm-binary dbpath [rpm options…]
  local rpm=$1 db=$2
  shift 2
  mkdir -p "$db"
  "$rpm" --dbpath "$db" "$@" --initdb
  "$rpm" --dbpath "$db" "$@" --import "$work/key.asc"
  "$rpm" --dbpath "$db" "$@" -i --justdb --nodeps --noscripts --notriggers --ignorearch "${rpms[@]}"
}

# 3. SQLite (rpm 4.18, Debian), Berkeley DB hash and NDB (rpm 4.16.1.3).
install_into rpm "$work/sqlite"
install_into "$RPM416/bin/rpm" "$work/bdb" --define '_db_backend bdb'
install_into "$RPM416/bin/rpm" "$work/ndb" --define '_db_backend ndb'

# 4. The same Berkeley DB, reloaded by db_load as big-endian with 512-byte
#    pages (as an s390x host would have it, with deep overflow chains). rpm
#    keys Packages by the header number in the host's byte order, so the
#    4-byte keys are byte-swapped on the way.
db5.3_dump "$work/bdb/Packages" > "$work/dump.txt"
python3 - "$work/dump.txt" "$work/dump-be.txt" <<'PY'
import sys
src, dst = sys.argv[1], sys.argv[2]
out, in_data, is_key = [], False, True
for line in open(src):
    if line.startswith("db_pagesize="):
        continue
    if line == "HEADER=END\n":
        in_data = True
    elif in_data and line.startswith(" "):
        if is_key and len(line.strip()) == 8:
            h = line.strip()
            line = " " + "".join(reversed([h[i:i + 2] for i in range(0, 8, 2)])) + "\n"
        is_key = not is_key
    out.append(line)
open(dst, "w").writelines(out)
PY
mkdir -p "$work/bdb-be512"
db5.3_load -c db_lorder=4321 -c db_pagesize=512 -f "$work/dump-be.txt" "$work/bdb-be512/Packages"

# 5. What rpm itself reads from each database: all must agree.
rpm --dbpath "$work/sqlite" -qa --qf "$qf" | sort > "$work/expected.tsv"
rpm --dbpath "$work/sqlite" -qa --qf "$files_qf" | sort > "$work/expected-files.tsv"
check() { # label rpm-binary dbpath [rpm options…]
  local label=$1 rpm=$2 db=$3
  shift 3
  "$rpm" --dbpath "$db" "$@" -qa --qf "$qf" | sort | diff -u "$work/expected.tsv" - || { echo "$label: rpm reads other packages" >&2; exit 1; }
  "$rpm" --dbpath "$db" "$@" -qa --qf "$files_qf" | sort | diff -u "$work/expected-files.tsv" - || { echo "$label: rpm reads other files" >&2; exit 1; }
}
check bdb "$RPM416/bin/rpm" "$work/bdb" --define '_db_backend bdb'
check bdb-ro rpm "$work/bdb" --define '_db_backend bdb_ro'
check bdb-be512 rpm "$work/bdb-be512" --define '_db_backend bdb_ro'
check ndb "$RPM416/bin/rpm" "$work/ndb" --define '_db_backend ndb'

# 6. An old-style header: rpm's own file list conversion (compressed
#    DIRNAMES/BASENAMES/DIRINDEXES → one FILENAMES array), exported as the
#    blob an rpmdb stores. Debian's python3-rpm is a module of the system
#    Python, which a python3 earlier on PATH (pyenv, venv) may not see.
/usr/bin/python3 - "$work/build/RPMS/noarch/sample-data-2024a-1.el9.noarch.rpm" "$here/oldstyle-filenames.hdr" "$here/oldstyle-filenames.txt" <<'PY'
import os, sys, rpm
pkg, out, listing = sys.argv[1:4]
ts = rpm.TransactionSet()
ts.setVSFlags(rpm._RPMVSF_NOSIGNATURES | rpm._RPMVSF_NODIGESTS)
fd = os.open(pkg, os.O_RDONLY)
h = ts.hdrFromFdno(fd)
os.close(fd)
h.convert(rpm.HEADERCONV_EXPANDFILELIST)
assert rpm.RPMTAG_BASENAMES not in h.keys() and rpm.RPMTAG_OLDFILENAMES in h.keys()
blob = h.unload()
assert rpm.hdr(blob)[rpm.RPMTAG_OLDFILENAMES] == h[rpm.RPMTAG_OLDFILENAMES]
open(out, "wb").write(blob)
open(listing, "w").write("".join(f + "\n" for f in h[rpm.RPMTAG_OLDFILENAMES]))
PY

cp "$work/sqlite/rpmdb.sqlite" "$here/rpmdb.sqlite"
cp "$work/bdb/Packages" "$here/Packages"
cp "$work/bdb-be512/Packages" "$here/Packages.be512"
cp "$work/ndb/Packages.db" "$here/Packages.db"
cp "$work/expected.tsv" "$work/expected-files.tsv" "$here/"
ls -l "$here"

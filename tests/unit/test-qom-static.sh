#!/bin/sh
# Static linking keeps every QOM type: links tests/unit/qom-static-prog.c
# against .libs/libqio.a and checks that after module_call_init() the types
# of every file that uses type_init() are registered.  Which files and
# types to expect is read from the generated anchor table
# (util/module-type-anchors.c) and the sources it names, so new type files
# are covered without editing this test.  Prints TAP.
set -u

builddir=${QIO_BUILDDIR:-$(pwd)}
srcdir=${QIO_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
envfile=$builddir/tests/qio-build-env.sh
anchors=$builddir/util/module-type-anchors.c
staticlib=$builddir/.libs/libqio.a

echo "1..6"
if [ ! -f "$envfile" ] || [ ! -f "$anchors" ]; then
    echo "Bail out! run from make check: $envfile or $anchors is missing"
    exit 1
fi
. "$envfile"
if [ ! -f "$staticlib" ]; then
    for i in 1 2 3 4 5 6; do
        echo "ok $i # SKIP no static library (configured --disable-static)"
    done
    exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qio-static.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0

# comment FILE: shows a file's contents as TAP diagnostics.
comment() {
    sed 's/^/# /' "$1"
}

# result N DESCRIPTION STATUS
result() {
    if [ "$3" -eq 0 ]; then
        echo "ok $1 - $2"
    else
        echo "not ok $1 - $2"
        failed=1
    fi
}

# 1. The table names the QOM layer's own type files.
sed -n 's|^/\* anchor: \([^ ]*\) \([^ ]*\) \*/$|\1 \2|p' "$anchors" \
    >"$tmp/anchors"
comment "$tmp/anchors"
st=0
for fn in qom_container_register_types qom_user_creatable_register_types; do
    if ! grep -q "^$fn " "$tmp/anchors"; then
        echo "# $fn is not in the anchor table"
        st=1
    fi
done
result 1 "anchor table lists the qom type files" $st

# 2. Build the program with the static library.
st=0
if ! $CC $QIO_CPPFLAGS $QIO_CFLAGS -c "$srcdir/tests/unit/qom-static-prog.c" \
        -o "$tmp/prog.o" >"$tmp/cc.log" 2>&1 ||
   ! $CC $QIO_CFLAGS $QIO_LDFLAGS -o "$tmp/prog-static" "$tmp/prog.o" \
        "$staticlib" $QIO_DEPLIBS >>"$tmp/cc.log" 2>&1; then
    comment "$tmp/cc.log"
    st=1
fi
result 2 "program links against .libs/libqio.a" $st
if [ $st -ne 0 ]; then
    for i in 3 4 5 6; do
        echo "not ok $i - # no program"
    done
    exit 1
fi

# 3. Every anchored object file made it into the executable.
st=0
while read -r fn src; do
    if ! ${NM:-nm} "$tmp/prog-static" | grep -q " qio_module_anchor_$fn\$"
    then
        echo "# $src ($fn) was not linked in"
        st=1
    fi
done <"$tmp/anchors"
result 3 "every anchored type file is linked statically" $st

# 4. The types those files define can be looked up.  Type names come from
# the TypeInfo initializers: a string literal or a TYPE_* macro that some
# header (or the file itself) defines as a string literal.
sp='[[:space:]]'
grep -rhE "^#define$sp+[A-Za-z_][A-Za-z0-9_]*$sp+\"[^\"]*\"$sp*\$" \
    "$srcdir/include" $(sed 's|^[^ ]* \(.*\)/[^/]*$|'"$srcdir"'/\1|' \
        "$tmp/anchors" | sort -u) 2>/dev/null |
    sed -E "s/^#define$sp+([A-Za-z0-9_]+)$sp+\"([^\"]*)\".*/\\1 \\2/" \
    >"$tmp/macros"
: >"$tmp/expected"
while read -r fn src; do
    path=$srcdir/$src
    [ -f "$path" ] || path=$builddir/$src
    awk '
        /TypeInfo[[:space:]]+[A-Za-z_][A-Za-z0-9_]*(\[\])?[[:space:]]*=/ {
            inblock = 1
        }
        inblock && /\.name[[:space:]]*=/ {
            v = $0
            sub(/.*\.name[[:space:]]*=[[:space:]]*/, "", v)
            sub(/[[:space:]]*,.*$/, "", v)
            print v
        }
        inblock && /^[[:space:]]*};/ { inblock = 0 }
    ' "$path" | while read -r token; do
        case $token in
        \"*\")
            name=${token#\"}
            name=${name%\"}
            ;;
        *)
            name=$(awk -v m="$token" '$1 == m { print $2; exit }' \
                   "$tmp/macros")
            ;;
        esac
        if [ -n "$name" ]; then
            echo "$name $src"
        else
            echo "# could not resolve type name $token in $src" >&2
        fi
    done >>"$tmp/expected"
done <"$tmp/anchors"
others=$(grep -vc ' qom/' "$tmp/expected")
names=$(cut -d' ' -f1 "$tmp/expected" | sort -u)
st=0
# shellcheck disable=SC2086
if ! "$tmp/prog-static" check $names >"$tmp/check.log" 2>&1; then
    comment "$tmp/check.log"
    st=1
fi
echo "# looked up: $(echo $names)"
desc="the $(echo "$names" | wc -w) types of the anchored files"
result 4 "$desc ($others outside qom/) are registered" $st

# 5. Exactly the same types as when the whole shared library is loaded.
if [ -f "$builddir/.libs/libqio.so" ]; then
    ldpath=$builddir/.libs${LD_LIBRARY_PATH:+:}${LD_LIBRARY_PATH:-}
    st=0
    if ! $CC $QIO_CFLAGS $QIO_LDFLAGS -o "$tmp/prog-shared" "$tmp/prog.o" \
            -L"$builddir/.libs" -lqio $QIO_DEPLIBS >"$tmp/cc.log" 2>&1; then
        comment "$tmp/cc.log"
        st=1
    elif ! "$tmp/prog-static" list >"$tmp/static.list" ||
         ! LD_LIBRARY_PATH=$ldpath "$tmp/prog-shared" list \
            >"$tmp/shared.list"; then
        st=1
    elif ! diff "$tmp/shared.list" "$tmp/static.list" >"$tmp/diff.log"; then
        comment "$tmp/diff.log"
        st=1
    fi
    for t in object interface container user-creatable; do
        if ! grep -qx "$t" "$tmp/static.list" 2>/dev/null; then
            echo "# type $t is missing"
            st=1
        fi
    done
    desc="static and shared links register the same"
    result 5 "$desc $(wc -l <"$tmp/static.list" 2>/dev/null) types" $st
else
    echo "ok 5 # SKIP no shared library (configured --disable-shared)"
fi

# 6. Control: with an empty table in its place, the type files are not
# linked, so it really is the table that brings them in.
st=0
cat >"$tmp/empty-table.c" <<'EOF'
#include <stddef.h>
extern const char *const qio_module_anchor_table[];
const char *const qio_module_anchor_table[] = { NULL };
EOF
if ! $CC $QIO_CFLAGS -c "$tmp/empty-table.c" -o "$tmp/empty-table.o" \
        >"$tmp/cc.log" 2>&1 ||
   ! $CC $QIO_CFLAGS $QIO_LDFLAGS -o "$tmp/prog-control" "$tmp/prog.o" \
        "$tmp/empty-table.o" "$staticlib" $QIO_DEPLIBS >>"$tmp/cc.log" 2>&1
then
    comment "$tmp/cc.log"
    st=1
elif "$tmp/prog-control" check container >/dev/null 2>&1; then
    echo "# 'container' is registered even without the table"
    st=1
fi
result 6 "without the table a static link loses the type files" $st

exit $failed

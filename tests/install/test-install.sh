#!/bin/sh
# Install test: `make install DESTDIR=<temporary dir>`, then build small
# programs against the installed headers and library using only
# `pkg-config --cflags --libs qio`, and run them.  Removes everything it
# created.  Prints TAP.
#
# PKG_CONFIG_SYSROOT_DIR cannot be used for the DESTDIR: pkg-config would
# prefix the sysroot to glib's and gnutls's flags too, which are not in
# the DESTDIR.  Instead the installed qio.pc is copied with its absolute
# directory variables moved under the DESTDIR, which is what unpacking the
# files at their real prefix would give.
set -u

builddir=${QIO_BUILDDIR:-$(pwd)}
envfile=$builddir/tests/qio-build-env.sh

echo "1..5"
if [ ! -f "$envfile" ]; then
    echo "Bail out! run from make check: $envfile is missing"
    exit 1
fi
. "$envfile"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qio-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
failed=0

comment() {
    sed 's/^/# /' "$1"
}

result() {
    if [ "$3" -eq 0 ]; then
        echo "ok $1 - $2"
    else
        echo "not ok $1 - $2"
        failed=1
    fi
}

skip_rest() {
    i=$1
    while [ "$i" -le 5 ]; do
        echo "not ok $i - # earlier step failed"
        i=$((i + 1))
    done
    exit 1
}

# 1. Install.  The outer make's flags (jobserver, variable overrides of
# check-valgrind) are not meant for this make.
st=0
if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL $MAKE -s -C "$builddir" \
        install DESTDIR="$dest" >"$tmp/install.log" 2>&1; then
    tail -n 40 "$tmp/install.log" | sed 's/^/# /'
    st=1
fi
for f in "$includedir/qio/qom/object.h" "$includedir/qio/qemu/module.h" \
         "$includedir/qio/qapi/error.h" "$includedir/qio/qemu-common.h" \
         "$includedir/qio/config-host.h" "$pkgconfigdir/qio.pc"; do
    if [ ! -f "$dest$f" ]; then
        echo "# not installed: $f"
        st=1
    fi
done
result 1 "make install DESTDIR=..." $st
[ $st -eq 0 ] || skip_rest 2

# 2. pkg-config finds the installed qio.pc and points into the DESTDIR.
mkdir "$tmp/pkgconfig"
sed -E "s#^(prefix|exec_prefix|libdir|includedir)=/#\\1=$dest/#" \
    "$dest$pkgconfigdir/qio.pc" >"$tmp/pkgconfig/qio.pc"
st=0
if ! cflags=$(PKG_CONFIG_PATH="$tmp/pkgconfig" $PKG_CONFIG --cflags qio) ||
   ! libs=$(PKG_CONFIG_PATH="$tmp/pkgconfig" $PKG_CONFIG --libs qio); then
    st=1
else
    echo "# cflags: $cflags"
    echo "# libs: $libs"
    case " $cflags " in
    *" -I$dest$includedir/qio "*) ;;
    *) echo "# cflags lack -I$dest$includedir/qio"; st=1 ;;
    esac
    case " $libs " in
    *" -L$dest$libdir "*) ;;
    *) echo "# libs lack -L$dest$libdir"; st=1 ;;
    esac
fi
result 2 "pkg-config --cflags --libs qio" $st
[ $st -eq 0 ] || skip_rest 3

# 3. Every installed header can be included (after qemu/osdep.h, as
# QEMU-era sources do), so none depends on a header left uninstalled.
(
    echo '#include "qemu/osdep.h"'
    cd "$dest$includedir/qio" && find . -name '*.h' | sed 's|^\./||' |
        sort | sed 's|.*|#include "&"|'
) >"$tmp/all-headers.c"
st=0
# shellcheck disable=SC2086
if ! $CC $QIO_CFLAGS $cflags -fsyntax-only "$tmp/all-headers.c" \
        >"$tmp/cc.log" 2>&1; then
    comment "$tmp/cc.log"
    st=1
fi
nheaders=$(($(wc -l <"$tmp/all-headers.c") - 1))
result 3 "all $nheaders installed headers compile" $st

# 4. A program built with the pkg-config flags runs against the installed
# shared library.
cat >"$tmp/prog.c" <<'EOF'
#include "qemu-common.h"
#include "qom/object.h"
#include "qom/object_interfaces.h"

int main(void)
{
    Object *obj;

    module_call_init(MODULE_INIT_QOM);
    obj = object_new_with_props(TYPE_CONTAINER, object_get_objects_root(),
                                "installed", &error_abort, NULL);
    if (object_resolve_path("/objects/installed", NULL) != obj ||
        !object_class_by_name(TYPE_USER_CREATABLE)) {
        return 1;
    }
    object_unparent(obj);
    printf("installed libqio works\n");
    return 0;
}
EOF
st=0
# shellcheck disable=SC2086
if ! $CC $QIO_CFLAGS $cflags -c "$tmp/prog.c" -o "$tmp/prog.o" \
        >"$tmp/cc.log" 2>&1; then
    comment "$tmp/cc.log"
    st=1
elif [ -f "$dest$libdir/libqio.so" ]; then
    # shellcheck disable=SC2086
    if ! $CC $QIO_LDFLAGS -o "$tmp/prog" "$tmp/prog.o" $libs \
            >"$tmp/cc.log" 2>&1; then
        comment "$tmp/cc.log"
        st=1
    elif ! LD_LIBRARY_PATH="$dest$libdir" "$tmp/prog" >"$tmp/run.log" 2>&1 ||
         ! grep -qx "installed libqio works" "$tmp/run.log"; then
        comment "$tmp/run.log"
        st=1
    elif ! LD_LIBRARY_PATH="$dest$libdir" ldd "$tmp/prog" |
            grep -q "$dest$libdir/libqio.so"; then
        echo "# the program did not use the installed libqio.so"
        st=1
    fi
fi
result 4 "program built with pkg-config runs (shared)" $st

# 5. The same program linked against the installed static library (and
# the shared libraries of its dependencies: `pkg-config --static` would
# ask for static gnutls too).  libqio.a also needs qio.pc's private
# requirements.
if [ -f "$dest$libdir/libqio.a" ] && [ -f "$tmp/prog.o" ]; then
    st=0
    private=$(PKG_CONFIG_PATH="$tmp/pkgconfig" \
              $PKG_CONFIG --print-requires-private qio | cut -d' ' -f1)
    # shellcheck disable=SC2086
    static_libs="$(echo " $libs " | sed 's/ -lqio / /') $(
        [ -z "$private" ] || $PKG_CONFIG --libs $private)"
    # shellcheck disable=SC2086
    if ! $CC $QIO_LDFLAGS -o "$tmp/prog-static" "$tmp/prog.o" \
            "$dest$libdir/libqio.a" $static_libs >"$tmp/cc.log" 2>&1; then
        comment "$tmp/cc.log"
        st=1
    elif ! "$tmp/prog-static" >"$tmp/run.log" 2>&1; then
        comment "$tmp/run.log"
        st=1
    fi
    result 5 "program linked with the installed libqio.a runs" $st
else
    echo "ok 5 # SKIP no static library installed"
fi

exit $failed

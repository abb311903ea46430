# crypto tests: the test-time certificate factory (with its PKIX table,
# compiled from tests/unit/pkix.asn by asn1Parser) and the x509 credential
# and TLS session tests.

tests_unit_libqiotest_a_SOURCES += tests/unit/crypto-tls-x509-helpers.c \
	tests/unit/crypto-tls-x509-helpers.h
nodist_tests_unit_libqiotest_a_SOURCES = tests/unit/pkix_asn1_tab.c
EXTRA_DIST += tests/unit/pkix.asn
CLEANFILES += tests/unit/pkix_asn1_tab.c

# Generated in the build tree.  asn1Parser's output opens with a
# "#if HAVE_CONFIG_H" block that -Wundef rejects and that this project
# does not need, so it is dropped; asn1Parser's chatter is shown only when
# it fails.  Not in BUILT_SOURCES: only the tests link the table, so a
# plain `make` does not need asn1Parser.
tests/unit/pkix_asn1_tab.c: $(srcdir)/tests/unit/pkix.asn
	$(AM_V_GEN)if test "x$(ASN1PARSER)" = xno; then \
		echo "asn1Parser not found: install the Debian package" \
			"libtasn1-bin (apt-get install libtasn1-bin)" >&2; \
		exit 1; \
	fi; \
	$(MKDIR_P) $(@D) && \
	out=`$(ASN1PARSER) -o $@.tmp -n pkix_asn1_tab \
		$(srcdir)/tests/unit/pkix.asn 2>&1` || { \
		echo "$$out" >&2; rm -f $@.tmp; exit 1; \
	} && \
	sed -e '/^#if HAVE_CONFIG_H/,/^#endif/d' $@.tmp > $@.tmp2 && \
	rm -f $@.tmp && mv -f $@.tmp2 $@

check_PROGRAMS += tests/unit/test-crypto-tlscredsx509
TESTS += tests/unit/test-crypto-tlscredsx509
tests_unit_test_crypto_tlscredsx509_SOURCES = \
	tests/unit/test-crypto-tlscredsx509.c

# The session test reads tests/data/dh-params.pem (DH parameters made once
# and committed), which ships with the rest of tests/data (EXTRA_DIST in
# Makefile.am).
check_PROGRAMS += tests/unit/test-crypto-tlssession
TESTS += tests/unit/test-crypto-tlssession
tests_unit_test_crypto_tlssession_SOURCES = \
	tests/unit/test-crypto-tlssession.c

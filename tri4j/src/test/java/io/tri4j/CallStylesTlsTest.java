package io.tri4j;

/**
 * Every case of {@link CallStylesTest} again over TLS, with the provider chosen by default:
 * OpenSSL, which the tests have on the class path.
 */
@EchoServerExtension.Tls
class CallStylesTlsTest extends CallStylesTest {}

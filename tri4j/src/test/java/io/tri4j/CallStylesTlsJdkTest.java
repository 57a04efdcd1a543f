package io.tri4j;

/** Every case of {@link CallStylesTest} again over TLS with the JDK's provider on both sides. */
@EchoServerExtension.Tls(TlsProvider.JDK)
class CallStylesTlsJdkTest extends CallStylesTest {}

package io.tri4j;

/**
 * Every case of {@link CancellationTest} again, through pass-through interceptors on the server and
 * on the clients the test makes from its server extension.
 */
@EchoServerExtension.Intercepted
class CancellationInterceptedTest extends CancellationTest {}

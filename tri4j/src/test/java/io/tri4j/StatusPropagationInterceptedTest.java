package io.tri4j;

/**
 * Every case of {@link StatusPropagationTest} again, through pass-through interceptors on the
 * client and the server: the interceptor chains must change nothing.
 */
@EchoServerExtension.Intercepted
class StatusPropagationInterceptedTest extends StatusPropagationTest {}

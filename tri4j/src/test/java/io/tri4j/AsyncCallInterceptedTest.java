package io.tri4j;

/**
 * Every case of {@link AsyncCallTest} again, through pass-through interceptors on the client and
 * the server: the interceptor chains must change nothing.
 */
@EchoServerExtension.Intercepted
class AsyncCallInterceptedTest extends AsyncCallTest {}

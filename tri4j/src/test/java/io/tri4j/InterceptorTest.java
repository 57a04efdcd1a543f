package io.tri4j;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Client and server interceptors over real loopback calls: their order, what they may change, see
 * and stop, and deferring a call without holding a thread. (Every other behaviour through
 * interceptors is checked by the {@code *InterceptedTest} runs of the contract suites.)
 */
@Timeout(30)
class InterceptorTest {
  static final String SERVICE = "icpt.Svc";
  static final CallKey<String> USER = CallKey.named("user");
  static final CallKey<String> TENANT = CallKey.named("tenant");

  private final AtomicInteger handlerRuns = new AtomicInteger();
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final List<AutoCloseable> closeAfter = new ArrayList<>();
  private final CountDownLatch cancelHeard = new CountDownLatch(1);
  private final CountDownLatch handlerWrote = new CountDownLatch(1);
  private final CompletableFuture<String> lateWrite = new CompletableFuture<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeAfter.size() - 1; i >= 0; i--) {
      closeAfter.get(i).close();
    }
  }

  /** What a handler sees: the user value, the request, and the request header x-added. */
  private String seen(String request) {
    handlerRuns.incrementAndGet();
    ServerContext ctx = ServerContext.current();
    String status = ctx.requestHeaders().get("x-status");
    if (status != null) {
      throw Status.Code.valueOf(status).toStatus().withDescription("as asked").asException();
    }
    return ctx.value(USER) + ":" + request + ":" + ctx.requestHeaders().get("x-added");
  }

  private RpcServiceHandler service() {
    return new RpcServiceHandler(
        SERVICE,
        Map.of(
            "unary",
            RpcMethodHandler.unary(this::seen, EchoService.DES, EchoService.SER),
            "clientStream",
            RpcMethodHandler.clientStream(
                (ReadStream<String> requests) -> seen(String.join(",", requests.stream().toList())),
                EchoService.DES,
                EchoService.SER),
            "serverStream",
            RpcMethodHandler.serverStream(
                (String request, WriteStream<String> replies) -> {
                  String s = seen(request);
                  replies.write(s + "-0");
                  replies.write(s + "-1");
                },
                EchoService.DES,
                EchoService.SER),
            "bidi",
            RpcMethodHandler.biStream(
                (ReadStream<String> requests, WriteStream<String> replies) -> {
                  for (String r : requests) {
                    replies.write(seen(r));
                  }
                },
                EchoService.DES,
                EchoService.SER),
            "lateWrite",
            RpcMethodHandler.serverStream(
                (String request, WriteStream<String> replies) -> {
                  // Writes once the chain has heard of the cancel, before the handler has.
                  try {
                    if (!cancelHeard.await(10, TimeUnit.SECONDS)) {
                      throw new IllegalStateException("the cancel never came");
                    }
                    replies.write("late");
                    lateWrite.complete("written");
                  } catch (StatusException e) {
                    lateWrite.complete(e.getStatus().code().name());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } finally {
                    handlerWrote.countDown();
                  }
                },
                EchoService.DES,
                EchoService.SER),
            "unaryAsync",
            RpcMethodHandler.unaryAsync(
                (String request, ResponseObserver<String> replies) -> {
                  replies.onNext(seen(request));
                  replies.onCompleted();
                },
                EchoService.DES,
                EchoService.SER)));
  }

  private Client start(List<ServerInterceptor> server, List<ClientInterceptor> client) {
    Server s =
        new Server(
                new ServiceConfig(service())
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withInterceptors(server.toArray(ServerInterceptor[]::new)))
            .start();
    closeAfter.add(s);
    Client c =
        new Client(
            ReferenceConfig.fromUrl("tri://127.0.0.1:" + s.port() + "/" + SERVICE)
                .withInterceptors(client.toArray(ClientInterceptor[]::new)));
    closeAfter.add(c);
    return c;
  }

  // ---- interceptors that record ----

  private ClientInterceptor recording(String name) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodInfo method, CallOptions options, ClientCall.Factory<Q, R> next) {
        events.add(name + " intercepts " + method.fullName() + " " + method.type());
        return new ForwardingClientCall<>(next.newCall(options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            events.add(name + " start");
            super.start(
                new ForwardingClientCallListener<>(listener) {
                  @Override
                  public void onMessage(R message) {
                    events.add(name + " received " + message);
                    super.onMessage(message);
                  }

                  @Override
                  public void onClose(Status status, Metadata trailers) {
                    events.add(name + " closed " + status.code());
                    super.onClose(status, trailers);
                  }
                },
                headers);
          }

          @Override
          public void sendMessage(Q message) {
            events.add(name + " sent " + message);
            super.sendMessage(message);
          }
        };
      }
    };
  }

  private ServerInterceptor recordingServer(String name) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        events.add(name + " intercepts " + call.method().fullName());
        ServerCall<Q, R> wrapped =
            new ForwardingServerCall<>(call) {
              @Override
              public void sendMessage(R message) {
                events.add(name + " sent " + message);
                super.sendMessage(message);
              }

              @Override
              public void close(Status status, Metadata trailers) {
                events.add(name + " closed " + status.code());
                super.close(status, trailers);
              }
            };
        return new ForwardingServerCallListener<>(next.startCall(wrapped, headers)) {
          @Override
          public void onMessage(Q message) {
            events.add(name + " received " + message);
            super.onMessage(message);
          }
        };
      }
    };
  }

  private List<String> eventsOf(String name) {
    synchronized (events) {
      return events.stream().filter(e -> e.startsWith(name + " ")).toList();
    }
  }

  @Test
  void order_firstRegisteredIsOutermost_clientWideBeforePerCall_serverSide() {
    Client client =
        start(
            List.of(recordingServer("s1"), recordingServer("s2")),
            List.of(recording("c1"), recording("c2")));
    String reply =
        client
            .unary("unary", EchoService.SER, EchoService.DES)
            .call("x", CallOptions.DEFAULT.withInterceptors(recording("c3")));
    assertThat(reply).isEqualTo("null:x:null");
    List<String> sequence;
    synchronized (events) {
      sequence =
          events.stream().filter(e -> !e.contains("received") && !e.contains("sent")).toList();
    }
    // The way out: c1, c2, c3; the server: s1, s2; the way back: s2, s1, then c3, c2, c1.
    assertThat(sequence)
        .containsSubsequence(
            "c1 intercepts icpt.Svc/unary UNARY",
            "c2 intercepts icpt.Svc/unary UNARY",
            "c3 intercepts icpt.Svc/unary UNARY",
            "c1 start",
            "c2 start",
            "c3 start")
        .containsSubsequence("s1 intercepts icpt.Svc/unary", "s2 intercepts icpt.Svc/unary")
        .containsSubsequence("s2 closed OK", "s1 closed OK")
        .containsSubsequence("c3 closed OK", "c2 closed OK", "c1 closed OK");
    assertThat(sequence.indexOf("s1 closed OK")).isLessThan(sequence.indexOf("c3 closed OK"));
  }

  /** The events of interceptions and closes, in order, without the messages; clears them. */
  private List<String> takeInterceptionsAndCloses() {
    synchronized (events) {
      List<String> sequence =
          events.stream().filter(e -> !e.contains("received") && !e.contains("sent")).toList();
      events.clear();
      return sequence;
    }
  }

  @Test
  void serverWideInterceptors_runBeforeTheServicesOwn() {
    Server server =
        new Server(
                ServerOptions.defaults()
                    .withInterceptors(recordingServer("w1"))
                    .withInterceptors(recordingServer("w2")),
                new ServiceConfig(service())
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withInterceptors(recordingServer("s1")),
                new ServiceConfig(new RpcServiceHandler("icpt.Other", service().methodHandlers()))
                    .withHost("127.0.0.1")
                    .withPort(0))
            .start();
    closeAfter.add(server);
    Client own =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + SERVICE));
    closeAfter.add(own);
    Client other =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/icpt.Other"));
    closeAfter.add(other);

    assertThat(own.unary("unary", EchoService.SER, EchoService.DES).call("x"))
        .isEqualTo("null:x:null");
    // The server's, first registered outermost, then the service's; the way back in reverse.
    assertThat(takeInterceptionsAndCloses())
        .containsExactly(
            "w1 intercepts icpt.Svc/unary",
            "w2 intercepts icpt.Svc/unary",
            "s1 intercepts icpt.Svc/unary",
            "s1 closed OK",
            "w2 closed OK",
            "w1 closed OK");

    // A service with no interceptors of its own still runs through the server's.
    assertThat(other.unary("unary", EchoService.SER, EchoService.DES).call("y"))
        .isEqualTo("null:y:null");
    assertThat(takeInterceptionsAndCloses())
        .containsExactly(
            "w1 intercepts icpt.Other/unary",
            "w2 intercepts icpt.Other/unary",
            "w2 closed OK",
            "w1 closed OK");
  }

  @Test
  void everyMessage_isSeenBothWays_inEveryCallStyle_blockingAndAsync() throws Exception {
    Client client = start(List.of(recordingServer("s")), List.of(recording("c")));
    client.unary("unary", EchoService.SER, EchoService.DES).call("u");
    client
        .unary("unary", EchoService.SER, EchoService.DES)
        .callAsync("ua")
        .get(10, TimeUnit.SECONDS);
    client.clientStream("clientStream", EchoService.SER, EchoService.DES).call(List.of("a", "b"));
    client.serverStream("serverStream", EchoService.SER, EchoService.DES).call("s").stream()
        .toList();
    assertThat(
            client
                .bidiStream("bidi", EchoService.SER, EchoService.DES)
                .call(List.of("p", "q"))
                .stream()
                .toList())
        .hasSize(2);
    CompletableFuture<List<String>> async = new CompletableFuture<>();
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    RequestObserver<String> requests =
        client
            .bidiStream("bidi", EchoService.SER, EchoService.DES)
            .callAsync(
                new StreamObserver<>() {
                  @Override
                  public void onNext(String value) {
                    got.add(value);
                  }

                  @Override
                  public void onError(Throwable error) {
                    async.completeExceptionally(error);
                  }

                  @Override
                  public void onCompleted() {
                    async.complete(got);
                  }
                });
    requests.onNext("y");
    requests.onNext("z");
    requests.onCompleted();
    assertThat(async.get(10, TimeUnit.SECONDS)).hasSize(2);

    assertThat(eventsOf("c"))
        .contains(
            "c sent u",
            "c sent ua",
            "c sent a",
            "c sent b",
            "c sent s",
            "c sent p",
            "c sent q",
            "c sent y",
            "c sent z")
        .contains(
            "c received null:u:null",
            "c received null:ua:null",
            "c received null:a,b:null",
            "c received null:s:null-0",
            "c received null:s:null-1",
            "c received null:q:null",
            "c received null:z:null");
    assertThat(eventsOf("s"))
        .contains(
            "s received u",
            "s received ua",
            "s received a",
            "s received b",
            "s received s",
            "s received p",
            "s received q",
            "s received y",
            "s received z")
        .contains("s sent null:a,b:null", "s sent null:s:null-1", "s sent null:z:null");
    assertThat(eventsOf("c").stream().filter(e -> e.startsWith("c intercepts"))).hasSize(6);
  }

  @Test
  void headersTrailersAndValues_changedByInterceptors_reachTheOtherSide() {
    ClientInterceptor addHeader =
        new ClientInterceptor() {
          @Override
          public <Q, R> ClientCall<Q, R> interceptCall(
              MethodInfo method, CallOptions options, ClientCall.Factory<Q, R> next) {
            String tenant = options.value(TENANT);
            return new ForwardingClientCall<>(next.newCall(options)) {
              @Override
              public void start(Listener<R> listener, Metadata headers) {
                headers.put("x-added", "by-client-" + tenant);
                super.start(listener, headers);
              }
            };
          }
        };
    ServerInterceptor authenticate =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            call.setValue(USER, "alice");
            return next.startCall(call, headers);
          }
        };
    ServerInterceptor decorate =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            String user = call.value(USER); // set by the interceptor before this one
            return next.startCall(
                new ForwardingServerCall<>(call) {
                  @Override
                  public void sendHeaders(Metadata responseHeaders) {
                    responseHeaders.put("x-user", user);
                    super.sendHeaders(responseHeaders);
                  }

                  @Override
                  public void close(Status status, Metadata trailers) {
                    trailers.put("x-served", "by-interceptor");
                    super.close(status, trailers);
                  }
                },
                headers);
          }
        };
    Client client = start(List.of(authenticate, decorate), List.of(addHeader));
    Response<String> response =
        client
            .unary("unary", EchoService.SER, EchoService.DES)
            .callForResponse("x", CallOptions.DEFAULT.withValue(TENANT, "t1"));
    assertThat(response.message()).isEqualTo("alice:x:by-client-t1");
    assertThat(response.headers().get("x-user")).isEqualTo("alice");
    assertThat(response.trailers().get("x-served")).isEqualTo("by-interceptor");
  }

  /** Refuses calls without an authorization header, before the handler. */
  private static final ServerInterceptor REQUIRE_TOKEN =
      new ServerInterceptor() {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
          if (!"secret".equals(headers.get("authorization"))) {
            call.close(
                Status.UNAUTHENTICATED.withDescription("No valid token for " + call.method()),
                new Metadata());
            return new ServerCall.Listener<>() {};
          }
          return next.startCall(call, headers);
        }
      };

  @Test
  void rejectingServerInterceptor_endsEveryStyle_beforeTheHandler_andTheServerKeepsServing() {
    Client client = start(List.of(REQUIRE_TOKEN), List.of());
    assertStatus(
        () -> client.unary("unary", EchoService.SER, EchoService.DES).call("x"),
        Status.Code.UNAUTHENTICATED,
        "No valid token");
    assertStatus(
        () -> client.unary("unaryAsync", EchoService.SER, EchoService.DES).call("x"),
        Status.Code.UNAUTHENTICATED,
        "No valid token");
    assertStatus(
        () ->
            client
                .clientStream("clientStream", EchoService.SER, EchoService.DES)
                .call(List.of("a")),
        Status.Code.UNAUTHENTICATED,
        "No valid token");
    assertStatus(
        () ->
            client.serverStream("serverStream", EchoService.SER, EchoService.DES).call("s").stream()
                .toList(),
        Status.Code.UNAUTHENTICATED,
        "No valid token");
    assertStatus(
        () ->
            client.bidiStream("bidi", EchoService.SER, EchoService.DES).call(List.of("p")).stream()
                .toList(),
        Status.Code.UNAUTHENTICATED,
        "No valid token");
    assertThat(handlerRuns).hasValue(0);

    CallOptions withToken =
        CallOptions.DEFAULT.withHeaders(new Metadata().put("authorization", "secret"));
    assertThat(client.unary("unary", EchoService.SER, EchoService.DES).call("x", withToken))
        .isEqualTo("null:x:null");
    assertThat(handlerRuns).hasValue(1);
  }

  @Test
  void serverInterceptor_changesTheStatus_afterTheHandler() {
    ServerInterceptor hideNotFound =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            return next.startCall(
                new ForwardingServerCall<>(call) {
                  @Override
                  public void close(Status status, Metadata trailers) {
                    if (status.code() == Status.Code.NOT_FOUND) {
                      trailers.put("x-was", "NOT_FOUND");
                      status = Status.PERMISSION_DENIED.withDescription("Not yours");
                    }
                    super.close(status, trailers);
                  }
                },
                headers);
          }
        };
    Client client = start(List.of(hideNotFound), List.of());
    CallOptions notFound =
        CallOptions.DEFAULT.withHeaders(new Metadata().put("x-status", "NOT_FOUND"));
    StatusException e =
        catchThrowableOfType(
            StatusException.class,
            () -> client.unary("unary", EchoService.SER, EchoService.DES).call("x", notFound));
    assertThat(e.getStatus().code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(e.getStatus().description()).isEqualTo("Not yours");
    assertThat(e.getTrailers().get("x-was")).isEqualTo("NOT_FOUND");
    assertThat(handlerRuns).hasValue(1);
  }

  @Test
  void serverInterceptor_thatRefusesAResponse_theHandlersWriteThrowsItsStatusAsItIs() {
    // As when the call below the interceptor has been cancelled (CANCELLED from sendMessage): the
    // handler's write must throw that status, not one that blames the response's serializer.
    ServerInterceptor refuseTheSecond =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            return next.startCall(
                new ForwardingServerCall<>(call) {
                  @Override
                  public void sendMessage(R message) {
                    if (message.toString().endsWith("-1")) {
                      throw Status.ABORTED
                          .withDescription("Refused by the interceptor")
                          .asException();
                    }
                    super.sendMessage(message);
                  }
                },
                headers);
          }
        };
    Client client = start(List.of(refuseTheSecond), List.of());
    ResponseStream<String> replies =
        client.serverStream("serverStream", EchoService.SER, EchoService.DES).call("x");
    assertThat(replies.read()).isEqualTo("null:x:null-0");
    assertStatus(replies::read, Status.Code.ABORTED, "Refused by the interceptor");
  }

  @Test
  void clientInterceptor_endsACall_withoutSendingIt() {
    ClientInterceptor offline =
        new ClientInterceptor() {
          @Override
          public <Q, R> ClientCall<Q, R> interceptCall(
              MethodInfo method, CallOptions options, ClientCall.Factory<Q, R> next) {
            return new ClientCall<>() {
              private Listener<R> listener;

              @Override
              public void start(Listener<R> listener, Metadata headers) {
                this.listener = listener;
                listener.onClose(
                    Status.FAILED_PRECONDITION.withDescription("offline mode"), new Metadata());
              }

              @Override
              public void request(int n) {}

              @Override
              public void sendMessage(Q message) {}

              @Override
              public void halfClose() {}

              @Override
              public void cancel(String message, Throwable cause) {}
            };
          }
        };
    Client client = start(List.of(recordingServer("s")), List.of(offline));
    assertStatus(
        () -> client.unary("unary", EchoService.SER, EchoService.DES).call("x"),
        Status.Code.FAILED_PRECONDITION,
        "offline mode");
    assertStatus(
        () ->
            client.bidiStream("bidi", EchoService.SER, EchoService.DES).call(List.of("a")).stream()
                .toList(),
        Status.Code.FAILED_PRECONDITION,
        "offline mode");
    assertThat(eventsOf("s")).isEmpty();
  }

  @Test
  void deferredCalls_waitForTheirStage_withoutHoldingAThread_onBothSides() throws Exception {
    CompletableFuture<String> token = new CompletableFuture<>();
    CompletableFuture<String> user = new CompletableFuture<>();
    ClientInterceptor withToken =
        new ClientInterceptor() {
          @Override
          public <Q, R> ClientCall<Q, R> interceptCall(
              MethodInfo method, CallOptions options, ClientCall.Factory<Q, R> next) {
            return ClientCall.deferred(
                token.thenApply(
                    t ->
                        new ForwardingClientCall<Q, R>(next.newCall(options)) {
                          @Override
                          public void start(Listener<R> listener, Metadata headers) {
                            headers.put("x-added", t);
                            super.start(listener, headers);
                          }
                        }));
          }
        };
    ServerInterceptor lookUpUser =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            return ServerCall.deferred(
                call,
                user.thenApply(
                    u -> {
                      call.setValue(USER, u);
                      return next.startCall(call, headers);
                    }));
          }
        };
    Client client = start(List.of(lookUpUser), List.of(withToken));
    CompletableFuture<String> unary =
        client.unary("unary", EchoService.SER, EchoService.DES).callAsync("x");
    List<String> got = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> bidiDone = new CompletableFuture<>();
    RequestObserver<String> bidi =
        client
            .bidiStream("bidi", EchoService.SER, EchoService.DES)
            .callAsync(
                new StreamObserver<>() {
                  @Override
                  public void onNext(String value) {
                    got.add(value);
                  }

                  @Override
                  public void onError(Throwable error) {
                    bidiDone.completeExceptionally(error);
                  }

                  @Override
                  public void onCompleted() {
                    bidiDone.complete(null);
                  }
                });
    bidi.onNext("a"); // kept until the token is there
    bidi.onNext("b");
    bidi.onCompleted();

    Thread.sleep(200);
    assertThat(unary).isNotDone();
    assertThat(handlerRuns).hasValue(0);

    token.complete("token-1"); // the calls go out, and wait on the server for the user
    Thread.sleep(200);
    assertThat(unary).isNotDone();
    assertThat(handlerRuns).hasValue(0);

    user.complete("bob");
    assertThat(unary.get(10, TimeUnit.SECONDS)).isEqualTo("bob:x:token-1");
    bidiDone.get(10, TimeUnit.SECONDS);
    assertThat(got).containsExactly("bob:a:token-1", "bob:b:token-1");
  }

  @Test
  void deferredCall_blockingStyles_goOnOnceTheStageCompletes() throws Exception {
    CompletableFuture<String> token = new CompletableFuture<>();
    ClientInterceptor withToken =
        new ClientInterceptor() {
          @Override
          public <Q, R> ClientCall<Q, R> interceptCall(
              MethodInfo method, CallOptions options, ClientCall.Factory<Q, R> next) {
            return ClientCall.deferred(token.thenApply(t -> next.newCall(options)));
          }
        };
    Client client = start(List.of(), List.of(withToken));
    java.util.concurrent.ScheduledExecutorService later =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      later.schedule(() -> token.complete("t"), 200, TimeUnit.MILLISECONDS);
      assertThat(client.unary("unary", EchoService.SER, EchoService.DES).call("x"))
          .isEqualTo("null:x:null");
      assertThat(
              client
                  .clientStream("clientStream", EchoService.SER, EchoService.DES)
                  .call(List.of("a", "b")))
          .isEqualTo("null:a,b:null");
    } finally {
      later.shutdownNow();
    }
  }

  @Test
  void listenerThatThrowsMidStream_endsTheCall_andTheReadingHandlerIsTold() throws Exception {
    CompletableFuture<String> handlerSaw = new CompletableFuture<>();
    ServerInterceptor rejectSecond =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            AtomicInteger seen = new AtomicInteger();
            return new ForwardingServerCallListener<>(next.startCall(call, headers)) {
              @Override
              public void onMessage(Q message) {
                if (seen.incrementAndGet() == 2) {
                  throw Status.INVALID_ARGUMENT.withDescription("no second request").asException();
                }
                super.onMessage(message);
              }
            };
          }
        };
    Server server =
        new Server(
                new ServiceConfig(
                        new RpcServiceHandler(
                            SERVICE,
                            Map.of(
                                "clientStream",
                                RpcMethodHandler.clientStream(
                                    (ReadStream<String> requests) -> {
                                      try {
                                        return String.join(",", requests.stream().toList());
                                      } catch (StatusException e) {
                                        handlerSaw.complete(e.getStatus().code().name());
                                        throw e;
                                      }
                                    },
                                    EchoService.DES,
                                    EchoService.SER))))
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withInterceptors(rejectSecond))
            .start();
    closeAfter.add(server);
    Client client =
        closeLater(
            new Client(
                ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + SERVICE)));
    assertStatus(
        () ->
            client
                .clientStream("clientStream", EchoService.SER, EchoService.DES)
                .call(List.of("a", "b", "c")),
        Status.Code.INVALID_ARGUMENT,
        "no second request");
    assertThat(handlerSaw.get(10, TimeUnit.SECONDS)).isEqualTo("INVALID_ARGUMENT");
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    closeAfter.add(closeable);
    return closeable;
  }

  /** A client interceptor whose calls wait for a stage that has failed with {@code failure}. */
  private static ClientInterceptor failingClientDeferral(Throwable failure) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodInfo method, CallOptions options, ClientCall.Factory<Q, R> next) {
        return ClientCall.deferred(CompletableFuture.failedFuture(failure));
      }
    };
  }

  /** A server interceptor whose calls wait for a stage that fails later with {@code failure}. */
  private static ServerInterceptor failingServerDeferral(RuntimeException failure) {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return ServerCall.deferred(
            call,
            CompletableFuture.<ServerCall.Listener<Q>>supplyAsync(
                () -> {
                  throw failure;
                }));
      }
    };
  }

  @Test
  void failedDeferral_endsTheCall_withTheFailuresStatus() {
    ClientInterceptor noToken =
        failingClientDeferral(
            Status.UNAUTHENTICATED.withDescription("token service down").asException());
    ServerInterceptor noUser =
        failingServerDeferral(
            Status.PERMISSION_DENIED.withDescription("user directory says no").asException());
    Client client = start(List.of(noUser), List.of(noToken));
    assertStatus(
        () -> client.unary("unary", EchoService.SER, EchoService.DES).call("x"),
        Status.Code.UNAUTHENTICATED,
        "token service down");
    Client direct = start(List.of(noUser), List.of());
    assertStatus(
        () -> direct.unary("unary", EchoService.SER, EchoService.DES).call("x"),
        Status.Code.PERMISSION_DENIED,
        "user directory says no");
    assertThat(handlerRuns).hasValue(0);
  }

  @Test
  void failedDeferral_plainException_serverSendsNoText_clientKeepsItsOwn() {
    ClientInterceptor brokenTokens =
        failingClientDeferral(new IllegalStateException("token cache corrupt"));
    ServerInterceptor brokenDirectory =
        failingServerDeferral(new IllegalStateException("directory at 10.0.0.7 unreachable"));
    // A local failure is the caller's own: its message stays.
    Client client = start(List.of(), List.of(brokenTokens));
    assertStatus(
        () -> client.unary("unary", EchoService.SER, EchoService.DES).call("x"),
        Status.Code.UNKNOWN,
        "token cache corrupt");
    // The server's failure stays in the server's log.
    Client direct = start(List.of(brokenDirectory), List.of());
    StatusException e =
        catchThrowableOfType(
            StatusException.class,
            () -> direct.unary("unary", EchoService.SER, EchoService.DES).call("x"));
    assertThat(e.getStatus().code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(e.getStatus().description()).contains("server's log").doesNotContain("10.0.0.7");
    assertThat(handlerRuns).hasValue(0);
  }

  @Test
  void cancelledWhileDeferred_endsAtOnce_andTheCallIsNeverSent() throws Exception {
    CompletableFuture<String> token = new CompletableFuture<>();
    ClientInterceptor slowToken =
        new ClientInterceptor() {
          @Override
          public <Q, R> ClientCall<Q, R> interceptCall(
              MethodInfo method, CallOptions options, ClientCall.Factory<Q, R> next) {
            return ClientCall.deferred(token.thenApply(t -> next.newCall(options)));
          }
        };
    Client client = start(List.of(recordingServer("s")), List.of(slowToken));
    CompletableFuture<String> call =
        client.unary("unary", EchoService.SER, EchoService.DES).callAsync("x");
    call.cancel(true);
    token.complete("late");
    Thread.sleep(200);
    assertThat(eventsOf("s")).isEmpty();
  }

  @Test
  void aWriteAfterTheDeadline_failsWithTheDeadline_evenBeforeTheHandlerHearsOfTheCancel() {
    ServerInterceptor slowToPassTheCancelOn =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            // Ready as far as the handler can tell, so that its write reaches the call below.
            ServerCall<Q, R> alwaysReady =
                new ForwardingServerCall<>(call) {
                  @Override
                  public boolean isReady() {
                    return true;
                  }
                };
            return new ForwardingServerCallListener<>(next.startCall(alwaysReady, headers)) {
              @Override
              public void onCancel(Status status) {
                cancelHeard.countDown();
                try {
                  handlerWrote.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                super.onCancel(status);
              }
            };
          }
        };
    Client client = start(List.of(slowToPassTheCancelOn), List.of());

    assertStatus(
        () ->
            client
                .serverStream("lateWrite", EchoService.SER, EchoService.DES)
                .call("x", CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200)))
                .read(),
        Status.Code.DEADLINE_EXCEEDED,
        "eadline");

    // The call below the interceptor was cancelled by the deadline, not by a plain cancel.
    assertThat(lateWrite).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("DEADLINE_EXCEEDED");
  }

  @Test
  void throwingInterceptor_failsTheCall_andTheServerKeepsServing() {
    AtomicInteger calls = new AtomicInteger();
    ServerInterceptor flaky =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            if (calls.incrementAndGet() == 1) {
              throw Status.INTERNAL.withDescription("interceptor broke").asException();
            }
            return next.startCall(call, headers);
          }
        };
    Client client = start(List.of(flaky), List.of());
    assertStatus(
        () -> client.unary("unary", EchoService.SER, EchoService.DES).call("x"),
        Status.Code.INTERNAL,
        "interceptor broke");
    assertThat(client.unary("unary", EchoService.SER, EchoService.DES).call("y"))
        .isEqualTo("null:y:null");
  }
}

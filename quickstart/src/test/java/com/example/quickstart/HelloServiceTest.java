package com.example.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.quickstart.hello.HelloTri4j;
import com.example.quickstart.hello.SayReply;
import com.example.quickstart.hello.SayRequest;
import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.ResponseStream;
import io.tri4j.Server;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.StatusException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Calls the service through the in-memory transport: real calls, no socket, no port. */
class HelloServiceTest {
  private static Server server;
  private static Client client;
  private static HelloTri4j.HelloStub hello;

  @BeforeAll
  static void start() {
    server =
        new Server(
                new ServiceConfig(HelloTri4j.serviceHandler(new HelloService()))
                    .withInMemoryName("hello-test"))
            .start();
    client = new Client(ReferenceConfig.forInMemory("hello-test", HelloTri4j.SERVICE_NAME));
    hello = new HelloTri4j.HelloStub(client);
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void say_name_greets() {
    SayReply reply = hello.say(SayRequest.newBuilder().setName("Ada").build());

    assertEquals("Hello, Ada!", reply.getMessage());
  }

  @Test
  void say_emptyName_failsWithInvalidArgument() {
    StatusException e =
        assertThrows(StatusException.class, () -> hello.say(SayRequest.getDefaultInstance()));

    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().code());
    assertEquals("name is empty", e.getStatus().description());
  }

  @Test
  void sayInLanguages_name_streamsOneReplyPerLanguage() {
    List<String> messages = new ArrayList<>();
    try (ResponseStream<SayReply> replies =
        hello.sayInLanguages(SayRequest.newBuilder().setName("Ada").build())) {
      replies.forEach(reply -> messages.add(reply.getMessage()));
    }

    assertEquals(List.of("Hello, Ada!", "Bonjour, Ada!", "Hallo, Ada!", "Hola, Ada!"), messages);
  }
}

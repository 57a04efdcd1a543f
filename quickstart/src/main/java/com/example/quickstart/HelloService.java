package com.example.quickstart;

import com.example.quickstart.hello.HelloTri4j;
import com.example.quickstart.hello.SayReply;
import com.example.quickstart.hello.SayRequest;
import io.tri4j.Status;
import java.util.Iterator;
import java.util.List;

/** The server's side of {@code hello.proto}: override the methods of the generated interface. */
public final class HelloService implements HelloTri4j.Hello {
  private static final List<String> GREETINGS = List.of("Hello", "Bonjour", "Hallo", "Hola");

  @Override
  public SayReply say(SayRequest request) {
    if (request.getName().isEmpty()) {
      // The client gets INVALID_ARGUMENT with this message; the server carries on.
      throw Status.INVALID_ARGUMENT.withDescription("name is empty").asException();
    }
    return reply("Hello, " + request.getName() + "!");
  }

  @Override
  public Iterator<SayReply> sayInLanguages(SayRequest request) {
    // Each reply goes out as soon as the iterator yields it.
    return GREETINGS.stream().map(g -> reply(g + ", " + request.getName() + "!")).iterator();
  }

  private static SayReply reply(String message) {
    return SayReply.newBuilder().setMessage(message).build();
  }
}

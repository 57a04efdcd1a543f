package com.example.quickstart;

import com.example.quickstart.hello.HelloTri4j;
import com.example.quickstart.hello.SayReply;
import com.example.quickstart.hello.SayRequest;
import io.tri4j.CallOptions;
import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.ResponseStream;
import io.tri4j.StatusException;
import java.time.Duration;

/** Calls a {@code Hello} server: {@code HelloClient [name] [tri://host:port]}. */
public final class HelloClient {
  private HelloClient() {}

  public static void main(String[] args) {
    String name = args.length > 0 ? args[0] : "world";
    String address = args.length > 1 ? args[1] : "tri://127.0.0.1:50051";
    // A client is made for one service; it is safe to share, and closing it closes its connection.
    try (Client client =
        new Client(ReferenceConfig.fromUrl(address + "/" + HelloTri4j.SERVICE_NAME))) {
      HelloTri4j.HelloStub hello = new HelloTri4j.HelloStub(client);
      CallOptions inTwoSeconds = CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(2));

      SayRequest request = SayRequest.newBuilder().setName(name).build();
      System.out.println(hello.say(request, inTwoSeconds).getMessage());

      // Closing the stream (here by try-with-resources) ends the call even when reading stops
      // early.
      try (ResponseStream<SayReply> replies = hello.sayInLanguages(request, inTwoSeconds)) {
        for (SayReply reply : replies) {
          System.out.println(reply.getMessage());
        }
      }

      try {
        hello.say(SayRequest.getDefaultInstance());
      } catch (StatusException e) {
        System.out.println("An empty name fails with " + e.getStatus());
      }
    }
  }
}

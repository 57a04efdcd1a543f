package io.tri4j.examples;

import io.tri4j.BidiStreamCallable;
import io.tri4j.Client;
import io.tri4j.ClientStreamCallable;
import io.tri4j.ServerStreamCallable;
import io.tri4j.UnaryCallable;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;

/**
 * A typed stub for Greeter, like dubbo-python's {@code GreeterServiceStub}: one callable per
 * method, each with the method name and the message functions.
 */
public final class GreeterStub {
  public final UnaryCallable<GreeterRequest, GreeterReply> greet;
  public final ClientStreamCallable<GreeterRequest, GreeterReply> clientStream;
  public final ServerStreamCallable<GreeterRequest, GreeterReply> serverStream;
  public final BidiStreamCallable<GreeterRequest, GreeterReply> biStream;

  public GreeterStub(Client client) {
    greet = client.unary("greet", GreeterRequest::toByteArray, GreeterReply::parseFrom);
    clientStream =
        client.clientStream("clientStream", GreeterRequest::toByteArray, GreeterReply::parseFrom);
    serverStream =
        client.serverStream("serverStream", GreeterRequest::toByteArray, GreeterReply::parseFrom);
    biStream = client.bidiStream("biStream", GreeterRequest::toByteArray, GreeterReply::parseFrom);
  }

  public static GreeterRequest request(String name) {
    return GreeterRequest.newBuilder().setName(name).build();
  }
}

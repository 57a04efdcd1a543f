package io.tri4j.internal.transport;

import com.google.protobuf.StringValue;
import io.tri4j.Protobuf;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Status;
import io.tri4j.internal.codec.Base64Chunks;
import io.tri4j.internal.codec.MessageFramer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/** The service gRPC-Web tests call, and helpers for their bodies. */
final class GrpcWebService {
  private GrpcWebService() {}

  /**
   * {@code web.Test}: {@code echo} (unary; "fail:x" fails NOT_FOUND with x), {@code count} (server
   * stream 1..n; a negative n sends |n| then fails OUT_OF_RANGE), {@code join} (client stream),
   * {@code greet} (unary of protobuf {@code StringValue}s, so JSON too: "hello " + the value).
   */
  static RpcServiceHandler create() {
    return new RpcServiceHandler(
        "web.Test",
        Map.of(
            "echo",
            RpcMethodHandler.<String, String>unary(
                s -> {
                  if (s.startsWith("fail:")) {
                    throw Status.NOT_FOUND.withDescription(s.substring(5)).asException();
                  }
                  return "echo " + s;
                },
                GrpcWebService::string,
                GrpcWebService::utf8),
            "count",
            RpcMethodHandler.<String, String>serverStream(
                (String s, io.tri4j.WriteStream<String> out) -> {
                  int n = Integer.parseInt(s);
                  for (int i = 1; i <= Math.abs(n); i++) {
                    out.write(Integer.toString(i));
                  }
                  if (n < 0) {
                    throw Status.OUT_OF_RANGE
                        .withDescription("count ran out after " + -n)
                        .asException();
                  }
                },
                GrpcWebService::string,
                GrpcWebService::utf8),
            "greet",
            RpcMethodHandler.unary(
                (StringValue v) -> StringValue.of("hello " + v.getValue()),
                Protobuf.deserializer(StringValue.parser()),
                Protobuf.serializer()),
            "join",
            RpcMethodHandler.<String, String>clientStream(
                requests -> {
                  StringJoiner j = new StringJoiner("+");
                  requests.forEach(j::add);
                  return j.toString();
                },
                GrpcWebService::string,
                GrpcWebService::utf8)));
  }

  private static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The messages, each length-prefixed, one after another. */
  static byte[] framed(String... messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String m : messages) {
      out.writeBytes(MessageFramer.frame(utf8(m)));
    }
    return out.toByteArray();
  }

  /** A grpc-web-text body, padded chunks and all, decoded. */
  static byte[] decodeText(byte[] text) {
    Base64Chunks decoder = new Base64Chunks();
    ByteBuffer decoded = decoder.decode(ByteBuffer.wrap(text));
    decoder.finish();
    byte[] out = new byte[decoded.remaining()];
    decoded.get(out);
    return out;
  }
}

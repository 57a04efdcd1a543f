package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InboundHeadersTest {
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  private final Http2Codecs.InboundHeadersDecoder decoder =
      new Http2Codecs.InboundHeadersDecoder(Http2Codecs.MAX_HEADER_LIST_SIZE);

  private static DefaultHttp2Headers request() {
    DefaultHttp2Headers headers = new DefaultHttp2Headers();
    headers
        .method("POST")
        .scheme("http")
        .path("/greet.Greeter/Greet")
        .authority("localhost:50051")
        .add("content-type", "application/grpc")
        .add("te", "trailers")
        .add("grpc-timeout", "100m")
        .add("x-tag", "a")
        .add("x-tag", "b");
    return headers;
  }

  /** {@code headers} through HPACK, as a peer would send them, and back. */
  private Http2Headers roundTrip(Http2Headers headers) throws Http2Exception {
    ByteBuf block = Unpooled.buffer();
    try {
      encoder.encodeHeaders(1, headers, block);
      return decoder.decodeHeaders(1, block);
    } finally {
      block.release();
    }
  }

  private static List<Map.Entry<String, String>> entries(Http2Headers headers) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (Map.Entry<CharSequence, CharSequence> e : headers) {
      out.add(Map.entry(e.getKey().toString(), e.getValue().toString()));
    }
    return out;
  }

  @Test
  void decodedHeaders_readAsNettysOwnMapReadsThem() throws Http2Exception {
    DefaultHttp2Headers sent = request();
    Http2Headers received = roundTrip(sent);

    assertThat(received).isInstanceOf(InboundHeaders.class);
    assertThat(entries(received)).isEqualTo(entries(sent));
    assertThat(received.size()).isEqualTo(9);
    assertThat(received.method()).hasToString("POST");
    assertThat(received.scheme()).hasToString("http");
    assertThat(received.path()).hasToString("/greet.Greeter/Greet");
    assertThat(received.authority()).hasToString("localhost:50051");
    assertThat(received.status()).isNull();
    assertThat(received.get(AsciiString.of("content-type"))).hasToString("application/grpc");
    assertThat(received.get("grpc-timeout")).hasToString("100m"); // a String name works too
    assertThat(received.get("grpc-encoding")).isNull();
    assertThat(received.get("grpc-encoding", "identity")).isEqualTo("identity");
    assertThat(received.getAll("x-tag")).map(CharSequence::toString).containsExactly("a", "b");
    assertThat(received.getAll("x-none")).isEmpty();
    assertThat(received.contains("te")).isTrue();
    assertThat(received.contains("te", "trailers")).isTrue();
    assertThat(received.contains("te", "TRAILERS")).isFalse();
    assertThat(received.contains("te", "TRAILERS", true)).isTrue();
    assertThat(received.contains("Content-Type")).as("names are case-sensitive").isFalse();
    assertThat(received.names()).map(CharSequence::toString).contains(":path", "x-tag");
  }

  @Test
  void aConnectionsHeaderBlocks_areDecodedIntoOneInstance_emptiedEachTime() throws Http2Exception {
    Http2Headers first = roundTrip(request());
    CharSequence firstPath = first.path();
    DefaultHttp2Headers response = new DefaultHttp2Headers();
    response.status("200").add("content-type", "application/grpc");

    Http2Headers second = roundTrip(response);

    assertThat(second).isSameAs(first);
    assertThat(entries(second)).isEqualTo(entries(response));
    assertThat(second.path()).isNull();
    assertThat(firstPath)
        .as("a value read before stays as it was")
        .hasToString("/greet.Greeter/Greet");
  }

  @Test
  void aNameWithCapitals_isAConnectionError() {
    DefaultHttp2Headers sent = new DefaultHttp2Headers(false); // sends what it is given
    sent.method("POST").path("/p").scheme("http").add("X-Upper", "1");

    assertThatThrownBy(() -> roundTrip(sent))
        .isInstanceOfSatisfying(
            Http2Exception.class, e -> assertThat(e.error()).isEqualTo(Http2Error.PROTOCOL_ERROR))
        .hasMessageContaining("X-Upper");
  }

  @Test
  void settingAValue_replacesEveryOneOfItsName() throws Http2Exception {
    // Netty's decoder normalizes a request's content-length so, through setLong.
    Http2Headers received = roundTrip(request().add("content-length", "5"));
    received.add("content-length", "5");

    received.setLong("content-length", 5);
    received.set("grpc-timeout", "1S"); // one of its name: replaced in place

    assertThat(received.getAll("content-length")).map(CharSequence::toString).containsExactly("5");
    assertThat(received.getLong("content-length")).isEqualTo(5L);
    assertThat(entries(received).get(6)).isEqualTo(Map.entry("grpc-timeout", "1S"));
    assertThat(received.getInt("grpc-timeout")).as("not a number").isNull();
    assertThat(received.getInt("grpc-timeout", -1)).isEqualTo(-1);
    assertThat(received.getAndRemove("x-tag")).hasToString("a");
    assertThat(received.contains("x-tag")).isFalse();
    assertThat(received.remove("x-tag")).isFalse();
    assertThat(received.size()).isEqualTo(8);
  }

  @Test
  void aPseudoHeaderAddedLate_goesBeforeTheOthers() {
    InboundHeaders headers = new InboundHeaders(true, 2);
    headers.add("content-type", "application/grpc").add("grpc-status", "0");

    headers.status("200");

    assertThat(headers.name(0)).hasToString(":status");
    assertThat(headers.name(1)).hasToString("content-type");
    assertThat(headers.value(2)).hasToString("0");
    assertThat(headers.size()).isEqualTo(3);
    assertThat(headers)
        .hasToString(
            "InboundHeaders[:status: 200, content-type: application/grpc," + " grpc-status: 0]");
  }

  @Test
  void manyHeaders_growTheArray() {
    InboundHeaders headers = new InboundHeaders(true, 1);
    for (int i = 0; i < 100; i++) {
      headers.addInt("x-n", i);
    }

    assertThat(headers.size()).isEqualTo(100);
    assertThat(headers.getAll("x-n")).hasSize(100).last().hasToString("99");
    assertThat(headers.containsInt("x-n", 42)).isTrue();
    headers.clear();
    assertThat(headers.isEmpty()).isTrue();
    assertThat(headers.iterator().hasNext()).isFalse();
  }

  /**
   * Every typed read, test and write answers as Netty's own map does, for values that convert, that
   * do not, and that are missing; "AndRemove" reads remove.
   */
  @Test
  void typedAccess_answersAsDefaultHttp2HeadersDoes() {
    List<Http2Headers> both = List.of(new DefaultHttp2Headers(), new InboundHeaders(true, 4));
    List<List<Object>> answers = new ArrayList<>();
    for (Http2Headers h : both) {
      h.add("x-int", "42").add("x-bool", "true").add("x-float", "1.5").add("x-char", "c");
      h.add("x-byte", "7").add("x-text", "seven").add("x-date", "Thu, 01 Jan 1970 00:00:01 GMT");
      List<Object> out = new ArrayList<>();
      for (String name : List.of("x-int", "x-bool", "x-float", "x-char", "x-byte", "x-text", "x")) {
        out.add(h.getInt(name));
        out.add(h.getInt(name, -1));
        out.add(h.getLong(name));
        out.add(h.getLong(name, -1L));
        out.add(h.getShort(name));
        out.add(h.getShort(name, (short) -1));
        out.add(h.getByte(name));
        out.add(h.getByte(name, (byte) -1));
        out.add(h.getBoolean(name));
        out.add(h.getBoolean(name, false));
        out.add(h.getFloat(name));
        out.add(h.getFloat(name, -1f));
        out.add(h.getDouble(name));
        out.add(h.getDouble(name, -1d));
        out.add(h.getChar(name));
        out.add(h.getChar(name, '?'));
      }
      // Netty's map lets an unparsable date's exception escape: only dates and a missing name.
      for (String name : List.of("x-date", "x")) {
        out.add(h.getTimeMillis(name));
        out.add(h.getTimeMillis(name, -1L));
      }
      out.add(h.containsInt("x-int", 42));
      out.add(h.containsLong("x-int", 42));
      out.add(h.containsShort("x-int", (short) 42));
      out.add(h.containsByte("x-byte", (byte) 7));
      out.add(h.containsBoolean("x-bool", true));
      out.add(h.containsFloat("x-float", 1.5f));
      out.add(h.containsDouble("x-float", 1.5d));
      out.add(h.containsChar("x-char", 'c'));
      out.add(h.containsObject("x-int", 42));
      out.add(h.containsTimeMillis("x-date", 1000));
      out.add(h.getIntAndRemove("x-int"));
      out.add(h.getIntAndRemove("x-int", -1));
      out.add(h.getBooleanAndRemove("x-bool"));
      out.add(h.getDoubleAndRemove("x-float", -1d));
      out.add(h.getCharAndRemove("x-char"));
      out.add(h.getByteAndRemove("x-byte", (byte) -1));
      out.add(h.getLongAndRemove("x-text"));
      out.add(h.getShortAndRemove("x", (short) -1));
      out.add(h.getFloatAndRemove("x"));
      out.add(h.getTimeMillisAndRemove("x-date", -1L));
      out.add(h.getTimeMillisAndRemove("x"));
      h.addInt("a", 1).addLong("a", 2).addShort("a", (short) 3).addByte("a", (byte) 4);
      h.addBoolean("a", true).addFloat("a", 0.5f).addDouble("a", 0.25).addChar("a", 'z');
      h.addObject("a", 5).addObject("a", List.of(6, 7)).addObject("a", 8, 9);
      h.addTimeMillis("a", 0);
      h.setInt("b", 1).setLong("c", 2).setShort("d", (short) 3).setByte("e", (byte) 4);
      h.setBoolean("f", false).setFloat("g", 0.5f).setDouble("h", 0.25).setChar("i", 'y');
      h.setObject("j", 10).setObject("k", List.of(11, 12)).setObject("l", 13, 14);
      h.setTimeMillis("m", 0).set("n", "x", "y").set("o", List.of("p"));
      out.add(entries(h));
      answers.add(out);
    }

    assertThat(answers.get(1)).isEqualTo(answers.get(0));
  }
}

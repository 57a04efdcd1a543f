package io.tri4j.protoc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the Java source of one proto service: a final class {@code <Service>Tri4j} holding the
 * method table, the descriptors, the client stub {@code <Service>Stub}, the server interfaces
 * {@code <Service>} and {@code Async<Service>}, and the factories of their {@code
 * RpcServiceHandler}s. The code uses only tri4j's public API and protobuf-java.
 */
final class ServiceWriter {
  /**
   * Every simple name the generated class declares or imports, and the type parameters of its
   * helpers: a message class whose name starts with one of them is written fully qualified.
   */
  private static final Set<String> IMPORTED =
      Set.of(
          "Q",
          "R",
          "Method",
          "Descriptors",
          "Message",
          "Parser",
          "BidiStreamCallable",
          "CallHandle",
          "CallOptions",
          "Client",
          "ClientStreamCallable",
          "Deserializer",
          "MethodInfo",
          "MethodType",
          "Protobuf",
          "ReadStream",
          "ReferenceConfig",
          "RequestObserver",
          "Response",
          "ResponseObserver",
          "ResponseStream",
          "RpcMethodHandler",
          "RpcServiceHandler",
          "Serializer",
          "ServerStreamCallable",
          "Status",
          "StatusException",
          "StreamObserver",
          "StreamingCall",
          "UnaryCallable",
          "WriteStream",
          "Iterator",
          "LinkedHashMap",
          "List",
          "Map",
          "Objects",
          "CompletableFuture");

  /** The classes of java.lang the generated code names: a message class must not hide them. */
  private static final Set<String> JAVA_LANG =
      Set.of("String", "Exception", "Iterable", "IllegalArgumentException", "Object");

  /** One RPC of the service, with the Java names made for it. */
  private record Rpc(
      String name,
      String member,
      String constant,
      boolean clientStreaming,
      boolean serverStreaming,
      boolean noSideEffects,
      String request,
      String response,
      List<String> doc) {

    boolean unary() {
      return !clientStreaming && !serverStreaming;
    }

    String methodType() {
      if (clientStreaming) {
        return serverStreaming ? "BIDI_STREAMING" : "CLIENT_STREAMING";
      }
      return serverStreaming ? "SERVER_STREAMING" : "UNARY";
    }

    String style() {
      if (clientStreaming) {
        return serverStreaming ? "bidi-streaming" : "client-streaming";
      }
      return serverStreaming ? "server-streaming" : "unary";
    }
  }

  private final FileDescriptorProto file;
  private final int serviceIndex;
  private final String javaPackage;
  private final String serviceName;
  private final String outerClass;
  private final String stubClass;
  private final String blockingInterface;
  private final String asyncInterface;
  private final List<String> serviceDoc;
  private final List<Rpc> rpcs = new ArrayList<>();
  private final Set<String> imports = new TreeSet<>();
  private final JavaWriter out = new JavaWriter();

  /**
   * @throws IllegalArgumentException if the service's Java names clash
   */
  ServiceWriter(FileDescriptorProto file, int serviceIndex, JavaNames names) {
    this.file = file;
    this.serviceIndex = serviceIndex;
    ServiceDescriptorProto service = file.getService(serviceIndex);
    this.javaPackage = JavaNames.javaPackage(file);
    this.serviceName =
        file.getPackage().isEmpty()
            ? service.getName()
            : file.getPackage() + "." + service.getName();
    this.outerClass = service.getName() + "Tri4j";
    this.stubClass = service.getName() + "Stub";
    this.blockingInterface = service.getName();
    this.asyncInterface = "Async" + service.getName();
    Javadoc javadoc = new Javadoc(file);
    this.serviceDoc = javadoc.service(serviceIndex);
    checkClassNames(names);
    Set<String> nested = Set.of(outerClass, stubClass, blockingInterface, asyncInterface);
    Map<String, String> members = new HashMap<>();
    for (int i = 0; i < service.getMethodCount(); i++) {
      MethodDescriptorProto method = service.getMethod(i);
      String member = JavaNames.memberName(method.getName());
      for (String name : List.of(member, member + "Async", member + "ForResponse")) {
        String other = members.putIfAbsent(name, method.getName());
        if (other != null) {
          throw new IllegalArgumentException(
              "Methods "
                  + other
                  + " and "
                  + method.getName()
                  + " of service "
                  + serviceName
                  + " would both make the Java method "
                  + name
                  + ": rename one");
        }
      }
      rpcs.add(
          new Rpc(
              method.getName(),
              member,
              "METHOD_" + JavaNames.constantName(member),
              method.getClientStreaming(),
              method.getServerStreaming(),
              method.getOptions().getIdempotencyLevel()
                  == MethodOptions.IdempotencyLevel.NO_SIDE_EFFECTS,
              typeName(names.messageClass(method.getInputType()), nested),
              typeName(names.messageClass(method.getOutputType()), nested),
              javadoc.method(serviceIndex, i)));
    }
  }

  /** The path of the generated file, as protoc wants it. */
  String fileName() {
    return (javaPackage.isEmpty() ? "" : javaPackage.replace('.', '/') + "/")
        + outerClass
        + ".java";
  }

  /**
   * A message class as the generated code names it: by its name in the package if it is in the
   * package of the generated class and nothing the code declares or imports hides it, else fully
   * qualified.
   *
   * @throws IllegalArgumentException if the class is in the default package and cannot be named
   */
  private String typeName(JavaNames.JavaClass message, Set<String> nested) {
    String local = message.localName();
    String first = local.contains(".") ? local.substring(0, local.indexOf('.')) : local;
    boolean hidden = IMPORTED.contains(first) || nested.contains(first);
    if (message.javaPackage().equals(javaPackage) && !hidden) {
      return local;
    }
    if (message.javaPackage().isEmpty()) {
      throw new IllegalArgumentException(
          "The message class "
              + local
              + " is in the default package, where the code generated for "
              + serviceName
              + " cannot name it: set java_package in the file that defines it");
    }
    return message.javaPackage() + "." + local;
  }

  /**
   * Fails where the generated class would have the name of a class protoc makes in the same
   * package, or where such a class would hide a class of java.lang the generated code uses.
   */
  private void checkClassNames(JavaNames names) {
    Set<String> taken = names.topLevelClasses(javaPackage);
    if (taken.contains(outerClass)) {
      throw new IllegalArgumentException(
          "The tri4j class "
              + outerClass
              + " of service "
              + serviceName
              + " has the name of a class protoc makes for the messages of package "
              + (javaPackage.isEmpty() ? "(default)" : javaPackage)
              + ": rename the type or set java_outer_classname");
    }
    for (String name : JAVA_LANG) {
      if (taken.contains(name)) {
        throw new IllegalArgumentException(
            "The class "
                + name
                + " that protoc makes in package "
                + (javaPackage.isEmpty() ? "(default)" : javaPackage)
                + " hides java.lang."
                + name
                + " from the code generated for "
                + serviceName
                + ": rename the type or set java_outer_classname or java_multiple_files");
      }
    }
  }

  /** The whole source file. */
  String write() {
    writeOuterClass();
    StringBuilder source = new StringBuilder();
    source.append("// Generated by protoc-gen-tri4j from ").append(file.getName()).append(". ");
    source.append("Do not edit.\n");
    if (!javaPackage.isEmpty()) {
      source.append("package ").append(javaPackage).append(";\n");
    }
    source.append('\n');
    for (String type : imports) {
      source.append("import ").append(type).append(";\n");
    }
    return source.append('\n').append(out).toString();
  }

  private void writeOuterClass() {
    out.javadoc(
        withDoc(
            serviceDoc,
            "The tri4j code of service {@code "
                + serviceName
                + "}, from {@code "
                + file.getName()
                + "}: call it with a {@link "
                + stubClass
                + "}; serve it with a {@link "
                + blockingInterface
                + "} or an {@link "
                + asyncInterface
                + "} and {@link #serviceHandler}."));
    out.open("public final class " + outerClass + " {");
    out.javadoc(
        List.of(
            "The service's full name, the proto package and the service name: calls go to {@code /"
                + serviceName
                + "/method}."));
    out.line("public static final String SERVICE_NAME = \"" + serviceName + "\";");
    for (Rpc rpc : rpcs) {
      out.blank();
      out.javadoc(List.of("{@code " + rpc.name() + "}: " + rpc.style() + "."));
      String type = "Method<" + rpc.request() + ", " + rpc.response() + ">";
      out.line("public static final " + type + " " + rpc.constant() + " =");
      out.line("    method(");
      out.line("        \"" + rpc.name() + "\",");
      out.line("        MethodType." + rpc.methodType() + ",");
      out.line("        " + rpc.request() + ".getDefaultInstance(),");
      out.line("        " + rpc.request() + ".parser(),");
      out.line("        " + rpc.response() + ".getDefaultInstance(),");
      out.line("        " + rpc.response() + ".parser());");
    }
    out.blank();
    List<String> constants = rpcs.stream().map(Rpc::constant).toList();
    out.declaration("private static final List<Method<?, ?>> METHODS = List.of", constants, ";");
    out.blank();
    out.line("private " + outerClass + "() {}");
    out.blank();
    out.javadoc(List.of("The methods of the service, in the order of the .proto file."));
    out.open("public static List<Method<?, ?>> methods() {");
    out.line("return METHODS;");
    out.close();
    out.blank();
    out.javadoc(
        List.of(
            "The descriptor of {@code "
                + file.getName()
                + "}, the file that defines the service."));
    out.open("public static Descriptors.FileDescriptor fileDescriptor() {");
    String outer =
        (javaPackage.isEmpty() ? "" : javaPackage + ".") + JavaNames.outerClassName(file);
    out.line("return " + outer + ".getDescriptor();");
    out.close();
    out.blank();
    out.javadoc(List.of("The descriptor of the service."));
    out.open("public static Descriptors.ServiceDescriptor serviceDescriptor() {");
    out.line("return fileDescriptor().getServices().get(" + serviceIndex + ");");
    out.close();
    imports.addAll(
        List.of("com.google.protobuf.Descriptors", "io.tri4j.MethodType", "java.util.List"));
    writeServiceHandler(false);
    writeServiceHandler(true);
    writeMethodRecord();
    writeStub();
    writeBlockingInterface();
    writeAsyncInterface();
    writeHelpers();
    out.close();
  }

  private void writeServiceHandler(boolean async) {
    out.blank();
    out.javadoc(
        List.of(
            "The handler of the service, for a {@link io.tri4j.ServiceConfig}: each call runs the"
                + " method of {@code service} of the same name"
                + (async ? ", which should not block." : ".")
                + " The handler carries the service's descriptor, which server reflection serves."));
    String implementation = async ? asyncInterface : blockingInterface;
    out.open("public static RpcServiceHandler serviceHandler(" + implementation + " service) {");
    out.line("Objects.requireNonNull(service, \"service\");");
    out.line("Map<String, RpcMethodHandler<?, ?>> handlers = new LinkedHashMap<>();");
    for (Rpc rpc : rpcs) {
      String factory;
      String lambda;
      String call = "service." + rpc.member();
      if (async && !rpc.clientStreaming()) {
        factory = rpc.serverStreaming() ? "serverStreamAsync" : "unaryAsync";
        lambda = "(request, responses) -> " + call + "(request, responses)";
      } else if (async) {
        factory = rpc.serverStreaming() ? "biStreamAsync" : "clientStreamAsync";
        lambda = "responses -> " + call + "(responses)";
      } else if (rpc.unary()) {
        factory = "unary";
        lambda = "request -> " + call + "(request)";
      } else if (!rpc.serverStreaming()) {
        factory = "clientStream";
        lambda = "requests -> " + call + "(requests)";
      } else {
        // Two parameters: the writer form, which the iterator form's default method feeds.
        factory = rpc.clientStreaming() ? "biStream" : "serverStream";
        String in = rpc.clientStreaming() ? "requests" : "request";
        lambda = "(" + in + ", responses) -> " + call + "(" + in + ", responses)";
      }
      out.line("handlers.put(");
      out.line("    " + rpc.constant() + ".info().method(),");
      out.line("    RpcMethodHandler." + factory + "(");
      out.line("        " + lambda + ",");
      out.line("        " + rpc.constant() + ".requestDeserializer(),");
      // idempotency_level = NO_SIDE_EFFECTS: the Connect protocol may call the method with a GET.
      out.line(
          "        "
              + rpc.constant()
              + ".responseSerializer())"
              + (rpc.noSideEffects() ? ".withNoSideEffects());" : ");"));
    }
    out.line(
        "return new RpcServiceHandler(SERVICE_NAME, handlers).withSchemaDescriptor(serviceDescriptor());");
    out.close();
    imports.addAll(
        List.of(
            "io.tri4j.RpcMethodHandler",
            "io.tri4j.RpcServiceHandler",
            "java.util.LinkedHashMap",
            "java.util.Map",
            "java.util.Objects"));
  }

  private void writeMethodRecord() {
    out.blank();
    out.javadoc(
        List.of(
            "One method of the service: its name and call style, its message types, and the"
                + " functions that turn its messages into protobuf bytes and back.",
            "",
            "@param info the service, the method's name and its call style",
            "@param requestType the request message type, as its default instance",
            "@param responseType the response message type, as its default instance",
            "@param requestSerializer writes requests",
            "@param requestDeserializer reads requests",
            "@param responseSerializer writes responses",
            "@param responseDeserializer reads responses",
            "@param <Q> the request message type",
            "@param <R> the response message type"));
    out.declaration(
        "public record Method<Q extends Message, R extends Message>",
        List.of(
            "MethodInfo info",
            "Q requestType",
            "R responseType",
            "Serializer<Q> requestSerializer",
            "Deserializer<Q> requestDeserializer",
            "Serializer<R> responseSerializer",
            "Deserializer<R> responseDeserializer"),
        " {}");
    imports.addAll(
        List.of(
            "com.google.protobuf.Message",
            "io.tri4j.Deserializer",
            "io.tri4j.MethodInfo",
            "io.tri4j.Serializer"));
  }

  private void writeStub() {
    out.blank();
    out.javadoc(
        List.of(
            "Calls the service through a {@link Client} whose reference names it, with Java methods"
                + " for each call style of each RPC. Like the client, a stub is safe for concurrent"
                + " use: make one and share it."));
    out.open("public static final class " + stubClass + " {");
    for (Rpc rpc : rpcs) {
      out.line("private final " + callable(rpc) + " " + rpc.member() + ";");
    }
    out.blank();
    out.javadoc(
        List.of(
            "A stub calling through {@code client}, which is made with a reference to this"
                + " service, such as {@code ReferenceConfig.fromUrl(\"tri://host:port/"
                + serviceName
                + "\")}. With the URL parameter {@code serialization=json}, messages go as JSON"
                + " (which needs protobuf-java-util).",
            "",
            "@throws IllegalArgumentException if the client's reference names another service"));
    out.open("public " + stubClass + "(Client client) {");
    out.line("String service = client.config().service();");
    out.open("if (!SERVICE_NAME.equals(service)) {");
    out.line("throw new IllegalArgumentException(");
    out.line("    \"The client calls \"");
    out.line("        + service");
    out.line("        + \", not \"");
    out.line("        + SERVICE_NAME");
    out.line("        + \": make it with a reference to tri://host:port/\"");
    out.line("        + SERVICE_NAME);");
    out.close();
    out.line(
        "boolean json = client.config().serialization() == ReferenceConfig.Serialization.JSON;");
    for (Rpc rpc : rpcs) {
      String factory;
      if (!rpc.clientStreaming()) {
        factory = rpc.serverStreaming() ? "serverStream" : "unary";
      } else {
        factory = rpc.serverStreaming() ? "bidiStream" : "clientStream";
      }
      // Helpers named through their class: an RPC may have a helper's name.
      out.line("this." + rpc.member() + " =");
      out.line("    client." + factory + "(");
      out.line("        " + rpc.constant() + ".info().method(),");
      out.line("        " + outerClass + ".requestSerializer(" + rpc.constant() + ", json),");
      out.line("        " + outerClass + ".responseDeserializer(" + rpc.constant() + ", json));");
    }
    out.close();
    imports.addAll(List.of("io.tri4j.CallOptions", "io.tri4j.Client", "io.tri4j.ReferenceConfig"));
    for (Rpc rpc : rpcs) {
      if (rpc.unary()) {
        writeUnaryStubMethods(rpc);
      } else if (!rpc.clientStreaming()) {
        writeServerStreamStubMethods(rpc);
      } else {
        writeStreamingStubMethods(rpc);
      }
    }
    out.close();
  }

  private String callable(Rpc rpc) {
    String type;
    if (!rpc.clientStreaming()) {
      type = rpc.serverStreaming() ? "ServerStreamCallable" : "UnaryCallable";
    } else {
      type = rpc.serverStreaming() ? "BidiStreamCallable" : "ClientStreamCallable";
    }
    imports.add("io.tri4j." + type);
    return type + "<" + rpc.request() + ", " + rpc.response() + ">";
  }

  private void writeUnaryStubMethods(Rpc rpc) {
    String request = rpc.request() + " request";
    String fails = "@throws StatusException if the call ends with a status other than {@code OK}";
    stubMethod(
        rpc,
        List.of("Calls {@code " + rpc.name() + "} and waits for the response.", "", fails),
        rpc.response(),
        rpc.member(),
        List.of(request),
        "call");
    stubMethod(
        rpc,
        List.of(
            "Calls {@code "
                + rpc.name()
                + "} and returns the response with its headers and"
                + " trailers.",
            "",
            fails),
        "Response<" + rpc.response() + ">",
        rpc.member() + "ForResponse",
        List.of(request),
        "callForResponse");
    stubMethod(
        rpc,
        List.of(
            "Calls {@code "
                + rpc.name()
                + "} without blocking: the future completes with the response, or with a {@link"
                + " StatusException}; cancelling it cancels the call."),
        "CompletableFuture<" + rpc.response() + ">",
        rpc.member() + "Async",
        List.of(request),
        "callAsync");
    imports.addAll(
        List.of(
            "io.tri4j.Response",
            "io.tri4j.StatusException",
            "java.util.concurrent.CompletableFuture"));
  }

  private void writeServerStreamStubMethods(Rpc rpc) {
    String request = rpc.request() + " request";
    stubMethod(
        rpc,
        List.of(
            "Calls {@code "
                + rpc.name()
                + "} and returns its responses as they arrive. Read the stream to its end, or close"
                + " it, to free the call."),
        "ResponseStream<" + rpc.response() + ">",
        rpc.member(),
        List.of(request),
        "call");
    stubMethod(
        rpc,
        List.of(
            "Calls {@code "
                + rpc.name()
                + "} without blocking: the responses go to {@code responses} on the client's"
                + " executor."),
        "CallHandle",
        rpc.member() + "Async",
        List.of(request, "StreamObserver<" + rpc.response() + "> responses"),
        "callAsync");
    imports.addAll(
        List.of("io.tri4j.CallHandle", "io.tri4j.ResponseStream", "io.tri4j.StreamObserver"));
  }

  private void writeStreamingStubMethods(Rpc rpc) {
    boolean bidi = rpc.serverStreaming();
    String result = bidi ? "ResponseStream<" + rpc.response() + ">" : rpc.response();
    List<String> fromRequests =
        bidi
            ? List.of(
                "Calls {@code "
                    + rpc.name()
                    + "} and returns its responses as they arrive, while a background thread"
                    + " writes the requests of {@code requests}.")
            : List.of(
                "Calls {@code "
                    + rpc.name()
                    + "}: writes the requests of {@code requests} on this thread, then waits for"
                    + " the response.",
                "",
                "@throws StatusException if the call ends with a status other than {@code OK}");
    for (String requests : List.of("Iterator", "Iterable")) {
      String parameter = requests + "<? extends " + rpc.request() + "> requests";
      stubMethod(rpc, fromRequests, result, rpc.member(), List.of(parameter), "call");
    }
    stubMethod(
        rpc,
        List.of(
            "Starts {@code "
                + rpc.name()
                + "} with no request written: write the requests, say when done, and read the "
                + (bidi ? "responses." : "response.")),
        "StreamingCall<" + rpc.request() + ", " + rpc.response() + ">",
        rpc.member(),
        List.of(),
        "call");
    String observer = bidi ? "responses" : "response";
    stubMethod(
        rpc,
        List.of(
            "Starts {@code "
                + rpc.name()
                + "} without blocking: send the requests through the returned observer, then"
                + " {@code onCompleted}; the "
                + (bidi ? "responses go" : "response goes")
                + " to {@code "
                + observer
                + "} on the client's executor."),
        "RequestObserver<" + rpc.request() + ">",
        rpc.member() + "Async",
        List.of("StreamObserver<" + rpc.response() + "> " + observer),
        "callAsync");
    imports.addAll(
        List.of(
            "io.tri4j.RequestObserver",
            "io.tri4j.StreamObserver",
            "io.tri4j.StreamingCall",
            "java.util.Iterator",
            bidi ? "io.tri4j.ResponseStream" : "io.tri4j.StatusException"));
  }

  /**
   * A stub method calling {@code callableMethod} of the RPC's callable, and its overload with
   * {@code CallOptions} last.
   */
  private void stubMethod(
      Rpc rpc,
      List<String> doc,
      String result,
      String name,
      List<String> parameters,
      String callableMethod) {
    List<String> arguments = new ArrayList<>();
    for (String parameter : parameters) {
      arguments.add(parameter.substring(parameter.lastIndexOf(' ') + 1));
    }
    String args = String.join(", ", arguments);
    out.blank();
    out.javadoc(withDoc(rpc.doc(), doc));
    out.declaration("public " + result + " " + name, parameters, " {");
    // callForResponse has no overload without options.
    String defaults =
        callableMethod.equals("callForResponse") ? args + ", CallOptions.DEFAULT" : args;
    out.line("return this." + rpc.member() + "." + callableMethod + "(" + defaults + ");");
    out.close();

    out.blank();
    out.javadoc(List.of("As {@code " + name + "(" + args + ")}, with a timeout and headers."));
    List<String> withOptions = new ArrayList<>(parameters);
    withOptions.add("CallOptions options");
    out.declaration("public " + result + " " + name, withOptions, " {");
    arguments.add("options");
    String call = callableMethod + "(" + String.join(", ", arguments) + ")";
    out.line("return this." + rpc.member() + "." + call + ";");
    out.close();
  }

  private void writeBlockingInterface() {
    out.blank();
    out.javadoc(
        List.of(
            "The service as a server implements it with blocking methods, which run on the"
                + " server's executor and may block. A method not overridden answers {@code"
                + " UNIMPLEMENTED}. Throwing a {@link StatusException} ends a call with its status;"
                + " any other exception with {@code UNKNOWN}."));
    out.open("public interface " + blockingInterface + " {");
    for (int i = 0; i < rpcs.size(); i++) {
      Rpc rpc = rpcs.get(i);
      if (i > 0) {
        out.blank();
      }
      String q = rpc.request();
      String r = rpc.response();
      String m = rpc.member();
      if (rpc.unary()) {
        out.javadoc(
            withDoc(rpc.doc(), "Answers {@code " + rpc.name() + "}: one request, one response."));
        unimplemented(rpc, r + " " + m, List.of(q + " request"));
      } else if (!rpc.serverStreaming()) {
        out.javadoc(
            withDoc(
                rpc.doc(),
                "Answers {@code " + rpc.name() + "}: reads the requests, returns the response."));
        unimplemented(rpc, r + " " + m, List.of("ReadStream<" + q + "> requests"));
      } else {
        String in = rpc.clientStreaming() ? "ReadStream<" + q + "> requests" : q + " request";
        String inName = rpc.clientStreaming() ? "requests" : "request";
        out.javadoc(
            withDoc(
                rpc.doc(),
                "Answers {@code "
                    + rpc.name()
                    + "} with the responses of an iterator, each sent as soon as the iterator"
                    + " yields it. Override this method or the one with a {@link WriteStream}."));
        unimplemented(rpc, "Iterator<" + r + "> " + m, List.of(in));
        out.blank();
        out.javadoc(
            List.of(
                "Answers {@code "
                    + rpc.name()
                    + "} by writing the responses; by default, writes those of {@code "
                    + m
                    + "("
                    + inName
                    + ")}."));
        out.declaration(
            "default void " + m,
            List.of(in, "WriteStream<" + r + "> responses"),
            " throws Exception {");
        out.line(outerClass + ".writeAll(" + m + "(" + inName + "), responses);");
        out.close();
        imports.addAll(List.of("io.tri4j.WriteStream", "java.util.Iterator"));
      }
      if (rpc.clientStreaming()) {
        imports.add("io.tri4j.ReadStream");
      }
    }
    out.close();
    imports.add("io.tri4j.StatusException");
  }

  private void writeAsyncInterface() {
    out.blank();
    out.javadoc(
        List.of(
            "The service as a server implements it with methods that do not block: each returns at"
                + " once and answers through its {@link ResponseObserver}. A method not overridden"
                + " answers {@code UNIMPLEMENTED}."));
    out.open("public interface " + asyncInterface + " {");
    for (int i = 0; i < rpcs.size(); i++) {
      Rpc rpc = rpcs.get(i);
      if (i > 0) {
        out.blank();
      }
      String responses = "ResponseObserver<" + rpc.response() + "> responses";
      String answer =
          " send the "
              + (rpc.serverStreaming() ? "responses" : "response")
              + " to {@code responses}, then complete it.";
      if (!rpc.clientStreaming()) {
        out.javadoc(withDoc(rpc.doc(), "Answers {@code " + rpc.name() + "}:" + answer));
        unimplemented(rpc, "void " + rpc.member(), List.of(rpc.request() + " request", responses));
      } else {
        out.javadoc(
            withDoc(
                rpc.doc(),
                "Answers {@code "
                    + rpc.name()
                    + "}: returns the observer of the requests;"
                    + answer));
        String result = "StreamObserver<" + rpc.request() + "> " + rpc.member();
        unimplemented(rpc, result, List.of(responses));
        imports.add("io.tri4j.StreamObserver");
      }
    }
    out.close();
    imports.add("io.tri4j.ResponseObserver");
  }

  /** A default method that answers {@code UNIMPLEMENTED}. */
  private void unimplemented(Rpc rpc, String head, List<String> parameters) {
    out.declaration("default " + head, parameters, " throws Exception {");
    out.line("throw " + outerClass + ".unimplemented(\"" + rpc.name() + "\");");
    out.close();
  }

  private void writeHelpers() {
    out.blank();
    out.declaration(
        "private static <Q extends Message, R extends Message> Method<Q, R> method",
        List.of(
            "String name",
            "MethodType type",
            "Q requestType",
            "Parser<Q> requestParser",
            "R responseType",
            "Parser<R> responseParser"),
        " {");
    out.line("return new Method<>(");
    out.line("    new MethodInfo(SERVICE_NAME, name, type),");
    out.line("    requestType,");
    out.line("    responseType,");
    out.line("    Protobuf.serializer(),");
    out.line("    Protobuf.deserializer(requestParser),");
    out.line("    Protobuf.serializer(),");
    out.line("    Protobuf.deserializer(responseParser));");
    out.close();
    out.blank();
    out.declaration(
        "private static <Q extends Message> Serializer<Q> requestSerializer",
        List.of("Method<Q, ?> method", "boolean json"),
        " {");
    out.line("return json ? Protobuf.jsonSerializer() : method.requestSerializer();");
    out.close();
    out.blank();
    out.declaration(
        "private static <R extends Message> Deserializer<R> responseDeserializer",
        List.of("Method<?, R> method", "boolean json"),
        " {");
    out.line("return json");
    out.line("    ? Protobuf.jsonDeserializer(method.responseType())");
    out.line("    : method.responseDeserializer();");
    out.close();
    out.blank();
    out.open("private static StatusException unimplemented(String method) {");
    out.line("return Status.UNIMPLEMENTED");
    out.line(
        "    .withDescription(\"Method \" + SERVICE_NAME + \"/\" + method + \" is not implemented\")");
    out.line("    .asException();");
    out.close();
    imports.addAll(List.of("com.google.protobuf.Parser", "io.tri4j.Protobuf", "io.tri4j.Status"));
    if (rpcs.stream().anyMatch(Rpc::serverStreaming)) {
      out.blank();
      out.open("private static <R> void writeAll(Iterator<R> responses, WriteStream<R> out) {");
      out.open("if (responses == null) {");
      out.line(
          "throw Status.INTERNAL.withDescription(\"The handler returned no iterator\").asException();");
      out.close();
      out.open("while (responses.hasNext()) {");
      out.line("out.write(responses.next());");
      out.close();
      out.close();
    }
  }

  /** The proto comment, if any, then {@code summary} as a paragraph of its own. */
  private static List<String> withDoc(List<String> protoDoc, String summary) {
    return withDoc(protoDoc, List.of(summary));
  }

  /** The proto comment, if any, then {@code generated}, whose first line starts a paragraph. */
  private static List<String> withDoc(List<String> protoDoc, List<String> generated) {
    if (protoDoc.isEmpty()) {
      return generated;
    }
    List<String> doc = new ArrayList<>(protoDoc);
    doc.add("");
    doc.add("<p>" + generated.get(0));
    doc.addAll(generated.subList(1, generated.size()));
    return doc;
  }
}

/**
 * protoc-gen-tri4j, a protoc plugin written in Java: for each service of a {@code .proto} file it
 * writes {@code <Service>Tri4j}, with a typed client stub, blocking and async server interfaces,
 * the method table and the descriptors. Run by protobuf-maven-plugin as a JVM plugin, or as {@code
 * java -jar} of the standalone jar; {@link io.tri4j.protoc.ProtocGenTri4j} is the entry point.
 */
package io.tri4j.protoc;

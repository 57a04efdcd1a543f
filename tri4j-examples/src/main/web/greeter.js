// Greeter's descriptor (greeter.proto), built at run time: no generated code is needed for the
// two messages of one string each.
import { create, createFileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";

const pkg = "org.apache.dubbo.samples.proto";
const stringField = (name) => ({ name, number: 1, type: 9, label: 1, jsonName: name });
const method = (name, serverStreaming) => ({
  name,
  inputType: `.${pkg}.GreeterRequest`,
  outputType: `.${pkg}.GreeterReply`,
  serverStreaming,
});

const file = create(FileDescriptorProtoSchema, {
  name: "greeter.proto",
  package: pkg,
  syntax: "proto3",
  messageType: [
    { name: "GreeterRequest", field: [stringField("name")] },
    { name: "GreeterReply", field: [stringField("message")] },
  ],
  // Only the methods a browser can call: fetch() cannot stream a request body.
  service: [{ name: "Greeter", method: [method("greet", false), method("serverStream", true)] }],
});

export const Greeter = createFileRegistry(file, () => undefined).getService(`${pkg}.Greeter`);

// greeter.proto's Greeter as a descriptor, built at run time so that no generated code is needed,
// with one more method, "missing", that the server lacks.
import { create, createFileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";

const pkg = "org.apache.dubbo.samples.proto";
const stringField = (fieldName) => ({ name: fieldName, number: 1, type: 9, label: 1, jsonName: fieldName });
const method = (name, clientStreaming, serverStreaming) => ({
  name,
  inputType: `.${pkg}.GreeterRequest`,
  outputType: `.${pkg}.GreeterReply`,
  clientStreaming,
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
  service: [
    {
      name: "Greeter",
      method: [
        method("greet", false, false),
        method("clientStream", true, false),
        method("serverStream", false, true),
        method("biStream", true, true),
        method("missing", false, false),
      ],
    },
  ],
});

export const Greeter = createFileRegistry(file, () => undefined).getService(`${pkg}.Greeter`);

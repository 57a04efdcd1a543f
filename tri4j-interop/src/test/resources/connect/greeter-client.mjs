// Calls Greeter over the Connect protocol with @connectrpc/connect-node.
// Usage: node greeter-client.mjs <baseUrl> <httpVersion 1.1|2> <binary|json> <name>
// Prints one line per reply: "greet: <message>", "stream: <message>" for each streamed one, and
// over HTTP/2 "client: <message>" and "bidi: <message>"; then "error: <code> <message>" for a call
// to a method the server lacks.
import { create, createFileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { createClient, ConnectError, Code } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";

const [baseUrl, httpVersion, format, name] = process.argv.slice(2);
const pkg = "org.apache.dubbo.samples.proto";
const stringField = (fieldName) => ({ name: fieldName, number: 1, type: 9, label: 1, jsonName: fieldName });
const method = (methodName, clientStreaming, serverStreaming) => ({
  name: methodName,
  inputType: `.${pkg}.GreeterRequest`,
  outputType: `.${pkg}.GreeterReply`,
  clientStreaming,
  serverStreaming,
});
// greeter.proto written as a descriptor, with one method the server lacks: no generated code.
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
const Greeter = createFileRegistry(file, () => undefined).getService(`${pkg}.Greeter`);
const transport = createConnectTransport({ baseUrl, httpVersion, useBinaryFormat: format === "binary" });
const client = createClient(Greeter, transport);

async function* requests() {
  yield { name: `${name}-a` };
  yield { name: `${name}-b` };
}

const reply = await client.greet({ name }, { timeoutMs: 10000 });
console.log(`greet: ${reply.message}`);
for await (const streamed of client.serverStream({ name })) {
  console.log(`stream: ${streamed.message}`);
}
if (httpVersion === "2") {
  const joined = await client.clientStream(requests());
  console.log(`client: ${joined.message}`);
  for await (const echoed of client.biStream(requests())) {
    console.log(`bidi: ${echoed.message}`);
  }
}
try {
  await client.missing({ name });
  console.log("missing: answered");
} catch (e) {
  const err = ConnectError.from(e);
  console.log(`error: ${Code[err.code]} ${err.rawMessage}`);
}

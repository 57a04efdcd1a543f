// Calls Greeter over the Connect protocol (or, with "grpc" last, gRPC) with
// @connectrpc/connect-node.
// Usage: node greeter-client.mjs <baseUrl> <httpVersion 1.1|2> <binary|json> <name> [connect|grpc]
// Prints one line per reply: "greet: <message>", "stream: <message>" for each streamed one, and
// over HTTP/2 "client: <message>" and "bidi: <message>"; then "error: <code> <message>" for a call
// to a method the server lacks.
import { createClient, ConnectError, Code } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { Greeter } from "./connect-greeter-service.mjs";

const [baseUrl, httpVersion, format, name, protocol] = process.argv.slice(2);
const options = { baseUrl, httpVersion, useBinaryFormat: format === "binary" };
const transport =
  protocol === "grpc" ? createGrpcTransport(options) : createConnectTransport(options);
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

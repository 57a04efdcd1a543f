// Calls Greeter over gRPC-Web with @connectrpc/connect-node, as a browser's client would.
// Usage: node greeter-client.mjs <baseUrl> <httpVersion 1.1|2> <name> [json]
// With "json", messages go as JSON (application/grpc-web+json), else as protobuf.
// Prints one line per reply, "greet: <message>" then "stream: <message>" for each streamed one,
// and "error: <code> <message>" for a call that fails on purpose (name "fail").
import { createClient, ConnectError } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-node";
import { Greeter } from "./connect-greeter-service.mjs";

const [baseUrl, httpVersion, name, format] = process.argv.slice(2);
const client = createClient(
  Greeter,
  createGrpcWebTransport({ baseUrl, httpVersion, useBinaryFormat: format !== "json" }),
);

try {
  const reply = await client.greet({ name });
  console.log(`greet: ${reply.message}`);
  for await (const streamed of client.serverStream({ name })) {
    console.log(`stream: ${streamed.message}`);
  }
} catch (e) {
  const err = ConnectError.from(e);
  console.log(`error: ${err.code} ${err.rawMessage}`);
}

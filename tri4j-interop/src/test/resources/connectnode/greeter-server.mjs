// Greeter served by @connectrpc/connect-node over HTTP/2 (h2c), which answers the Connect, gRPC
// and gRPC-Web protocols on one port: a server nobody here wrote, for tri4j's client.
// Usage: node greeter-server.mjs. Listens on an ephemeral loopback port and prints it, then serves
// until its standard input closes.
// Behaves as the grpc-java GrpcJavaGreeter does: a name "error:<message>" fails the call with
// invalid_argument and <message> (after the replies, for serverStream); "details:<text>" fails it
// with failed_precondition and a google.protobuf.StringValue <text> as its detail; "slow" waits
// until the client gives up. greet answers a request header x-ping with a response header x-pong
// (and x-request-content-type, the request's content type) and a trailer x-trailer.
import http2 from "node:http2";
import { StringValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
// greeter.proto's Greeter; its "missing" method is left unimplemented here.
import { Greeter } from "./connect-greeter-service.mjs";

const ERROR_PREFIX = "error:";
const DETAILS_PREFIX = "details:";
const failIfAsked = (name) => {
  if (name.startsWith(ERROR_PREFIX)) {
    throw new ConnectError(name.substring(ERROR_PREFIX.length), Code.InvalidArgument);
  }
  if (name.startsWith(DETAILS_PREFIX)) {
    const detail = { desc: StringValueSchema, value: { value: name.substring(DETAILS_PREFIX.length) } };
    throw new ConnectError("with details", Code.FailedPrecondition, undefined, [detail]);
  }
};
const untilAborted = (signal) =>
  new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", resolve)));

const handler = connectNodeAdapter({
  routes(router) {
    router.service(Greeter, {
      async greet(req, ctx) {
        if (req.name === "slow") {
          await untilAborted(ctx.signal);
          throw new ConnectError("gave up", Code.DeadlineExceeded);
        }
        failIfAsked(req.name);
        const ping = ctx.requestHeader.get("x-ping");
        if (ping !== null) {
          ctx.responseHeader.set("x-pong", ping);
          ctx.responseHeader.set("x-request-content-type", ctx.requestHeader.get("content-type"));
          ctx.responseTrailer.set("x-trailer", `after ${ping}`);
        }
        return { message: `hello ${req.name}` };
      },
      async clientStream(requests) {
        const names = [];
        for await (const req of requests) {
          names.push(req.name);
        }
        return { message: names.join(" ") };
      },
      async *serverStream(req) {
        for (let i = 0; i < 3; i++) {
          yield { message: `${req.name}-${i}` };
        }
        failIfAsked(req.name);
      },
      async *biStream(requests) {
        for await (const req of requests) {
          yield { message: req.name };
        }
      },
    });
  },
});

const server = http2.createServer(handler);
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
// Serves until the test closes this process's standard input.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();

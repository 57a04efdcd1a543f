// Calls Greeter on the server that served this page, once per protocol, and shows the answers.
// Each protocol has its own section and each call its own slot, so that one failing hides nothing.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { Greeter } from "./greeter.js";

const baseUrl = window.location.origin;
const protocols = {
  "grpc-web": () => createGrpcWebTransport({ baseUrl }),
  connect: () => createConnectTransport({ baseUrl }),
};

function describe(e) {
  const err = ConnectError.from(e);
  return `error: ${Code[err.code]}: ${err.rawMessage}`;
}

async function callAll(section, name) {
  const client = createClient(Greeter, protocols[section.id]());
  const greet = section.querySelector("[data-slot=greet]");
  const stream = section.querySelector("[data-slot=serverStream]");
  let failed = false;
  greet.textContent = "…";
  stream.replaceChildren();
  try {
    greet.textContent = (await client.greet({ name })).message;
  } catch (e) {
    greet.textContent = describe(e);
    failed = true;
  }
  try {
    for await (const reply of client.serverStream({ name })) {
      const item = document.createElement("li");
      item.textContent = reply.message;
      stream.append(item);
    }
  } catch (e) {
    const item = document.createElement("li");
    item.textContent = describe(e);
    stream.append(item);
    failed = true;
  }
  section.dataset.state = failed ? "failed" : "ok";
}

async function run() {
  const name = document.getElementById("name").value;
  document.body.dataset.state = "calling";
  const sections = [...document.querySelectorAll("section[data-protocol]")];
  await Promise.allSettled(sections.map((section) => callAll(section, name)));
  document.body.dataset.state = "done";
}

// h2 over TLS; a browser speaks HTTP/1.1 to a plaintext port (it never sends h2c).
const navigation = performance.getEntriesByType("navigation")[0];
document.getElementById("http").textContent = navigation?.nextHopProtocol || "unknown";

document.getElementById("form").addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});
run();

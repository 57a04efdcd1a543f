"""Health checks by Python's grpcio against a gRPC server.

usage: python3 grpcio_health_check.py HOST:PORT SERVICE

Prints one line per answer: Check of the server (""), of SERVICE and of an unknown service, then
the first status Watch sends for SERVICE. grpcio has no health stubs of its own (they are in
grpcio-health-checking, which Debian does not package), so the two grpc.health.v1 messages are
written and read by hand: HealthCheckRequest is field 1, a string; HealthCheckResponse field 1,
an enum.
"""

import sys

import grpc

STATUSES = {0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"}


def request(service):
    data = service.encode("utf-8")
    assert len(data) < 128, "one-byte length only"
    return b"\x0a" + bytes([len(data)]) + data if data else b""


def status(response):
    # Absent field: the default, UNKNOWN; else tag 0x08 and a one-byte value.
    return STATUSES[response[1]] if response else STATUSES[0]


def main(target, service):
    with grpc.insecure_channel(target) as channel:
        check = channel.unary_unary("/grpc.health.v1.Health/Check")
        watch = channel.unary_stream("/grpc.health.v1.Health/Watch")
        print("check '' " + status(check(request(""), timeout=10)))
        print("check " + service + " " + status(check(request(service), timeout=10)))
        try:
            check(request("no.Such"), timeout=10)
            print("check no.Such answered")
        except grpc.RpcError as error:
            print("check no.Such " + error.code().name)
        responses = watch(request(service), timeout=10)
        print("watch " + service + " " + status(next(responses)))
        responses.cancel()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

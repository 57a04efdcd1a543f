package io.tri4j.services.health;

import io.tri4j.ResponseObserver;
import io.tri4j.Status;
import io.tri4j.services.health.v1.HealthCheckRequest;
import io.tri4j.services.health.v1.HealthCheckResponse;
import io.tri4j.services.health.v1.HealthCheckResponse.ServingStatus;
import io.tri4j.services.health.v1.HealthListRequest;
import io.tri4j.services.health.v1.HealthListResponse;
import io.tri4j.services.health.v1.HealthTri4j;

/** Answers {@code grpc.health.v1.Health} from a {@link HealthStatusManager}; never blocks. */
final class HealthService implements HealthTri4j.AsyncHealth {
  private final HealthStatusManager manager;

  HealthService(HealthStatusManager manager) {
    this.manager = manager;
  }

  @Override
  public void check(HealthCheckRequest request, ResponseObserver<HealthCheckResponse> responses) {
    ServingStatus status = manager.status(request.getService());
    if (status == null) {
      responses.onError(
          Status.NOT_FOUND
              .withDescription("Unknown service '" + request.getService() + "'")
              .asException());
      return;
    }
    responses.onNext(HealthCheckResponse.newBuilder().setStatus(status).build());
    responses.onCompleted();
  }

  @Override
  public void list(HealthListRequest request, ResponseObserver<HealthListResponse> responses) {
    HealthListResponse.Builder list = HealthListResponse.newBuilder();
    manager
        .statuses()
        .forEach(
            (service, status) ->
                list.putStatuses(
                    service, HealthCheckResponse.newBuilder().setStatus(status).build()));
    responses.onNext(list.build());
    responses.onCompleted();
  }

  @Override
  public void watch(HealthCheckRequest request, ResponseObserver<HealthCheckResponse> responses) {
    manager.watch(request.getService(), responses);
  }
}

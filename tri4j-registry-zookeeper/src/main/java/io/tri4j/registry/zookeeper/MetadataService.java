package io.tri4j.registry.zookeeper;

import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import java.util.Map;
import java.util.function.Function;

/**
 * Dubbo's {@code MetadataServiceV2}, which a provider registered with metadata type {@code local}
 * serves: a Dubbo 3 consumer that finds the provider's instance calls {@code GetMetadataInfo} with
 * the instance's revision (service version {@code 2.0.0}, group the application) to learn which
 * services it serves.
 */
final class MetadataService {
  static final String NAME = "org.apache.dubbo.metadata.MetadataServiceV2";
  static final String METHOD = "GetMetadataInfo";
  static final String VERSION = "2.0.0";

  private MetadataService() {}

  /**
   * The service for {@code app}; {@code byRevision} finds the metadata of a revision registered
   * here, or null.
   */
  static ServiceConfig config(String app, Function<String, ApplicationMetadata> byRevision) {
    RpcMethodHandler<String, ApplicationMetadata> getMetadataInfo =
        RpcMethodHandler.unary(
            revision -> {
              ApplicationMetadata metadata = byRevision.apply(revision);
              if (metadata == null) {
                throw Status.NOT_FOUND
                    .withDescription(
                        "No metadata of revision '"
                            + revision
                            + "' here: the provider's services have changed since; read its"
                            + " instance node again")
                    .asException();
              }
              return metadata;
            },
            MetadataProto::decodeRequest,
            MetadataProto::encodeInfo);
    return new ServiceConfig(new RpcServiceHandler(NAME, Map.of(METHOD, getMetadataInfo)))
        .withVersion(VERSION)
        .withGroup(app);
  }
}

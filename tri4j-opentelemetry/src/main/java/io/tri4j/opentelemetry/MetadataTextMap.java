package io.tri4j.opentelemetry;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.tri4j.Metadata;

/** Request headers as OpenTelemetry's propagators read and write them: text headers only. */
enum MetadataTextMap implements TextMapGetter<Metadata>, TextMapSetter<Metadata> {
  INSTANCE;

  @Override
  public String get(Metadata carrier, String key) {
    if (carrier == null || key.endsWith(Metadata.BINARY_SUFFIX)) {
      return null;
    }
    return carrier.get(key);
  }

  @Override
  public void set(Metadata carrier, String key, String value) {
    if (carrier != null && !key.endsWith(Metadata.BINARY_SUFFIX)) {
      carrier.put(key, value);
    }
  }
}

package dev.zerotouch.ca.http;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Counts keys in etcd directly (not through the registry under test). */
final class EtcdKeys implements AutoCloseable {
  private final Client client;

  EtcdKeys(String endpoint) {
    this.client = Client.builder().endpoints(endpoint).build();
  }

  long count(String prefix) throws Exception {
    return client.getKVClient().get(ByteSequence.from(prefix, StandardCharsets.UTF_8),
            GetOption.builder().isPrefix(true).withCountOnly(true).build())
        .get(10, TimeUnit.SECONDS).getCount();
  }

  @Override
  public void close() {
    client.close();
  }
}

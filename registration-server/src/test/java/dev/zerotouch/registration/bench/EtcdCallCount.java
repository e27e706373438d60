package dev.zerotouch.registration.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gRPC calls etcd has answered so far, by method, from its {@code /metrics}
 * ({@code grpc_server_handled_total}): how many etcd round trips a registration costs once
 * group commit has shared them out.
 */
final class EtcdCallCount {

  private static final Pattern HANDLED = Pattern.compile(
      "^grpc_server_handled_total\\{[^}]*grpc_method=\"(\\w+)\"[^}]*\\} ([0-9.e+]+)$");

  private EtcdCallCount() {
  }

  /** Calls answered per method, every status code together. */
  static Map<String, Long> snapshot(String etcdUrl) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(etcdUrl + "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    Map<String, Long> calls = new TreeMap<>();
    for (String line : response.body().split("\n")) {
      Matcher matcher = HANDLED.matcher(line);
      if (matcher.matches()) {
        calls.merge(matcher.group(1), (long) Double.parseDouble(matcher.group(2)), Long::sum);
      }
    }
    return calls;
  }

  /** Calls per {@code per} between two snapshots, methods without calls left out. */
  static String between(Map<String, Long> before, Map<String, Long> after, long per) {
    StringBuilder text = new StringBuilder();
    after.forEach((method, count) -> {
      long made = count - before.getOrDefault(method, 0L);
      if (made > 0) {
        text.append(text.length() == 0 ? "" : ", ")
            .append(String.format("%s %.2f", method, (double) made / per));
      }
    });
    return text.length() == 0 ? "none" : text.toString();
  }
}

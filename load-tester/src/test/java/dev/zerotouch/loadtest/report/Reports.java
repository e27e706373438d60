package dev.zerotouch.loadtest.report;

import dev.zerotouch.loadtest.metrics.ErrorGroup;
import dev.zerotouch.loadtest.metrics.PhaseResult;
import java.util.List;

/** Sample reports for the tests. */
final class Reports {

  private Reports() {
  }

  static LoadTestReport failedRun() {
    return new LoadTestReport("2026-12-03T14:00:00Z",
        new LoadTestReport.Settings(1000, 64, "rsa2048", "http://localhost:8080",
            "localhost:8443", 2, 0, 0, "load-ab12cd34-", "OPENSSL", "epoll"),
        new LoadTestReport.Keys(1000, 200, 800, 4321, 1234),
        new LoadTestReport.Devices(1000, 998, 997, 997, 3),
        new LoadTestReport.Heartbeats(1994, 1994),
        List.of(new PhaseResult("provision", 1000, 998, 2, 2500, 399.2, 120.5, 180.25, 240.0,
                300.0),
            new PhaseResult("register", 998, 997, 1, 3000, 332.3, 150.0, 200.0, 260.0, 310.0),
            new PhaseResult("heartbeat", 1994, 1994, 0, 4000, 498.5, 2.0, 3.0, 5.0, 9.0)),
        List.of(new ErrorGroup("provision/ca_refused:cn_taken", 2,
                "load-ab12cd34-000007: The CA refused the CSR (HTTP 409, cn_taken: held)"),
            new ErrorGroup("register/server_refused:certificate_unknown", 1,
                "load-ab12cd34-000042: refused")),
        2.75, 6.5, 9500, 14000, List.of("the open-file limit is 1024 ..."), false);
  }

  static LoadTestReport passedRun() {
    LoadTestReport failed = failedRun();
    return new LoadTestReport(failed.startedAt(), failed.settings(), failed.keys(),
        new LoadTestReport.Devices(1000, 1000, 1000, 1000, 0), failed.heartbeats(),
        failed.phases(), List.of(), -1, -1, 9500, 14000, List.of(), true);
  }
}

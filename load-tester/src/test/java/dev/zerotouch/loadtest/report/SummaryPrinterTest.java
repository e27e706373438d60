package dev.zerotouch.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SummaryPrinterTest {

  @Test
  void aFailedRunShowsCountsPhasesEachErrorKindWithExampleAndFail() {
    String summary = SummaryPrinter.render(Reports.failedRun());

    assertThat(summary)
        .contains("load test: 1000 devices (rsa2048), concurrency 64")
        .contains("keys:       1000 ready in 4.32 s (200 generated, 800 from cache), CSRs in"
            + " 1.23 s, before the timed phases")
        .contains("devices:    1000 attempted, 998 provisioned, 997 registered,"
            + " 997 completed, 3 failed")
        .contains("heartbeats: 1994 sent, 1994 acknowledged")
        .containsPattern("provision\\s+998\\s+2\\s+2.50 s\\s+399.2\\s+120.5\\s+180.3\\s+240.0"
            + "\\s+300.0")
        .containsPattern("register\\s+997\\s+1\\s+3.00 s")
        .containsPattern("\\s2\\s+provision/ca_refused:cn_taken\\n"
            + "\\s+e\\.g\\. load-ab12cd34-000007: The CA refused the CSR "
            + "\\(HTTP 409, cn_taken: held\\)")
        .containsPattern("\\s1\\s+register/server_refused:certificate_unknown")
        .contains("warning:    the open-file limit is 1024 ...")
        .contains("client CPU: 2.75 ms per mTLS connect in the register phase's second half,"
            + " 6.50 ms over all of it (OPENSSL, epoll)")
        .contains("wall time:  14.00 s (timed phases 9.50 s)")
        .contains("result:     FAIL, 3 of 1000 devices failed");
  }

  @Test
  void aPassedRunSaysNoErrorsAndPass() {
    String summary = SummaryPrinter.render(Reports.passedRun());

    assertThat(summary)
        .contains("errors:     none")
        .contains("client CPU: unknown per mTLS connect in the register phase's second half,"
            + " unknown over all of it")
        .contains("result:     PASS, every device completed")
        .doesNotContain("warning:");
  }
}

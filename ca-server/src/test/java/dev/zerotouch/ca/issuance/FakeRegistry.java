package dev.zerotouch.ca.issuance;

import dev.zerotouch.registry.CertificateRecord;
import dev.zerotouch.registry.IssueResult;
import dev.zerotouch.registry.Registry;
import dev.zerotouch.registry.Registry.Outcome;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.Function;

/** A Registry whose issueAll is a given function; every other call fails the test. */
final class FakeRegistry {
  private FakeRegistry() {
  }

  static Registry issuingWith(
      Function<List<CertificateRecord>, List<Outcome<IssueResult>>> issueAll) {
    return (Registry) Proxy.newProxyInstance(Registry.class.getClassLoader(),
        new Class<?>[] {Registry.class}, (proxy, method, args) -> {
          if (method.getName().equals("issueAll")) {
            @SuppressWarnings("unchecked")
            List<CertificateRecord> records = (List<CertificateRecord>) args[0];
            return issueAll.apply(records);
          }
          if (method.getName().equals("close")) {
            return null;
          }
          throw new AssertionError("unexpected registry call " + method.getName());
        });
  }
}

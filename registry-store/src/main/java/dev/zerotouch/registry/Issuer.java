package dev.zerotouch.registry;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issuing: one certificate ({@link #issue}) or many committed together ({@link #issueAll}).
 * Reads the CN index and the CN's current certificate, decides with {@link IssuePolicy}, then
 * commits in a transaction guarded on the revisions it read; a lost race is read and decided
 * again, up to {@link #MAX_ATTEMPTS} times.
 */
final class Issuer {

  static final int MAX_ATTEMPTS = 8;

  private static final Logger LOG = LoggerFactory.getLogger(Issuer.class);
  /** A plan has at most three compares and three puts. */
  private static final int PLANS_PER_TXN = EtcdKv.MAX_TXN_OPS / 3;

  private final EtcdKv kv;
  private final Keys keys;

  Issuer(EtcdKv kv, Keys keys) {
    this.kv = kv;
    this.keys = keys;
  }

  IssueResult issue(CertificateRecord certificate) {
    IssuePolicy.validate(certificate);

    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Plan plan = plan(certificate, read(List.of(certificate)).get(0));
      if (plan.done() != null) {
        return plan.done();
      }
      if (commit(List.of(plan))) {
        LOG.debug("certificate recorded {} {} {}", kv("cn", certificate.cn()),
            kv("serial", certificate.serial()), kv("attempt", attempt));
        return plan.result();
      }
      LOG.debug("issuance lost a race, reading again {} {} {}", kv("cn", certificate.cn()),
          kv("serial", certificate.serial()), kv("attempt", attempt));
    }
    throw new RegistryException(RegistryErrorCode.CONTENTION, "cn " + certificate.cn()
        + " changed under " + MAX_ATTEMPTS + " attempts to record certificate "
        + certificate.serial() + "; try again");
  }

  List<Registry.Outcome<IssueResult>> issueAll(List<CertificateRecord> certificates) {
    certificates.forEach(IssuePolicy::validate);
    List<Registry.Outcome<IssueResult>> outcomes = new ArrayList<>(certificates.size());
    certificates.forEach(certificate -> outcomes.add(null));

    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < certificates.size(); i++) {
      pending.add(i);
    }
    Rounds.untilDecided(pending, outcomes, left -> round(certificates, left, outcomes));
    return outcomes;
  }

  /**
   * Decides and commits one round: at most one item per CN and per serial, so that later
   * duplicates see the result of the earlier one. Answers the items left for the next round.
   */
  private List<Integer> round(List<CertificateRecord> certificates, List<Integer> pending,
      List<Registry.Outcome<IssueResult>> outcomes) {
    List<Integer> round = new ArrayList<>();
    List<Integer> later = new ArrayList<>();
    Set<String> cns = new HashSet<>();
    Set<String> serials = new HashSet<>();
    for (int i : pending) {
      CertificateRecord certificate = certificates.get(i);
      boolean fresh = !cns.contains(certificate.cn()) && !serials.contains(certificate.serial());
      if (fresh) {
        cns.add(certificate.cn());
        serials.add(certificate.serial());
        round.add(i);
      } else {
        later.add(i);
      }
    }

    List<CertificateRecord> items = round.stream().map(certificates::get).toList();
    List<Snapshot> snapshots = read(items);
    List<Integer> planned = new ArrayList<>();
    List<Plan> plans = new ArrayList<>();
    for (int k = 0; k < round.size(); k++) {
      int index = round.get(k);
      try {
        Plan plan = plan(items.get(k), snapshots.get(k));
        if (plan.done() != null) {
          outcomes.set(index, Registry.Outcome.ok(plan.done()));
        } else {
          planned.add(index);
          plans.add(plan);
        }
      } catch (RegistryException refused) {
        outcomes.set(index, Registry.Outcome.failed(refused));
      }
    }

    for (int from = 0; from < plans.size(); from += PLANS_PER_TXN) {
      int to = Math.min(plans.size(), from + PLANS_PER_TXN);
      commitGroup(certificates, planned.subList(from, to), plans.subList(from, to), outcomes);
    }
    return later;
  }

  private void commitGroup(List<CertificateRecord> certificates, List<Integer> indexes,
      List<Plan> plans, List<Registry.Outcome<IssueResult>> outcomes) {
    if (commit(plans)) {
      LOG.debug("certificates recorded together {}", kv("count", plans.size()));
      for (int k = 0; k < plans.size(); k++) {
        outcomes.set(indexes.get(k), Registry.Outcome.ok(plans.get(k).result()));
      }
      return;
    }

    LOG.debug("group commit lost a race, issuing one by one {}", kv("count", plans.size()));
    for (int index : indexes) {
      try {
        outcomes.set(index, Registry.Outcome.ok(issue(certificates.get(index))));
      } catch (RegistryException e) {
        if (e.code() == RegistryErrorCode.UNAVAILABLE) {
          throw e;
        }
        outcomes.set(index, Registry.Outcome.failed(e));
      }
    }
  }

  /**
   * Reads, for each certificate, its CN's index entry and current certificate, and whatever
   * is already recorded under its own serial.
   */
  private List<Snapshot> read(List<CertificateRecord> certificates) {
    List<ByteSequence> first = new ArrayList<>();
    for (CertificateRecord certificate : certificates) {
      first.add(keys.cn(certificate.cn()));
      first.add(keys.cert(certificate.serial()));
    }
    List<Optional<KeyValue>> found = kv.getAll(first, "read the cn index");

    List<ByteSequence> current = new ArrayList<>();
    List<Boolean> hasCurrent = new ArrayList<>();
    for (int k = 0; k < certificates.size(); k++) {
      Optional<ByteSequence> currentKey = found.get(2 * k).flatMap(this::currentKey);
      currentKey.ifPresent(current::add);
      hasCurrent.add(currentKey.isPresent());
    }
    List<Optional<KeyValue>> currentCerts = current.isEmpty() ? List.of()
        : kv.getAll(current, "read the current certificates");

    List<Snapshot> snapshots = new ArrayList<>();
    int next = 0;
    for (int k = 0; k < certificates.size(); k++) {
      Optional<KeyValue> currentCert = hasCurrent.get(k) ? currentCerts.get(next++)
          : Optional.empty();
      snapshots.add(new Snapshot(found.get(2 * k), currentCert, found.get(2 * k + 1)));
    }
    return snapshots;
  }

  /**
   * The key of the certificate a CN index entry points to; none for an unreadable entry,
   * which {@link #plan} then reports as {@link RegistryErrorCode#CORRUPT_VALUE} for that
   * item alone.
   */
  private Optional<ByteSequence> currentKey(KeyValue cnEntry) {
    try {
      return Optional.of(keys.cert(Json.decode(cnEntry, CnRecord.class).serial()));
    } catch (RegistryException | IllegalArgumentException corrupt) {
      return Optional.empty();
    }
  }

  private Plan plan(CertificateRecord certificate, Snapshot snapshot) {
    ByteSequence certKey = keys.cert(certificate.serial());
    ByteSequence cnKey = keys.cn(certificate.cn());
    if (snapshot.sameSerial().isPresent()) {
      return new Plan(certificate, List.of(), List.of(), Optional.empty(),
          IssuePolicy.alreadyRecorded(certificate, snapshot));
    }

    List<Cmp> compares = new ArrayList<>();
    List<Op> puts = new ArrayList<>();
    compares.add(new Cmp(certKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
    puts.add(Op.put(certKey, Json.encode(certificate), PutOption.DEFAULT));
    CnRecord index = new CnRecord(certificate.serial(), certificate.publicKeyFingerprint());
    puts.add(Op.put(cnKey, Json.encode(index), PutOption.DEFAULT));
    if (snapshot.cnEntry().isEmpty()) {
      compares.add(new Cmp(cnKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
      return new Plan(certificate, compares, puts, Optional.empty(), null);
    }

    KeyValue cnEntry = snapshot.cnEntry().get();
    compares.add(new Cmp(cnKey, Cmp.Op.EQUAL, CmpTarget.modRevision(cnEntry.getModRevision())));
    CnRecord held = Json.decode(cnEntry, CnRecord.class);
    if (!Keys.isSerial(held.serial())) {
      throw new RegistryException(RegistryErrorCode.CORRUPT_VALUE, "cn index of "
          + certificate.cn() + " holds serial '" + held.serial() + "', not a serial");
    }
    ByteSequence heldKey = keys.cert(held.serial());
    if (snapshot.currentCert().isEmpty()) {
      compares.add(new Cmp(heldKey, Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
      return new Plan(certificate, compares, puts, Optional.empty(), null);
    }

    KeyValue currentEntry = snapshot.currentCert().get();
    CertificateRecord current = Json.decode(currentEntry, CertificateRecord.class);
    compares.add(new Cmp(heldKey, Cmp.Op.EQUAL,
        CmpTarget.modRevision(currentEntry.getModRevision())));
    if (!IssuePolicy.supersedes(certificate, current)) {
      return new Plan(certificate, compares, puts, Optional.empty(), null);
    }
    CertificateRecord superseded = current.withStatus(CertificateStatus.SUPERSEDED);
    puts.add(Op.put(heldKey, Json.encode(superseded), PutOption.DEFAULT));
    return new Plan(certificate, compares, puts, Optional.of(current.serial()), null);
  }

  private boolean commit(List<Plan> plans) {
    List<Cmp> compares = new ArrayList<>();
    List<Op> puts = new ArrayList<>();
    for (Plan plan : plans) {
      compares.addAll(plan.compares());
      puts.addAll(plan.puts());
    }
    return kv.commit(compares, puts, "record certificates");
  }

  /** What etcd held for one certificate's CN and serial when it was read. */
  record Snapshot(Optional<KeyValue> cnEntry, Optional<KeyValue> currentCert,
      Optional<KeyValue> sameSerial) {
  }

  /** The transaction part of one issuance, or {@code done} when nothing is left to write. */
  private record Plan(CertificateRecord certificate, List<Cmp> compares, List<Op> puts,
      Optional<String> superseded, IssueResult done) {

    IssueResult result() {
      return new IssueResult(certificate, superseded);
    }
  }
}

package dev.zerotouch.registry;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The few KV calls the registry makes, each bounded by the call deadline. */
final class EtcdKv {

  /** etcd's default limit on the operations of each part of one transaction. */
  static final int MAX_TXN_OPS = 128;

  private final KV kv;
  private final EtcdCalls calls;

  EtcdKv(KV kv, EtcdCalls calls) {
    this.kv = kv;
    this.calls = calls;
  }

  EtcdCalls calls() {
    return calls;
  }

  Optional<KeyValue> get(ByteSequence key, String what) {
    GetResponse response = calls.await(kv.get(key), what);
    return response.getKvs().stream().findFirst();
  }

  GetResponse get(ByteSequence key, GetOption option, String what) {
    return calls.await(kv.get(key, option), what);
  }

  /**
   * Reads many single keys with consistent snapshots per group of {@link #MAX_TXN_OPS}; the
   * groups are sent together. The answer has one entry per key, in order.
   */
  List<Optional<KeyValue>> getAll(List<ByteSequence> keys, String what) {
    List<CompletableFuture<TxnResponse>> futures = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += MAX_TXN_OPS) {
      List<ByteSequence> group = keys.subList(from, Math.min(keys.size(), from + MAX_TXN_OPS));
      Op[] gets = group.stream().map(key -> Op.get(key, GetOption.DEFAULT)).toArray(Op[]::new);
      futures.add(kv.txn().Then(gets).commit());
    }
    List<Optional<KeyValue>> values = new ArrayList<>(keys.size());
    for (CompletableFuture<TxnResponse> future : futures) {
      for (GetResponse response : calls.await(future, what).getGetResponses()) {
        values.add(response.getKvs().stream().findFirst());
      }
    }
    return values;
  }

  /** Commits {@code then} if every compare holds; answers whether it did. */
  boolean commit(List<Cmp> compares, List<Op> then, String what) {
    TxnResponse response = calls.await(
        kv.txn().If(compares.toArray(Cmp[]::new)).Then(then.toArray(Op[]::new)).commit(), what);
    return response.isSucceeded();
  }

  /** Sends unguarded transactions of at most {@link #MAX_TXN_OPS} operations together. */
  void commitInGroups(List<Op> ops, String what) {
    List<CompletableFuture<TxnResponse>> futures = new ArrayList<>();
    for (int from = 0; from < ops.size(); from += MAX_TXN_OPS) {
      List<Op> group = ops.subList(from, Math.min(ops.size(), from + MAX_TXN_OPS));
      futures.add(kv.txn().Then(group.toArray(Op[]::new)).commit());
    }
    for (CompletableFuture<TxnResponse> future : futures) {
      calls.await(future, what);
    }
  }
}

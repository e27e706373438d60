package dev.zerotouch.registration.testing;

import dev.zerotouch.protocol.wire.ErrorMessage;
import dev.zerotouch.protocol.wire.Frames;
import dev.zerotouch.protocol.wire.Heartbeat;
import dev.zerotouch.protocol.wire.HeartbeatAck;
import dev.zerotouch.protocol.wire.Message;
import dev.zerotouch.protocol.wire.MessageCodec;
import dev.zerotouch.protocol.wire.Register;
import dev.zerotouch.protocol.wire.Registered;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A blocking device for tests over plain JSSE: TLS 1.3, an optional client certificate, and
 * the wire protocol's frames. Reads wait at most the given timeout.
 */
public final class TestClient implements AutoCloseable {

  private static final char[] PASSWORD = "test".toCharArray();

  private final SSLSocket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  private TestClient(SSLSocket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new DataOutputStream(socket.getOutputStream());
  }

  /**
   * Connects and completes the client's side of the handshake. With TLS 1.3 a server that
   * refuses the client certificate only says so on the first read.
   */
  public static TestClient connect(int port, TestPki.Identity identity,
      X509Certificate trustedCa, Duration readTimeout) throws IOException {
    SSLSocket socket = (SSLSocket) context(identity, trustedCa).getSocketFactory()
        .createSocket("127.0.0.1", port);
    socket.setEnabledProtocols(new String[] {"TLSv1.3"});
    socket.setSoTimeout((int) readTimeout.toMillis());
    socket.startHandshake();
    return new TestClient(socket);
  }

  public static TestClient connect(int port, TestPki.Identity identity, X509Certificate ca)
      throws IOException {
    return connect(port, identity, ca, Duration.ofSeconds(5));
  }

  private static SSLContext context(TestPki.Identity identity, X509Certificate trustedCa) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", trustedCa);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);

      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      if (identity != null) {
        keys.setKeyEntry("device", identity.keys().getPrivate(), PASSWORD,
            new Certificate[] {identity.certificate(), identity.issuer()});
      }
      kmf.init(keys, PASSWORD);

      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("test TLS context cannot be made", e);
    }
  }

  public void send(Message message) throws IOException {
    byte[] payload = MessageCodec.INSTANCE.encode(message);
    out.writeInt(payload.length);
    out.write(payload);
    out.flush();
  }

  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next message; {@link EOFException} when the server closed the connection. */
  public Message read() throws IOException {
    int length = in.readInt();
    if (length <= 0 || length > Frames.MAX_PAYLOAD_BYTES) {
      throw new IOException("server sent a frame of " + length + " bytes");
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    return MessageCodec.INSTANCE.decode(payload);
  }

  public Message register() throws IOException {
    send(new Register(Frames.PROTOCOL_VERSION, "1.2.3", Map.of("model", "test-board")));
    return read();
  }

  /** Registers and fails unless the server answers {@link Registered}. */
  public Registered registerOrFail() throws IOException {
    Message reply = register();
    if (!(reply instanceof Registered registered)) {
      throw new AssertionError("expected registered, got " + reply);
    }
    return registered;
  }

  public HeartbeatAck heartbeat(long sequence) throws IOException {
    send(new Heartbeat(sequence));
    Message reply = read();
    if (!(reply instanceof HeartbeatAck ack)) {
      throw new AssertionError("expected a heartbeat ack, got " + reply);
    }
    return ack;
  }

  /** Reads the error message the server sends before it closes, and checks that it closes. */
  public ErrorMessage readErrorAndClose() throws IOException {
    Message reply = read();
    if (!(reply instanceof ErrorMessage error)) {
      throw new AssertionError("expected an error message, got " + reply);
    }
    if (!closedByServer()) {
      throw new AssertionError("server did not close after " + error);
    }
    return error;
  }

  /** Whether the next read finds the connection closed by the server (within the timeout). */
  public boolean closedByServer() throws IOException {
    try {
      return in.read() == -1;
    } catch (SSLException | SocketException e) {
      return true;
    }
  }

  /**
   * What a device sees when it tries to register: the reply, or the failure (a TLS alert, a
   * reset) that ended the connection instead.
   */
  public Attempt attemptRegister() {
    try {
      Message reply = register();
      return new Attempt(reply, null, closedByServer());
    } catch (IOException e) {
      return new Attempt(null, e, true);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** The result of {@link #attemptRegister}. */
  public record Attempt(Message reply, IOException failure, boolean closed) {

    public boolean registered() {
      return reply instanceof Registered;
    }

    @Override
    public String toString() {
      return reply != null ? "reply " + reply + (closed ? ", then closed" : "")
          : "failure " + failure;
    }
  }
}

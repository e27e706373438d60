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
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A blocking device for tests over plain JSSE: TLS 1.3, an optional client certificate, and
 * the wire protocol's frames. Reads wait at most the given timeout.
 */
public final class TestClient implements AutoCloseable {

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

      KeyManager[] keyManagers = identity == null ? new KeyManager[0]
          : new KeyManager[] {new AlwaysPresent(identity)};
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(keyManagers, tmf.getTrustManagers(), null);
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
   * reset) that ended the connection instead. A refused handshake may already have closed the
   * connection when the register is written; the alert is then still there to read.
   */
  public Attempt attemptRegister() {
    IOException sendFailure = null;
    try {
      send(new Register(Frames.PROTOCOL_VERSION, "1.2.3", Map.of("model", "test-board")));
    } catch (IOException e) {
      sendFailure = e;
    }
    try {
      Message reply = read();
      return new Attempt(reply, null, closedByServer());
    } catch (IOException e) {
      return new Attempt(null, e instanceof SSLException || sendFailure == null ? e : sendFailure,
          true);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /**
   * Presents the identity whatever CAs the server asks for, so that a certificate of another
   * CA really reaches the server (JSSE's own key manager would send none).
   */
  private static final class AlwaysPresent extends X509ExtendedKeyManager {

    private final TestPki.Identity identity;

    AlwaysPresent(TestPki.Identity identity) {
      this.identity = identity;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return "device";
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers,
        SSLEngine engine) {
      return "device";
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return new X509Certificate[] {identity.certificate(), identity.issuer()};
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return identity.keys().getPrivate();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {"device"};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return new String[0];
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }
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

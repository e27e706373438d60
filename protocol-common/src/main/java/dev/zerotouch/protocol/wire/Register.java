package dev.zerotouch.protocol.wire;

import java.util.Map;

/** Device to server: the first message on a connection. */
public record Register(int protocolVersion, String firmwareVersion, Map<String, String> attributes)
    implements Message {
}

package dev.zerotouch.registration.session;

import dev.zerotouch.protocol.wire.ErrorCode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/** Ends a connection the protocol's way: an error message with a stable code, then close. */
public final class Refusals {

  private Refusals() {
  }

  /**
   * Sends {@code code} with {@code text} and closes once it is written. Only the first refusal
   * of a connection is sent; a later one just closes. Safe from any thread.
   *
   * @param outcome the connection outcome logged when the connection closes
   */
  public static void refuse(Channel channel, ErrorCode code, String text, String outcome) {
    ConnectionState state = ConnectionState.of(channel);
    if (state.outcome() != null) {
      channel.close();
      return;
    }
    state.outcome(outcome);
    if (!channel.isActive()) {
      return;
    }
    channel.writeAndFlush(code.message(text)).addListener(ChannelFutureListener.CLOSE);
  }
}

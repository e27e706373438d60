package dev.zerotouch.registry;

import java.util.List;
import java.util.Optional;

/** One page of devices in CN order; {@code nextAfter} is the CN to continue after. */
public record DevicePage(List<DeviceRecord> devices, Optional<String> nextAfter) {
}

package dev.zerotouch.registry;

/** A committed device registration. */
public record RegistrationResult(DeviceRecord device, boolean firstRegistration) {
}

package dev.zerotouch.registry;

import java.util.Optional;

/** A committed issuance, and the serial it superseded when it was a re-issue. */
public record IssueResult(CertificateRecord certificate, Optional<String> supersededSerial) {
}

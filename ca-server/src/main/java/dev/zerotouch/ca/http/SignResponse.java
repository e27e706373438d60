package dev.zerotouch.ca.http;

/** The 201 body of {@code POST /sign-csr}; written in snake_case. */
record SignResponse(String certificatePem, String caChainPem, String serial, String notAfter) {
}

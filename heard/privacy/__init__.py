"""Personal data under UK GDPR: the audit of reads, subject access, erasure and retention."""

/// SMTP over SwiftNIO with STARTTLS (DESIGN.md, "SMTPTransport").
enum SMTPTransportModule {}

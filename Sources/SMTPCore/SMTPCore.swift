/// SMTP protocol values and state machines, no I/O (DESIGN.md, "SMTPCore").
enum SMTPCoreModule {}

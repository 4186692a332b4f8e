// SMTPCore tests

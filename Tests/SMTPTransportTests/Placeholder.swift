// SMTPTransport tests

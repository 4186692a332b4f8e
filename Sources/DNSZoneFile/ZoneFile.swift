// zone files
